"""Run many repositories concurrently (asyncio), each recorded in the ledger.

Repositories in flight are bounded by an asyncio semaphore; each repository's work runs in a
worker thread (it is git, ripgrep and file I/O). Model calls and forge writes have their own
bounds, held by the LLM session and the forge gate (``Bounds``), so a run with 32
repositories in flight still makes at most a few model calls and pull-request writes at once.

A repository that fails is recorded as failed and never stops the others, unless
``fail_fast``: then no new repository starts after the first failure (those in flight finish)
and the ones not started stay ``pending`` for ``--resume``.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import threading
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from agent.batch.ledger import Ledger
from agent.models import RepoOutcome, RepoStatus

#: How long a claim holds without renewal (a local run holds the run lock anyway).
DEFAULT_LEASE_SECONDS = 600.0


@dataclass(frozen=True)
class Bounds:
    """The three concurrency bounds of a run."""

    repos: int = 4
    model_calls: int = 4
    forge_writes: int = 2


class Progress(Protocol):
    """What the driver tells whoever shows progress (all calls from any thread)."""

    def begin(self, total: int) -> None:
        """The pass will process ``total`` repositories."""

    def started(self, repo: str) -> None:
        """``repo`` was claimed and its work began."""

    def step(self, repo: str, step: str) -> None:
        """``repo`` finished the graph step ``step``."""

    def finished(self, repo: str, outcome: RepoOutcome) -> None:
        """``repo`` reached its final status."""


class Work(Protocol):
    """One repository's whole pipeline; reports its steps through ``on_step``."""

    def __call__(self, repo: str, on_step: Callable[[str, str], None]) -> RepoOutcome:
        """Process ``repo``; its outcome."""


@dataclass
class BatchResult:
    """What one pass over the repositories did."""

    #: Outcomes of the repositories processed in this pass, by target.
    outcomes: dict[str, RepoOutcome] = field(default_factory=dict)
    #: Targets left pending because ``fail_fast`` stopped the pass.
    not_started: list[str] = field(default_factory=list)
    #: Targets another worker held (not claimable).
    skipped: list[str] = field(default_factory=list)

    @property
    def stopped(self) -> bool:
        """``fail_fast`` stopped the pass before every repository started."""
        return bool(self.not_started)


def worker_id() -> str:
    """This process, as the ledger names it."""
    return f"{socket.gethostname()}:{os.getpid()}"


class _Quiet:
    def begin(self, total: int) -> None:
        return None

    def started(self, repo: str) -> None:
        return None

    def step(self, repo: str, step: str) -> None:
        return None

    def finished(self, repo: str, outcome: RepoOutcome) -> None:
        return None


async def run_batch(
    ledger: Ledger,
    run_id: str,
    repos: Sequence[str],
    work: Work,
    *,
    concurrency: int,
    fail_fast: bool = False,
    claim_statuses: Sequence[str] = ("pending",),
    steal_running: bool = False,
    progress: Progress | None = None,
    lease_seconds: float = DEFAULT_LEASE_SECONDS,
    usage: Callable[[RepoOutcome], tuple[int, float]] | None = None,
) -> BatchResult:
    """Process ``repos`` with at most ``concurrency`` in flight; record each in ``ledger``."""
    shown = progress or _Quiet()
    gate = asyncio.Semaphore(max(1, concurrency))
    stop = asyncio.Event()
    result = BatchResult()
    me = worker_id()
    shown.begin(len(repos))

    async def one(repo: str) -> None:
        async with gate:
            if stop.is_set():
                result.not_started.append(repo)
                return
            claimed = ledger.claim(
                run_id, repo, me, lease_seconds=lease_seconds,
                statuses=claim_statuses, steal_running=steal_running,
            )  # fmt: skip
            if not claimed:
                result.skipped.append(repo)
                return
            shown.started(repo)
            outcome = await asyncio.to_thread(_guarded, work, repo, shown.step)
            tokens, cost = usage(outcome) if usage is not None else (0, 0.0)
            ledger.finish(run_id, repo, outcome, tokens=tokens, cost_usd=cost)
            result.outcomes[repo] = outcome
            shown.finished(repo, outcome)
            if fail_fast and outcome.status is RepoStatus.FAILED:
                stop.set()

    await asyncio.gather(*(one(repo) for repo in repos))
    return result


def _guarded(work: Work, repo: str, on_step: Callable[[str, str], None]) -> RepoOutcome:
    """Run ``work``; a bug in one repository becomes that repository's failure."""
    try:
        return work(repo, on_step)
    except Exception as exc:  # noqa: BLE001 - one repository's bug must not stop the others
        name = repo.rstrip("/").rpartition("/")[2]
        return RepoOutcome(
            repo=name, path=repo, status=RepoStatus.FAILED, error=f"{type(exc).__name__}: {exc}"
        )


def run_sync(coro_factory: Callable[[], Coroutine[Any, Any, BatchResult]]) -> BatchResult:
    """Run the batch on a fresh event loop (also from a thread that already has one)."""
    box: list[BatchResult] = []

    async def main() -> None:
        # The result is kept out of the main task: when asyncio.run restores the SIGINT
        # handler it formats that task, result included, and a batch's outcomes are big
        # (~10 ms for one repository, seconds for hundreds).
        box.append(await coro_factory())

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(main())
        return box[0]
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=target, name="decom-batch")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return box[0]


_PATHS = re.compile(r"(?:/[^\s/:'\"]+){2,}/?")
_SHAS = re.compile(r"\b[0-9a-f]{12,40}\b")


def failure_key(outcome: RepoOutcome) -> str:
    """The error with what is specific to one repository taken out (to group failures)."""
    text = (outcome.error or "unknown error").splitlines()[0]
    for specific in sorted({outcome.path, outcome.repo}, key=len, reverse=True):
        if specific:
            whole = rf"(?<![\w.-]){re.escape(specific)}(?![\w-])"
            text = re.sub(whole, "<repo>", text)
    text = _PATHS.sub("<path>", text)
    return _SHAS.sub("<sha>", text)


def group_failures(outcomes: Sequence[RepoOutcome]) -> dict[str, list[str]]:
    """Failed repositories grouped by their error (largest group first)."""
    groups: dict[str, list[str]] = {}
    for outcome in outcomes:
        if outcome.status is RepoStatus.FAILED:
            groups.setdefault(failure_key(outcome), []).append(outcome.repo)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))
