"""Per-run reports: real runs on real git repositories, then report.md/.json/.html."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from agent.llm.ledger import TokenLedger, TokenUsage
from agent.models import DecommissioningSummary, RepoStatus
from agent.notify import Notification
from agent.pipeline.request import RunRequest
from agent.refactor.base import ACTION_LABEL
from agent.report import RunReport, write_reports
from agent.report.diffs import MAX_DIFF_BYTES, diff_lines
from tests.conftest import git, run_decom, write_tree

BILLING = {
    "docs/payroll-ledger.md": "# Payroll Ledger runbook\n\nRestore from snapshot.\n",
    "README.md": "# Billing\n\nUses the payroll_ledger database.\n",
    ".env": "PAYROLL_LEDGER_DATABASE_URL=postgres://ledger.internal/payroll\nOTHER=1\n",
    "db/migrations/001_init.sql": "CREATE TABLE payroll_ledger.entries (id int);\n",
}
HOSTILE_ENV = "config/<script>alert(1)<!--.env"
HOSTILE_DOC = "docs/<img src=x onerror=alert(1)>.md"
HOSTILE = {
    HOSTILE_ENV: "PAYROLL_LEDGER_DATABASE_URL=postgres://db <script>alert('x')</script>\nKEEP=1\n",
    HOSTILE_DOC: "# Ops\n\nThe Payroll Ledger database <b>lives</b> here.\n",
}
DEDICATED = {"docs/payroll-ledger.md": "# Payroll Ledger\n"}
QA_CHECKS = ("database_reference_check", "rule_compliance_check", "service_integrity_check")


class Recorder:
    """A notifier that keeps the events it was sent."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def notify(self, notification: Notification) -> None:
        self.events.append(notification.event)


@dataclass
class Run:
    """A finished run and its reports."""

    summary: DecommissioningSummary
    run_dir: Path
    paths: list[Path]

    @property
    def html(self) -> str:
        return (self.run_dir / "report.html").read_text(encoding="utf-8")

    @property
    def markdown(self) -> str:
        return (self.run_dir / "report.md").read_text(encoding="utf-8")

    @property
    def report(self) -> RunReport:
        return RunReport.model_validate_json((self.run_dir / "report.json").read_text())

    def repo(self, name: str) -> Path:
        return Path(next(o.path for o in self.summary.repos if o.repo == name))


def decommission(
    root: Path,
    repos: dict[str, dict[str, str | bytes]],
    *,
    checked_out: tuple[str, ...] = (),
    plain: tuple[str, ...] = (),
    dry_run: bool = False,
    fail_fast: bool = False,
) -> Run:
    """Create the repositories under ``root``, run decom on them, write the reports.

    ``checked_out`` repositories have the campaign branch checked out (decom refuses them);
    ``plain`` folders are not git repositories (decom writes a patch for them).
    """
    from graph import runner

    folders = []
    for name, files in repos.items():
        folder = root / name
        folder.mkdir(parents=True)
        write_tree(folder, files)
        if name not in plain:
            git(folder, "init", "-q", "-b", "main")
            git(folder, "add", "-A")
            git(folder, "commit", "-q", "-m", "initial")
        if name in checked_out:
            git(folder, "checkout", "-q", "-b", "decommission/payroll_ledger")
        folders.append(str(folder))
    request = RunRequest(
        database="payroll_ledger",
        repos=folders,
        state_dir=str(root / "state"),
        dry_run=dry_run,
    )
    runner.save_request(request, "run1")
    summary = runner.execute(
        request, "run1", Recorder(), fail_fast=fail_fast, max_concurrency=1 if fail_fast else 4
    )
    run_dir = request.run_dir("run1")
    return Run(summary, run_dir, write_reports(summary, run_dir))


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One live run: changed, hostile, untouched, and two refused repositories."""
    return decommission(
        tmp_path_factory.mktemp("live"),
        {
            "billing": BILLING,
            "hostile": HOSTILE,
            "site": {"index.html": "<h1>hi</h1>\n"},
            "broken-a": DEDICATED,
            "broken-b": DEDICATED,
        },
        checked_out=("broken-a", "broken-b"),
    )


def test_the_three_reports_are_written_into_the_run_folder(live: Run) -> None:
    assert [p.name for p in live.paths] == ["report.html", "report.md", "report.json"]
    assert all(p.parent == live.run_dir and p.stat().st_size > 0 for p in live.paths)
    assert not list(live.run_dir.glob(".*.partial"))


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_every_repository_file_action_and_reason_is_reported(live: Run, fmt: str) -> None:
    text = live.markdown if fmt == "markdown" else html.unescape(live.html)
    rows = text.splitlines() if fmt == "markdown" else text.split("<tr>")
    for outcome in live.summary.repos:
        assert outcome.repo in text
        for f in outcome.files:
            [row] = [
                r for r in rows if r.startswith(f"| `{f.path}`") or f">{f.path}</code></td>" in r
            ]
            assert ACTION_LABEL[f.action] in row and f.reason in row and f.rule in row
    actions = {f.action for o in live.summary.repos for f in o.files}
    assert {a.value for a in actions} >= {"delete_file", "comment_out", "doc_note", "needs_human"}


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_diffs_qa_needs_human_and_pr_links_are_reported(live: Run, fmt: str) -> None:
    text = live.markdown if fmt == "markdown" else html.unescape(live.html)
    billing = next(o for o in live.summary.repos if o.repo == "billing")
    assert billing.commit and billing.pr_record and billing.branch
    assert "-PAYROLL_LEDGER_DATABASE_URL=postgres://ledger.internal/payroll" in text
    assert "+# decom: payroll_ledger retired: PAYROLL_LEDGER_DATABASE_URL=" in text
    assert "-# Payroll Ledger runbook" in text
    for check in QA_CHECKS:
        assert check in text
    assert billing.needs_human and all(item in text for item in billing.needs_human)
    assert billing.commit in text and billing.pr_record in text and billing.branch in text
    for qa_text in billing.qa.recommendations if billing.qa else []:
        assert qa_text in text


def test_diff_lines_are_coloured_with_css_classes(live: Run) -> None:
    page = live.html
    assert '<span class="del">-PAYROLL_LEDGER_DATABASE_URL=postgres://ledger.internal/payroll' in (
        page
    )
    assert '<span class="add">+# decom: payroll_ledger retired:' in page
    assert re.search(r'<span class="hunk">@@ -\d', page)
    assert '<span class="meta">--- a/.env</span>' in page
    assert "style=" not in page


def test_a_removed_sql_comment_is_a_removal_not_a_file_header() -> None:
    text = (
        "diff --git a/grants.sql b/grants.sql\n--- a/grants.sql\n+++ b/grants.sql\n"
        "@@ -1,2 +1 @@\n--- payroll_ledger grants\n SELECT 1;\n\\ No newline at end of file\n"
    )
    kinds = [kind for kind, _ in diff_lines(text)]
    assert kinds == ["meta", "meta", "meta", "hunk", "del", "ctx", "meta"]


def test_html_is_self_contained(live: Run) -> None:
    page = live.html
    for asset in ("<link", "<script", "url(", "@import", "<iframe", "<img"):
        assert asset not in page.lower()
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page)
    assert "http://" not in page and "https://" not in page
    assert "<svg" in page and "<style>" in page
    assert "Content-Security-Policy" in page


def test_hostile_names_and_content_are_escaped(live: Run) -> None:
    page = live.html
    assert html.escape(HOSTILE_ENV) in page
    assert html.escape(HOSTILE_DOC) in page
    assert html.escape("<script>alert('x')</script>") in page
    assert "<b>lives</b>" not in page
    markdown = live.markdown
    assert f"`{HOSTILE_ENV}`" in markdown
    table_rows = [line for line in markdown.splitlines() if line.startswith("| `config/")]
    assert table_rows and all(line.count(" | ") == 5 for line in table_rows)


def test_report_json_round_trips_into_the_model(live: Run) -> None:
    raw = json.loads((live.run_dir / "report.json").read_text())
    assert set(raw) == set(RunReport.model_fields)
    report = live.report
    assert report.model_dump(mode="json") == raw
    assert report.run_id == "run1" and report.database == "payroll_ledger"
    assert report.dry_run is False
    assert report.counts == live.summary.counts()
    assert report.success_rate == pytest.approx(live.summary.success_rate)
    assert {r.repo for r in report.repos} == {o.repo for o in live.summary.repos}
    billing = next(r for r in report.repos if r.repo == "billing")
    assert billing.diff.source == "git" and not billing.diff.truncated
    assert "-PAYROLL_LEDGER_DATABASE_URL" in billing.diff.text
    assert billing.tokens is None and report.tokens == {} and report.token_total is None


def test_failed_repositories_are_grouped_by_error(live: Run) -> None:
    report = live.report
    assert report.counts["failed"] == 2
    [group] = report.failures
    assert sorted(group.repos) == ["broken-a", "broken-b"]
    assert group.error.startswith("<repo>: decommission/payroll_ledger is checked out")
    page = live.html
    failures = page[page.index('id="failures"') : page.index('id="repositories"')]
    assert html.escape(group.error) in failures
    assert "broken-a" in failures and "broken-b" in failures
    assert "## Failures by error" in live.markdown


def test_counts_success_rate_and_timings(live: Run) -> None:
    report = live.report
    assert {s: n for s, n in report.counts.items() if n} == {
        "changed": 2,
        "no_references": 1,
        "failed": 2,
    }
    assert report.success_rate == pytest.approx(3 / 5)
    assert "5 repositories: 2 changed, 1 no references, 2 failed" in live.markdown
    assert "60%" in live.markdown and "60%" in live.html
    assert list(report.step_seconds)[:4] == ["discover", "plan", "refactor", "qa_critic"]
    total = sum(s.seconds for o in live.summary.repos for s in o.steps)
    assert sum(report.step_seconds.values()) == pytest.approx(total)
    page = live.html
    chart = page[page.index('id="time"') :]
    for step in report.step_seconds:
        assert f"<title>{step}: " in chart
    for outcome in live.summary.repos:
        assert f"<title>{outcome.repo}</title>" in chart


def test_a_dry_run_reports_its_patches(tmp_path: Path) -> None:
    run = decommission(
        tmp_path, {"billing": BILLING, "plain": DEDICATED}, dry_run=True, plain=("plain",)
    )
    report = run.report
    assert report.dry_run
    for repo in report.repos:
        assert repo.patch and Path(repo.patch).is_file()
        assert repo.diff.source == "patch"
        assert "-# Payroll Ledger" in repo.diff.text
        assert repo.patch in run.markdown and html.escape(repo.patch) in run.html
    assert "dry run" in run.markdown and "dry run" in run.html
    assert git(run.repo("billing"), "branch", "--list", "decommission/*") == ""


def test_a_long_diff_is_cut_with_a_note(tmp_path: Path) -> None:
    dump = "".join(f"INSERT INTO payroll_ledger.entries VALUES ({i});\n" for i in range(9000))
    run = decommission(tmp_path, {"big": {"payroll-ledger-dump.sql": dump}})
    [repo] = run.report.repos
    assert repo.status is RepoStatus.CHANGED
    assert repo.diff.truncated and repo.diff.bytes > MAX_DIFF_BYTES
    assert len(repo.diff.text.encode()) <= MAX_DIFF_BYTES
    assert repo.diff.text.endswith("\n")
    for text in (run.markdown, html.unescape(run.html)):
        assert "diff truncated: showing" in text
        assert f"of {repo.diff.bytes:,} bytes" in text
    assert len(run.html.encode()) < 2 * MAX_DIFF_BYTES + 100_000


def test_a_diff_that_cannot_be_read_is_reported_not_raised(live: Run, tmp_path: Path) -> None:
    billing = next(o for o in live.summary.repos if o.repo == "billing")
    gone = billing.model_copy(update={"repo": "gone", "commit": "0" * 40})
    not_git = billing.model_copy(update={"repo": "not-git", "path": str(tmp_path)})
    lost_patch = billing.model_copy(
        update={"repo": "lost", "commit": None, "patch": str(tmp_path / "missing.patch")}
    )
    summary = live.summary.model_copy(update={"repos": [gone, not_git, lost_patch]})
    write_reports(summary, tmp_path / "run")
    report = RunReport.model_validate_json((tmp_path / "run" / "report.json").read_text())
    reasons = {r.repo: r.diff.unavailable or "" for r in report.repos}
    assert all(reason.startswith("diff unavailable: ") for reason in reasons.values())
    assert "not a git repository" in reasons["not-git"]
    assert "missing.patch" in reasons["lost"]
    page = (tmp_path / "run" / "report.html").read_text()
    assert "diff unavailable: " in page
    assert "diff unavailable: " in (tmp_path / "run" / "report.md").read_text()


def test_a_fail_fast_stop_lists_the_repositories_not_started(tmp_path: Path) -> None:
    run = decommission(
        tmp_path,
        {"a-broken": DEDICATED, "b-later": DEDICATED, "c-later": DEDICATED},
        checked_out=("a-broken",),
        fail_fast=True,
    )
    report = run.report
    assert [Path(p).name for p in report.not_started] == ["b-later", "c-later"]
    assert "## Not started" in run.markdown and 'id="not-started"' in run.html
    for name in report.not_started:
        assert name in run.markdown and html.escape(name) in run.html


def test_token_usage_and_cost_are_reported(live: Run, tmp_path: Path) -> None:
    ledger = TokenLedger()
    ledger.record("billing", "writer", TokenUsage(1200, 300, 2, 0.00036, 0))
    ledger.record("billing", "critic", TokenUsage(800, 100, 1, 0.0, 1))
    summary = live.summary.model_copy(update={"tokens": ledger.to_json()})
    write_reports(summary, tmp_path)
    report = RunReport.model_validate_json((tmp_path / "report.json").read_text())
    assert report.tokens == ledger.to_json()
    total = report.token_total
    assert total is not None and total.total_tokens == 2400 and total.calls == 3
    billing = next(r for r in report.repos if r.repo == "billing")
    assert billing.tokens is not None and billing.tokens.total_tokens == 2400
    site = next(r for r in report.repos if r.repo == "site")
    assert site.tokens is not None and site.tokens.total_tokens == 0
    for text in ((tmp_path / "report.md").read_text(), (tmp_path / "report.html").read_text()):
        assert "2,400 tokens (2,000 in, 400 out) in 3 calls, $0.0004 + 1 unpriced calls" in text
        assert "writer" in text and "critic" in text


def test_decom_run_writes_the_reports_and_says_where(tmp_path: Path) -> None:
    repo = tmp_path / "billing"
    repo.mkdir()
    write_tree(repo, BILLING)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    state = tmp_path / "state"
    done = run_decom("run", "payroll_ledger", str(repo), "--state-dir", str(state))
    assert done.returncode == 0, done.stderr
    [run_dir] = (state / "runs").iterdir()
    assert f"decom: reports: {run_dir / 'report.html'} (.md, .json)" in done.stderr
    for name in ("report.html", "report.md", "report.json"):
        assert (run_dir / name).is_file()
    assert RunReport.model_validate_json((run_dir / "report.json").read_text()).repos
    # A report that cannot be written is a warning: the finished run still succeeds.
    (run_dir / ".report.html.partial").mkdir()
    again = run_decom("run", "payroll_ledger", "--resume", run_dir.name, "--state-dir", str(state))
    assert again.returncode == 0, again.stderr
    assert "decom: warning: reports not written:" in again.stderr


def test_a_campaign_report_caps_its_total_diff_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import agent.report.model as model
    from agent.report.model import build_report

    done = decommission(tmp_path, {f"svc{i}": BILLING for i in range(3)})
    one = len(build_report(done.summary).repos[0].diff.text.encode())
    assert one > 0
    monkeypatch.setattr(model, "MAX_TOTAL_DIFF_BYTES", one + one // 2)
    capped = build_report(done.summary).repos
    assert [r.diff.truncated for r in capped] == [False, True, True]
    assert capped[2].diff.text == ""
