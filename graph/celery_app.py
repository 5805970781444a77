"""Distributed runs on Celery: the app, its one task, and the stores the workers share.

The task ``decom.repository(run_id, repo)`` processes one repository of a run **exactly once**,
however often its message is delivered. The PostgreSQL ledger decides: a final row is never
worked on again, and a row is worked on only by the worker that claimed it (an atomic
``UPDATE``, with a lease its heartbeat renews). A message is acknowledged only when its task
ends (``task_acks_late``); a worker killed mid-task leaves its message unacknowledged, the
broker redelivers it after the visibility timeout, and the redelivered task claims the row once
the dead worker's lease has expired. If the worker died after the repository's graph ended but
before the ledger heard of it, the graph's PostgreSQL checkpoint still holds the outcome, which
:class:`~graph.runner.RepoRunner` returns without running anything again (a failure excepted:
it is retried); if it died earlier, the repository is redone, and the forges' idempotence
leaves one commit, one branch, one pull request.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from celery import Celery  # type: ignore[import-untyped]
from celery.concurrency import get_implementation  # type: ignore[import-untyped]
from psycopg.rows import DictRow, dict_row

from agent import logs
from agent.batch.driver import worker_id
from agent.batch.ledger import Ledger, postgres_ledger, redact_url
from agent.errors import DecomError, InputError
from agent.models import RepoOutcome, RepoStatus
from agent.notify import FanoutNotifier, JsonlNotifier, Notifier
from agent.pipeline.request import RunRequest
from agent.settings import Settings
from graph.context import Context

# The graph and the checkpointer (seconds of imports) load on first use, so that a worker
# missing a URL says so at once; `run_worker` loads them before a prefork pool forks.
if TYPE_CHECKING:
    from langgraph.checkpoint.postgres import PostgresSaver

    from graph.runner import RepoRunner

#: The one task's name (what the coordinator sends).
TASK_NAME = "decom.repository"
#: Pools ``decom worker --pool`` accepts.
POOLS = ("prefork", "threads", "solo")
#: How long a task waits, in retries, for another live worker to finish the same repository.
_MAX_WAIT_SECONDS = 24 * 3600
#: Retries of a task that met an unreachable ledger database (backing off up to a minute).
_MAX_STORE_RETRIES = 10
#: Runs a worker process keeps their graph, notifier and forge for (oldest dropped first).
_CACHED_RUNS = 8
#: Serializes schema creation of concurrent first workers (a ``pg_advisory_lock`` key).
_SCHEMA_LOCK = 0x6465636F6D  # "decom"

log = logging.getLogger("decom.worker")


def service_urls(settings: Settings) -> tuple[str, str]:
    """The broker URL and the PostgreSQL URL of distributed runs.

    Raises:
        InputError: one is not configured, or the database URL is not PostgreSQL.
    """
    broker = settings.broker_url.get_secret_value().strip() if settings.broker_url else ""
    database = settings.database_url.get_secret_value().strip() if settings.database_url else ""
    if not broker:
        raise InputError(
            "distributed runs need a broker: set DECOM_BROKER_URL (e.g. redis://host:6379/0)"
        )
    if not database:
        raise InputError(
            "distributed runs need a shared ledger: set DECOM_DATABASE_URL "
            "(postgresql://user@host/db)"
        )
    if not database.startswith(("postgresql://", "postgres://")):
        raise InputError(
            f"DECOM_DATABASE_URL must be a postgresql:// URL, not {redact_url(database)}"
        )
    return broker, database


@dataclass
class Stores:
    """The ledger and the checkpointer of distributed runs (one PostgreSQL database)."""

    ledger: Ledger
    saver: PostgresSaver
    conn: psycopg.Connection[DictRow]

    def close(self) -> None:
        """Close both connections."""
        self.ledger.close()
        self.conn.close()


def connect_stores(database_url: str) -> Stores:
    """Connect to the ledger and the checkpoints, creating their tables on first use.

    Raises:
        InputError: the database cannot be reached.
    """
    from langgraph.checkpoint.postgres import PostgresSaver

    from graph.runner import serializer

    try:
        conn = psycopg.connect(
            database_url, autocommit=True, prepare_threshold=0, row_factory=dict_row,
            connect_timeout=10,
        )  # fmt: skip
    except psycopg.Error as exc:
        raise InputError(
            f"cannot reach the ledger database {redact_url(database_url)}: "
            f"{str(exc).splitlines()[0]}"
        ) from None
    try:
        # Two first workers creating the same tables at once collide in PostgreSQL's catalog
        # (CREATE TABLE IF NOT EXISTS is not atomic): take turns.
        conn.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        try:
            ledger = postgres_ledger(database_url)
            saver = PostgresSaver(conn, serde=serializer())
            saver.setup()
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))
    except BaseException:
        conn.close()
        raise
    return Stores(ledger, saver, conn)


@contextmanager
def open_stores(database_url: str) -> Iterator[Stores]:
    """:func:`connect_stores`, closed on exit."""
    stores = connect_stores(database_url)
    try:
        yield stores
    finally:
        stores.close()


def build_app(settings: Settings) -> Any:
    """The Celery app of ``settings`` (broker, queue, visibility timeout), with its task.

    Raises:
        InputError: the broker or the database URL is not configured.
    """
    broker, database = service_urls(settings)
    visibility = settings.celery_visibility_timeout
    app = Celery("decom", set_as_current=False)
    app.conf.update(
        broker_url=broker,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": visibility,
            # kombu sweeps for messages of dead workers every interval x throttle seconds
            # (100 by default): keep the sweep well inside the visibility timeout.
            "unacked_restore_interval": max(1.0, min(10.0, visibility / 4)),
            "unacked_restore_throttle": 1,
        },
        task_default_queue=settings.celery_queue,
        task_serializer="json",
        result_serializer="json",
        event_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_send_task_events=False,
    )
    worker = RepositoryWorker(settings, database)

    def repository(task: Any, run_id: str, repo: str) -> str:
        """Process one repository of one run, once however often delivered."""
        return worker.task(task, run_id, repo)

    app.task(
        bind=True,
        name=TASK_NAME,
        # The ledger database went away (InputError: it cannot be reached again yet).
        autoretry_for=(psycopg.OperationalError, InputError),
        retry_backoff=True,
        retry_backoff_max=60,
        retry_kwargs={"max_retries": _MAX_STORE_RETRIES},
    )(repository)
    return app


def run_worker(
    settings: Settings, *, concurrency: int, pool: str, queues: Sequence[str] = ()
) -> int:
    """Work on ``queues`` (default: the settings' queue) until stopped; the exit code.

    Raises:
        InputError: a URL is missing, the pool is unknown, or the database cannot be reached.
    """
    if pool not in POOLS:
        raise InputError(f"--pool is one of {', '.join(POOLS)}, not {pool!r}")
    app = build_app(settings)
    _, database = service_urls(settings)
    # Fail now, in one line, on a wrong database URL (and create the tables once); each pool
    # process then opens its own connections on its first task.
    connect_stores(database).close()
    worker = app.Worker(
        hostname=f"decom-{os.getpid()}@{socket.gethostname()}",
        pool_cls=get_implementation(pool),
        concurrency=concurrency,
        queues=list(queues) or [settings.celery_queue],
        loglevel="INFO",
        without_mingle=True,
        without_gossip=True,
    )
    worker.start()
    return int(worker.exitcode or 0)


class RepositoryWorker:
    """What the task does, with the connections of one worker process (opened lazily).

    A prefork pool forks after this object exists: connections are kept per process id, so
    every pool process opens its own on its first task and reuses them after.
    """

    def __init__(self, settings: Settings, database_url: str) -> None:
        self.settings = settings
        self.database_url = database_url
        self.state_dir = settings.state_dir.resolve()
        lease = settings.lease_seconds
        #: Seconds between a task's tries while another live worker holds its repository
        #: (under the visibility timeout, or the waiting message would itself be redelivered).
        self.wait_seconds = max(1.0, min(lease / 2, settings.celery_visibility_timeout / 2, 60.0))
        self.max_waits = math.ceil(_MAX_WAIT_SECONDS / self.wait_seconds)
        self._pid = -1
        self._stores: Stores | None = None
        self._runs: OrderedDict[str, _RunTools] = OrderedDict()
        self._lock = threading.Lock()
        self._log_run = ""

    def task(self, task: Any, run_id: str, repo: str) -> str:
        """Process ``repo`` of ``run_id`` once (the body of ``decom.repository``)."""
        try:
            return self.process(run_id, repo, retry=task.retry)
        except psycopg.OperationalError:
            self._drop_stores()  # reconnect on the automatic retry
            raise

    def process(self, run_id: str, repo: str, *, retry: Callable[..., Any]) -> str:
        """Claim, run and record ``repo``; what happened, in one word."""
        stores = self._open()
        ledger = stores.ledger
        row = ledger.repo(run_id, repo)
        if row is None:
            log.warning("no repository %s in run %s: message dropped", repo, run_id)
            return "unknown"
        if row.done:
            return row.status
        me = worker_id()
        if not ledger.claim(run_id, repo, me, lease_seconds=self.settings.lease_seconds):
            row = ledger.repo(run_id, repo)
            if row is None or row.done:
                return row.status if row else "unknown"
            # A live worker holds it. Come back rather than drop the message: if that worker
            # dies, this is the message that finishes the repository.
            raise retry(countdown=self.wait_seconds, max_retries=self.max_waits)
        try:
            tools = self._tools(run_id, stores)
        except DecomError as exc:
            # This worker cannot work on the run at all (a model it cannot set up...): say so
            # in the ledger, where --only-failed finds it once the worker is fixed.
            return self._record(ledger, run_id, repo, _failure(repo, str(exc)))
        if _run_status(ledger, tools.request.database, run_id) == "stopped":
            ledger.release(run_id, repo)  # fail-fast: left pending for --resume
            return "skipped"
        self._configure_logs(tools.request, run_id)
        with _Heartbeat(ledger, run_id, repo, me, self.settings.lease_seconds):
            outcome = _guarded(tools.runner, repo)
        return self._record(ledger, run_id, repo, outcome, tools)

    def _record(
        self,
        ledger: Ledger,
        run_id: str,
        repo: str,
        outcome: RepoOutcome,
        tools: _RunTools | None = None,
    ) -> str:
        tokens, cost = tools.usage(outcome) if tools is not None else (0, 0.0)
        ledger.finish(run_id, repo, outcome, tokens=tokens, cost_usd=cost)
        log.info("%s: %s", outcome.repo, outcome.status.value)
        return outcome.status.value

    def _open(self) -> Stores:
        with self._lock:
            if self._pid != os.getpid() or self._stores is None:
                # A forked pool process inherits its parent's objects, never its sockets.
                self._pid, self._runs = os.getpid(), OrderedDict()
                self._stores = connect_stores(self.database_url)
            return self._stores

    def _drop_stores(self) -> None:
        with self._lock:
            stores, self._stores = self._stores, None
            runs, self._runs = self._runs, OrderedDict()
        for tools in runs.values():
            tools.close()
        if stores is not None:
            try:
                stores.close()
            except psycopg.Error as exc:
                log.info("closing a broken ledger connection: %s", str(exc).splitlines()[0])

    def _tools(self, run_id: str, stores: Stores) -> _RunTools:
        with self._lock:
            if run_id in self._runs:
                self._runs.move_to_end(run_id)
                return self._runs[run_id]
        request = RunRequest.model_validate_json(stores.ledger.request_json(run_id))
        # Records, patches and clones go under this worker's state directory: the
        # coordinator's may not exist on this machine.
        request = request.model_copy(update={"state_dir": str(self.state_dir)})
        tools = _RunTools.build(request, run_id, self.settings, stores.saver)
        with self._lock:
            self._runs[run_id] = tools
            while len(self._runs) > _CACHED_RUNS:
                self._runs.popitem(last=False)[1].close()
        return tools

    def _configure_logs(self, request: RunRequest, run_id: str) -> None:
        if self._log_run != run_id:
            self._log_run = run_id
            logs.configure(request.run_dir(run_id) / "decom.log.jsonl")


@dataclass
class _RunTools:
    """One run's request, graph and integrations in one worker process."""

    request: RunRequest
    runner: RepoRunner
    context: Context

    @classmethod
    def build(cls, request: RunRequest, run_id: str, settings: Settings, saver: Any) -> _RunTools:
        # The CLI's own factories: the same GitHub forge and LLM session as a local run.
        from agent.cli.run import _github_forge, _llm_session
        from agent.notify_slack import slack_notifier_from_settings
        from graph.runner import RepoRunner

        def warn(message: str) -> None:
            log.warning("notification failed: %s", message)

        llm = _llm_session(settings)  # first: it may refuse, and holds no connection
        notifiers: list[Notifier] = [JsonlNotifier(request.run_dir(run_id) / "notifications.jsonl")]
        slack = slack_notifier_from_settings(settings, on_error=warn)
        if slack is not None:
            notifiers.append(slack)
        context = Context(
            notifier=FanoutNotifier(notifiers, on_error=warn),
            github=_github_forge(settings, request),
            llm=llm,
            settings=settings,
            forge_writes=threading.BoundedSemaphore(settings.max_concurrent_forge_writes),
        )
        return cls(request, RepoRunner(request, run_id, context, saver), context)

    def usage(self, outcome: RepoOutcome) -> tuple[int, float]:
        """LLM tokens and cost the repository took in this run (zero without a model)."""
        if self.context.llm is None:
            return 0, 0.0
        spent = self.context.llm.ledger.for_repo(outcome.repo)
        return spent.total_tokens, spent.cost_usd

    def close(self) -> None:
        """Close the GitHub client, if any."""
        if self.context.github is not None:
            self.context.github.api.close()


def _run_status(ledger: Ledger, database: str, run_id: str) -> str | None:
    return next((r.status for r in ledger.runs(database) if r.run_id == run_id), None)


def _guarded(runner: RepoRunner, repo: str) -> RepoOutcome:
    """Run the repository; a bug in it becomes its failure (never a lost task)."""
    try:
        return runner(repo)
    except psycopg.OperationalError:
        raise  # the checkpoint database, not the repository: Celery retries the task
    except Exception as exc:  # noqa: BLE001 - one repository's bug must not stop the others
        return _failure(repo, f"{type(exc).__name__}: {exc}")


def _failure(repo: str, error: str) -> RepoOutcome:
    name = Path(repo.rstrip("/")).name
    return RepoOutcome(repo=name, path=repo, status=RepoStatus.FAILED, error=error)


class _Heartbeat:
    """Renews a claim's lease three times per lease while the repository is worked on."""

    def __init__(self, ledger: Ledger, run_id: str, repo: str, worker: str, lease: float) -> None:
        self._ledger, self._run_id, self._repo, self._worker = ledger, run_id, repo, worker
        self._lease = lease
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="decom-lease", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self._lease / 3):
            try:
                self._ledger.renew(self._run_id, self._repo, self._worker, self._lease)
            except psycopg.Error as exc:
                # The next beat tries again; if none gets through, the lease lapses and
                # another worker takes the repository over (the forges are idempotent).
                log.warning("lease renewal failed: %s", str(exc).splitlines()[0])
