"""structlog set-up: JSON lines to the run's log file, secrets redacted."""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import structlog

#: Things that look like credentials: GitHub, Slack, OpenAI tokens, bearer headers, URL passwords.
_SECRET = re.compile(
    r"(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|"
    r"sk-[A-Za-z0-9_-]{16,}|(?i:bearer)\s+[A-Za-z0-9._-]{16,}|(?<=://)[^/\s:@]+:[^/\s@]+(?=@))"
)


def redact(text: str) -> str:
    """``text`` with anything that looks like a credential replaced by ``***``."""
    return _SECRET.sub("***", text)


def _redact_processor(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key, value in list(event.items()):
        if isinstance(value, str):
            event[key] = redact(value)
    return event


def configure(log_file: Path | None, level: int = logging.INFO) -> None:
    """Send structlog events as JSON lines to ``log_file`` (nowhere when None)."""
    processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _redact_processor,
        structlog.processors.JSONRenderer(),
    ]
    if log_file is None:
        structlog.configure(
            processors=processors,
            logger_factory=structlog.PrintLoggerFactory(open("/dev/null", "w")),  # noqa: SIM115
            cache_logger_on_first_use=False,
        )
        return
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handle = log_file.open("a", encoding="utf-8")
    structlog.configure(
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(handle),
        cache_logger_on_first_use=False,
    )
