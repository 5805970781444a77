"""Distributed runs: enqueue one Celery task per repository, follow the ledger, summarize.

The coordinator (``decom run --executor celery``) records the run in the PostgreSQL ledger,
sends ``decom.repository`` for every repository still to do and then only reads the ledger:
the workers (``decom worker``, see :mod:`graph.celery_app`) claim, run and record each
repository. Resuming sends the unfinished ones again; a task whose repository is already final
or held by a live worker does nothing, so sending twice is harmless.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import Any

from kombu.exceptions import OperationalError as BrokerError

from agent.batch.driver import Progress, worker_id
from agent.batch.ledger import Ledger, RepoRow, redact_url
from agent.errors import InputError
from agent.models import DecommissioningSummary
from agent.notify import Notifier, run_done
from agent.pipeline import steps
from agent.pipeline.request import RunRequest
from agent.settings import Settings
from graph.celery_app import TASK_NAME, build_app, open_stores, service_urls
from graph.runner import save_request, summarize

#: Seconds without any repository changing before the coordinator says it is waiting.
_QUIET_NOTICE_SECONDS = 60.0


def execute_distributed(
    request: RunRequest,
    run_id: str,
    notifier: Notifier,
    *,
    settings: Settings,
    only_failed: bool = False,
    fail_fast: bool = False,
    progress: Progress | None = None,
) -> DecommissioningSummary:
    """Enqueue one task per repository on the broker, follow the ledger, summarize.

    A new run and ``--resume`` send the repositories not final yet; ``only_failed`` sends the
    failed ones only, after putting them back to pending. With ``fail_fast`` the run is marked
    ``stopped`` at the first failure: tasks not started then leave their repository pending.

    Raises:
        InputError: the broker or the database URL is missing, one cannot be reached, or the
            request asks for approval pauses (only a local run can wait for a person).
    """
    started = time.time()
    broker, database = service_urls(settings)
    if request.require_approval:
        raise InputError("approval pauses need --executor local: a worker cannot wait for one")
    app = build_app(settings)
    _check_broker(app, broker)
    with open_stores(database) as stores:
        ledger = stores.ledger
        if not ledger.repos(run_id):  # a new run: learn what the repositories share first
            request = steps.with_campaign_aliases(request)
            save_request(request, run_id)
        ledger.create_run(
            run_id, request.database, request.model_dump_json(), request.repos, "celery"
        )
        statuses = ("failed",) if only_failed else ("pending", "running")
        todo = [row.repo for row in ledger.repos(run_id, statuses)]
        if not todo:
            return summarize(ledger, request, run_id, started, None)
        if only_failed:
            _reset_failed(ledger, run_id, todo)
        ledger.set_run_status(run_id, "running")
        try:
            _enqueue(app, broker, run_id, todo, settings.celery_queue)
            stopped = _follow(ledger, run_id, todo, progress, fail_fast=fail_fast)
        except BaseException:
            ledger.set_run_status(run_id, "interrupted")
            raise
        ledger.set_run_status(run_id, "stopped" if stopped else "done")
        summary = summarize(ledger, request, run_id, started, None)
    notifier.notify(run_done(summary))
    return summary


def _check_broker(app: Any, broker: str) -> None:
    """Fail in one line now rather than after the run is recorded.

    Raises:
        InputError: the broker cannot be reached.
    """
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0.5, interval_step=0.5, timeout=10)
    except (BrokerError, OSError) as exc:
        raise InputError(
            f"cannot reach the broker {redact_url(broker)}: {str(exc).splitlines()[0]}"
        ) from None


def _enqueue(app: Any, broker: str, run_id: str, repos: Sequence[str], queue: str) -> None:
    """Send one ``decom.repository`` per repository, over one connection.

    Raises:
        InputError: the broker went away while sending (the run can be resumed).
    """
    try:
        with app.producer_or_acquire() as producer:
            for repo in repos:
                app.send_task(TASK_NAME, args=[run_id, repo], queue=queue, producer=producer)
    except (BrokerError, OSError) as exc:
        raise InputError(
            f"cannot send tasks to the broker {redact_url(broker)}: {str(exc).splitlines()[0]}"
            f" (decom run --resume {run_id} --executor celery sends them again)"
        ) from None


def _reset_failed(ledger: Ledger, run_id: str, repos: Sequence[str]) -> None:
    """Make failed repositories pending again (workers take only pending ones).

    Two atomic moves of the ledger, failed -> running -> pending, leave attempts as they were;
    the worker's RepoRunner then retries the failure on a clean checkpoint thread.
    """
    me = worker_id()
    for repo in repos:
        if ledger.claim(run_id, repo, me, lease_seconds=60, statuses=("failed",)):
            ledger.release(run_id, repo)


def _follow(
    ledger: Ledger,
    run_id: str,
    todo: Sequence[str],
    progress: Progress | None,
    *,
    fail_fast: bool,
) -> bool:
    """Report repositories as the ledger shows them start and finish; True if stopped.

    Ends when every repository of ``todo`` is final, or, once ``fail_fast`` stopped the run,
    when none is running any more (the rest stay pending).
    """
    watching = set(todo)
    begun: set[str] = set()
    ended: set[str] = set()
    stopped = False
    # One query per poll, parsing every outcome: poll less often for big runs.
    poll = max(0.5, min(5.0, len(todo) / 200))
    last_change = time.monotonic()
    if progress is not None:
        progress.begin(len(todo))
    while True:
        rows = [r for r in ledger.repos(run_id) if r.repo in watching]
        changed = False
        for row in rows:
            if row.repo not in begun and (row.status == "running" or row.done):
                begun.add(row.repo)
                changed = True
                if progress is not None:
                    progress.started(row.repo)
            if row.repo not in ended and row.done and row.outcome is not None:
                ended.add(row.repo)
                changed = True
                if progress is not None:
                    progress.finished(row.repo, row.outcome)
                if fail_fast and row.status == "failed" and not stopped:
                    ledger.set_run_status(run_id, "stopped")
                    stopped = True
        if len(ended) == len(watching):
            return stopped
        if stopped and not any(r.status == "running" for r in rows):
            return True
        now = time.monotonic()
        if changed:
            last_change = now
        elif now - last_change > _QUIET_NOTICE_SECONDS:
            last_change = now
            _say_waiting(rows, run_id)
        time.sleep(poll)


def _say_waiting(rows: Sequence[RepoRow], run_id: str) -> None:
    running = sum(r.status == "running" for r in rows)
    pending = sum(r.status == "pending" for r in rows)
    hint = "" if running else ": is a `decom worker` running on the same broker and queue?"
    sys.stderr.write(
        f"decom: run {run_id}: {running} running, {pending} waiting for a worker{hint}\n"
    )
