"""The QA critic (adds findings, never waives one) and the PR writer (falls back to decom's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.forge.records import pr_body, pr_title
from agent.llm.critic import MODEL_CHECK, changeset_diff, review_with_model
from agent.llm.factory import LlmRole, overridden_models
from agent.llm.session import LlmSession
from agent.llm.writer import pull_request_text
from agent.models import CheckStatus, Finding, QualityAssuranceResult, ValidationResult
from agent.pipeline.models import Changeset, FileChange
from agent.refactor.base import Action
from tests.llm_fakes import ScriptedChatModel, answer, make_settings

ORIGINAL = {"app.py": "import os\nURL = os.environ['LEDGER_URL']\nprint(URL)\n"}
CHANGES = Changeset(
    changes=[
        FileChange(
            path="app.py",
            source_type="python",
            action=Action.FAIL_FAST,
            rule="code",
            reason="connection fails fast",
            new_text="import os\nraise DatabaseDecommissionedError('payroll_ledger')\nprint(URL)\n",
            touched=[(2, 2)],
        ),
        FileChange(
            path="db/migrate/001.sql",
            source_type="sql",
            action=Action.NEEDS_HUMAN,
            rule="planner",
            reason="migration history",
        ),
    ]
)


def check(name: str, findings: list[Finding] | None = None) -> ValidationResult:
    status = CheckStatus.FAILED if findings else CheckStatus.PASSED
    return ValidationResult(
        name=name, status=status, score=0.5 if findings else 1.0, checked=2, findings=findings or []
    )


def verdict(
    references: list[Finding] | None = None, integrity: list[Finding] | None = None
) -> QualityAssuranceResult:
    failed = bool(references or integrity)
    return QualityAssuranceResult(
        database_reference_check=check("database_reference_check", references),
        rule_compliance_check=check("rule_compliance_check"),
        service_integrity_check=check("service_integrity_check", integrity),
        overall_status=CheckStatus.FAILED if failed else CheckStatus.PASSED,
    )


def critic_answer(verdict: str, *findings: tuple[str, int, str], summary: str = "") -> str:
    return json.dumps(
        {
            "verdict": verdict,
            "findings": [
                {"path": p, "line": n, "kind": k, "message": f"{k} here"} for p, n, k in findings
            ],
            "summary": summary,
        }
    )


def review(
    model: ScriptedChatModel, qa: QualityAssuranceResult, session: LlmSession
) -> QualityAssuranceResult:
    with overridden_models({LlmRole.CRITIC: model}):
        return review_with_model(session, "billing", "payroll_ledger", CHANGES, qa, ORIGINAL.get)


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LlmSession:
    return LlmSession(make_settings(monkeypatch, tmp_path, model="openai:unused"))


def test_model_findings_fail_the_check_they_belong_to(session: LlmSession) -> None:
    model = ScriptedChatModel(
        script=[
            answer(
                critic_answer(
                    "request_changes",
                    ("b/app.py", 3, "broken"),
                    ("../../etc/passwd", 1, "broken"),  # not in the change: dropped
                    ("other.py", 1, "reference_left"),  # not in the change: dropped
                    summary="print(URL) uses a name that is gone",
                )
            )
        ]
    )
    result = review(model, verdict(), session)
    assert result.overall_status is CheckStatus.FAILED
    assert result.service_integrity_check.status is CheckStatus.FAILED
    assert result.service_integrity_check.findings == [
        Finding(check=MODEL_CHECK, path="app.py", line=3, message="broken here")
    ]
    assert result.database_reference_check.status is CheckStatus.PASSED
    assert any("print(URL)" in note for note in result.recommendations)
    prompt = str(model.received[0][-1].content)
    assert "+raise DatabaseDecommissionedError" in prompt
    assert "migrate" not in prompt  # files left to a person have no diff


def test_model_cannot_waive_a_failed_check(session: LlmSession) -> None:
    failing = verdict(
        references=[Finding(check="database_reference_check", path="app.py", line=2, message="x")]
    )
    model = ScriptedChatModel(script=[answer(critic_answer("approve", summary="all good"))])
    result = review(model, failing, session)
    assert result.overall_status is CheckStatus.FAILED
    assert result.database_reference_check == failing.database_reference_check


def test_critic_falls_back_to_the_deterministic_verdict(session: LlmSession) -> None:
    qa = verdict()
    model = ScriptedChatModel(script=[answer("LGTM"), answer('{"verdict": "maybe"}')])
    assert review(model, qa, session) == qa
    assert len(model.received) == 2


def test_diff_is_cut_and_says_so() -> None:
    diff = changeset_diff(CHANGES, ORIGINAL.get, limit=40)
    assert diff.startswith("diff --git a/app.py b/app.py")
    assert "[diff cut:" in diff


def test_writer_puts_the_summary_above_decom_s_own_body(session: LlmSession) -> None:
    text = json.dumps({"title": "Retire payroll_ledger from billing", "summary": "Fails fast."})
    model = ScriptedChatModel(script=[answer(text)])
    with overridden_models({LlmRole.WRITER: model}):
        pr = pull_request_text(session, "billing", "payroll_ledger", CHANGES, verdict())
    assert pr.by_model
    assert pr.title == "Retire payroll_ledger from billing"
    assert pr.body == "Fails fast.\n\n" + pr_body("payroll_ledger", "billing", CHANGES, verdict())
    assert "- [ ] `db/migrate/001.sql`" in pr.body
    assert "app.py: fail_fast: connection fails fast" in str(model.received[0][-1].content)


def test_writer_falls_back_after_one_retry(session: LlmSession) -> None:
    bad = json.dumps({"title": "two\nlines here", "summary": "x"})
    model = ScriptedChatModel(script=[answer(bad), answer(bad)])
    with overridden_models({LlmRole.WRITER: model}):
        pr = pull_request_text(session, "billing", "payroll_ledger", CHANGES, None)
    assert not pr.by_model
    assert pr.title == pr_title("payroll_ledger")
    assert pr.body == pr_body("payroll_ledger", "billing", CHANGES, None)
    assert "single line" in str(model.received[1][-1].content)
