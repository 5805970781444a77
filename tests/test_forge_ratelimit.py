"""Rate limits and faults: GitHub's answers from a fake API on 127.0.0.1, sleeps recorded."""

from __future__ import annotations

import random
from pathlib import Path

import httpx
import pytest

from agent.errors import CircuitOpenError, ForgeError
from agent.forge.ratelimit import CircuitBreaker, ResilientTransport, RetryPolicy
from tests.forge_fixtures import FILES
from tests.github_support import github_rig

REPO = r"^/repos/acme/billing$"
SECONDARY = {
    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you "
    "try again. If you reach out to GitHub Support for help, please include the request ID.",
    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
}


def test_429_with_retry_after_waits_that_long_then_succeeds(tmp_path: Path) -> None:
    with github_rig(tmp_path) as rig:
        rig.fake.add_repo("acme", "billing", FILES)
        rig.fake.fail("GET", REPO, 429, headers={"retry-after": "7"}, body=SECONDARY)
        info = rig.api.get_repo("acme", "billing")
    assert info is not None and info.default_branch == "main"
    assert rig.sleeps.waits == [7.0]
    assert len(rig.fake.calls("GET", REPO)) == 2


def test_502_twice_backs_off_exponentially_with_jitter_then_succeeds(tmp_path: Path) -> None:
    policy = RetryPolicy(backoff_base=2.0, min_write_interval=0.0)
    with github_rig(tmp_path, policy=policy) as rig:
        rig.fake.add_repo("acme", "billing", FILES)
        rig.fake.fail("GET", REPO, 502, times=2)
        info = rig.api.get_repo("acme", "billing")
    assert info is not None
    first, second = rig.sleeps.waits
    assert 1.0 <= first <= 2.0 and 2.0 <= second <= 4.0  # half fixed, half random
    assert len(rig.fake.calls("GET", REPO)) == 3
    assert not rig.api.breaker.is_open


def test_403_secondary_rate_limit_waits_at_least_half_a_minute_then_succeeds(
    tmp_path: Path,
) -> None:
    with github_rig(tmp_path) as rig:
        rig.fake.add_repo("acme", "billing", FILES)
        rig.fake.fail("GET", REPO, 403, body=SECONDARY)
        info = rig.api.get_repo("acme", "billing")
    assert info is not None
    (wait,) = rig.sleeps.waits
    assert 30.0 <= wait <= 60.0


def test_primary_rate_limit_waits_until_the_reset(tmp_path: Path) -> None:
    with github_rig(tmp_path) as rig:
        rig.fake.add_repo("acme", "billing", FILES)
        reset = int(rig.sleeps.now) + 42
        headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}
        body = {"message": "API rate limit exceeded for user ID 1."}
        rig.fake.fail("GET", REPO, 403, headers=headers, body=body)
        assert rig.api.get_repo("acme", "billing") is not None
    assert rig.sleeps.waits == [43.0]


def test_a_reset_beyond_the_longest_wait_opens_the_circuit_at_once(tmp_path: Path) -> None:
    policy = RetryPolicy(max_wait=600.0, min_write_interval=0.0)
    with github_rig(tmp_path, policy=policy) as rig:
        rig.fake.add_repo("acme", "billing", FILES)
        reset = int(rig.sleeps.now) + 3600
        headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}
        rig.fake.fail("GET", REPO, 429, headers=headers, times=5)
        with pytest.raises(CircuitOpenError, match="3601s"):
            rig.api.get_repo("acme", "billing")
        with pytest.raises(CircuitOpenError):
            rig.api.find_pulls(rig.ref(), "acme:x")
    assert rig.sleeps.waits == [] and len(rig.fake.requests) == 1


def test_retries_are_bounded_and_the_error_is_named(tmp_path: Path) -> None:
    policy = RetryPolicy(max_attempts=3, min_write_interval=0.0, failure_threshold=10)
    with github_rig(tmp_path, policy=policy) as rig:
        rig.fake.add_repo("acme", "billing", FILES)
        rig.fake.fail("GET", REPO, 503, times=10)
        with pytest.raises(ForgeError, match="read acme/billing failed: HTTP 503"):
            rig.api.get_repo("acme", "billing")
    assert len(rig.fake.calls("GET", REPO)) == 3 and len(rig.sleeps.waits) == 2


def test_circuit_breaker_opens_after_repeated_500s(tmp_path: Path) -> None:
    policy = RetryPolicy(max_attempts=2, failure_threshold=3, min_write_interval=0.0)
    with github_rig(tmp_path, policy=policy) as rig:
        rig.fake.add_repo("acme", "billing", FILES)
        rig.fake.fail("GET", REPO, 500, times=100)
        with pytest.raises(ForgeError, match="HTTP 500"):
            rig.api.get_repo("acme", "billing")
        with pytest.raises(CircuitOpenError, match="3 consecutive failures, last: HTTP 500"):
            rig.api.get_repo("acme", "billing")
        with pytest.raises(CircuitOpenError):
            rig.api.get_repo("acme", "billing")
    assert len(rig.fake.calls("GET", REPO)) == 3


def test_a_success_resets_the_failure_count() -> None:
    answers = iter([500, 200, 500, 200, 500, 200])
    transport = ResilientTransport(
        httpx.MockTransport(lambda request: httpx.Response(next(answers))),
        policy=RetryPolicy(failure_threshold=2, min_write_interval=0.0),
        sleep=lambda seconds: None,
    )
    with httpx.Client(transport=transport) as client:
        statuses = [client.get("https://api.example.test/x").status_code for _ in range(3)]
    assert statuses == [200, 200, 200] and not transport.breaker.is_open


def test_write_calls_are_spaced_reads_are_not() -> None:
    clock = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds

    transport = ResilientTransport(
        httpx.MockTransport(lambda request: httpx.Response(201)),
        policy=RetryPolicy(min_write_interval=1.5),
        sleep=sleep,
        monotonic=lambda: clock[0],
    )
    with httpx.Client(transport=transport) as client:
        client.post("https://api.example.test/a")
        client.get("https://api.example.test/b")
        client.patch("https://api.example.test/c")
        clock[0] += 0.5
        client.delete("https://api.example.test/d")
    assert waits == [1.5, 1.0]


def test_network_errors_are_retried_and_counted() -> None:
    calls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if len(calls) < 3:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"ok": True})

    breaker = CircuitBreaker("test API", threshold=5)
    transport = ResilientTransport(
        httpx.MockTransport(answer),
        breaker=breaker,
        sleep=lambda seconds: None,
        rng=random.Random(1),
    )
    with httpx.Client(transport=transport) as client:
        assert client.get("https://api.example.test/x").json() == {"ok": True}
    assert len(calls) == 3 and not breaker.is_open


def test_a_plain_403_is_final() -> None:
    calls: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(403, json={"message": "Resource not accessible by integration"})

    transport = ResilientTransport(httpx.MockTransport(answer), sleep=lambda seconds: None)
    with httpx.Client(transport=transport) as client:
        assert client.get("https://api.example.test/x").status_code == 403
    assert calls == [1]
