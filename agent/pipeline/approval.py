"""A person approves a repository's plan before anything is written (human in the loop).

The graph pauses after ``plan`` with an :class:`ApprovalRequest` (what would change and why)
and resumes with an :class:`ApprovalDecision`: approve as planned, approve without some files
(glob patterns; they are left as they are and listed for a person), or abort the repository.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from agent.errors import InputError
from agent.pipeline.models import Plan, PlannedFile
from agent.refactor.base import Action

#: Why an excluded file was left alone (shown in reports and PR descriptions).
EXCLUDED_REASON = "excluded by the reviewer: left as it is"
#: Why a file planned only for names an excluded file defines was left alone too.
CASCADE_REASON = "kept: it uses names defined in a file the reviewer excluded"


class PlannedFileView(BaseModel):
    """One file of the plan, as a reviewer sees it."""

    path: str
    action: str
    reason: str
    references: int
    needs_human: list[str] = Field(default_factory=list)
    cascade: bool = False


class ApprovalRequest(BaseModel):
    """What the graph asks a person when it pauses after planning."""

    repo: str
    database: str
    files: list[PlannedFileView]


class ApprovalDecision(BaseModel):
    """A person's answer: approve (optionally without some files) or abort."""

    action: Literal["approve", "abort"] = "approve"
    exclude: list[str] = Field(default_factory=list, description="glob patterns of paths")
    reason: str = Field("", description="why (for an abort: shown in the outcome)")


def approval_request(repo: str, database: str, plan: Plan) -> ApprovalRequest:
    """The question for ``plan`` (JSON-able: it is stored in the checkpoint)."""
    return ApprovalRequest(
        repo=repo,
        database=database,
        files=[
            PlannedFileView(
                path=f.path,
                action=f.action.value,
                reason=f.reason,
                references=len(f.ref_lines),
                needs_human=f.needs_human,
                cascade=f.cascade,
            )  # fmt: skip
            for f in plan.files
        ],
    )


def parse_decision(value: Any) -> ApprovalDecision:
    """The decision a resume carried (a decision, a dict, or ``"approve"`` / ``"abort"``).

    Raises:
        InputError: anything else.
    """
    if isinstance(value, ApprovalDecision):
        return value
    if value in ("approve", "abort"):
        return ApprovalDecision(action=value)
    try:
        return ApprovalDecision.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(
            f"not an approval decision ({first['msg']}): resume with "
            '{"action": "approve" | "abort", "exclude": [glob, ...]}'
        ) from None


def unmatched_patterns(plan: Plan, patterns: list[str]) -> list[str]:
    """Patterns that select no file of ``plan`` (likely typos)."""
    return [p for p in patterns if not any(fnmatchcase(f.path, p) for f in plan.files)]


def apply_decision(plan: Plan, decision: ApprovalDecision) -> Plan:
    """``plan`` without the excluded files' changes (they become items for a person).

    Raises:
        InputError: an exclude pattern matches no file of the plan.
    """
    missing = unmatched_patterns(plan, decision.exclude)
    if missing:
        raise InputError(f"exclude pattern(s) match no planned file: {', '.join(missing)}")
    excluded = {f.path for f in plan.files if any(fnmatchcase(f.path, p) for p in decision.exclude)}
    # A file kept as it is may define names that other files were only planned to lose
    # because they would dangle: those edits are no longer right, so they are kept too.
    if any(f.removed_symbols for f in plan.files if f.path in excluded):
        cascaded = {f.path for f in plan.files if f.cascade} - excluded
    else:
        cascaded = set()
    files: list[PlannedFile] = []
    for planned in plan.files:
        if planned.path in excluded or planned.path in cascaded:
            why = EXCLUDED_REASON if planned.path in excluded else CASCADE_REASON
            planned = planned.model_copy(
                update={
                    "action": Action.NEEDS_HUMAN,
                    "rule": "reviewer",
                    "reason": why,
                    "new_text": None,
                    "removed_symbols": [],
                    "touched": [],
                }
            )
        files.append(planned)
    return Plan(files=files)
