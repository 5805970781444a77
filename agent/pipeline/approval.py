"""A person approves a repository's plan before anything is written (human in the loop).

The graph pauses after ``plan`` with an :class:`ApprovalRequest` (what would change and why)
and resumes with an :class:`ApprovalDecision`: approve as planned, approve without some files
(glob patterns; they are left as they are and listed for a person), or abort the repository.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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


def apply_decision(
    plan: Plan, decision: ApprovalDecision, read: Callable[[str], str | None] | None = None
) -> Plan:
    """``plan`` without the excluded files' changes (they become items for a person).

    Two kinds of other files are kept with them, so what is kept still holds together:
    files planned only because names an excluded file removes would dangle (``cascade``),
    and, when ``read`` gives the base content, files that remove a name a kept file still
    uses (a variable, a resource, a secret it refers to), repeated until nothing changes.

    Raises:
        InputError: an exclude pattern matches no file of the plan.
    """
    missing = unmatched_patterns(plan, decision.exclude)
    if missing:
        raise InputError(f"exclude pattern(s) match no planned file: {', '.join(missing)}")
    excluded = {f.path for f in plan.files if any(fnmatchcase(f.path, p) for p in decision.exclude)}
    kept: dict[str, str] = {}
    if any(f.removed_symbols for f in plan.files if f.path in excluded):
        kept.update({f.path: CASCADE_REASON for f in plan.files if f.cascade})
    if read is not None:
        kept.update(_still_used(plan, excluded | set(kept), read))
    files: list[PlannedFile] = []
    for planned in plan.files:
        if planned.path in excluded or planned.path in kept:
            why = EXCLUDED_REASON if planned.path in excluded else kept[planned.path]
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
    return plan.model_copy(update={"files": files})


def _still_used(
    plan: Plan, kept_paths: set[str], read: Callable[[str], str | None]
) -> dict[str, str]:
    """Planned files whose removals a kept file still needs, with why (to a fixed point)."""
    texts = {path: read(path) or "" for path in kept_paths}
    reasons: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for planned in plan.files:
            if planned.path in texts or not planned.removed_symbols:
                continue
            for symbol in planned.removed_symbols:
                pattern = re.compile(rf"(?<![\w.]){re.escape(symbol)}(?![\w-])")
                user = next((p for p, text in texts.items() if pattern.search(text)), None)
                if user is not None:
                    reasons[planned.path] = f"kept: {user}, which stays, still uses {symbol}"
                    texts[planned.path] = read(planned.path) or ""
                    changed = True
                    break
    return reasons
