"""Slack notifiers against a real HTTP server on 127.0.0.1 standing in for Slack."""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import structlog
from pydantic import SecretStr
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from agent.notify import FanoutNotifier, JsonlNotifier, Notification
from agent.notify_slack import (
    SlackBotNotifier,
    SlackWebhookNotifier,
    check_slack,
    slack_notifier_from_settings,
)
from agent.settings import Settings

TOKEN = "xoxb-000000000000-fake-token-for-tests"
WEBHOOK_PATH = "/services/T000/B000/fake-webhook-secret"
RUN = "run-42"
DB = "payroll_ledger"

Events = list[MutableMapping[str, Any]]


@dataclass
class Call:
    """One request the fake Slack received."""

    method: str
    body: dict[str, Any]
    authorization: str
    at: float


class FakeSlack:
    """Slack's Web API and an incoming webhook: records calls, answers from a script."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.calls: list[Call] = []
        self.scripted: dict[str, list[Response]] = {}
        self._lock = threading.Lock()
        server.expect_request(re.compile(r"/.*")).respond_with_handler(self._answer)

    @property
    def api_url(self) -> str:
        return self.server.url_for("/api/")

    @property
    def webhook_url(self) -> str:
        return self.server.url_for(WEBHOOK_PATH)

    def answer_next(self, method: str, status: int, body: Any, **headers: str) -> None:
        """Queue one answer for ``method`` (``chat.postMessage``, ``webhook``...)."""
        text = body if isinstance(body, str) else json.dumps(body)
        response = Response(text, status=status, headers=headers, content_type="application/json")
        self.scripted.setdefault(method, []).append(response)

    def _answer(self, request: Request) -> Response:
        if request.path == WEBHOOK_PATH:
            method = "webhook"
        else:
            method = request.path.rpartition("/")[2]
        body = request.get_json(silent=True) or request.form.to_dict()
        with self._lock:
            self.calls.append(
                Call(method, body, request.headers.get("Authorization", ""), time.monotonic())
            )
            queued = self.scripted.get(method)
            if queued:
                return queued.pop(0)
            number = len(self.calls)
        if method == "webhook":
            return Response("ok", content_type="text/plain")
        if method == "auth.test":
            answer = {"ok": True, "team": "Acme", "user": "decom", "bot_id": "B01"}
        else:
            answer = {"ok": True, "channel": "C0DECOM", "ts": f"1700000000.{number:06d}"}
        return Response(json.dumps(answer), content_type="application/json")

    def posts(self) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.method == "chat.postMessage"]


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        yield FakeSlack(server)
    finally:
        server.clear()
        server.stop()


@pytest.fixture
def events() -> Iterator[Events]:
    """The structlog events logged during the test."""
    with structlog.testing.capture_logs() as captured:
        yield captured


def started() -> Notification:
    return Notification("run_started", RUN, DB, "run started", {"repos": ["a", "b"]})


def repo_done(repo: str = "billing-infra", **data: Any) -> Notification:
    fields: dict[str, Any] = {
        "repo": repo,
        "status": "needs_human",
        "branch": f"decommission/{DB}",
        "pr_record": f".decom/prs/{repo}/pr.json",
        "needs_human": 2,
    }
    fields.update(data)
    return Notification("repo_done", RUN, DB, f"{repo}: {fields['status']}", fields)


def run_done() -> Notification:
    counts = {"changed": 1, "no_references": 0, "needs_human": 1, "failed": 0}
    data = {"counts": counts, "success_rate": 0.5}
    return Notification("run_done", RUN, DB, "run done", data)


def bot(slack: FakeSlack, **options: Any) -> SlackBotNotifier:
    return SlackBotNotifier(SecretStr(TOKEN), "#decom", slack.api_url, **options)


def message_text(body: dict[str, Any]) -> str:
    """The fallback and every block's text of one posted message."""
    blocks = " ".join(b["text"]["text"] for b in body.get("blocks", []))
    return f"{body['text']} {blocks}"


def client_log(caplog: pytest.LogCaptureFixture) -> str:
    """What decom's side logged through the standard library (not the fake server's access log)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# --- the bot: content and threading ---------------------------------------------------------


def test_bot_posts_a_run_as_one_thread_and_updates_the_parent(slack: FakeSlack) -> None:
    notifier = bot(slack)
    notifier.notify(started())
    notifier.notify(repo_done())
    notifier.notify(repo_done("web", status="changed", needs_human=0))
    notifier.notify(run_done())

    methods = [c.method for c in slack.calls]
    assert methods == ["chat.postMessage"] * 4 + ["chat.update"]
    parent, first, second, summary = slack.posts()
    assert parent["channel"] == "#decom" and "thread_ts" not in parent
    assert DB in message_text(parent) and "2 repositories" in message_text(parent)
    parent_ts = "1700000000.000001"
    for reply in (first, second, summary):
        assert reply["thread_ts"] == parent_ts
        assert reply["channel"] == "C0DECOM"  # the ID Slack answered, which chat.update needs
    first_text = message_text(first)
    for expected in ("billing-infra", "needs_human", f"decommission/{DB}", "Needs a person: 2"):
        assert expected in first_text
    assert "need a person" in first["text"] and first["blocks"][0]["type"] == "section"
    assert "web" in message_text(second) and "changed" in message_text(second)
    assert "1 changed, 1 need a person" in message_text(summary) and "50%" in summary["text"]
    update = slack.calls[-1].body
    assert update["ts"] == parent_ts and update["channel"] == "C0DECOM"
    assert "decom finished" in update["text"] and "1 changed, 1 need a person" in update["text"]
    assert slack.calls[0].authorization == f"Bearer {TOKEN}"


def test_first_repo_done_starts_the_thread_once_when_repos_finish_together(
    slack: FakeSlack,
) -> None:
    notifier = bot(slack)
    workers = [
        threading.Thread(target=notifier.notify, args=(repo_done(f"repo-{i}"),)) for i in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    posts = slack.posts()
    parents = [p for p in posts if "thread_ts" not in p]
    assert len(parents) == 1 and "decom is retiring" in parents[0]["text"]
    replies = [p for p in posts if "thread_ts" in p]
    assert {p["thread_ts"] for p in replies} == {"1700000000.000001"}
    assert sorted(message_text(p).split("*")[1] for p in replies) == [f"repo-{i}" for i in range(4)]


def test_each_run_gets_its_own_thread(slack: FakeSlack) -> None:
    notifier = bot(slack)
    notifier.notify(started())
    notifier.notify(Notification("run_started", "run-43", DB, "run started"))
    notifier.notify(repo_done())
    notifier.notify(Notification("repo_done", "run-43", DB, "x", {"repo": "other"}))

    posts = slack.posts()
    assert posts[2]["thread_ts"] == "1700000000.000001"
    assert posts[3]["thread_ts"] == "1700000000.000002"


def test_run_done_without_a_thread_posts_a_standalone_summary(slack: FakeSlack) -> None:
    bot(slack).notify(run_done())

    assert [c.method for c in slack.calls] == ["chat.postMessage"]
    (summary,) = slack.posts()
    assert "thread_ts" not in summary and RUN in summary["text"] and DB in summary["text"]


def test_values_from_the_run_are_escaped_and_redacted(slack: FakeSlack) -> None:
    leaked = "ghp_" + "a" * 36
    notifier = bot(slack)
    notifier.notify(repo_done("<!channel>", status="failed", error=f"push failed with {leaked}"))

    reply = slack.posts()[1]
    text = message_text(reply)
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert leaked not in json.dumps(reply) and "push failed with ***" in text


# --- the bot: rate limits, failures, bad tokens ---------------------------------------------


def test_rate_limit_waits_for_retry_after_then_delivers(slack: FakeSlack, events: Events) -> None:
    slack.answer_next(
        "chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, **{"Retry-After": "1"}
    )
    bot(slack).notify(started())

    assert len(slack.calls) == 2
    waited = slack.calls[1].at - slack.calls[0].at
    assert 1.0 <= waited < 3.0
    assert not [e for e in events if e["event"] == "slack_notification_failed"]


def test_rate_limit_gives_up_after_three_attempts(slack: FakeSlack, events: Events) -> None:
    for _ in range(5):
        slack.answer_next("chat.postMessage", 429, {"ok": False}, **{"Retry-After": "0"})
    bot(slack).notify(started())

    assert len(slack.calls) == 3
    (failure,) = [e for e in events if e["event"] == "slack_notification_failed"]
    assert failure["reason"].startswith("rate_limited")


def test_rate_limit_longer_than_the_wait_bound_is_not_waited_for(
    slack: FakeSlack, events: Events
) -> None:
    slack.answer_next("chat.postMessage", 429, {"ok": False}, **{"Retry-After": "30"})
    begin = time.monotonic()
    bot(slack, max_rate_limit_wait_seconds=2.0).notify(started())

    assert time.monotonic() - begin < 2.0
    assert len(slack.calls) == 1
    assert [e["event"] for e in events] == ["slack_notification_failed"]


def test_server_error_is_logged_and_later_notifications_are_attempted(
    slack: FakeSlack, events: Events, tmp_path: Path
) -> None:
    slack.answer_next("chat.postMessage", 500, "<html>Internal Server Error</html>")
    notifier = bot(slack)
    jsonl = tmp_path / "notifications.jsonl"
    run_notifier = FanoutNotifier([notifier, JsonlNotifier(jsonl)])

    run_notifier.notify(started())
    run_notifier.notify(repo_done())

    assert run_notifier.failures == []  # nothing was raised into the run
    assert len(jsonl.read_text().splitlines()) == 2  # and the other notifiers went on
    (failure,) = [e for e in events if e["event"] == "slack_notification_failed"]
    assert failure["reason"] == "http_500" and failure["notification"] == "run_started"
    assert failure["log_level"] == "warning"
    # The repo_done started the thread the failed run_started could not, then replied in it.
    assert len(slack.posts()) == 3
    assert slack.posts()[2]["thread_ts"] == "1700000000.000002"


def test_unreachable_slack_is_logged_for_every_notification(
    events: Events,
) -> None:
    notifier = SlackBotNotifier(
        SecretStr(TOKEN), "#decom", f"http://127.0.0.1:{closed_port()}/api/"
    )
    notifier.notify(started())
    notifier.notify(repo_done())

    failures = [e for e in events if e["event"] == "slack_notification_failed"]
    assert len(failures) == 2 and all(f["reason"].startswith("network") for f in failures)
    assert notifier.disabled_because is None


def test_invalid_auth_is_logged_once_and_stops_posting(slack: FakeSlack, events: Events) -> None:
    slack.answer_next("chat.postMessage", 200, {"ok": False, "error": "invalid_auth"})
    told: list[str] = []
    notifier = bot(slack, on_error=told.append)

    for notification in (started(), repo_done(), repo_done("web"), run_done()):
        notifier.notify(notification)

    assert len(slack.calls) == 1
    (disabled,) = [e for e in events if e["event"] == "slack_disabled"]
    assert disabled["reason"] == "invalid_auth" and "SLACK_BOT_TOKEN" in disabled["fix"]
    assert [e["event"] for e in events] == ["slack_disabled"]
    assert len(told) == 1 and "SLACK_BOT_TOKEN" in told[0]


def test_bot_not_in_channel_stops_with_the_fix(slack: FakeSlack, events: Events) -> None:
    slack.answer_next("chat.postMessage", 200, {"ok": False, "error": "not_in_channel"})
    notifier = bot(slack)
    notifier.notify(started())
    notifier.notify(repo_done())

    assert len(slack.calls) == 1
    assert notifier.disabled_because is not None and "/invite" in notifier.disabled_because


def test_token_never_appears_in_logs_or_reports(
    slack: FakeSlack,
    events: Events,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    # A misbehaving server echoes the credential back in every kind of error body.
    slack.answer_next("chat.postMessage", 500, f"proxy error for Bearer {TOKEN}")
    slack.answer_next("chat.postMessage", 200, f"not json: {TOKEN}")
    slack.answer_next("chat.postMessage", 200, {"ok": False, "error": f"bad {TOKEN}"})
    slack.answer_next("chat.postMessage", 400, {"ok": False, "error": TOKEN})
    slack.answer_next("chat.postMessage", 200, {"ok": False, "error": "invalid_auth"})
    told: list[str] = []
    notifier = bot(slack, on_error=told.append)
    for _ in range(6):
        notifier.notify(repo_done())
    unreachable = SlackBotNotifier(
        SecretStr(TOKEN), "#decom", f"http://127.0.0.1:{closed_port()}/", on_error=told.append
    )
    unreachable.notify(started())

    assert len(slack.calls) == 5 and len(events) == 6 and len(told) == 6
    out, err = capsys.readouterr()
    for text in (json.dumps(events), client_log(caplog), out, err, "\n".join(told), repr(notifier)):
        assert TOKEN not in text
        assert "fake-token-for-tests" not in text


# --- the incoming webhook --------------------------------------------------------------------


def test_webhook_posts_one_self_contained_message_per_notification(slack: FakeSlack) -> None:
    notifier = SlackWebhookNotifier(SecretStr(slack.webhook_url))
    for notification in (started(), repo_done(), run_done()):
        notifier.notify(notification)

    assert [c.method for c in slack.calls] == ["webhook"] * 3
    header, repo, summary = (c.body for c in slack.calls)
    assert "thread_ts" not in repo
    repo_text = message_text(repo)
    for expected in (DB, RUN, "billing-infra", "needs_human", f"decommission/{DB}", "2"):
        assert expected in repo_text
    assert "decom is retiring" in header["text"]
    assert "1 changed, 1 need a person" in summary["text"] and RUN in summary["text"]


def test_webhook_server_error_is_logged_and_the_next_message_is_sent(
    slack: FakeSlack, events: Events
) -> None:
    slack.answer_next("webhook", 500, "internal_error")
    notifier = SlackWebhookNotifier(SecretStr(slack.webhook_url))
    notifier.notify(repo_done())
    notifier.notify(run_done())

    assert len(slack.calls) == 2
    (failure,) = [e for e in events if e["event"] == "slack_notification_failed"]
    assert failure["reason"] == "http_500 internal_error" and failure["transport"] == "webhook"


def test_webhook_rate_limit_is_retried(slack: FakeSlack) -> None:
    slack.answer_next("webhook", 429, "rate_limited", **{"Retry-After": "0"})
    notifier = SlackWebhookNotifier(SecretStr(slack.webhook_url))
    notifier.notify(repo_done())

    assert len(slack.calls) == 2 and notifier.disabled_because is None


def test_revoked_webhook_stops_after_the_first_message(
    slack: FakeSlack, events: Events, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    slack.answer_next("webhook", 404, "no_service")
    notifier = SlackWebhookNotifier(SecretStr(slack.webhook_url))
    for notification in (started(), repo_done(), run_done()):
        notifier.notify(notification)

    assert len(slack.calls) == 1
    assert [e["event"] for e in events] == ["slack_disabled"]
    assert "SLACK_WEBHOOK_URL" in events[0]["fix"]
    assert "fake-webhook-secret" not in json.dumps(events) + client_log(caplog)


def test_unreachable_or_malformed_webhook_url_never_leaks(
    events: Events, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    SlackWebhookNotifier(SecretStr(f"http://127.0.0.1:{closed_port()}{WEBHOOK_PATH}")).notify(
        repo_done()
    )
    SlackWebhookNotifier(SecretStr(f"ftp://example.invalid{WEBHOOK_PATH}")).notify(repo_done())

    assert [e["event"] for e in events] == ["slack_notification_failed"] * 2
    assert "fake-webhook-secret" not in json.dumps(events) + client_log(caplog)


# --- settings: factory and doctor ------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No Slack settings from the environment or a decom.toml."""
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_WEBHOOK_URL", "DECOM_SLACK_CHANNEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("DECOM_SLACK_BASE_URL", raising=False)


@pytest.mark.usefixtures("clean_env")
def test_factory_picks_bot_then_webhook_then_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert slack_notifier_from_settings(Settings()) is None
    monkeypatch.setenv("SLACK_WEBHOOK_URL", "https://hooks.example/services/x")
    assert isinstance(slack_notifier_from_settings(Settings()), SlackWebhookNotifier)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    # A token without a channel cannot post: the webhook is still the one used.
    assert isinstance(slack_notifier_from_settings(Settings()), SlackWebhookNotifier)
    monkeypatch.setenv("DECOM_SLACK_CHANNEL", "C0DECOM")
    chosen = slack_notifier_from_settings(Settings())
    assert isinstance(chosen, SlackBotNotifier) and chosen.channel == "C0DECOM"


@pytest.mark.usefixtures("clean_env")
def test_check_slack_reports_each_configuration(
    slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert check_slack(Settings())[0] == "off"
    monkeypatch.setenv("SLACK_WEBHOOK_URL", slack.webhook_url)
    assert check_slack(Settings()) == ("ok", "webhook configured (not called)")
    assert slack.calls == []
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    status, detail = check_slack(Settings())
    assert status == "ok" and "DECOM_SLACK_CHANNEL" in detail
    monkeypatch.setenv("DECOM_SLACK_CHANNEL", "C0DECOM")
    monkeypatch.setenv("DECOM_SLACK_BASE_URL", slack.api_url)
    assert check_slack(Settings()) == ("ok", "team Acme as bot decom")
    assert [c.method for c in slack.calls] == ["auth.test"]
    assert slack.calls[0].authorization == f"Bearer {TOKEN}"


@pytest.mark.usefixtures("clean_env")
def test_check_slack_gives_an_actionable_error(
    slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    assert check_slack(Settings())[0] == "error"  # no channel
    monkeypatch.setenv("DECOM_SLACK_CHANNEL", "C0DECOM")
    monkeypatch.setenv("DECOM_SLACK_BASE_URL", slack.api_url)
    slack.answer_next("auth.test", 200, {"ok": False, "error": "invalid_auth"})
    status, detail = check_slack(Settings())
    assert status == "error" and "SLACK_BOT_TOKEN" in detail and "xoxb-" in detail
    assert TOKEN not in detail
    slack.answer_next("auth.test", 503, "down")
    assert check_slack(Settings()) == ("error", "Slack answered http_503: try again later")
    monkeypatch.setenv("DECOM_SLACK_BASE_URL", f"http://127.0.0.1:{closed_port()}/api/")
    status, detail = check_slack(Settings())
    assert status == "error" and detail.startswith("cannot reach http://127.0.0.1:")
