"""``report.html``: one self-contained page (inline CSS and SVG, nothing fetched, no script).

Everything that comes from a repository (names, paths, reasons, diffs, errors) is escaped,
and a Content-Security-Policy forbids scripts and remote loads, so a file named
``<script>`` is shown as text and never runs.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from agent.models import RepoStatus
from agent.refactor.base import ACTION_LABEL
from agent.report.chart import repo_chart, step_chart
from agent.report.diffs import diff_lines, diff_stat
from agent.report.model import RepoReport, RunReport
from agent.report.style import REPORT_CSS
from agent.report.text import (
    ROLE_COLUMNS,
    STRATEGY_LABEL,
    anchor,
    diff_note,
    duration,
    qa_checks,
    role_usage,
    status_counts,
    status_label,
    tokens_line,
    where,
)

#: Diffs longer than this many lines start folded.
OPEN_DIFF_LINES = 400

_NUM = ' class="num"'
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"


def render_html(report: RunReport) -> str:
    """The whole report as one HTML page."""
    title = f"decom run {report.run_id}: {report.database}"
    body = [
        _header(report),
        _failures(report),
        _overview(report),
        _timings(report),
        _tokens(report),
        *(_repo(i, repo) for i, repo in enumerate(report.repos)),
        f"<footer>decom report, schema {report.schema_version}; generated "
        f"{_e(report.generated_at)}. The same data: report.json; as text: report.md.</footer>",
    ]
    sections = "\n".join(part for part in body if part)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{REPORT_CSS}</style></head>\n"
        f"<body><main>\n{sections}\n</main></body></html>\n"
    )


def _header(report: RunReport) -> str:
    mode = '<span class="badge b-dry">dry run</span>' if report.dry_run else ""
    cards = [
        _card("repositories", "repos", str(len(report.repos)), ""),
        *(
            _card(status_label(status), status, str(n), status if n else "")
            for status, n in report.counts.items()
        ),
        _card("success rate", "success-rate", f"{report.success_rate:.0%}", ""),
        _card("wall time", "seconds", duration(report.seconds), ""),
    ]
    if report.not_started:
        cards.append(_card("not started", "not-started", str(len(report.not_started)), "failed"))
    total = report.token_total
    if total is not None:
        cards.append(_card("model cost", "cost", f"${total.cost_usd:.4f}", ""))
    return (
        f"<h1>Retiring <code>{_e(report.database)}</code> {mode}</h1>"
        f'<p class="subtitle">run <code>{_e(report.run_id)}</code> · '
        f"{_e(status_counts(report))} · model: {_e(tokens_line(total))}</p>"
        f'<div class="cards">{"".join(cards)}</div>'
    )


def _card(label: str, key: str, value: str, status: str) -> str:
    return (
        f'<div class="card {_e(status)}" id="card-{_e(key)}"><span class="n">{_e(value)}</span>'
        f'<span class="k">{_e(label)}</span></div>'
    )


def _failures(report: RunReport) -> str:
    parts = []
    if report.failures:
        rows = "".join(
            f'<tr><td class="num">{len(g.repos)}</td><td><code>{_e(g.error)}</code></td>'
            f"<td class='names'>{_names(g.repos)}</td></tr>"
            for g in report.failures
        )
        parts.append(
            '<h2 id="failures">Failures by error</h2><div class="panel alert"><table>'
            '<tr><th class="num">repos</th><th>error</th><th>repositories</th></tr>'
            f"{rows}</table></div>"
        )
    if report.not_started:
        names = _names(report.not_started)
        parts.append(
            '<h2 id="not-started">Not started</h2><div class="panel alert">'
            f"<p>{len(report.not_started)} repositories left pending by <code>--fail-fast</code> "
            f"(continue with <code>--resume {_e(report.run_id)}</code>):</p><p>{names}</p></div>"
        )
    return "".join(parts)


def _names(names: list[str]) -> str:
    return ", ".join(f"<code>{_e(name)}</code>" for name in names)


def _overview(report: RunReport) -> str:
    head = (
        "<tr><th>repository</th><th>status</th><th class='num'>changed</th>"
        "<th class='num'>deleted</th><th class='num'>needs a person</th><th>QA</th>"
        "<th>where</th><th class='num'>time</th></tr>"
    )
    rows = []
    for index, repo in enumerate(report.repos):
        qa = _badge(repo.qa.overall_status.value) if repo.qa else '<span class="muted">-</span>'
        rows.append(
            f'<tr><td><a href="#{anchor(index, repo.repo)}">{_e(repo.repo)}</a></td>'
            f"<td>{_badge(repo.status.value, status_label(repo.status))}</td>"
            f'<td class="num">{repo.files_changed}</td><td class="num">{repo.files_deleted}</td>'
            f'<td class="num">{len(repo.needs_human)}</td><td>{qa}</td>'
            f'<td class="path mono">{_e(where(repo))}</td>'
            f'<td class="num">{duration(repo.seconds)}</td></tr>'
        )
    if not rows:
        rows.append('<tr><td colspan="8" class="muted">No repository finished.</td></tr>')
    return (
        f'<h2 id="repositories">Repositories</h2><div class="panel"><table>{head}'
        f"{''.join(rows)}</table></div>"
    )


def _timings(report: RunReport) -> str:
    return (
        '<h2 id="time">Where the time went</h2><div class="panel charts">'
        f"{step_chart(report.step_seconds)}{repo_chart(report.repos)}</div>"
    )


def _tokens(report: RunReport) -> str:
    rows = role_usage(report)
    if not rows:
        return ""
    head = "".join(f"<th{_NUM if i else ''}>{_e(c)}</th>" for i, c in enumerate(ROLE_COLUMNS))
    body = "".join(
        "<tr>"
        + "".join(f"<td{_NUM if i else ''}>{_e(v)}</td>" for i, v in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return (
        '<h2 id="model">Model usage by role</h2><div class="panel"><table>'
        f"<tr>{head}</tr>{body}</table></div>"
    )


def _repo(index: int, repo: RepoReport) -> str:
    return (
        f'<section class="repo" id="{anchor(index, repo.repo)}">'
        f"<h2>{_e(repo.repo)} {_badge(repo.status.value, status_label(repo.status))}</h2>"
        f"{_facts(repo)}{_files(repo)}{_needs_human(repo)}{_qa(repo)}{_diff(repo)}</section>"
    )


def _facts(repo: RepoReport) -> str:
    facts = [("folder", f"<code>{_e(repo.path)}</code>")]
    if repo.error:
        facts.append(("error", f'<span class="error mono">{_e(repo.error)}</span>'))
    if repo.branch:
        facts.append(("branch", f"<code>{_e(repo.branch)}</code>"))
    if repo.commit:
        base = f" on base <code>{_e(repo.base[:12])}</code>" if repo.base else ""
        facts.append(("commit", f"<code>{_e(repo.commit)}</code>{base}"))
    if repo.pr_record:
        facts.append(_pull_request(repo.pr_record))
    if repo.patch:
        facts.append(("patch", _file_link(repo.patch)))
    steps = " · ".join(f"{_e(s.step)} {duration(s.seconds)}" for s in repo.steps)
    facts.append(("time", f"{duration(repo.seconds)}" + (f" ({steps})" if steps else "")))
    if repo.tokens is not None:
        facts.append(("model usage", _e(tokens_line(repo.tokens))))
    items = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in facts)
    return f'<dl class="facts">{items}</dl>'


def _pull_request(record: str) -> tuple[str, str]:
    if record.startswith(("https://", "http://")):
        return "pull request", f'<a href="{_e(record)}" rel="noreferrer">{_e(record)}</a>'
    return "PR record", _file_link(record)


def _file_link(path: str) -> str:
    """A local file as a link (when absolute) showing its path."""
    if not Path(path).is_absolute():
        return f"<code>{_e(path)}</code>"
    return f'<a href="{_e(Path(path).as_uri())}"><code>{_e(path)}</code></a>'


def _files(repo: RepoReport) -> str:
    if not repo.files:
        return ""
    rows = []
    for f in repo.files:
        action = ACTION_LABEL[f.action]
        if f.strategy:
            action += f" ({STRATEGY_LABEL.get(f.strategy, str(f.strategy))})"
        rows.append(
            f'<tr><td class="path"><code>{_e(f.path)}</code></td><td>{_e(f.source_type)}</td>'
            f'<td class="nowrap">{_e(action)}</td><td>{_e(f.rule)}</td>'
            f'<td class="num">{f.references}</td>'
            f"<td>{_e(f.reason)}</td></tr>"
        )
    return (
        f"<h3>Files ({len(repo.files)})</h3><table><tr><th>file</th><th>type</th>"
        "<th>action</th><th>rule</th><th class='num'>refs</th><th>reason</th></tr>"
        f"{''.join(rows)}</table>"
    )


def _needs_human(repo: RepoReport) -> str:
    if not repo.needs_human:
        return ""
    items = "".join(f"<li>{_e(item)}</li>" for item in repo.needs_human)
    return f'<h3>Needs a person ({len(repo.needs_human)})</h3><ul class="checklist">{items}</ul>'


def _qa(repo: RepoReport) -> str:
    if repo.qa is None:
        return ""
    qa = repo.qa
    checks = qa_checks(qa)
    rows = "".join(
        f"<tr><td>{_e(c.name)}</td><td>{_badge(c.status.value)}</td>"
        f"<td class='num'>{c.score:.2f}</td><td class='num'>{c.checked}</td>"
        f"<td class='num'>{len(c.findings)}</td></tr>"
        for c in checks
    )
    findings = [f for c in checks for f in c.findings]
    found = ""
    if findings:
        found = "<p><strong>Findings</strong></p><ul>" + "".join(
            f"<li>{_e(f.check)}: <code>{_e(f.path)}:{f.line}</code> {_e(f.message)}</li>"
            for f in findings
        ) + "</ul>"  # fmt: skip
    advice = ""
    if qa.recommendations:
        advice = "<p><strong>Recommendations</strong></p><ul>" + "".join(
            f"<li>{_e(item)}</li>" for item in qa.recommendations
        ) + "</ul>"  # fmt: skip
    return (
        f"<h3>QA {_badge(qa.overall_status.value)} "
        f'<span class="muted">iteration {qa.iteration}</span></h3>'
        "<table><tr><th>check</th><th>status</th><th class='num'>score</th>"
        f"<th class='num'>checked</th><th class='num'>findings</th></tr>{rows}</table>"
        f"{found}{advice}"
    )


def _diff(repo: RepoReport) -> str:
    note = diff_note(repo)
    if not repo.diff.text:
        if note:
            return f'<h3>Diff</h3><p class="note">{_e(note)}</p>'
        if repo.status is RepoStatus.NO_REFERENCES:
            return ""
        return '<h3>Diff</h3><p class="muted">No change was committed.</p>'
    lines = diff_lines(repo.diff.text)
    added, removed = diff_stat(repo.diff.text)
    spans = "".join(f'<span class="{kind}">{_e(line)}</span>' for kind, line in lines)
    opened = " open" if len(lines) <= OPEN_DIFF_LINES else ""
    cut = ", truncated" if repo.diff.truncated else ""
    shown = f'<p class="note">{_e(note)}</p>' if note else ""
    return (
        f"<details{opened}><summary>Diff: <span class='stat-add'>+{added}</span> "
        f"<span class='stat-del'>\u2212{removed}</span> "
        f'<span class="muted">({len(lines)} lines{cut})</span></summary>'
        f'<pre class="diff">{spans}</pre></details>{shown}'
    )


def _badge(status: str, label: str | None = None) -> str:
    text = label or status.replace("_", " ")
    return f'<span class="badge b-{_e(status)}">{_e(text)}</span>'


def _e(text: str) -> str:
    return escape(text, quote=True)
