"""``report.md``: the run report as Markdown (readable raw, in a terminal or on a forge).

Repository content (paths, reasons, diffs) is untrusted: table cells lose ``|`` and line
breaks, ``<`` is written as an entity, and code fences are longer than any backtick run
inside them, so a hostile file name can neither break the layout nor inject HTML.
"""

from __future__ import annotations

import re

from agent.models import RepoStatus
from agent.refactor.base import ACTION_LABEL
from agent.report.model import RepoReport, RunReport
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


def render_markdown(report: RunReport) -> str:
    """The whole report as Markdown."""
    lines = [
        f"# decom run {_cell(report.run_id)}: retiring {_code(report.database)}",
        "",
        "| | |",
        "|---|---|",
        f"| run | {_code(report.run_id)} |",
        f"| database | {_code(report.database)} |",
        f"| mode | {'dry run (patches, no branches)' if report.dry_run else 'live'} |",
        f"| repositories | {status_counts(report)} |",
        f"| success rate | {report.success_rate:.0%} |",
        f"| wall time | {duration(report.seconds)} |",
        f"| model usage | {tokens_line(report.token_total)} |",
        f"| generated | {report.generated_at} |",
        "",
        *_overview(report),
        *_failures(report),
        *_timings(report),
        *_tokens(report),
    ]
    for index, repo in enumerate(report.repos):
        lines.extend(_repo(index, repo))
    return "\n".join(lines).rstrip() + "\n"


def _overview(report: RunReport) -> list[str]:
    lines = [
        "## Repositories",
        "",
        "| repository | status | changed | deleted | needs a person | QA | where | time |",
        "|---|---|---:|---:|---:|---|---|---:|",
    ]
    for index, repo in enumerate(report.repos):
        qa = f"{repo.qa.overall_status.value} (iteration {repo.qa.iteration})" if repo.qa else "-"
        lines.append(
            f"| [{_cell(repo.repo)}](#{anchor(index, repo.repo)}) | {status_label(repo.status)} "
            f"| {repo.files_changed} | {repo.files_deleted} | {len(repo.needs_human)} | {qa} "
            f"| {_code(where(repo))} | {duration(repo.seconds)} |"
        )
    if not report.repos:
        lines.append("| (none) | | | | | | | |")
    return [*lines, ""]


def _failures(report: RunReport) -> list[str]:
    lines: list[str] = []
    if report.failures:
        lines += ["## Failures by error", ""]
        for group in report.failures:
            names = ", ".join(_code(name) for name in group.repos)
            lines += [f"- **{len(group.repos)}** x {_code(group.error)}: {names}"]
        lines.append("")
    if report.not_started:
        lines += ["## Not started", "", "Left pending by --fail-fast (continue with --resume):", ""]
        lines += [f"- {_code(name)}" for name in report.not_started]
        lines.append("")
    return lines


def _timings(report: RunReport) -> list[str]:
    if not report.step_seconds:
        return []
    total = sum(report.step_seconds.values()) or 1.0
    lines = ["## Where the time went", "", "| step | time (all repositories) | share |"]
    lines.append("|---|---:|---:|")
    for step, seconds in report.step_seconds.items():
        lines.append(f"| {_cell(step)} | {duration(seconds)} | {seconds / total:.0%} |")
    slowest = sorted(report.repos, key=lambda r: -r.seconds)[:10]
    lines += ["", "Slowest repositories:", "", "| repository | time | slowest step |"]
    lines.append("|---|---:|---|")
    for repo in slowest:
        slow = max(repo.steps, key=lambda s: s.seconds, default=None)
        longest = f"{_cell(slow.step)} ({duration(slow.seconds)})" if slow else "-"
        lines.append(f"| {_cell(repo.repo)} | {duration(repo.seconds)} | {longest} |")
    return [*lines, ""]


def _tokens(report: RunReport) -> list[str]:
    rows = role_usage(report)
    if not rows:
        return []
    lines = ["## Model usage by role", "", f"| {' | '.join(ROLE_COLUMNS)} |"]
    lines.append("|---|---:|---:|---:|---:|")
    lines += [f"| {_cell(row[0])} | {' | '.join(row[1:])} |" for row in rows]
    return [*lines, ""]


def _repo(index: int, repo: RepoReport) -> list[str]:
    lines = [
        f'<a id="{anchor(index, repo.repo)}"></a>',
        "",
        f"## {_cell(repo.repo)}: {status_label(repo.status)}",
        "",
        f"- folder: {_code(repo.path)}",
    ]
    if repo.error:
        lines.append(f"- **error:** {_code(repo.error)}")
    if repo.branch:
        lines.append(f"- branch: {_code(repo.branch)}")
    if repo.commit:
        base = f" on base {_code(repo.base[:12])}" if repo.base else ""
        lines.append(f"- commit: {_code(repo.commit)}{base}")
    if repo.pr_record:
        label = "pull request" if repo.pr_record.startswith("https://") else "PR record"
        lines.append(f"- {label}: {_code(repo.pr_record)}")
    if repo.patch:
        lines.append(f"- patch: {_code(repo.patch)}")
    steps = ", ".join(f"{_cell(s.step)} {duration(s.seconds)}" for s in repo.steps)
    lines.append(f"- time: {duration(repo.seconds)}" + (f" ({steps})" if steps else ""))
    if repo.tokens is not None:
        lines.append(f"- model usage: {tokens_line(repo.tokens)}")
    lines.append("")
    if repo.files:
        lines += ["### Files", "", "| file | type | action | rule | refs | reason |"]
        lines.append("|---|---|---|---|---:|---|")
        for f in repo.files:
            action = ACTION_LABEL[f.action]
            if f.strategy:
                action += f" ({STRATEGY_LABEL.get(f.strategy, str(f.strategy))})"
            lines.append(
                f"| {_code(f.path)} | {_cell(f.source_type)} | {action} | {_cell(f.rule)} "
                f"| {f.references} | {_cell(f.reason)} |"
            )
        lines.append("")
    if repo.needs_human:
        lines += ["### Needs a person", ""]
        lines += [f"- [ ] {_cell(item)}" for item in repo.needs_human]
        lines.append("")
    lines += _qa(repo)
    lines += _diff(repo)
    return lines


def _qa(repo: RepoReport) -> list[str]:
    if repo.qa is None:
        return []
    qa = repo.qa
    lines = [
        f"### QA: {qa.overall_status.value} (iteration {qa.iteration})",
        "",
        "| check | status | score | checked | findings |",
        "|---|---|---:|---:|---:|",
    ]
    checks = qa_checks(qa)
    for check in checks:
        lines.append(
            f"| {_cell(check.name)} | {check.status.value} | {check.score:.2f} | {check.checked} "
            f"| {len(check.findings)} |"
        )
    lines.append("")
    findings = [f for check in checks for f in check.findings]
    if findings:
        lines += ["Findings:", ""]
        lines += [
            f"- {_cell(f.check)}: {_code(f'{f.path}:{f.line}')} {_cell(f.message)}"
            for f in findings
        ]
        lines.append("")
    if qa.recommendations:
        lines += ["Recommendations:", ""]
        lines += [f"- {_cell(item)}" for item in qa.recommendations]
        lines.append("")
    return lines


def _diff(repo: RepoReport) -> list[str]:
    note = diff_note(repo)
    if not repo.diff.text and note is None:
        if repo.status is RepoStatus.NO_REFERENCES:
            return []
        return ["### Diff", "", "No change was committed.", ""]
    lines = ["### Diff", ""]
    if note:
        lines += [f"> {_cell(note)}", ""]
    if repo.diff.text:
        fence = "`" * max(3, _longest_backticks(repo.diff.text) + 1)
        lines += [f"{fence}diff", repo.diff.text.rstrip("\n"), fence, ""]
    return lines


def _cell(text: str) -> str:
    """Plain text made safe for a table cell or a heading."""
    flat = " ".join(text.split())
    return flat.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def _code(text: str) -> str:
    """Inline code that survives any backticks inside."""
    flat = " ".join(text.split()).replace("|", "\\|")
    ticks = "`" * (_longest_backticks(flat) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


def _longest_backticks(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)
