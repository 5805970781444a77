"""The real langchain-openai HTTP path against a local OpenAI-compatible server."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from agent import logs
from agent.llm.factory import LlmRole
from agent.llm.refactor import refactor_without_rules
from agent.llm.session import LlmSession
from agent.pipeline.models import Plan, PlannedFile
from agent.refactor.base import Action
from graph.refactor_agent import run_refactor_agent
from prompts.pr_writer import PullRequestAnswer
from tests.llm_fakes import Reply, completion, fake_openai_server, make_settings

KEY = "sk-test-0123456789abcdefSECRET"
TITLE = '{"title": "Retire the payroll_ledger database", "summary": "It is gone."}'


def session_for(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **values: object
) -> LlmSession:
    settings = make_settings(
        monkeypatch,
        tmp_path,
        model="openai:gpt-4o-mini",
        openai_api_key=KEY,
        openai_base_url=url,
        **values,
    )
    return LlmSession(settings)


def ask(session: LlmSession) -> PullRequestAnswer | None:
    return session.structured(LlmRole.WRITER, "billing", "system", "user", PullRequestAnswer)


def test_structured_answer_over_http_sends_max_tokens_and_keeps_the_key_out_of_logs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    log_file = tmp_path / "decom.log.jsonl"
    logs.configure(log_file)
    caplog.set_level(logging.DEBUG)
    replies = [Reply(completion(TITLE)), Reply({"error": {"message": "bad key"}}, status=401)]
    with fake_openai_server(replies) as server:
        session = session_for(server.url, tmp_path, monkeypatch)
        result = ask(session)
        failed = ask(session)
    logs.configure(None)

    assert result is not None and result.title == "Retire the payroll_ledger database"
    assert failed is None
    first = server.requests[0]
    assert first.path == "/v1/chat/completions"
    assert first.headers["authorization"] == f"Bearer {KEY}"
    assert first.body["model"] == "gpt-4o-mini"
    assert first.body["max_tokens"] == 1024
    assert first.body["max_completion_tokens"] == 1024
    assert first.body["response_format"] == {"type": "json_object"}
    assert [m["role"] for m in first.body["messages"]] == ["system", "user"]
    usage = session.ledger.by_role()["writer"]
    assert (usage.input_tokens, usage.output_tokens, usage.calls) == (12, 7, 1)
    assert usage.cost_usd == pytest.approx((12 * 0.15 + 7 * 0.60) / 1_000_000)
    written = log_file.read_text()
    assert "llm_call" in written and "llm_fallback" in written
    assert KEY not in written
    assert KEY not in caplog.text
    assert "127.0.0.1" in caplog.text  # the client did log its requests, without the key


def test_slow_server_times_out_and_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fake_openai_server([Reply(completion(TITLE), delay=3.0)] * 2) as server:
        session = session_for(server.url, tmp_path, monkeypatch, model_timeout_seconds=0.5)
        started = time.monotonic()
        assert ask(session) is None
        assert time.monotonic() - started < 2.5
    assert session.ledger.total().calls == 0


def test_server_garbage_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    replies = [Reply(completion("not json at all")), Reply(completion('{"title": 3}'))]
    with fake_openai_server(replies) as server:
        session = session_for(server.url, tmp_path, monkeypatch)
        assert ask(session) is None
    assert len(server.requests) == 2
    retry = server.requests[1].body["messages"]
    assert [m["role"] for m in retry] == ["system", "user", "assistant", "user"]
    assert "rejected" in retry[-1]["content"]


def test_tool_loop_over_http(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "jobs.rb").write_text("A = 1\nDB = 'payroll_ledger'\nB = 2\n")
    plan = Plan(
        files=[
            PlannedFile(
                path="jobs.rb",
                source_type="ruby",
                action=Action.NEEDS_HUMAN,
                rule="planner",
                reason="no rewrite rule for ruby files",
                ref_lines=[2],
            )
        ]
    )
    edit = {"path": "jobs.rb", "start": 2, "end": 2, "text": ""}
    replies = [
        Reply(completion(None, tool_calls=[{"name": "replace_lines", "args": edit}])),
        Reply(completion("Removed the DB constant.")),
    ]
    with fake_openai_server(replies) as server:
        session = session_for(server.url, tmp_path, monkeypatch)
        proposals = refactor_without_rules(
            session, "repo", "payroll_ledger", plan, root, run_refactor_agent
        )
    (proposal,) = proposals
    assert proposal.new_text == "A = 1\nB = 2\n"
    tools = [t["function"]["name"] for t in server.requests[0].body["tools"]]
    assert tools == ["read_lines", "replace_lines", "delete_file"]
    assert server.requests[0].body["max_tokens"] == 4096
    second = server.requests[1].body["messages"]
    assert second[-1]["role"] == "tool" and "now has 2 lines" in second[-1]["content"]
    assert session.ledger.by_repo()["repo"].calls == 2
