"""Human in the loop: the per-repository graph pauses after planning and resumes on a decision.

Real git repositories, the real SQLite checkpointer; a "new kernel" is a new checkpointer
connection and a new runner on the same state directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from agent.errors import InputError
from agent.models import RepoStatus
from agent.notify import FanoutNotifier
from agent.pipeline.approval import ApprovalDecision, apply_decision, parse_decision
from agent.pipeline.models import Plan, PlannedFile
from agent.pipeline.request import RunRequest
from agent.refactor.base import Action
from graph import runner
from graph.context import Context
from tests.conftest import MakeRepo, git

REPO = {
    "config/app.env": "LOG_LEVEL=info\nPAYROLL_LEDGER_URL=postgres://h/payroll_ledger\n",
    "runbooks/payroll-ledger.md": "# Payroll Ledger\n\nRestore from the nightly snapshot.\n",
    "README.md": "# svc\n",
}


@contextmanager
def fresh_runner(state: Path, request: RunRequest, run_id: str) -> Iterator[runner.RepoRunner]:
    """A runner on its own checkpointer connection (as a new process would have)."""
    with runner.checkpointer(state) as saver:
        yield runner.RepoRunner(request, run_id, Context(notifier=FanoutNotifier([])), saver)


def test_pause_then_approve_without_a_file_from_a_new_process_state(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo("svc", REPO, git_init=True)
    state = tmp_path / "state"
    request = RunRequest(
        database="payroll_ledger", repos=[str(repo)], state_dir=str(state), require_approval=True
    )
    with fresh_runner(state, request, "r1") as first:
        paused = first.advance(str(repo))
    assert isinstance(paused, runner.Paused)
    files = {f["path"]: f["action"] for f in paused.question["files"]}
    assert files == {"config/app.env": "comment_out", "runbooks/payroll-ledger.md": "delete_file"}
    assert git(repo, "branch", "--list", "decommission/*").strip() == ""  # nothing written yet

    with fresh_runner(state, request, "r1") as again:  # "a new kernel"
        assert again.pending_question(str(repo)) == paused.question
        done = again.advance(str(repo), resume={"action": "approve", "exclude": ["runbooks/*"]})
    assert not isinstance(done, runner.Paused)
    assert done.status is RepoStatus.CHANGED
    changed = git(repo, "diff", "--name-only", "main", "decommission/payroll_ledger").split()
    assert changed == ["config/app.env"]
    assert any("excluded by the reviewer" in item for item in done.needs_human)


def test_abort_writes_nothing(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo("svc", REPO, git_init=True)
    state = tmp_path / "state"
    request = RunRequest(
        database="payroll_ledger", repos=[str(repo)], state_dir=str(state), require_approval=True
    )
    with fresh_runner(state, request, "r2") as run:
        assert isinstance(run.advance(str(repo)), runner.Paused)
        done = run.advance(str(repo), resume={"action": "abort", "reason": "DBA says not yet"})
        assert not isinstance(done, runner.Paused)
        assert done.status is RepoStatus.ABORTED and done.error == "DBA says not yet"
        assert run.advance(str(repo)) == done  # the thread ended: the outcome stands
    assert git(repo, "branch", "--list", "decommission/*").strip() == ""


def test_without_approval_the_graph_never_pauses(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo("svc", REPO, git_init=True)
    state = tmp_path / "state"
    request = RunRequest(database="payroll_ledger", repos=[str(repo)], state_dir=str(state))
    with fresh_runner(state, request, "r3") as run:
        done = run.advance(str(repo))
    assert not isinstance(done, runner.Paused) and done.status is RepoStatus.CHANGED


def planned(path: str, *, removed: list[str] | None = None, cascade: bool = False) -> PlannedFile:
    return PlannedFile(
        path=path, source_type="terraform", action=Action.STRUCTURAL_EDIT, rule="r", reason="x",
        removed_symbols=removed or [], new_text="", cascade=cascade,
    )  # fmt: skip


def test_excluding_a_definition_keeps_the_files_only_planned_because_of_it() -> None:
    plan = Plan(
        files=[
            planned("infra/db.tf", removed=["aws_db_instance.payroll_ledger"]),
            planned("infra/outputs.tf", cascade=True),
            planned("config/app.env"),
        ]
    )
    narrowed = apply_decision(plan, ApprovalDecision(exclude=["infra/db.tf"])).by_path()
    assert narrowed["infra/db.tf"].action is Action.NEEDS_HUMAN
    assert narrowed["infra/outputs.tf"].action is Action.NEEDS_HUMAN
    assert "excluded" in narrowed["infra/outputs.tf"].reason
    assert narrowed["config/app.env"].action is Action.STRUCTURAL_EDIT


@pytest.mark.parametrize("value", [42, {"action": "maybe"}, {"exclude": "x", "extra": 1}])
def test_garbage_decisions_are_refused_with_one_line(value: object) -> None:
    with pytest.raises(InputError, match="not an approval decision"):
        parse_decision(value)


def test_a_typo_in_an_exclude_pattern_is_refused() -> None:
    plan = Plan(files=[planned("infra/db.tf")])
    with pytest.raises(InputError, match="match no planned file: infar/"):
        apply_decision(plan, ApprovalDecision(exclude=["infar/*"]))


def test_files_that_remove_what_a_kept_file_uses_are_kept_too() -> None:
    texts = {
        "rds.tf": 'resource "aws_db_instance" "x" {\n  instance_class = var.ledger_class\n'
        "  db_subnet_group_name = aws_db_subnet_group.ledger.name\n}\n",
        "network.tf": 'resource "aws_db_subnet_group" "ledger" {\n  subnet_ids = local.ids\n}\n',
        "variables.tf": 'variable "ledger_class" {}\n',
        "locals.tf": "locals {\n  ids = []\n}\n",
        "outputs.tf": 'output "other" {\n  value = 1\n}\n',
    }
    plan = Plan(
        files=[
            planned("rds.tf", removed=["aws_db_instance.x"]),
            planned("network.tf", removed=["aws_db_subnet_group.ledger"]),
            planned("variables.tf", removed=["var.ledger_class"]),
            planned("locals.tf", removed=["local.ids"]),  # used by network.tf, kept in turn
            planned("outputs.tf", removed=["var.ledger_class_extra"]),  # a longer name: no use
        ]
    )
    narrowed = apply_decision(plan, ApprovalDecision(exclude=["rds.tf"]), texts.get).by_path()
    kept = {p for p, f in narrowed.items() if f.action is Action.NEEDS_HUMAN}
    assert kept == {"rds.tf", "network.tf", "variables.tf", "locals.tf"}
    assert narrowed["locals.tf"].reason == "kept: network.tf, which stays, still uses local.ids"
    assert narrowed["outputs.tf"].action is Action.STRUCTURAL_EDIT


def test_decom_run_refuses_to_continue_a_run_that_waits_for_approval(tmp_path: Path) -> None:
    request = RunRequest(
        database="payroll_ledger", repos=[], state_dir=str(tmp_path), require_approval=True
    )
    with pytest.raises(InputError, match=r"Session.attach\('nb1'\)"):
        runner.execute(request, "nb1", FanoutNotifier([]))
