"""Notifications about a run: one interface, console and JSONL by default (Slack later)."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

if TYPE_CHECKING:
    from agent.models import DecommissioningSummary


@dataclass(frozen=True)
class Notification:
    """Something worth telling the people who asked for the run.

    Attributes:
        event: ``repo_done`` or ``run_done``.
        run_id: the run.
        database: the database being retired.
        text: one human sentence.
        data: the details (status, branch, PR record, needs-human count...).
    """

    event: str
    run_id: str
    database: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)


def run_done(summary: DecommissioningSummary) -> Notification:
    """The ``run_done`` notification of a finished run (local, distributed or one graph)."""
    counts = summary.counts()
    text = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    if summary.not_started:
        text += f"; stopped at the first failure, {len(summary.not_started)} not started"
    return Notification(
        "run_done",
        summary.run_id,
        summary.database,
        f"run {summary.run_id} for {summary.database}: {text or 'no repositories'}",
        {"counts": counts, "success_rate": summary.success_rate},
    )


class Notifier(Protocol):
    """Where notifications go. Implementations must never raise into the run."""

    def notify(self, notification: Notification) -> None:
        """Deliver one notification."""
        ...


class ConsoleNotifier:
    """Prints one line per notification."""

    def __init__(self, stream: TextIO | None = None) -> None:
        #: None: whatever ``sys.stderr`` is when a notification comes (a live progress
        #: display redirects it to print above its bars).
        self.stream = stream

    def notify(self, notification: Notification) -> None:
        """Print the notification's sentence."""
        stream = self.stream or sys.stderr
        stream.write(f"[decom] {notification.text}\n")
        stream.flush()


class JsonlNotifier:
    """Appends one JSON object per notification to a file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def notify(self, notification: Notification) -> None:
        """Append the notification as a JSON line."""
        record = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "event": notification.event,
            "run_id": notification.run_id,
            "database": notification.database,
            "text": notification.text,
            **notification.data,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")


class FanoutNotifier:
    """Sends every notification to several notifiers; one failing does not stop the others."""

    def __init__(self, notifiers: Sequence[Notifier], on_error: Any = None) -> None:
        self.notifiers = list(notifiers)
        self.on_error = on_error
        self.failures: list[str] = []

    def notify(self, notification: Notification) -> None:
        """Deliver to each notifier, recording (never raising) failures."""
        for notifier in self.notifiers:
            try:
                notifier.notify(notification)
            except Exception as exc:  # noqa: BLE001 - a notification must never fail the run
                message = f"{type(notifier).__name__}: {exc}"
                self.failures.append(message)
                if self.on_error is not None:
                    self.on_error(message)
