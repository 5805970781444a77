"""Slack notifications: a bot that keeps one thread per run, or an incoming webhook.

:class:`SlackBotNotifier` (``SLACK_BOT_TOKEN`` + ``DECOM_SLACK_CHANNEL``) posts one parent
message per run (on ``run_started``, or on the first ``repo_done`` when no ``run_started``
came), one reply per repository in that thread, and on ``run_done`` the summary as a reply;
then it rewrites the parent with ``chat.update`` so the channel shows each run once, with its
final counts, instead of a second top-level message (``reply_broadcast`` would add one).

:class:`SlackWebhookNotifier` (``SLACK_WEBHOOK_URL``) posts one self-contained message per
notification: incoming webhooks have no threads.

Both keep the :class:`~agent.notify.Notifier` contract: nothing is ever raised into the run.
A failed delivery is logged (structlog, redacted) and the next notification is attempted; a
failure retrying cannot fix (bad token, missing channel, revoked webhook) is logged once with
its fix and every later notification is skipped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog
from pydantic import SecretStr
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse, WebClient
from slack_sdk.webhook import WebhookClient

from agent.notify import Notification, Notifier
from agent.notify_slack_doctor import check_slack
from agent.notify_slack_messages import (
    SlackMessage,
    other_message,
    repo_message,
    run_final_header,
    run_header,
    run_summary,
    standalone_message,
)
from agent.notify_slack_transport import (
    ERROR_CODE,
    MAX_ATTEMPTS,
    MAX_RATE_LIMIT_WAIT_SECONDS,
    PERMANENT_WEBHOOK_STATUSES,
    REQUEST_TIMEOUT_SECONDS,
    TRANSPORT_ERRORS,
    BoundedRateLimitRetryHandler,
    Scrubber,
    configured_secret,
    describe_api_error,
    silenced_sdk_logger,
)
from agent.settings import Settings

__all__ = [
    "SlackBotNotifier",
    "SlackWebhookNotifier",
    "check_slack",
    "slack_notifier_from_settings",
]

log = structlog.get_logger("decom.slack")


ErrorCallback = Callable[[str], None]


@dataclass(frozen=True)
class _RunThread:
    """Where a run's thread lives: the channel ID Slack answered and the parent's ts."""

    channel: str
    ts: str


class _SlackNotifierBase:
    """Never-raise delivery, failure logging and the permanent-failure switch."""

    transport = "slack"

    def __init__(self, secret: str, on_error: ErrorCallback | None) -> None:
        self._scrub = Scrubber(secret)
        self._lock = threading.Lock()
        self.on_error = on_error
        #: Why every further notification is skipped (None while delivering).
        self.disabled_because: str | None = None

    def notify(self, notification: Notification) -> None:
        """Deliver one notification; log, never raise, whatever happens."""
        try:
            # One delivery at a time: the run's thread must be started once, even when
            # repositories finish together, and replies then arrive in order.
            with self._lock:
                if self.disabled_because is None:
                    self._deliver(notification)
        except Exception as exc:  # noqa: BLE001 - a notification must never fail the run
            self._failed(notification, f"unexpected {type(exc).__name__}: {self._scrub(str(exc))}")

    def _deliver(self, notification: Notification) -> None:
        raise NotImplementedError

    def _failed(self, notification: Notification, reason: str) -> None:
        log.warning(
            "slack_notification_failed",
            transport=self.transport,
            notification=notification.event,
            run_id=notification.run_id,
            reason=reason,
        )
        self._report(f"slack {notification.event} for run {notification.run_id}: {reason}")

    def _disable(self, notification: Notification, reason: str, fix: str) -> None:
        self.disabled_because = f"{reason}: {fix}"
        log.error(
            "slack_disabled",
            transport=self.transport,
            notification=notification.event,
            run_id=notification.run_id,
            reason=reason,
            fix=fix,
        )
        self._report(f"slack off for the rest of the run ({reason}): {fix}")

    def _report(self, message: str) -> None:
        if self.on_error is None:
            return
        try:
            self.on_error(self._scrub(message))
        except Exception as exc:  # noqa: BLE001 - a notification must never fail the run
            log.warning("slack_on_error_failed", error_type=type(exc).__name__)


class SlackBotNotifier(_SlackNotifierBase):
    """Posts a run as one Slack thread with a bot token (``chat.postMessage``)."""

    transport = "bot"

    def __init__(
        self,
        token: SecretStr,
        channel: str,
        base_url: str = "https://slack.com/api/",
        *,
        max_attempts: int = MAX_ATTEMPTS,
        max_rate_limit_wait_seconds: float = MAX_RATE_LIMIT_WAIT_SECONDS,
        timeout_seconds: int = REQUEST_TIMEOUT_SECONDS,
        on_error: ErrorCallback | None = None,
    ) -> None:
        """Set up the client; nothing is sent until the first notification.

        Args:
            token: the bot token (``xoxb-...``), needs ``chat:write``.
            channel: channel ID (``C...``) or ``#name`` the bot is a member of.
            base_url: the Web API root (a local stand-in in tests).
            max_attempts: attempts per call when Slack answers 429.
            max_rate_limit_wait_seconds: total ``Retry-After`` wait allowed per call.
            timeout_seconds: per HTTP request.
            on_error: also told each failure in one redacted line (e.g. to print it).
        """
        super().__init__(token.get_secret_value(), on_error)
        self.channel = channel
        self._client = WebClient(
            token=token.get_secret_value(),
            base_url=base_url,
            timeout=timeout_seconds,
            logger=silenced_sdk_logger(),
            retry_handlers=[
                BoundedRateLimitRetryHandler(max_attempts, max_rate_limit_wait_seconds)
            ],
        )
        self._threads: dict[str, _RunThread] = {}

    def _deliver(self, notification: Notification) -> None:
        run_id = notification.run_id
        if notification.event == "run_started":
            if run_id not in self._threads:
                self._start_thread(notification)
        elif notification.event == "repo_done":
            thread = self._threads.get(run_id) or self._start_thread(notification)
            # Without a thread the reply is dropped (logged): the next notification retries
            # the thread, and the run's own records hold every outcome.
            if thread is not None:
                self._post(notification, repo_message(notification, standalone=False), thread)
        elif notification.event == "run_done":
            thread = self._threads.pop(run_id, None)
            if thread is None:
                self._post(notification, run_summary(notification, standalone=True), None)
                return
            self._post(notification, run_summary(notification, standalone=False), thread)
            final = run_final_header(notification)
            self._call(
                notification,
                self._client.chat_update,
                channel=thread.channel,
                ts=thread.ts,
                text=final.text,
                blocks=final.blocks,
            )
        else:
            thread = self._threads.get(run_id)
            self._post(notification, other_message(notification, standalone=not thread), thread)

    def _start_thread(self, notification: Notification) -> _RunThread | None:
        data = self._post(notification, run_header(notification), None)
        if not data or not data.get("ts"):
            return None
        thread = _RunThread(channel=str(data.get("channel") or self.channel), ts=str(data["ts"]))
        self._threads[notification.run_id] = thread
        return thread

    def _post(
        self, notification: Notification, message: SlackMessage, thread: _RunThread | None
    ) -> dict[str, Any] | None:
        return self._call(
            notification,
            self._client.chat_postMessage,
            channel=thread.channel if thread else self.channel,
            thread_ts=thread.ts if thread else None,
            text=message.text,
            blocks=message.blocks,
            unfurl_links=False,
            unfurl_media=False,
        )

    def _call(
        self, notification: Notification, method: Callable[..., SlackResponse], **kwargs: Any
    ) -> dict[str, Any] | None:
        """One Web API call; its answer, or None after logging why it failed."""
        if self.disabled_because is not None:
            return None
        try:
            response = method(**kwargs)
        except SlackApiError as exc:
            reason, fix = describe_api_error(exc)
            if fix is not None:
                self._disable(notification, reason, fix)
            else:
                self._failed(notification, self._scrub(reason))
            return None
        except TRANSPORT_ERRORS as exc:
            self._failed(notification, f"network {type(exc).__name__}: {self._scrub(str(exc))}")
            return None
        return response.data if isinstance(response.data, dict) else {}


class SlackWebhookNotifier(_SlackNotifierBase):
    """Posts one self-contained message per notification to an incoming webhook."""

    transport = "webhook"

    def __init__(
        self,
        url: SecretStr,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        max_rate_limit_wait_seconds: float = MAX_RATE_LIMIT_WAIT_SECONDS,
        timeout_seconds: int = REQUEST_TIMEOUT_SECONDS,
        on_error: ErrorCallback | None = None,
    ) -> None:
        """Set up the client; nothing is sent until the first notification.

        Args:
            url: the incoming webhook URL (a secret: it is the credential).
            max_attempts: attempts per message when Slack answers 429.
            max_rate_limit_wait_seconds: total ``Retry-After`` wait allowed per message.
            timeout_seconds: per HTTP request.
            on_error: also told each failure in one redacted line (e.g. to print it).
        """
        super().__init__(url.get_secret_value(), on_error)
        self._client = WebhookClient(
            url=url.get_secret_value(),
            timeout=timeout_seconds,
            logger=silenced_sdk_logger(),
            retry_handlers=[
                BoundedRateLimitRetryHandler(max_attempts, max_rate_limit_wait_seconds)
            ],
        )

    def _deliver(self, notification: Notification) -> None:
        message = standalone_message(notification)
        try:
            response = self._client.send(
                text=message.text, blocks=message.blocks, unfurl_links=False, unfurl_media=False
            )
        except TRANSPORT_ERRORS as exc:
            self._failed(notification, f"network {type(exc).__name__}: {self._scrub(str(exc))}")
            return
        if response.status_code == 200:
            return
        body = (response.body or "").strip()
        code = f" {body}" if ERROR_CODE.fullmatch(body) else ""
        reason = f"http_{response.status_code}{code}"
        fix = PERMANENT_WEBHOOK_STATUSES.get(response.status_code)
        if fix is not None:
            self._disable(notification, reason, fix)
        elif response.status_code == 429:
            self._failed(notification, "rate_limited (gave up within the wait bound)")
        else:
            self._failed(notification, reason)


def slack_notifier_from_settings(
    settings: Settings, *, on_error: ErrorCallback | None = None
) -> Notifier | None:
    """The Slack notifier the settings ask for, or None when Slack is off.

    A bot token with a channel wins (threads, summary on the parent); otherwise a webhook URL.
    """
    token = configured_secret(settings.slack_bot_token)
    if token and settings.slack_channel:
        return SlackBotNotifier(
            SecretStr(token), settings.slack_channel, settings.slack_base_url, on_error=on_error
        )
    url = configured_secret(settings.slack_webhook_url)
    if url:
        return SlackWebhookNotifier(SecretStr(url), on_error=on_error)
    return None
