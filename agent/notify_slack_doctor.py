"""``decom doctor``'s Slack line: is Slack configured, and does the bot token work."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from agent.notify_slack_transport import (
    REQUEST_TIMEOUT_SECONDS,
    TRANSPORT_ERRORS,
    BoundedRateLimitRetryHandler,
    Scrubber,
    configured_secret,
    describe_api_error,
    silenced_sdk_logger,
)
from agent.settings import Settings


def check_slack(
    settings: Settings, *, timeout_seconds: int = REQUEST_TIMEOUT_SECONDS
) -> tuple[str, str]:
    """For ``decom doctor``: ``("off" | "ok" | "error", one line)``.

    A bot token is checked with ``auth.test`` (one call, no message posted); a webhook is
    never called, since the only way to test one is to post a message.
    """
    token = configured_secret(settings.slack_bot_token)
    url = configured_secret(settings.slack_webhook_url)
    if token and settings.slack_channel:
        return _check_bot_token(token, settings.slack_base_url, timeout_seconds)
    if url:
        if not url.startswith(("https://", "http://")):
            return "error", "SLACK_WEBHOOK_URL is not a URL: paste the incoming webhook's URL"
        ignored = " (SLACK_BOT_TOKEN ignored: DECOM_SLACK_CHANNEL not set)" if token else ""
        return "ok", f"webhook configured (not called){ignored}"
    if token:
        return "error", "SLACK_BOT_TOKEN is set but DECOM_SLACK_CHANNEL is not: set the channel"
    return "off", "set SLACK_BOT_TOKEN and DECOM_SLACK_CHANNEL, or SLACK_WEBHOOK_URL"


def _check_bot_token(token: str, base_url: str, timeout_seconds: int) -> tuple[str, str]:
    client = WebClient(
        token=token,
        base_url=base_url,
        timeout=timeout_seconds,
        logger=silenced_sdk_logger(),
        retry_handlers=[BoundedRateLimitRetryHandler(2, 5.0)],
    )
    try:
        data = client.auth_test().data
    except SlackApiError as exc:
        reason, fix = describe_api_error(exc)
        if fix is not None:
            return "error", fix
        if reason.startswith("rate_limited"):
            return "error", "Slack is rate-limiting auth.test: run decom doctor again in a minute"
        if reason.startswith("http_5"):
            return "error", f"Slack answered {reason}: try again later"
        return "error", f"auth.test failed ({Scrubber(token)(reason)}): check DECOM_SLACK_BASE_URL"
    except TRANSPORT_ERRORS as exc:
        return "error", (
            f"cannot reach {base_url} ({type(exc).__name__}): check the network, HTTPS_PROXY "
            "or DECOM_SLACK_BASE_URL"
        )
    if not isinstance(data, dict):
        return "error", f"auth.test gave no JSON at {base_url}: check DECOM_SLACK_BASE_URL"
    team, user = data.get("team", "?"), data.get("user", "?")
    if data.get("bot_id"):
        return "ok", f"team {team} as bot {user}"
    return "ok", f"team {team} as user {user} (not a bot token: messages post as that person)"
