"""The QA critic's deterministic checks, run on the rewritten files (never on scan data).

- ``database_reference_check``: the new content of every file that referred to the database
  is searched again with the same matcher and aliases; an active reference (not in a
  comment, a decom note or a file left to a human) is a finding.
- ``rule_compliance_check``: every planned action was applied, and every changed line lies in
  the ranges the rule declared (planned deletions aside).
- ``service_integrity_check``: every changed file of a parseable type still parses (if it
  parsed before), and no removed name (Terraform address, compose service, Helm value) is
  still used anywhere it is in scope.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from agent.discovery.models import SourceType
from agent.models import CheckStatus, Finding, QualityAssuranceResult, ValidationResult
from agent.pipeline.models import Changeset, FileChange, Plan
from agent.qa.confinement import stray_changes
from agent.qa.parsing import check_parses, prefetch
from agent.refactor.base import COMMENT_PREFIX, DECOM_MARK, Action, Target, split_lines

#: Reads a file's original text (None when unreadable).
Reader = Callable[[str], "str | None"]
#: Builds the target (matcher + aliases) for a file.
TargetFor = Callable[[str, SourceType], Target]

_COMMENT_STARTS = ("#", "//", "--", "/*", "*", ";", "<!--", "{{/*", "rem ", "REM ")
_EDITED = (Action.STRUCTURAL_EDIT, Action.COMMENT_OUT, Action.FAIL_FAST, Action.DOC_NOTE)


def _is_comment(line: str, source_type: SourceType) -> bool:
    stripped = line.strip()
    prefix = COMMENT_PREFIX.get(source_type)
    return stripped.startswith(_COMMENT_STARTS) or (
        prefix is not None and stripped.startswith(prefix)
    )


def review(
    plan: Plan,
    changeset: Changeset,
    read: Reader,
    target_for: TargetFor,
    still_used: Callable[[list[str]], list[tuple[str, int, str]]],
) -> QualityAssuranceResult:
    """Run the three checks on a changeset.

    Args:
        plan: what was planned.
        changeset: what the refactor step produced.
        read: the original text of a file.
        target_for: the matcher and aliases that apply to a file.
        still_used: for removed names, where they are still used in unchanged files
            (``(path, line, name)`` triples).
    """
    refs = _reference_check(plan, changeset, target_for)
    rules = _compliance_check(plan, changeset, read)
    integrity = _integrity_check(plan, changeset, read, still_used)
    checks = (refs, rules, integrity)
    failed = any(c.status is CheckStatus.FAILED for c in checks)
    return QualityAssuranceResult(
        database_reference_check=refs,
        rule_compliance_check=rules,
        service_integrity_check=integrity,
        overall_status=CheckStatus.FAILED if failed else CheckStatus.PASSED,
        recommendations=_recommendations(checks, changeset),
        iteration=changeset.iteration,
    )


def _result(name: str, checked: int, findings: list[Finding]) -> ValidationResult:
    bad = len({(f.path, f.line) for f in findings})
    score = 1.0 if checked == 0 else max(0.0, 1 - bad / checked)
    status = CheckStatus.FAILED if findings else CheckStatus.PASSED
    if checked == 0 and not findings:
        status = CheckStatus.SKIPPED
    return ValidationResult(
        name=name, status=status, score=score, checked=checked, findings=findings
    )


def _reference_check(plan: Plan, changeset: Changeset, target_for: TargetFor) -> ValidationResult:
    findings: list[Finding] = []
    planned = plan.by_path()
    # Every reference discovery found in an edited or deleted file is one checked item.
    checked = sum(
        len(planned[c.path].ref_lines)
        for c in changeset.changes
        if c.path in planned and c.action not in (Action.NEEDS_HUMAN, Action.NO_CHANGE)
    )
    for change in changeset.changes:
        if change.action not in _EDITED or change.new_text is None:
            continue
        if change.action is Action.DOC_NOTE:
            continue  # prose about the past, with a decommission note at the top
        source_type = SourceType(change.source_type)
        target = target_for(change.path, source_type)
        lines = split_lines(change.new_text)
        for number in target.mentioning_lines(change.new_text):
            line = lines[number - 1]
            if DECOM_MARK in line or _is_comment(line, source_type):
                continue
            findings.append(
                Finding(
                    check="database_reference_check",
                    path=change.path,
                    line=number,
                    message=f"still refers to the database: {line.strip()[:120]}",
                )
            )
    return _result("database_reference_check", max(checked, len(findings)), findings)


def _compliance_check(plan: Plan, changeset: Changeset, read: Reader) -> ValidationResult:
    findings: list[Finding] = []
    changes = changeset.by_path()
    for planned in plan.files:
        change = changes.get(planned.path)
        if change is None:
            findings.append(
                Finding(
                    check="rule_compliance_check",
                    path=planned.path,
                    message="planned but not applied",
                )
            )
            continue
        if change.strategy == 0 and change.action is not planned.action:
            findings.append(
                Finding(
                    check="rule_compliance_check",
                    path=planned.path,
                    message=f"planned {planned.action.value}, applied {change.action.value}",
                )
            )
        if change.new_text is None or change.action not in _EDITED:
            continue
        original = read(change.path)
        if original is None:
            continue
        for line in stray_changes(original, change.new_text, change.touched):
            findings.append(
                Finding(
                    check="rule_compliance_check",
                    path=change.path,
                    line=line,
                    message="changed outside the reference regions the rule declared",
                )
            )
    planned_paths = plan.by_path()
    for path in changes:
        if path not in planned_paths:
            findings.append(
                Finding(check="rule_compliance_check", path=path, message="changed but not planned")
            )
    return _result("rule_compliance_check", len(plan.files), findings)


def _integrity_check(
    plan: Plan,
    changeset: Changeset,
    read: Reader,
    still_used: Callable[[list[str]], list[tuple[str, int, str]]],
) -> ValidationResult:
    findings: list[Finding] = []
    edited = [c for c in changeset.changes if c.new_text is not None and c.action in _EDITED]
    checked = len(edited)
    # Checks that run a program (bash -n) start first, on their own threads (the planner has
    # started most already); the others parse in this thread meanwhile.
    for change in edited:
        prefetch(SourceType(change.source_type), change.new_text or "", change.path)
    for change in edited:
        source_type = SourceType(change.source_type)
        error = check_parses(source_type, change.new_text or "", change.path)
        if error is None:
            continue
        original = read(change.path)
        if original is not None and check_parses(source_type, original, change.path) is not None:
            continue  # it did not parse before either: not decom's doing
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", error)) else 0
        findings.append(
            Finding(check="service_integrity_check", path=change.path, line=line, message=error)
        )
    # Only what goes in: a file given back to a person (restored) removes nothing, and its
    # original content is live again, so its uses of what other files remove count.
    applied = {c.path for c in changeset.changes if c.lands}
    removed = sorted({s for f in plan.files if f.path in applied for s in f.removed_symbols})
    if removed:
        uses = uses_any(removed)
        for change in changeset.changes:
            if change.new_text is None:
                continue
            for number, text in enumerate(split_lines(change.new_text), start=1):
                if DECOM_MARK in text:
                    continue
                for m in uses.finditer(text):
                    findings.append(_dangling(change.path, number, m.group(1)))
        changes = changeset.by_path()
        for path, number, symbol in still_used(removed):
            if path not in applied and not _flagged(changes.get(path), number, symbol):
                findings.append(_dangling(path, number, symbol))
    return _result("service_integrity_check", checked, findings)


def _flagged(change: FileChange | None, line: int, symbol: str) -> bool:
    """Whether the file's checklist already hands that use of ``symbol`` to a person."""
    if change is None:
        return False
    return any(e.startswith(f"{line}:") and symbol in e for e in change.needs_human)


def uses_any(symbols: list[str]) -> re.Pattern[str]:
    """One regex finding any of ``symbols`` as a whole name (longest first)."""
    names = "|".join(re.escape(s) for s in sorted(symbols, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])({names})(?![\w-])")


def _dangling(path: str, line: int, symbol: str) -> Finding:
    return Finding(
        check="service_integrity_check",
        path=path,
        line=line,
        message=f"uses {symbol}, which this change removes",
    )


def _recommendations(checks: tuple[ValidationResult, ...], changeset: Changeset) -> list[str]:
    notes = []
    for check in checks:
        if check.findings:
            files = sorted({f.path for f in check.findings})
            notes.append(
                f"{check.name}: {len(check.findings)} findings in {len(files)} files "
                f"({', '.join(files[:5])}{'...' if len(files) > 5 else ''})"
            )
    restored = [c.path for c in changeset.changes if c.strategy == 2]
    if restored:
        notes.append(f"restored and left to a person: {', '.join(restored)}")
    human = [c.path for c in changeset.changes if c.action is Action.NEEDS_HUMAN]
    if human:
        notes.append(f"{len(human)} files need a person's decision (see the checklist)")
    return notes
