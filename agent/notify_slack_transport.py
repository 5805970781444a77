"""How decom talks to Slack: bounded rate-limit retries, a silenced SDK logger, actionable errors.

Only HTTP 429 is retried, after the ``Retry-After`` the server asked for, at most a few times
and within a cap on the total wait. 5xx answers and network errors are not retried: a
``chat.postMessage`` that failed after Slack stored it would be posted twice, and a run must
not wait on a chat service; the failure is logged and the run goes on.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from http.client import HTTPException
from typing import Any

from pydantic import SecretStr
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from agent.logs import redact

#: Seconds to wait on a 429 that carries no usable ``Retry-After``.
DEFAULT_RETRY_AFTER_SECONDS = 1.0
#: Attempts per Slack call, the first included.
MAX_ATTEMPTS = 3
#: Total seconds one Slack call may spend waiting on rate limits.
MAX_RATE_LIMIT_WAIT_SECONDS = 20.0
#: Seconds before one HTTP request to Slack is given up.
REQUEST_TIMEOUT_SECONDS = 10

#: Exceptions a Slack call raises when the request got no answer (refused, reset, timeout).
TRANSPORT_ERRORS = (SlackClientError, OSError, HTTPException)
#: A Slack error code (``invalid_auth``), as opposed to an HTML page or a long message.
ERROR_CODE = re.compile(r"[a-z_]{1,64}")

#: Web API error codes that retrying cannot fix, with what a person should do.
PERMANENT_API_ERRORS: dict[str, str] = {
    "invalid_auth": "SLACK_BOT_TOKEN is not valid: copy the Bot User OAuth Token (xoxb-...) "
    "of the Slack app into SLACK_BOT_TOKEN",
    "not_authed": "no Slack token was sent: set SLACK_BOT_TOKEN",
    "account_inactive": "the Slack app's bot user is deactivated: reinstall the app and "
    "update SLACK_BOT_TOKEN",
    "token_revoked": "SLACK_BOT_TOKEN was revoked: reinstall the Slack app and update it",
    "token_expired": "SLACK_BOT_TOKEN expired: reinstall the Slack app and update it",
    "not_allowed_token_type": "SLACK_BOT_TOKEN is not a bot token: use the xoxb-... token",
    "missing_scope": "the bot token lacks the chat:write scope: add it and reinstall the app",
    "channel_not_found": "DECOM_SLACK_CHANNEL was not found: use the channel ID (C...) of a "
    "channel the bot can see",
    "not_in_channel": "the bot is not a member of DECOM_SLACK_CHANNEL: /invite it there",
    "is_archived": "DECOM_SLACK_CHANNEL is archived: choose another channel",
    "restricted_action": "the workspace does not let the bot post in DECOM_SLACK_CHANNEL",
}

#: Incoming-webhook HTTP statuses that retrying cannot fix, with what a person should do.
PERMANENT_WEBHOOK_STATUSES: dict[int, str] = {
    403: "SLACK_WEBHOOK_URL was revoked or is not valid: create a new incoming webhook",
    404: "SLACK_WEBHOOK_URL does not exist (app or channel removed): create a new webhook",
    410: "the channel of SLACK_WEBHOOK_URL is archived: create a webhook for another channel",
}


def retry_after_seconds(headers: Mapping[str, Any]) -> float:
    """The wait a 429 asks for, in seconds (``DEFAULT_RETRY_AFTER_SECONDS`` when unreadable)."""
    for name, value in headers.items():
        if name.lower() != "retry-after":
            continue
        first = value[0] if isinstance(value, list | tuple) and value else value
        try:
            return max(0.0, float(str(first).strip()))
        except ValueError:
            return DEFAULT_RETRY_AFTER_SECONDS
    return DEFAULT_RETRY_AFTER_SECONDS


class BoundedRateLimitRetryHandler(RetryHandler):
    """Retries HTTP 429 after ``Retry-After``, with bounded attempts and total wait.

    slack-sdk's own ``RateLimitErrorRetryHandler`` adds random jitter and has no cap on the
    wait; a notifier must never hold a run for as long as Slack asks.
    """

    def __init__(
        self,
        max_attempts: int = MAX_ATTEMPTS,
        max_total_wait_seconds: float = MAX_RATE_LIMIT_WAIT_SECONDS,
    ) -> None:
        super().__init__(max_retry_count=max(0, max_attempts - 1))
        self.max_total_wait_seconds = max_total_wait_seconds

    @staticmethod
    def _waited(state: RetryState) -> float:
        return float((state.custom_values or {}).get("rate_limit_waited", 0.0))

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = retry_after_seconds(response.headers)
        return self._waited(state) + wait <= self.max_total_wait_seconds

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        """Sleep for ``Retry-After`` and ask the client for one more attempt."""
        wait = retry_after_seconds(response.headers) if response is not None else 0.0
        state.custom_values = {
            **(state.custom_values or {}),
            "rate_limit_waited": self._waited(state) + wait,
        }
        state.next_attempt_requested = True
        time.sleep(wait)
        state.increment_current_attempt()


def silenced_sdk_logger() -> logging.Logger:
    """A logger for slack-sdk clients that drops everything.

    slack-sdk logs request URLs (a webhook URL is a secret) and raw error text through the
    standard library; decom logs each outcome itself, redacted, through structlog.
    """
    logger = logging.getLogger("decom.slack_sdk")
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    return logger


class Scrubber:
    """Removes one secret (and anything credential-like) from text meant for logs."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def __call__(self, text: str) -> str:
        """``text`` without the secret."""
        if self._secret:
            text = text.replace(self._secret, "***")
        return redact(text)


def describe_api_error(exc: SlackApiError) -> tuple[str, str | None]:
    """A short reason for a failed Web API call, and the fix when retrying cannot help."""
    status = int(exc.response.status_code)
    data = exc.response.data
    code = str(data.get("error") or "") if isinstance(data, dict) else ""
    if status == 429:
        return "rate_limited (gave up within the wait bound)", None
    if status >= 500:
        return f"http_{status}", None
    if code in PERMANENT_API_ERRORS:
        return code, PERMANENT_API_ERRORS[code]
    return code if ERROR_CODE.fullmatch(code) else f"http_{status}", None


def configured_secret(value: SecretStr | None) -> str:
    """The secret's value, stripped; empty when it is not set (an empty variable is unset)."""
    return value.get_secret_value().strip() if value is not None else ""
