"""The model factory: deterministic mode, provider:model per role, the test override."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_openai import ChatOpenAI

from agent.discovery.options import ScanOptions
from agent.errors import InputError
from agent.forge.records import pr_body, pr_title
from agent.llm.critic import review_with_model
from agent.llm.discovery import Candidate, adjudicate
from agent.llm.factory import MAX_OUTPUT_TOKENS, LlmRole, chat_model, overridden_models
from agent.llm.session import LlmSession
from agent.llm.writer import PullRequestText, pull_request_text
from agent.models import CheckStatus, QualityAssuranceResult, ValidationResult
from agent.pipeline.models import Changeset, FileChange
from agent.refactor.base import Action
from tests.llm_fakes import ScriptedChatModel, make_settings


def passed(name: str) -> ValidationResult:
    return ValidationResult(name=name, status=CheckStatus.PASSED, score=1.0, checked=1)


QA = QualityAssuranceResult(
    database_reference_check=passed("database_reference_check"),
    rule_compliance_check=passed("rule_compliance_check"),
    service_integrity_check=passed("service_integrity_check"),
    overall_status=CheckStatus.PASSED,
)
CHANGES = Changeset(
    changes=[
        FileChange(
            path=".env",
            source_type="env_file",
            action=Action.COMMENT_OUT,
            rule="settings",
            reason="setting commented out",
            new_text="# decom: payroll_ledger retired: LEDGER_HOST=x\n",
        )
    ]
)


def test_no_model_configured_is_deterministic_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(monkeypatch, tmp_path)
    assert all(chat_model(settings, role) is None for role in LlmRole)
    session = LlmSession(settings)
    options = ScanOptions(database="payroll_ledger")
    candidate = Candidate("a.md:1", "a.md", 1, "prose", ">1: payroll ledger db")
    assert adjudicate(session, "billing", options, [candidate]).by_model is False
    assert review_with_model(session, "billing", "payroll_ledger", CHANGES, QA, lambda p: "") is QA
    assert pull_request_text(session, "billing", "payroll_ledger", CHANGES, QA) == PullRequestText(
        pr_title("payroll_ledger"), pr_body("payroll_ledger", "billing", CHANGES, QA)
    )
    assert session.ledger.total().calls == 0


def test_each_role_gets_its_own_model_with_the_endpoint_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(
        monkeypatch,
        tmp_path,
        model="openai:gpt-4o-mini",
        critic_model="openai:gpt-4o",
        openai_api_key="sk-test-factory-0123456789abcdef",
        openai_base_url="http://127.0.0.1:9/v1",
        model_timeout_seconds=7.5,
    )
    writer = chat_model(settings, LlmRole.WRITER)
    critic = chat_model(settings, "critic")
    assert isinstance(writer, ChatOpenAI) and isinstance(critic, ChatOpenAI)
    assert (writer.model_name, critic.model_name) == ("gpt-4o-mini", "gpt-4o")
    assert writer.openai_api_base == "http://127.0.0.1:9/v1"
    assert writer.max_tokens == MAX_OUTPUT_TOKENS[LlmRole.WRITER]
    assert writer.extra_body == {"max_tokens": MAX_OUTPUT_TOKENS[LlmRole.WRITER]}
    assert writer.request_timeout == 7.5
    assert writer.use_responses_api is False
    assert "sk-test-factory" not in repr(writer) + repr(settings)


def test_a_local_server_needs_no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(
        monkeypatch, tmp_path, model="openai:qwen2.5:7b", openai_base_url="http://127.0.0.1:9/v1"
    )
    model = chat_model(settings, LlmRole.DISCOVERY)
    assert isinstance(model, ChatOpenAI)
    assert model.model_name == "qwen2.5:7b"  # Ollama tags keep their colon


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("gpt-4o-mini", "not 'provider:model'"),
        ("openai:", "not 'provider:model'"),
        ("no_such_provider:model", "cannot set up"),
        ("anthropic:claude-sonnet", "cannot set up"),
    ],
)
def test_unusable_model_settings_are_input_errors(
    spec: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(monkeypatch, tmp_path, writer_model=spec)
    with pytest.raises(InputError, match=message):
        chat_model(settings, LlmRole.WRITER)
    assert chat_model(settings, LlmRole.CRITIC) is None


def test_override_applies_inside_the_block_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(monkeypatch, tmp_path)
    fake, other = ScriptedChatModel(), ScriptedChatModel()
    with overridden_models(fake):
        assert all(chat_model(settings, role) is fake for role in LlmRole)
        with overridden_models({"critic": other}):
            assert chat_model(settings, LlmRole.CRITIC) is other
            assert chat_model(settings, LlmRole.WRITER) is fake
        assert chat_model(settings, LlmRole.CRITIC) is fake
    assert chat_model(settings, LlmRole.CRITIC) is None


def test_session_checks_every_model_before_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(
        monkeypatch, tmp_path, critic_model="openai:gpt-4o-mini", openai_api_key="sk-x"
    )
    assert LlmSession(settings).check_models() == [LlmRole.CRITIC]
    for unusable in (
        {"writer_model": "gpt-4o-mini"},  # no provider
        {"writer_model": "openai:gpt-4o-mini"},  # OpenAI itself without a key
    ):
        bad = LlmSession(make_settings(monkeypatch, tmp_path, **unusable))
        with pytest.raises(InputError, match="writer"):
            bad.check_models()
