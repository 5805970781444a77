"""The QA critic role: the model reads the diff and may add findings, never remove one.

The deterministic checks (:mod:`agent.qa.critic`) run first. The model's findings are then
added to the check they belong to (a reference left -> ``database_reference_check``, something
broken -> ``service_integrity_check``, an unrelated change -> ``rule_compliance_check``), which
fails that check and sends the files up the critic loop's strategy ladder. A check that failed
stays failed whatever the model says; findings about files the change does not touch are
dropped.
"""

from __future__ import annotations

from collections.abc import Callable

import structlog

from agent.forge.records import unified_diff
from agent.llm.factory import LlmRole
from agent.llm.session import LlmSession
from agent.models import CheckStatus, Finding, QualityAssuranceResult, ValidationResult
from agent.pipeline.models import Changeset
from agent.refactor.base import Action
from prompts.critic import CRITIC_SYSTEM, CRITIC_USER, CriticAnswer, CriticFinding

log = structlog.get_logger("decom")

#: Reads a file's original text (None when unreadable), like ``agent.qa.critic.Reader``.
Reader = Callable[[str], "str | None"]

#: The name model findings carry in ``Finding.check``.
MODEL_CHECK = "llm_critic"
#: Characters of diff the model is shown; the rest is cut (and the cut is said).
MAX_DIFF_CHARS = 60_000

_CHECK_OF_KIND = {
    "reference_left": "database_reference_check",
    "broken": "service_integrity_check",
    "out_of_scope": "rule_compliance_check",
}


def changeset_diff(changeset: Changeset, read: Reader, limit: int = MAX_DIFF_CHARS) -> str:
    """The unified diff of every changed or deleted file (cut at ``limit`` characters)."""
    files = []
    for change in sorted(changeset.changes, key=lambda c: c.path):
        if change.action in (Action.NEEDS_HUMAN, Action.NO_CHANGE):
            continue
        old = read(change.path)
        if old == change.new_text:
            continue
        files.append((change.path, old, change.new_text))
    diff = unified_diff(files)
    if len(diff) > limit:
        return diff[:limit] + f"\n[diff cut: {len(diff) - limit} more characters not shown]\n"
    return diff


def review_with_model(
    session: LlmSession,
    repo: str,
    database: str,
    changeset: Changeset,
    qa: QualityAssuranceResult,
    read: Reader,
) -> QualityAssuranceResult:
    """The deterministic verdict ``qa`` with the model's findings added (``qa`` on fallback)."""
    if not session.usable(LlmRole.CRITIC, repo):
        return qa
    diff = changeset_diff(changeset, read)
    if not diff:
        return qa
    checks = "\n".join(
        f"{c.name}: {c.status.value} ({len(c.findings)} findings)"
        for c in (qa.database_reference_check, qa.rule_compliance_check, qa.service_integrity_check)
    )
    user = CRITIC_USER.format(database=database, repo=repo, checks=checks, diff=diff)
    answer = session.structured(LlmRole.CRITIC, repo, CRITIC_SYSTEM, user, CriticAnswer)
    if answer is None:
        return qa
    return with_model_findings(qa, answer, changeset)


def with_model_findings(
    qa: QualityAssuranceResult, answer: CriticAnswer, changeset: Changeset
) -> QualityAssuranceResult:
    """``qa`` plus the model's findings on files of the change; nothing of ``qa`` removed."""
    paths = {c.path for c in changeset.changes}
    added: dict[str, list[Finding]] = {name: [] for name in _CHECK_OF_KIND.values()}
    for found in answer.findings:
        path = _clean_path(found, paths)
        if path is None:
            continue
        added[_CHECK_OF_KIND[found.kind]].append(
            Finding(check=MODEL_CHECK, path=path, line=found.line, message=found.message)
        )
    checks = {
        "database_reference_check": _extended(qa.database_reference_check, added),
        "rule_compliance_check": _extended(qa.rule_compliance_check, added),
        "service_integrity_check": _extended(qa.service_integrity_check, added),
    }
    failed = any(c.status is CheckStatus.FAILED for c in checks.values())
    count = sum(len(v) for v in added.values())
    notes = list(qa.recommendations)
    if count:
        notes.append(f"{MODEL_CHECK}: {count} findings from the model's review")
    if answer.summary:
        notes.append(f"{MODEL_CHECK}: {answer.summary}")
    log.info(
        "llm_critic", verdict=answer.verdict, findings=count, dropped=len(answer.findings) - count
    )
    return qa.model_copy(
        update={
            **checks,
            "overall_status": CheckStatus.FAILED if failed else qa.overall_status,
            "recommendations": notes,
        }
    )


def _clean_path(found: CriticFinding, paths: set[str]) -> str | None:
    """The changed file a finding is about, with a diff's ``a/``/``b/`` tolerated."""
    path = found.path.strip()
    candidates = [path, *(path.removeprefix(p) for p in ("a/", "b/", "./") if path.startswith(p))]
    return next((c for c in candidates if c in paths), None)


def _extended(check: ValidationResult, added: dict[str, list[Finding]]) -> ValidationResult:
    extra = [f for f in added[check.name] if (f.path, f.line) not in _spots(check.findings)]
    if not extra:
        return check
    findings = [*check.findings, *extra]
    bad = len(_spots(findings))
    checked = max(check.checked, bad)
    score = min(check.score, max(0.0, 1 - bad / checked))
    return check.model_copy(
        update={
            "findings": findings,
            "status": CheckStatus.FAILED,
            "score": score,
            "checked": checked,
        }
    )


def _spots(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(f.path, f.line) for f in findings}
