"""Pull-request text and records: what a reviewer reads, written the same for every forge."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from agent.models import QualityAssuranceResult
from agent.pipeline.models import Changeset
from agent.refactor.base import ACTION_LABEL, Action


def branch_name(database: str) -> str:
    """The campaign branch: ``decommission/<database>``, made safe for git ref names."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in database)
    while ".." in safe:
        safe = safe.replace("..", ".")
    return f"decommission/{safe.strip('.-') or 'database'}"


def pr_title(database: str) -> str:
    """The pull request title."""
    return f"Decommission the {database} database"


def pr_body(
    database: str, repo: str, changeset: Changeset, qa: QualityAssuranceResult | None
) -> str:
    """The pull request body: summary table, per-file actions, QA results, checklist."""
    changes = sorted(changeset.changes, key=lambda c: c.path)
    applied = [c for c in changes if c.action not in (Action.NEEDS_HUMAN, Action.NO_CHANGE)]
    human = [c for c in changes if c.action is Action.NEEDS_HUMAN or c.needs_human]
    counts: dict[str, int] = {}
    for change in changes:
        label = ACTION_LABEL[change.action]
        counts[label] = counts.get(label, 0) + 1
    lines = [
        f"This change retires the **{database}** database from `{repo}`.",
        "It was prepared by decom; every edit below says why it was made.",
        "",
        "| action | files |",
        "|---|---|",
        *(f"| {label} | {n} |" for label, n in sorted(counts.items())),
        "",
        "## Files",
        "",
        "| file | action | why |",
        "|---|---|---|",
        *(f"| `{c.path}` | {ACTION_LABEL[c.action]} | {_cell(c.reason)} |" for c in applied),
    ]
    if qa is not None:
        lines += ["", "## Quality checks", "", "| check | status | score |", "|---|---|---|"]
        for check in (
            qa.database_reference_check,
            qa.rule_compliance_check,
            qa.service_integrity_check,
        ):
            lines.append(f"| {check.name} | {check.status.value} | {check.score:.2f} |")
        lines += ["", f"Overall: **{qa.overall_status.value}** after {qa.iteration} iteration(s)."]
    if human:
        lines += ["", "## Needs a person", ""]
        for change in human:
            if change.action is Action.NEEDS_HUMAN and not change.needs_human:
                lines.append(f"- [ ] `{change.path}`: {change.reason}")
            for item in change.needs_human:
                lines.append(f"- [ ] `{change.path}:{item}`")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def unified_diff(files: Iterable[tuple[str, str | None, str | None]]) -> str:
    """A git-style unified diff of ``(path, old, new)`` texts (None: absent)."""
    out: list[str] = []
    for path, old, new in files:
        old_lines = (old or "").splitlines(keepends=True)
        new_lines = (new or "").splitlines(keepends=True)
        out.append(f"diff --git a/{path} b/{path}\n")
        if new is None:
            out.append("deleted file mode 100644\n")
        chunk = difflib.unified_diff(
            old_lines,
            new_lines,
            fromfile=f"a/{path}" if old is not None else "/dev/null",
            tofile=f"b/{path}" if new is not None else "/dev/null",
        )
        for line in chunk:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
