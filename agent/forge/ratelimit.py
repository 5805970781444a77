"""Rate limits and faults of HTTP APIs, handled once as an httpx transport.

:class:`ResilientTransport` wraps another transport and, for every request:

- refuses to call when the :class:`CircuitBreaker` is open (:class:`CircuitOpenError`);
- spaces out write calls (POST, PATCH, PUT, DELETE) by ``min_write_interval`` seconds;
- on a rate-limit answer (403 or 429) waits as long as the server asked: ``Retry-After``, or
  until ``x-ratelimit-reset`` when ``x-ratelimit-remaining`` is 0; a wait longer than
  ``max_wait`` opens the circuit instead of stalling the run;
- on a secondary rate limit without a stated wait, on 5xx answers and on network errors,
  backs off exponentially with jitter;
- gives up after ``max_attempts`` and hands back the last answer (or raises the last error).

This follows GitHub's documented rules ("Rate limits for the REST API", "Best practices for
using the REST API") and fits any API that speaks ``Retry-After``. Sleeping, both clocks and
the jitter source are injected, so tests never wait.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from enum import Enum

import httpx
import structlog

from agent.errors import CircuitOpenError

log = structlog.get_logger("decom.ratelimit")

#: Methods GitHub counts as content-creating writes ("wait at least one second between each").
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})

_SECONDARY = re.compile(r"secondary rate limit|abuse detection", re.IGNORECASE)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try.

    Attributes:
        max_attempts: requests per call, the first included.
        backoff_base: seconds before the first retry of a 5xx answer or a network error;
            doubled on each further retry.
        backoff_cap: longest backoff for 5xx answers and network errors.
        secondary_base: first wait on a secondary rate limit that states no wait (GitHub asks
            for at least a minute), doubled on each further retry.
        max_wait: longest single wait honoured; a longer rate-limit reset opens the circuit.
        min_write_interval: seconds between two write calls (POST, PATCH, PUT, DELETE).
        failure_threshold: consecutive failures (5xx, network errors, secondary rate limits)
            after which the circuit opens and no further call is made.
    """

    max_attempts: int = 4
    backoff_base: float = 1.0
    backoff_cap: float = 30.0
    secondary_base: float = 60.0
    max_wait: float = 900.0
    min_write_interval: float = 1.0
    failure_threshold: int = 5


class Fault(Enum):
    """What an answer means for retrying."""

    NONE = "none"
    """A success or a final client error: hand it back."""
    RATE_LIMIT = "rate_limit"
    """The server stated how long to wait."""
    SECONDARY = "secondary"
    """A secondary rate limit without a stated wait: back off from ``secondary_base``."""
    SERVER = "server"
    """A 5xx answer: back off from ``backoff_base``."""


@dataclass(frozen=True)
class Verdict:
    """How to treat one answer.

    Attributes:
        fault: the kind of fault, or NONE.
        wait: seconds the server asked to wait (RATE_LIMIT only).
        counts_as_failure: whether it moves the circuit breaker towards opening.
        reason: a short description for logs and errors.
    """

    fault: Fault
    wait: float | None = None
    counts_as_failure: bool = False
    reason: str = ""


def classify(response: httpx.Response, now: float) -> Verdict:
    """Read a (fully read) answer: success, final error, or which kind of retry.

    Args:
        response: the answer, with its body read.
        now: the wall-clock time (epoch seconds), for ``x-ratelimit-reset``.
    """
    status = response.status_code
    if status < 400:
        return Verdict(Fault.NONE)
    if status >= 500:
        return Verdict(Fault.SERVER, counts_as_failure=True, reason=f"HTTP {status}")
    if status not in (403, 429):
        return Verdict(Fault.NONE, reason=f"HTTP {status}")
    secondary = bool(_SECONDARY.search(response.text))
    retry_after = _retry_after_seconds(response.headers.get("retry-after"), now)
    if retry_after is not None:
        reason = "secondary rate limit" if secondary else f"HTTP {status} with Retry-After"
        return Verdict(Fault.RATE_LIMIT, retry_after, counts_as_failure=secondary, reason=reason)
    reset = _number(response.headers.get("x-ratelimit-reset"))
    if response.headers.get("x-ratelimit-remaining") == "0" and reset is not None:
        reason = "secondary rate limit" if secondary else "primary rate limit exhausted"
        wait = max(0.0, reset - now) + 1.0
        return Verdict(Fault.RATE_LIMIT, wait, counts_as_failure=secondary, reason=reason)
    if secondary or status == 429:
        return Verdict(Fault.SECONDARY, counts_as_failure=True, reason="secondary rate limit")
    return Verdict(Fault.NONE, reason=f"HTTP {status}")


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _retry_after_seconds(value: str | None, now: float) -> float | None:
    """``Retry-After`` as seconds: either a number or an HTTP date."""
    if value is None:
        return None
    seconds = _number(value.strip())
    if seconds is not None:
        return max(0.0, seconds)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError):
        return None


class CircuitBreaker:
    """Counts consecutive failures of one service; past the threshold, stops all calls.

    Thread-safe: one breaker is shared by every repository of a run.
    """

    def __init__(self, service: str, threshold: int) -> None:
        self.service = service
        self.threshold = threshold
        self._lock = threading.Lock()
        self._failures = 0
        self._open_reason: str | None = None

    @property
    def is_open(self) -> bool:
        """Whether calls are refused."""
        return self._open_reason is not None

    def check(self) -> None:
        """Raise :class:`CircuitOpenError` when the circuit is open."""
        reason = self._open_reason
        if reason is not None:
            raise CircuitOpenError(f"{self.service}: not called any more in this run ({reason})")

    def record_success(self) -> None:
        """An answer that was not a failure: the count starts again."""
        with self._lock:
            self._failures = 0

    def record_failure(self, reason: str) -> None:
        """One more failure; opens the circuit at the threshold."""
        with self._lock:
            self._failures += 1
            if self._failures >= self.threshold and self._open_reason is None:
                self._open_reason = f"{self._failures} consecutive failures, last: {reason}"
                log.warning("circuit_open", service=self.service, reason=self._open_reason)

    def trip(self, reason: str) -> None:
        """Open the circuit at once (a wait too long to honour)."""
        with self._lock:
            if self._open_reason is None:
                self._open_reason = reason
                log.warning("circuit_open", service=self.service, reason=reason)


class WriteSpacer:
    """Hands out write slots at least ``interval`` seconds apart (thread-safe)."""

    def __init__(
        self, interval: float, sleep: Callable[[float], None], monotonic: Callable[[], float]
    ) -> None:
        self.interval = interval
        self._sleep = sleep
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._next_slot: float | None = None

    def wait(self) -> None:
        """Block until this caller's slot; reserve the slot after it for the next writer."""
        with self._lock:
            now = self._monotonic()
            slot = now if self._next_slot is None else max(now, self._next_slot)
            self._next_slot = slot + self.interval
        if slot > now:
            self._sleep(slot - now)


class ResilientTransport(httpx.BaseTransport):
    """An httpx transport that retries, spaces writes and stops at an open circuit."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        policy: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
        service: str = "HTTP API",
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.inner = inner
        self.policy = policy or RetryPolicy()
        self.breaker = breaker or CircuitBreaker(service, self.policy.failure_threshold)
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._spacer = WriteSpacer(self.policy.min_write_interval, sleep, monotonic)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``, retrying as the policy says; return the last answer."""
        attempts = max(1, self.policy.max_attempts)
        for attempt in range(1, attempts + 1):
            self.breaker.check()
            if request.method in WRITE_METHODS:
                self._spacer.wait()
            try:
                response = self.inner.handle_request(request)
            except httpx.TransportError as exc:
                self.breaker.record_failure(type(exc).__name__)
                if attempt == attempts:
                    raise
                self._pause(request, attempt, self._backoff(attempt), type(exc).__name__)
                continue
            if response.status_code < 400:
                self.breaker.record_success()
                return response
            response.read()
            verdict = classify(response, self._clock())
            if verdict.counts_as_failure:
                self.breaker.record_failure(verdict.reason)
            else:
                self.breaker.record_success()
            if verdict.fault is Fault.NONE or attempt == attempts:
                return response
            wait = self._wait_for(verdict, attempt)
            response.close()
            self._pause(request, attempt, wait, verdict.reason)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _wait_for(self, verdict: Verdict, attempt: int) -> float:
        if verdict.fault is Fault.RATE_LIMIT and verdict.wait is not None:
            if verdict.wait > self.policy.max_wait:
                self.breaker.trip(
                    f"{verdict.reason}: the server asked to wait {verdict.wait:.0f}s, "
                    f"more than the {self.policy.max_wait:.0f}s decom waits"
                )
                self.breaker.check()
            return verdict.wait
        if verdict.fault is Fault.SECONDARY:
            return self._jittered(self.policy.secondary_base * 2 ** (attempt - 1))
        return self._backoff(attempt)

    def _backoff(self, attempt: int) -> float:
        return self._jittered(
            min(self.policy.backoff_cap, self.policy.backoff_base * 2 ** (attempt - 1))
        )

    def _jittered(self, delay: float) -> float:
        """Half the delay fixed, half random ("equal jitter"), capped at ``max_wait``."""
        delay = min(delay, self.policy.max_wait)
        return delay / 2 + self._rng.uniform(0, delay / 2)

    def _pause(self, request: httpx.Request, attempt: int, seconds: float, reason: str) -> None:
        log.warning(
            "http_retry",
            method=request.method,
            path=request.url.path,
            reason=reason,
            attempt=attempt,
            wait_seconds=round(seconds, 3),
        )
        self._sleep(seconds)

    def close(self) -> None:
        """Keep the inner transport open: clients come and go, the owner calls :meth:`shutdown`."""

    def shutdown(self) -> None:
        """Close the inner transport."""
        self.inner.close()
