"""The services tier: real Redis and PostgreSQL, or a skip that says why.

A test module that needs both says ``pytest_plugins = ["tests.services"]`` and takes the
``services`` fixture. When a service cannot be reached the test is skipped with the reason
(printed at the end of the run, even under ``-q``), unless
``DECOM_REQUIRE_SERVICES=1`` (CI sets it): then it fails, so a CI machine that lost its
services cannot go green by skipping. ``DECOM_TEST_REDIS_URL`` and ``DECOM_TEST_DATABASE_URL``
point the tests elsewhere; the Redis database index comes from the URL (15 by default, away
from anything a developer keeps in 0).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
_TIER = "services tier"


@dataclass(frozen=True)
class Services:
    """Where the tests' broker and ledger database are."""

    redis_url: str
    database_url: str


def configured() -> Services:
    """The services the environment points the tests at."""
    return Services(
        redis_url=os.environ.get("DECOM_TEST_REDIS_URL", DEFAULT_REDIS_URL),
        database_url=os.environ.get("DECOM_TEST_DATABASE_URL", DEFAULT_DATABASE_URL),
    )


def unreachable(services: Services) -> str | None:
    """Why a service cannot be used, or None when both answer."""
    import psycopg
    import redis

    from agent.batch.ledger import redact_url

    try:
        client = redis.Redis.from_url(services.redis_url, socket_connect_timeout=3)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError) as exc:
        return f"Redis at {redact_url(services.redis_url)} is unreachable: {exc}"
    try:
        psycopg.connect(services.database_url, connect_timeout=3).close()
    except psycopg.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"PostgreSQL at {redact_url(services.database_url)} is unreachable: {first}"
    return None


def require(reason: str | None) -> None:
    """Skip (or, with ``DECOM_REQUIRE_SERVICES=1``, fail) when ``reason`` says a service is down."""
    if reason is None:
        return
    if os.environ.get("DECOM_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (DECOM_REQUIRE_SERVICES=1: the services tier must run)")
    pytest.skip(f"{_TIER}: {reason} (set DECOM_TEST_REDIS_URL / DECOM_TEST_DATABASE_URL)")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say why the services tier was skipped (``pytest -q`` alone shows only a count)."""
    if "s" in terminalreporter.config.option.reportchars.lower():
        return  # pytest -rs already lists every skip with its reason
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        text = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        reason = text.removeprefix("Skipped: ")
        if reason.startswith(_TIER):
            reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in reasons.items():
        terminalreporter.write_line(f"SKIPPED [{count}] {reason}", yellow=True)


@pytest.fixture(scope="session")
def services() -> Services:
    """Reachable Redis and PostgreSQL, or a skip (a failure in CI) saying which is not."""
    found = configured()
    require(unreachable(found))
    return found
