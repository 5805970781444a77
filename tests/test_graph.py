"""The LangGraph wiring: real graph, in-memory checkpointer, real git repositories."""

from __future__ import annotations

from pathlib import Path

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agent.models import CheckStatus, QualityAssuranceResult, RepoStatus, ValidationResult
from agent.notify import Notification
from agent.pipeline.request import RunRequest
from graph.builder import build_graph
from graph.context import Context
from graph.routing import route_after_qa
from graph.runner import serializer
from graph.state import RepoState, RunInput
from tests.conftest import MakeRepo, git

LEDGER_REPO = {
    "docs/payroll-ledger.md": "# Payroll Ledger runbook\n\nRestore from snapshot.\n",
    "README.md": "# Billing\n\nNothing about databases here.\n",
}


class Recorder:
    """A notifier that records, and can simulate the process dying at a given repository."""

    def __init__(self, die_on: str | None = None) -> None:
        self.seen: list[str] = []
        self.die_on = die_on

    def notify(self, notification: Notification) -> None:
        repo = str(notification.data.get("repo", ""))
        if self.die_on is not None and repo == self.die_on:
            self.die_on = None
            raise KeyboardInterrupt("simulated kill")
        self.seen.append(f"{notification.event}:{repo}")


def request(tmp_path: Path, repos: list[Path], **extra: object) -> RunRequest:
    return RunRequest(
        database="payroll_ledger",
        repos=[str(r) for r in repos],
        state_dir=str(tmp_path / "state"),
        **extra,  # type: ignore[arg-type]
    )


def test_graph_runs_every_repository_and_summarizes(make_repo: MakeRepo, tmp_path: Path) -> None:
    ledger = make_repo("billing", LEDGER_REPO, git_init=True)
    clean = make_repo("site", {"index.html": "<h1>hi</h1>\n"}, git_init=True)
    graph = build_graph().compile(checkpointer=InMemorySaver(serde=serializer()))
    recorder = Recorder()
    result = graph.invoke(
        RunInput(run_id="r1", request=request(tmp_path, [ledger, clean])),
        {"configurable": {"thread_id": "r1"}},
        context=Context(notifier=recorder),
    )
    summary = result["summary"]
    by_repo = {o.repo: o for o in summary.repos}
    assert by_repo["billing"].status is RepoStatus.CHANGED
    assert by_repo["billing"].branch == "decommission/payroll_ledger"
    assert by_repo["site"].status is RepoStatus.NO_REFERENCES
    assert git(clean, "branch", "--list", "decommission/*") == ""
    assert sorted(recorder.seen) == ["repo_done:billing", "repo_done:site", "run_done:"]
    assert summary.success_rate == 1.0
    steps = [s.step for s in by_repo["billing"].steps]
    assert steps[:4] == ["discover", "plan", "refactor", "qa_critic"]


def test_a_failing_repository_does_not_stop_the_others(make_repo: MakeRepo, tmp_path: Path) -> None:
    ledger = make_repo("billing", LEDGER_REPO, git_init=True)
    broken = make_repo("broken", LEDGER_REPO, git_init=True)
    git(broken, "checkout", "-q", "-b", "decommission/payroll_ledger")  # refused: checked out
    git(broken, "commit", "-q", "--allow-empty", "-m", "work in progress")  # HEAD is not the base
    graph = build_graph().compile(checkpointer=InMemorySaver(serde=serializer()))
    result = graph.invoke(
        RunInput(run_id="r2", request=request(tmp_path, [ledger, broken], base="main")),
        {"configurable": {"thread_id": "r2"}},
        context=Context(notifier=Recorder()),
    )
    by_repo = {o.repo: o for o in result["summary"].repos}
    assert by_repo["billing"].status is RepoStatus.CHANGED
    assert by_repo["broken"].status is RepoStatus.FAILED
    assert "checked out" in (by_repo["broken"].error or "")
    # Its HEAD is not the base, so it was read from a snapshot: removed although it failed.
    snapshots = tmp_path / "state" / "runs" / "r2" / "snapshots"
    assert snapshots.is_dir() and not (snapshots / "broken").exists()


def test_resume_after_an_interruption_finishes_without_redoing(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    first = make_repo("alpha", LEDGER_REPO, git_init=True)
    second = make_repo("beta", LEDGER_REPO, git_init=True)
    saver = InMemorySaver(serde=serializer())
    graph = build_graph().compile(checkpointer=saver)
    config = {"configurable": {"thread_id": "r3"}, "max_concurrency": 1}
    dying = Recorder(die_on="beta")
    with pytest.raises(KeyboardInterrupt):
        graph.invoke(
            RunInput(run_id="r3", request=request(tmp_path, [first, second])),
            config,  # type: ignore[arg-type]
            context=Context(notifier=dying),
        )
    alpha_tip = git(first, "rev-parse", "decommission/payroll_ledger")
    resumed = Recorder()
    result = graph.invoke(None, config, context=Context(notifier=resumed))  # type: ignore[arg-type]
    assert "repo_done:alpha" not in resumed.seen
    assert "repo_done:beta" in resumed.seen
    assert {o.repo for o in result["summary"].repos} == {"alpha", "beta"}
    assert git(first, "rev-parse", "decommission/payroll_ledger") == alpha_tip
    for repo in (first, second):
        assert (
            len(git(repo, "log", "--format=%H", "main..decommission/payroll_ledger").split()) == 1
        )


def _qa(status: CheckStatus, iteration: int) -> QualityAssuranceResult:
    check = ValidationResult(name="x", status=status, score=1.0, checked=1)
    return QualityAssuranceResult(
        database_reference_check=check,
        rule_compliance_check=check,
        service_integrity_check=check,
        overall_status=status,
        iteration=iteration,
    )


@pytest.mark.parametrize(
    ("status", "iteration", "expected"),
    [
        (CheckStatus.PASSED, 1, "open_pr"),
        (CheckStatus.FAILED, 1, "refactor"),
        (CheckStatus.FAILED, 3, "refactor"),
        (CheckStatus.FAILED, 4, "open_pr"),
    ],
)
def test_critic_loop_is_bounded(
    tmp_path: Path, status: CheckStatus, iteration: int, expected: str
) -> None:
    state = RepoState(
        run_id="r", request=request(tmp_path, []), repo="x", qa=_qa(status, iteration)
    )
    assert route_after_qa(state) == expected


def test_resume_with_the_sqlite_checkpointer(make_repo: MakeRepo, tmp_path: Path) -> None:
    from graph import runner

    first = make_repo("alpha", LEDGER_REPO, git_init=True)
    second = make_repo("beta", LEDGER_REPO, git_init=True)
    req = request(tmp_path, [first, second])
    runner.save_request(req, "r4")
    with pytest.raises(KeyboardInterrupt):
        runner.execute(req, "r4", Recorder(die_on="beta"), max_concurrency=1)
    loaded = runner.load_request(Path(req.state_dir), "r4")
    resumed = Recorder()
    summary = runner.execute(loaded, "r4", resumed, resume=True, max_concurrency=1)
    assert {o.repo for o in summary.repos} == {"alpha", "beta"}
    assert "repo_done:alpha" not in resumed.seen
    again = Recorder()
    finished = runner.execute(loaded, "r4", again, resume=True)
    assert finished.run_id == "r4" and again.seen == []
