"""The notebook's door to the graph: the per-repository runner on the run's checkpoints.

``agent/notebook`` is an entry point (like ``agent/cli``), so it may start the graph; it
imports ``graph`` only inside functions, so ``import agent.notebook`` stays light.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.models import RepoOutcome, RepoStatus
from agent.pipeline.models import Changeset, Plan, RepoContext
from agent.pipeline.request import RunRequest

if TYPE_CHECKING:
    from agent.batch.ledger import Ledger
    from agent.llm.session import LlmSession
    from agent.settings import Settings
    from graph.runner import RepoRunner

#: Called with (repository, step) after every graph step.
OnStep = Callable[[str, str], None]


@dataclass(frozen=True)
class RepoSnapshot:
    """What a repository's checkpoint thread holds right now."""

    #: The repository target (its absolute folder; the thread is ``<run id>:<target>``).
    target: str
    #: Whether the graph ever ran for it in this run.
    started: bool
    #: The approval question while it is paused (``ApprovalRequest`` as JSON).
    question: dict[str, Any] | None = None
    ctx: RepoContext | None = None
    plan: Plan | None = None
    #: The changeset the critic last saw (what was committed, once done).
    changes: Changeset | None = None
    #: Its outcome once the graph ended.
    outcome: RepoOutcome | None = None

    @property
    def paused(self) -> bool:
        """Waiting for a person's decision."""
        return self.outcome is None and self.question is not None


class Engine:
    """Opens the run's checkpointer and a per-repository runner for one operation."""

    def __init__(
        self,
        request: RunRequest,
        run_id: str,
        settings: Settings | None = None,
        llm: LlmSession | None = None,
    ) -> None:
        self.request = request
        self.run_id = run_id
        self.settings = settings
        self.llm = llm

    @property
    def run_dir(self) -> Path:
        """The run's folder of artefacts."""
        return self.request.run_dir(self.run_id)

    @contextmanager
    def runner(self) -> Iterator[RepoRunner]:
        """A runner on its own checkpointer connection, closed when the block ends."""
        from agent import logs
        from agent.notify import FanoutNotifier, JsonlNotifier
        from graph.context import Context
        from graph.runner import RepoRunner, checkpointer

        logs.configure(self.run_dir / "decom.log.jsonl")
        notifier = FanoutNotifier([JsonlNotifier(self.run_dir / "notifications.jsonl")])
        context = Context(notifier=notifier, llm=self.llm, settings=self.settings)
        with checkpointer(Path(self.request.state_dir)) as saver:
            yield RepoRunner(self.request, self.run_id, context, saver)

    @contextmanager
    def operation(self, *, register: bool = False) -> Iterator[Operation]:
        """Hold the run (one writer at a time, across processes) with its ledger and runner.

        Args:
            register: save the request beside the run (``Session.attach`` reads it) and
                record the run in the ledger (``decom runs`` lists it).

        Raises:
            InputError: another process (another kernel) is working on the run.
        """
        from agent.batch.ledger import open_ledger
        from graph.runner import run_lock, save_request

        secret = self.settings.database_url if self.settings else None
        url = secret.get_secret_value() if secret else None
        with (
            run_lock(self.run_dir),
            open_ledger(Path(self.request.state_dir), url) as ledger,
            self.runner() as runner,
        ):
            if register:
                save_request(self.request, self.run_id)
                ledger.create_run(
                    self.run_id, self.request.database, self.request.model_dump_json(),
                    self.request.repos, "notebook",
                )  # fmt: skip
            yield Operation(runner, ledger, self.run_id)


@dataclass(frozen=True)
class Operation:
    """The run held by this process: repositories move on and the ledger records them."""

    runner: RepoRunner
    ledger: Ledger
    run_id: str

    def snapshots(self, targets: Iterable[str]) -> dict[str, RepoSnapshot]:
        """What each target's thread holds."""
        return {t: snapshot(self.runner, t) for t in targets}

    def advance(
        self, target: str, on_step: OnStep | None, resume: Any = None
    ) -> RepoOutcome | dict[str, Any]:
        """Run ``target`` on: its outcome (recorded in the ledger) or its question (a pause)."""
        from agent.batch.driver import DEFAULT_LEASE_SECONDS, worker_id

        claimed = self.ledger.claim(
            self.run_id, target, worker_id(), lease_seconds=DEFAULT_LEASE_SECONDS,
            statuses=("pending", "failed"), steal_running=True,
        )  # fmt: skip
        try:
            result = advance(self.runner, target, on_step, resume)
        except Exception as exc:  # noqa: BLE001 - one repository's bug must not stop the others
            result = RepoOutcome(
                repo=Path(target).name, path=target, status=RepoStatus.FAILED,
                error=f"{type(exc).__name__}: {exc}",
            )  # fmt: skip
        if claimed and isinstance(result, RepoOutcome):
            self.ledger.finish(self.run_id, target, result)
        elif claimed:
            self.ledger.release(self.run_id, target)  # paused: pending until a decision
        return result

    def settle(self, targets: Iterable[str]) -> None:
        """The run's ledger status: ``done`` once every repository ended, else ``paused``."""
        done = all(s.outcome is not None for s in self.snapshots(targets).values())
        self.ledger.set_run_status(self.run_id, "done" if done else "paused")


def snapshot(runner: RepoRunner, target: str) -> RepoSnapshot:
    """What ``target``'s thread holds (an empty snapshot when it never ran)."""
    state = runner.graph.get_state(runner.thread(target))
    values: dict[str, Any] = dict(state.values or {})
    if not values:
        return RepoSnapshot(target=target, started=False)
    outcomes = values.get("outcomes") or []
    outcome = outcomes[-1] if outcomes and not state.next else None
    return RepoSnapshot(
        target=target,
        started=True,
        question=runner.pending_question(target) if state.next else None,
        ctx=_typed(values.get("ctx"), RepoContext),
        plan=_typed(values.get("plan"), Plan),
        changes=_typed(values.get("changes"), Changeset),
        outcome=_typed(outcome, RepoOutcome),
    )


def advance(
    runner: RepoRunner, target: str, on_step: OnStep | None, resume: Any = None
) -> RepoOutcome | dict[str, Any]:
    """Run ``target`` until it ends (its outcome) or pauses (the question)."""
    from graph.runner import Paused

    result = runner.advance(target, on_step, resume=resume)
    if isinstance(result, Paused):
        return result.question
    return result


def _typed(value: Any, kind: type[Any]) -> Any:
    return value if isinstance(value, kind) else None
