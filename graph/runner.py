"""Run a decommission: start a run, resume one, rerun its failures.

Every repository goes through the per-repository graph on its own checkpoint thread and is
recorded in the ledger as it finishes.
"""

from __future__ import annotations

import fcntl
import functools
import gc
import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, StateSnapshot

from agent import logs
from agent.batch.driver import Bounds, Progress, run_batch, run_sync
from agent.batch.ledger import Ledger, open_ledger
from agent.errors import DecomError, InputError
from agent.models import DecommissioningSummary, RepoOutcome, RepoStatus
from agent.notify import Notifier, run_done
from agent.pipeline import steps
from agent.pipeline.request import RunRequest
from graph.builder import build_repo_graph
from graph.context import Context
from graph.serde import CheckpointSerializer
from graph.state import RepoOutput, RepoState

if TYPE_CHECKING:
    from agent.forge.github import GitHubForge
    from agent.llm.session import LlmSession
    from agent.settings import Settings


def serializer() -> CheckpointSerializer:
    """The checkpoint serializer (decom's own types through pydantic-core: ``graph.serde``)."""
    return CheckpointSerializer()


@contextmanager
def checkpointer(state_dir: Path) -> Iterator[SqliteSaver]:
    """A SQLite checkpointer under the state directory."""
    state_dir.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(state_dir / "checkpoints.sqlite", check_same_thread=False)
    # WAL with NORMAL sync survives a killed process (what --resume is for) without an fsync
    # per checkpoint, which otherwise costs more than the rest of a run.
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    try:
        yield SqliteSaver(conn, serde=serializer())
    finally:
        conn.close()


def new_run_id(database: str) -> str:
    """A sortable, readable run id."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    return f"{stamp}-{database[:40]}-{uuid.uuid4().hex[:6]}"


def save_request(request: RunRequest, run_id: str) -> Path:
    """Write the run's request next to its artefacts (so ``--resume`` can find it)."""
    folder = request.run_dir(run_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "run.json"
    path.write_text(request.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path


def load_request(state_dir: Path, run_id: str) -> RunRequest:
    """The request of an earlier run.

    Raises:
        InputError: there is no such run in ``state_dir``.
    """
    path = state_dir / "runs" / run_id / "run.json"
    if not path.is_file():
        raise InputError(
            f"no run {run_id!r} in {state_dir}: see the folders in {state_dir / 'runs'}"
        )
    return RunRequest.model_validate(json.loads(path.read_text()))


@functools.cache
def _repo_graph() -> CompiledStateGraph[RepoState, Context, RepoState, RepoOutput]:
    """The per-repository graph, compiled once per process (~12 ms).

    Each run uses a copy holding its own checkpointer.
    """
    return build_repo_graph().compile()


class RepoRunner:
    """One repository through the per-repository graph, on its own checkpoint thread.

    The thread is ``<run id>:<target>``; a repository whose thread already ended returns its
    recorded outcome without running again (a redelivered task, a resumed run), unless that
    outcome was a failure.
    """

    def __init__(self, request: RunRequest, run_id: str, context: Context, saver: Any) -> None:
        self.request = request
        self.run_id = run_id
        self.context = context
        self.saver = saver
        self.graph = _repo_graph().copy({"checkpointer": saver})

    def __call__(self, repo: str, on_step: Callable[[str, str], None] | None = None) -> RepoOutcome:
        """Run (or finish) ``repo``; its outcome.

        Raises:
            DecomError: the repository paused for approval (the request asked for it).
        """
        result = self.advance(repo, on_step)
        if isinstance(result, Paused):
            raise DecomError(f"{repo} is waiting for approval of its plan")
        return result

    def thread(self, repo: str) -> RunnableConfig:
        """The checkpoint thread of ``repo`` in this run."""
        return {
            "configurable": {"thread_id": f"{self.run_id}:{repo}"},
            "recursion_limit": 100,
        }

    def advance(
        self,
        repo: str,
        on_step: Callable[[str, str], None] | None = None,
        *,
        resume: Any = None,
    ) -> RepoOutcome | Paused:
        """Run ``repo`` until it ends or pauses; ``resume`` answers a pause (a decision)."""
        config = self.thread(repo)
        snapshot = self.graph.get_state(config)
        if snapshot.values and not snapshot.next and snapshot.values.get("outcomes"):
            recorded = _last_outcome(snapshot.values)
            if recorded.status is not RepoStatus.FAILED:
                return recorded
            # A failure is always tried again, from a clean thread (state accumulates).
            self.saver.delete_thread(config["configurable"]["thread_id"])
            snapshot = self.graph.get_state(config)
        start: Any
        if snapshot.next:
            paused = _question(snapshot)
            if paused is not None and resume is None:
                return Paused(repo=repo, question=paused)
            start = Command(resume=resume) if paused is not None else None
        else:
            start = RepoState(run_id=self.run_id, request=self.request, repo=repo)
        values: dict[str, Any] = {}
        # Checkpoint when the repository's graph exits (done or paused), not per step: steps
        # are cheap and idempotent, per-step checkpoints of file contents are not cheap.
        for mode, chunk in self.graph.stream(
            start, config, context=self.context, stream_mode=["updates", "values"],
            durability="exit",
        ):  # fmt: skip
            if mode == "values":
                assert isinstance(chunk, dict)
                values = chunk
            elif on_step is not None:
                for step in chunk:
                    if not step.startswith("__"):
                        on_step(repo, step)
        if not values.get("outcomes"):
            question = _question(self.graph.get_state(config))
            if question is not None:
                return Paused(repo=repo, question=question)
        return _last_outcome(values)

    def pending_question(self, repo: str) -> dict[str, Any] | None:
        """What ``repo`` is waiting for a person to answer, if it is paused."""
        return _question(self.graph.get_state(self.thread(repo)))


@dataclass(frozen=True)
class Paused:
    """A repository waiting for a person (its graph is checkpointed at the pause)."""

    repo: str
    #: The question (``agent.pipeline.approval.ApprovalRequest`` as JSON).
    question: dict[str, Any]


def _question(snapshot: StateSnapshot) -> dict[str, Any] | None:
    for pending in snapshot.interrupts:
        if isinstance(pending.value, dict):
            return pending.value
    return None


def _last_outcome(values: dict[str, Any]) -> RepoOutcome:
    outcomes = values.get("outcomes") or []
    if not outcomes:
        raise DecomError("the repository's graph ended without an outcome")
    outcome = outcomes[-1]
    assert isinstance(outcome, RepoOutcome)
    return outcome


@contextmanager
def run_lock(run_dir: Path) -> Iterator[None]:
    """Hold the run for this process (a second ``--resume`` of the same run is refused).

    Raises:
        InputError: another process holds the run.
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    with open(run_dir / "lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                f"run {run_dir.name} is being worked on by another decom process; wait for it"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@functools.cache
def _freeze_long_lived() -> None:
    """Take what exists before the first run out of the garbage collector's sight.

    That is LangGraph, LangChain, pydantic and decom's modules: ~120k objects that live as
    long as the process. A full collection then walks only what runs created (a few ms)
    instead of everything (~85 ms on the bench machine, and it came in the middle of a run
    now and then). Once per process: freezing again would also freeze earlier runs' garbage,
    which then never goes.
    """
    gc.freeze()


def execute(
    request: RunRequest,
    run_id: str,
    notifier: Notifier,
    *,
    resume: bool = False,
    only_failed: bool = False,
    fail_fast: bool = False,
    max_concurrency: int = 4,
    github: GitHubForge | None = None,
    llm: LlmSession | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> DecommissioningSummary:
    """Run, resume (``resume``) or rerun the failures of (``only_failed``) a run; its summary.

    Every repository is recorded in the ledger as it finishes, so a run killed at any point
    resumes without redoing finished repositories; the forges are idempotent, so the one that
    was in flight is redone without a second commit, branch or pull request.
    """
    if request.require_approval:
        raise InputError(
            f"run {run_id} waits for a person's approval: continue it where it was started "
            f"(in a notebook: Session.attach({run_id!r}))"
        )
    started = time.time()
    _freeze_long_lived()
    if not (resume or only_failed):
        request = steps.with_campaign_aliases(request)
        save_request(request, run_id)
    run_dir = request.run_dir(run_id)
    logs.configure(run_dir / "decom.log.jsonl")
    forge_writes = settings.max_concurrent_forge_writes if settings else Bounds().forge_writes
    context = Context(
        notifier=notifier, github=github, llm=llm, settings=settings,
        forge_writes=threading.BoundedSemaphore(forge_writes),
    )  # fmt: skip
    state_dir = Path(request.state_dir)
    url = settings.ledger_url() if settings else None
    with (
        run_lock(run_dir),
        open_ledger(state_dir, url) as ledger,
        checkpointer(state_dir) as saver,
    ):
        ledger.create_run(
            run_id, request.database, request.model_dump_json(), request.repos, "local"
        )
        statuses: tuple[str, ...] = ("failed",) if only_failed else ("pending", "running")
        todo = [row.repo for row in ledger.repos(run_id, statuses)]
        if (resume or only_failed) and not todo:
            return summarize(ledger, request, run_id, started, llm)
        # Only what can stop the run: nothing here shows the integrations' lines.
        steps.validate_environment(request, settings, integrations=False)
        ledger.set_run_status(run_id, "running")
        work = RepoRunner(request, run_id, context, saver)
        try:
            result = run_sync(
                lambda: run_batch(
                    ledger,
                    run_id,
                    todo,
                    work,
                    concurrency=max_concurrency,
                    fail_fast=fail_fast,
                    claim_statuses=statuses,
                    steal_running=True,
                    progress=progress,
                    usage=_usage(llm),
                )  # fmt: skip
            )
        except BaseException:
            ledger.set_run_status(run_id, "interrupted")
            raise
        ledger.set_run_status(run_id, "stopped" if result.stopped else "done")
        summary = summarize(ledger, request, run_id, started, llm)
    notifier.notify(run_done(summary))
    return summary


def _usage(llm: LlmSession | None) -> Callable[[RepoOutcome], tuple[int, float]] | None:
    if llm is None:
        return None
    session = llm

    def usage(outcome: RepoOutcome) -> tuple[int, float]:
        spent = session.ledger.for_repo(outcome.repo)
        return spent.total_tokens, spent.cost_usd

    return usage


def summarize(
    ledger: Ledger, request: RunRequest, run_id: str, started: float, llm: LlmSession | None
) -> DecommissioningSummary:
    """The run's summary from its ledger rows (a row without an outcome was not started)."""
    rows = ledger.repos(run_id)
    return DecommissioningSummary(
        run_id=run_id,
        database=request.database,
        repos=sorted((r.outcome for r in rows if r.outcome is not None), key=lambda o: o.repo),
        not_started=[r.repo for r in rows if r.outcome is None],
        seconds=max(0.0, time.time() - started),
        dry_run=request.dry_run,
        tokens=llm.ledger.to_json() if llm is not None else {},
    )
