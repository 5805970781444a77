"""Distributed runs on Celery workers (being built: see issue 5, section 5)."""

from __future__ import annotations

from agent.batch.driver import Progress
from agent.errors import InputError
from agent.models import DecommissioningSummary
from agent.notify import Notifier
from agent.pipeline.request import RunRequest
from agent.settings import Settings


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

    Raises:
        InputError: always, until the Celery executor lands.
    """
    raise InputError("--executor celery is not available yet: use --executor local")
