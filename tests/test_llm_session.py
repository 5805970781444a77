"""Guarded calls: one retry on invalid answers, fallback on errors and timeouts, the budget."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from agent.llm.factory import LlmRole, overridden_models
from agent.llm.ledger import TokenLedger, TokenUsage, usage_of
from agent.llm.session import LlmSession, parse_answer
from prompts.pr_writer import PullRequestAnswer
from tests.llm_fakes import ScriptedChatModel, Slow, answer, make_settings

GOOD = '{"title": "Retire the payroll_ledger database", "summary": "Removes it."}'


def ask(session: LlmSession, repo: str = "billing") -> PullRequestAnswer | None:
    return session.structured(LlmRole.WRITER, repo, "system", "user", PullRequestAnswer)


def test_invalid_answer_gets_one_retry_with_the_error_then_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = ScriptedChatModel(
        script=[answer("I think the title should be nice"), answer('{"title": "x\\ny"}')]
    )
    session = LlmSession(make_settings(monkeypatch, tmp_path, model="openai:unused"))
    with overridden_models(model):
        assert ask(session) is None
    assert len(model.received) == 2
    retry = model.received[1][-1]
    assert isinstance(retry, HumanMessage)
    assert "contains no JSON object" in str(retry.content)
    assert '"title"' in str(model.received[1][0].content)  # the schema is in the system prompt
    assert session.ledger.by_role()["writer"].calls == 2


def test_retry_quotes_the_validation_error_and_can_succeed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = ScriptedChatModel(
        script=[answer('{"title": "short"}'), answer(f"```json\n{GOOD}\n```")]
    )
    session = LlmSession(make_settings(monkeypatch, tmp_path, model="openai:unused"))
    with overridden_models(model):
        result = ask(session)
    assert result == PullRequestAnswer(
        title="Retire the payroll_ledger database", summary="Removes it."
    )
    error = str(model.received[1][-1].content)
    assert "title" in error and "summary: Field required" in error


def test_model_error_falls_back_without_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = ScriptedChatModel(script=[RuntimeError("boom"), answer(GOOD)])
    session = LlmSession(make_settings(monkeypatch, tmp_path, model="openai:unused"))
    with overridden_models(model):
        assert ask(session) is None
    assert len(model.received) == 1


def test_timeout_falls_back_quickly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = ScriptedChatModel(script=[Slow(3.0, answer(GOOD))])
    settings = make_settings(
        monkeypatch, tmp_path, model="openai:unused", model_timeout_seconds=0.2
    )
    session = LlmSession(settings)
    started = time.monotonic()
    with overridden_models(model):
        assert ask(session) is None
    assert time.monotonic() - started < 2.0
    assert session.ledger.total().calls == 0


def test_budget_stops_model_use_for_that_repository_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = ScriptedChatModel(script=[answer(GOOD, 120, 30), answer(GOOD, 10, 5)])
    settings = make_settings(monkeypatch, tmp_path, model="openai:unused", repo_token_budget=100)
    session = LlmSession(settings)
    with overridden_models(model):
        assert ask(session, "billing") is not None
        assert ask(session, "billing") is None  # over budget: not even asked
        assert ask(session, "payments") is not None
    assert len(model.received) == 2
    assert session.ledger.exhausted == frozenset({"billing"})
    assert session.ledger.tokens("billing") == 150
    assert session.ledger.to_json()["by_repo"]["billing"]["budget_exhausted"] is True


def test_zero_budget_means_no_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = ScriptedChatModel(script=[answer(GOOD)])
    session = LlmSession(
        make_settings(monkeypatch, tmp_path, model="openai:unused", repo_token_budget=0)
    )
    with overridden_models(model):
        assert ask(session) is None
    assert model.received == []


def test_ledger_accounts_per_role_and_repository_with_costs() -> None:
    ledger = TokenLedger()
    priced = answer("", 1_000_000, 1_000_000, response_metadata={"model_name": "gpt-4o-mini-x"})
    ledger.record("billing", "critic", usage_of(priced))
    ledger.record("billing", "writer", usage_of(answer("", 10, 5), "llama-3.1-8b"))
    ledger.record("payments", "writer", usage_of(AIMessage(content="no usage")))
    assert ledger.by_role()["critic"] == TokenUsage(1_000_000, 1_000_000, 1, 0.75, 0)
    assert ledger.by_role()["writer"] == TokenUsage(10, 5, 2, 0.0, 2)
    assert ledger.by_repo()["billing"].total_tokens == 2_000_015
    assert ledger.total().calls == 3
    assert ledger.to_json()["by_repo"]["billing"]["by_role"]["critic"]["cost_usd"] == 0.75


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "no JSON object"),
        ("{not json}", "not valid JSON"),
        ('{"title": 1, "summary": ""}', "does not match the schema"),
    ],
)
def test_parse_answer_explains_what_is_wrong(text: str, why: str) -> None:
    parsed, error = parse_answer(AIMessage(content=text), PullRequestAnswer)
    assert parsed is None
    assert why in error
