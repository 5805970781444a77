"""``decom status`` and ``decom close`` on campaigns made by real runs.

Local repositories are real git repositories; GitHub is the fake on 127.0.0.1 with real bare
repositories behind it. The ledger rows come from ``graph.runner.execute``, never by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.campaign import (
    NO_TOKEN,
    ChecksState,
    CloseAction,
    PullState,
    ReviewState,
    campaign_status,
    close_repo,
    combine_checks,
    load_campaign,
)
from agent.cli.app import app
from agent.errors import InputError
from agent.forge.github_api import CheckRun, CombinedStatus, CommitStatus
from agent.models import DecommissioningSummary, RepoStatus
from agent.notify import FanoutNotifier
from agent.pipeline.request import RunRequest
from graph import runner
from tests.conftest import DECOM, MakeRepo, git
from tests.github_support import TOKEN, Rig, github_rig

DB = "payroll_ledger"
BRANCH = "decommission/payroll_ledger"
DOCS = {
    "docs/payroll-ledger.md": "# Payroll Ledger runbook\n\nRestore from snapshot.\n",
    "README.md": "# Billing\n\nNothing about databases here.\n",
}
CONFIG = {
    "config/app.env": "LOG_LEVEL=info\nPAYROLL_LEDGER_URL=postgres://h/payroll_ledger\n",
    "README.md": "# service\n",
}
PLAIN = {"index.html": "<h1>hi</h1>\n"}


def start_run(
    state: Path, repos: list[str], run_id: str, rig: Rig | None = None
) -> DecommissioningSummary:
    request = RunRequest(database=DB, repos=repos, state_dir=str(state))
    runner.save_request(request, run_id)
    return runner.execute(request, run_id, FanoutNotifier([]), github=rig.forge if rig else None)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """The Typer app in-process, in a folder without decom.toml, with no GitHub credentials."""
    for name in ("GITHUB_TOKEN", "GITHUB_API_URL", "DECOM_STATE_DIR", "DECOM_GITHUB_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return CliRunner()


def invoke(cli: CliRunner, *args: str, state: Path) -> tuple[int, str, str]:
    done = cli.invoke(app, [*args, "--state-dir", str(state)], catch_exceptions=False)
    return done.exit_code, done.stdout, done.stderr


# -- local forge ------------------------------------------------------------------------


def test_local_status_open_merged_closed_and_no_references(
    make_repo: MakeRepo, tmp_path: Path, cli: CliRunner
) -> None:
    billing = make_repo("billing", DOCS, git_init=True)
    infra = make_repo("infra", CONFIG, git_init=True)
    site = make_repo("site", PLAIN, git_init=True)
    state = tmp_path / "state"
    summary = start_run(state, [str(billing), str(infra), str(site)], "r1")
    assert [o.status for o in summary.repos] == [
        RepoStatus.CHANGED,
        RepoStatus.CHANGED,
        RepoStatus.NO_REFERENCES,
    ]

    first = campaign_status(load_campaign(state, DB), DB, None)
    assert [(r.name, r.run_status, r.pull, r.checks, r.review, r.note) for r in first.repos] == [
        ("billing", "changed", PullState.OPEN, ChecksState.NOT_APPLICABLE,
         ReviewState.NOT_APPLICABLE, None),
        ("infra", "changed", PullState.OPEN, ChecksState.NOT_APPLICABLE,
         ReviewState.NOT_APPLICABLE, None),
        ("site", "no_references", PullState.NONE, ChecksState.NOT_APPLICABLE,
         ReviewState.NOT_APPLICABLE, "no references"),
    ]  # fmt: skip
    assert first.repos[0].url == str(state / "prs/billing/decommission__payroll_ledger.json")

    git(infra, "merge", "-q", "--ff-only", BRANCH)  # someone merged the campaign branch
    code, out, err = invoke(cli, "status", DB, "--json", state=state)
    assert (code, err) == (0, "")
    shown = json.loads(out)
    assert shown["database"] == DB
    assert {r["name"]: r["pull"] for r in shown["repos"]} == {
        "billing": "open",
        "infra": "merged",
        "site": "none",
    }
    code, out, _ = invoke(cli, "close", DB, "--yes", state=state)
    assert code == 0, out
    assert "closed   billing: deleted branch decommission/payroll_ledger" in out
    assert "infra" not in out.split("pull request(s):")[1]  # merged: nothing to close
    assert git(billing, "branch", "--list", BRANCH) == ""
    assert git(infra, "branch", "--list", BRANCH).strip() == BRANCH
    record = json.loads((state / "prs/billing/decommission__payroll_ledger.json").read_text())
    assert record["state"] == "closed" and record["closed_at"]

    code, out, _ = invoke(cli, "status", DB, state=state)
    assert code == 0
    cells = [[c for c in line.split() if c != "│"] for line in out.splitlines()]
    rows = {row[0]: row for row in cells if row}
    assert rows["billing"][1:3] == ["changed", "closed"]
    assert rows["infra"][1:3] == ["changed", "merged"]
    assert rows["site"][1:3] == ["no_references", "none"]
    assert "no references" in out
    # Nothing open any more: close has nothing to do, and says so.
    code, out, _ = invoke(cli, "close", DB, "--yes", state=state)
    assert (code, out.strip()) == (
        0,
        f"nothing to close: no open pull request in the {DB} campaign",
    )


def test_a_branch_deleted_without_merge_reads_closed(make_repo: MakeRepo, tmp_path: Path) -> None:
    billing = make_repo("billing", DOCS, git_init=True)
    state = tmp_path / "state"
    start_run(state, [str(billing)], "r1")
    git(billing, "branch", "-D", BRANCH)
    (repo,) = campaign_status(load_campaign(state, DB), DB, None).repos
    assert repo.pull is PullState.CLOSED


def test_local_close_refuses_a_foreign_commit_and_a_checked_out_branch(
    make_repo: MakeRepo, tmp_path: Path, cli: CliRunner
) -> None:
    billing = make_repo("billing", DOCS, git_init=True)
    infra = make_repo("infra", CONFIG, git_init=True)
    state = tmp_path / "state"
    start_run(state, [str(billing), str(infra)], "r1")
    git(billing, "checkout", "-q", BRANCH)
    (billing / "notes.txt").write_text("mine\n")
    git(billing, "add", "notes.txt")
    git(billing, "commit", "-q", "-m", "a person's commit")
    git(billing, "checkout", "-q", "main")
    foreign_tip = git(billing, "rev-parse", BRANCH).strip()
    git(infra, "checkout", "-q", BRANCH)

    code, out, err = invoke(cli, "close", DB, "--yes", state=state)

    assert code == 1 and err == ""
    lines = [line for line in out.splitlines() if line.startswith("refused")]
    assert len(lines) == 2
    assert lines[0].startswith(f"refused  billing: {BRANCH} is at {foreign_tip[:12]}, not at ")
    assert "commits decom did not make; left alone" in lines[0]
    assert lines[1] == (f"refused  infra: {BRANCH} is checked out; switch to another branch first")
    assert git(billing, "rev-parse", BRANCH).strip() == foreign_tip
    assert git(infra, "branch", "--show-current").strip() == BRANCH
    record = json.loads((state / "prs/billing/decommission__payroll_ledger.json").read_text())
    assert record["state"] == "open"


def test_close_asks_first_and_refuses_to_guess_without_a_terminal(
    make_repo: MakeRepo, tmp_path: Path, cli: CliRunner
) -> None:
    billing = make_repo("billing", DOCS, git_init=True)
    state = tmp_path / "state"
    start_run(state, [str(billing)], "r1")

    code, out, err = invoke(cli, "close", DB, state=state)  # CliRunner's stdin is no TTY
    assert (code, out) == (2, "")
    assert err == "decom close: stdin is not a terminal, so decom cannot ask: pass --yes to close\n"

    declined, shown = close_in_terminal(state, "n\n", cwd=tmp_path / "cwd")
    assert declined == 0
    assert "will close 1 pull request(s):\n  billing  " in shown
    assert "Proceed? [y/N]: " in shown and shown.rstrip().endswith("nothing closed")
    assert git(billing, "branch", "--list", BRANCH).strip() == BRANCH

    accepted, shown = close_in_terminal(state, "y\n", cwd=tmp_path / "cwd")
    assert accepted == 0, shown
    assert f"closed   billing: deleted branch {BRANCH}" in shown
    assert git(billing, "branch", "--list", BRANCH) == ""


def close_in_terminal(state: Path, answer: str, *, cwd: Path) -> tuple[int, str]:
    """``decom close`` with a pseudo-terminal as stdin, typing ``answer``."""
    controller, terminal = os.openpty()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "DECOM_"))}
        process = subprocess.Popen(
            [DECOM, "close", DB, "--state-dir", str(state)],
            stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            cwd=cwd, env=env,
        )  # fmt: skip
        os.write(controller, answer.encode())
        out, _ = process.communicate(timeout=120)
    finally:
        os.close(terminal)
        os.close(controller)
    return process.returncode, out


def test_no_run_of_the_database_is_one_line_and_exit_2(tmp_path: Path, cli: CliRunner) -> None:
    state = tmp_path / "state"
    for command in ("status", "close"):
        code, out, err = invoke(cli, command, DB, state=state)
        assert (code, out) == (2, "")
        assert err == (f"decom {command}: no run of {DB} in {state}: start one with `decom run`\n")
    assert not state.exists()  # asking does not create a state directory
    with pytest.raises(InputError):
        load_campaign(state, DB)


def test_another_databases_runs_do_not_count(make_repo: MakeRepo, tmp_path: Path) -> None:
    billing = make_repo("billing", DOCS, git_init=True)
    state = tmp_path / "state"
    start_run(state, [str(billing)], "r1")
    with pytest.raises(InputError, match="no run of orders_db in .*ledger.sqlite"):
        load_campaign(state, "orders_db")


# -- GitHub -----------------------------------------------------------------------------

GH_FILES = {
    "config/app.env": "LOG_LEVEL=info\nPAYROLL_LEDGER_URL=postgres://h/payroll_ledger\n",
    "README.md": "# billing\n",
}


def test_github_status_reads_state_checks_and_reviews(tmp_path: Path) -> None:
    with github_rig(tmp_path) as rig:
        for name in ("billing", "infra", "ledger"):
            rig.fake.add_repo("acme", name, GH_FILES)
        rig.fake.add_repo("acme", "site", PLAIN)
        state = tmp_path / "state"
        targets = ["acme/billing", "acme/infra", "acme/ledger", "acme/site"]
        summary = start_run(state, targets, "gh1", rig)
        commits = {o.repo: o.commit for o in summary.repos}
        pulls = {p.repo: p for p in rig.fake.pulls}
        billing_sha = ("acme/billing", str(commits["billing"]))
        rig.fake.check_runs[billing_sha] = [("tests", "completed", "success"),
                                            ("lint", "in_progress", None)]  # fmt: skip
        rig.fake.statuses[billing_sha] = [("ci/legacy", "success")]
        pulls["acme/billing"].reviews = [("alice", "CHANGES_REQUESTED"), ("alice", "COMMENTED"),
                                         ("bob", "APPROVED"), ("alice", "APPROVED")]  # fmt: skip
        pulls["acme/infra"].state, pulls["acme/infra"].merged = "closed", True
        rig.fake.statuses["acme/ledger", str(commits["ledger"])] = [
            ("ci", "pending"),
            ("ci", "failure"),
        ]
        pulls["acme/ledger"].reviewers = ["carol"]
        status = campaign_status(load_campaign(state, DB), DB, rig.api)
        rig.api.update_pull(rig.ref("acme", "ledger"), pulls["acme/ledger"].number, state="closed")
        after = campaign_status(load_campaign(state, DB), DB, rig.api)

    assert {r.forge for r in status.repos} == {"github"}
    shown = {r.name: (r.pull, r.checks, r.review, r.note) for r in status.repos}
    assert shown == {
        "acme/billing": (PullState.DRAFT, ChecksState.PENDING, ReviewState.APPROVED, None),
        "acme/infra": (PullState.MERGED, ChecksState.NONE, ReviewState.NONE, None),
        "acme/ledger": (PullState.DRAFT, ChecksState.FAILURE, ReviewState.REVIEW_REQUIRED, None),
        "acme/site": (PullState.NONE, ChecksState.NONE, ReviewState.NONE, "no references"),
    }
    by_name = {r.name: r for r in status.repos}
    number = pulls["acme/billing"].number
    assert by_name["acme/billing"].url == f"https://github.com/acme/billing/pull/{number}"
    assert {r.name: r.pull for r in after.repos}["acme/ledger"] is PullState.CLOSED


def test_github_close_closes_deletes_and_refuses_a_branch_someone_pushed_to(
    tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    with github_rig(tmp_path) as rig:
        billing = rig.fake.add_repo("acme", "billing", GH_FILES)
        infra = rig.fake.add_repo("acme", "infra", GH_FILES)
        state = tmp_path / "state"
        start_run(state, ["acme/billing", "acme/infra"], "gh1", rig)
        foreign = push_foreign_commit(infra.bare, tmp_path / "person")
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("GITHUB_API_URL", rig.api.base_url)
        code, out, err = invoke(cli, "close", DB, "--yes", state=state)
        pulls = {p.repo: p for p in rig.fake.pulls}

    assert (code, err) == (1, "")
    number = pulls["acme/billing"].number
    assert f"closed   acme/billing: closed #{number}, deleted branch {BRANCH}" in out
    refused = next(line for line in out.splitlines() if line.startswith("refused"))
    assert refused.startswith(f"refused  acme/infra: acme/infra {BRANCH} is at {foreign[:12]}")
    assert "someone else pushed to it" in refused
    assert pulls["acme/billing"].state == "closed" and billing.branch_sha(BRANCH) is None
    assert pulls["acme/infra"].state == "open" and infra.branch_sha(BRANCH) == foreign
    (patch,) = rig.fake.calls("PATCH")
    assert patch.path == f"/repos/acme/billing/pulls/{number}" and patch.body == {"state": "closed"}
    assert [c.path for c in rig.fake.calls("DELETE")] == [
        f"/repos/acme/billing/git/refs/heads/{BRANCH}"
    ]


def test_github_without_a_token_is_reported_per_repository(
    tmp_path: Path, make_repo: MakeRepo, cli: CliRunner
) -> None:
    local = make_repo("local-billing", DOCS, git_init=True)
    with github_rig(tmp_path) as rig:
        rig.fake.add_repo("acme", "billing", GH_FILES)
        state = tmp_path / "state"
        start_run(state, ["acme/billing", str(local)], "gh1", rig)
        code, out, err = invoke(cli, "status", DB, "--json", state=state)
        closed, closing, _ = invoke(cli, "close", DB, "--yes", state=state)

    assert (code, err) == (0, "")
    shown = {r["repo"]: (r["pull"], r["note"]) for r in json.loads(out)["repos"]}
    assert shown == {"acme/billing": ("unknown", NO_TOKEN), str(local): ("open", None)}
    assert closed == 1
    assert f"failed   acme/billing: {NO_TOKEN}" in closing
    assert "closed   local-billing: deleted branch" in closing
    assert rig.fake.pulls[0].state == "open"


def push_foreign_commit(bare: Path, work: Path) -> str:
    """A person pushes a commit on top of decom's branch; the new tip."""
    git(bare.parent, "clone", "-q", "--branch", BRANCH, str(bare), str(work))
    (work / "notes.txt").write_text("mine\n")
    git(work, "add", "notes.txt")
    git(work, "commit", "-q", "-m", "a person's commit")
    git(work, "push", "-q", "origin", BRANCH)
    return git(work, "rev-parse", "HEAD").strip()


def test_a_closed_pull_request_is_skipped_not_reclosed(tmp_path: Path) -> None:
    with github_rig(tmp_path) as rig:
        rig.fake.add_repo("acme", "billing", GH_FILES)
        state = tmp_path / "state"
        start_run(state, ["acme/billing"], "gh1", rig)
        rig.fake.pulls[0].state = "closed"
        (entry,) = load_campaign(state, DB)
        result = close_repo(entry, DB, rig.api)

    assert (result.action, result.detail) == (CloseAction.SKIPPED, "#1 already closed")
    assert rig.fake.calls("PATCH") == [] and rig.fake.calls("DELETE") == []


# -- verdicts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "runs", "expected"),
    [
        ([], [], ChecksState.NONE),
        (["success"], [("completed", "success"), ("completed", "skipped")], ChecksState.SUCCESS),
        (["success"], [("queued", None)], ChecksState.PENDING),
        (["pending"], [("completed", "success")], ChecksState.PENDING),
        (["error"], [("in_progress", None)], ChecksState.FAILURE),
        ([], [("completed", "timed_out")], ChecksState.FAILURE),
        ([], [("completed", "neutral")], ChecksState.SUCCESS),
    ],
)
def test_checks_combine_statuses_and_check_runs(
    statuses: list[str], runs: list[tuple[str, str | None]], expected: ChecksState
) -> None:
    combined = CombinedStatus(
        state="pending" if not statuses else statuses[0],
        total_count=len(statuses),
        statuses=[CommitStatus(context=f"c{i}", state=s) for i, s in enumerate(statuses)],
    )
    check_runs = [CheckRun(name=f"r{i}", status=s, conclusion=c) for i, (s, c) in enumerate(runs)]
    assert combine_checks(combined, check_runs) is expected
