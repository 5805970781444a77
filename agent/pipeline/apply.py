"""The refactor step: turn the plan into a changeset, and answer the critic's findings.

Each file climbs a ladder of strategies, one rung per critic iteration in which it has
findings: 0 the rule's proposal; 1 a conservative fallback (comment out each referencing line,
where the file type has comments and the result still parses); 2 restore the original and
leave the file to a person. A file is never committed broken: after the last iteration
anything still failing is restored.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from agent.discovery.models import SourceType
from agent.models import Finding
from agent.pipeline.models import Changeset, FileChange, Plan, PlannedFile
from agent.qa.critic import uses_any
from agent.qa.parsing import check_parses
from agent.refactor.base import (
    COMMENT_PREFIX,
    DECOM_MARK,
    Action,
    Target,
    body,
    decom_comment,
    line_ending,
    merge_ranges,
    split_lines,
)
from agent.refactor.linediff import LineDiff
from agent.refactor.rules.shell_lex import lex
from agent.refactor.rules.yaml_text import CONDITION_KEYS

Reader = Callable[[str], "str | None"]
TargetFor = Callable[[str, SourceType], Target]

#: Types where commenting a line out cannot change the structure around it.
_LINE_ORIENTED = frozenset(
    {
        SourceType.ENV_FILE,
        SourceType.PROPERTIES,
        SourceType.INI,
        SourceType.SHELL,
        SourceType.POWERSHELL,
        SourceType.DOCKERFILE,
        SourceType.CODEOWNERS,
        SourceType.YAML_CONFIG,
        SourceType.TERRAFORM,
        SourceType.PYTHON,
        SourceType.TOML,
    }
)


#: A YAML condition line (Ansible's ``when``, a CI ``if``).
_CONDITION_LINE = re.compile(rf"^\s*(?:-\s+)?(?:{'|'.join(sorted(CONDITION_KEYS))})\s*:")


def first_changeset(plan: Plan) -> Changeset:
    """Iteration 1: the plan's proposals as they are."""
    return Changeset(iteration=1, changes=[_from_plan(p) for p in plan.files])


def _from_plan(planned: PlannedFile) -> FileChange:
    return FileChange(
        path=planned.path,
        source_type=planned.source_type,
        action=planned.action,
        rule=planned.rule,
        reason=planned.reason,
        new_text=planned.new_text if planned.action is not Action.DELETE_FILE else None,
        needs_human=list(planned.needs_human),
        touched=list(planned.touched),
    )


def next_changeset(
    plan: Plan,
    previous: Changeset,
    findings: list[Finding],
    read: Reader,
    target_for: TargetFor,
    *,
    final: bool,
) -> Changeset:
    """Answer the critic: files with findings move one strategy up (all the way if ``final``)."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    origins = _symbol_origins(plan)
    for finding in findings:
        by_file[finding.path].append(finding)
        symbol = finding.message.removeprefix("uses ").partition(",")[0]
        if finding.check == "service_integrity_check" and symbol in origins:
            # A name still used elsewhere: the file that removed it is the one to revisit.
            for origin in origins[symbol]:
                by_file[origin].append(finding)
    changes = []
    for change in previous.changes:
        problems = by_file.get(change.path)
        if not problems:
            changes.append(change)
            continue
        strategy = 2 if final else change.strategy + 1
        if strategy == 1:
            fallback = _comment_out(change, read, target_for, problems)
            if fallback is not None:
                changes.append(fallback)
                continue
        changes.append(_restore(change, problems, read))
    if final:
        changes = _restore_origins(plan, changes, read, origins)
    return Changeset(iteration=previous.iteration + 1, changes=changes)


def _restore_origins(
    plan: Plan, changes: list[FileChange], read: Reader, origins: dict[str, list[str]]
) -> list[FileChange]:
    """Restore, until none is left, every file removing a name a restored file still uses.

    After the last iteration no critic runs again: a file given back whole (its original
    content live again) must not use a name that another file's edit still removes (a
    ``local`` deleted while the module reading it came back).
    """
    removed_by = {p.path: set(p.removed_symbols) for p in plan.files}
    by_path = {c.path: c for c in changes}
    checked: set[str] = set()
    while True:
        live = {s for c in by_path.values() if c.lands for s in removed_by.get(c.path, ())}
        restored = [c for c in by_path.values() if c.strategy == 2 and c.path not in checked]
        if not live or not restored:
            return list(by_path.values())
        uses = uses_any(sorted(live))
        for change in restored:
            checked.add(change.path)
            text = read(change.path) or ""
            for m in uses.finditer(text):
                for origin in origins.get(m.group(1), []):
                    current = by_path[origin]
                    if current.strategy != 2:
                        finding = Finding(
                            check="service_integrity_check",
                            path=change.path,
                            line=text.count("\n", 0, m.start()) + 1,
                            message=f"uses {m.group(1)}, and was given back whole",
                        )
                        by_path[origin] = _restore(current, [finding], read)


def _symbol_origins(plan: Plan) -> dict[str, list[str]]:
    origins: dict[str, list[str]] = defaultdict(list)
    for planned in plan.files:
        for symbol in planned.removed_symbols:
            origins[symbol].append(planned.path)
    return origins


def _comment_out(
    change: FileChange, read: Reader, target_for: TargetFor, problems: list[Finding]
) -> FileChange | None:
    """Strategy 1: comment out the lines that still name the database.

    When the rule's edit only left references behind (nothing stray, nothing broken), the
    lines still naming the database are commented out in the rule's edit, whose precise
    removals (a list element, a map entry) stay; otherwise in the original.
    """
    source_type = SourceType(change.source_type)
    prefix = COMMENT_PREFIX.get(source_type)
    original = read(change.path)
    if prefix is None or source_type not in _LINE_ORIENTED or original is None:
        return None
    target = target_for(change.path, source_type)
    touched = []
    lines = split_lines(original)
    on_original: dict[int, int] | None = None
    if change.new_text is not None and all(_residue(p, change.path) for p in problems):
        edited = split_lines(change.new_text)
        on_original = LineDiff(lines, edited).original_lines()
        touched = list(change.touched)
        lines = edited
    if source_type is SourceType.YAML_CONFIG and any(
        _CONDITION_LINE.match(line) and target.mentions(line) for line in lines
    ):
        # Without its condition a task or step runs for every other database too.
        return None
    if source_type is SourceType.SHELL and _in_heredoc(lines, target):
        # A here-document is data (SQL for psql, a config file): a '#' line there is not a
        # comment but content. The file goes back to a person whole.
        return None
    commented = False
    for index, line in enumerate(lines):
        if (
            target.mentions(line)
            and DECOM_MARK not in line
            and not line.lstrip().startswith(prefix)
        ):
            lines[index] = decom_comment(prefix, target.database, body(line)) + line_ending(line)
            number = index + 1 if on_original is None else on_original.get(index + 1, index + 1)
            touched.append((number, number))
            commented = True
    text = "".join(lines)
    if not commented or check_parses(source_type, text, change.path) is not None:
        return None
    return change.model_copy(
        update={
            "action": Action.COMMENT_OUT,
            "rule": "fallback",
            "reason": f"{change.reason} (the rule's edit failed QA; commented out instead)",
            "new_text": text,
            "strategy": 1,
            "touched": list(merge_ranges(touched)),
        }
    )


def _residue(problem: Finding, path: str) -> bool:
    """A problem of ``path``'s edit that is only a line still naming what goes.

    A reference left, or a use of a name another file removes: commenting the line out in
    the rule's edit answers it. A stray change or a parse error means the edit itself is
    wrong, and a problem found in another file is not this edit's to fix.
    """
    if problem.path != path:
        return False
    if problem.check == "database_reference_check":
        return True
    return problem.check == "service_integrity_check" and problem.message.startswith("uses ")


def _in_heredoc(lines: list[str], target: Target) -> bool:
    """Whether a here-document body of the script mentions the database."""
    bodies = {i for unit in lex(lines) for i in unit.heredoc}
    return any(target.mentions(lines[i]) for i in sorted(bodies))


def _restore(change: FileChange, problems: list[Finding], read: Reader | None = None) -> FileChange:
    """The file given back whole, its checklist numbered as the file that stays."""
    return change.model_copy(
        update={
            "action": Action.NEEDS_HUMAN,
            "reason": f"restored: decom's edit failed QA ({problems[0].message})",
            "new_text": None,
            "strategy": 2,
            "needs_human": _checklist(change, problems, read),
            "touched": [],
        }
    )


def _checklist(change: FileChange, problems: list[Finding], read: Reader | None) -> list[str]:
    """``"N: why"`` per problem, ``N`` a line of the original (the file that stays).

    The critic numbered its findings in the rewrite, which is discarded: they are mapped
    back through the line diff. A problem found in another file (a name it still uses) is
    a note on the whole file (``0``) that says where.
    """
    mapping: dict[int, int] = {}
    if (
        read is not None
        and change.new_text is not None
        and (original := read(change.path)) is not None
    ):
        mapping = LineDiff(split_lines(original), split_lines(change.new_text)).original_lines()
    notes = []
    for p in problems:
        if p.path != change.path:
            notes.append(f"0: {p.message} ({p.path}:{p.line})")
        elif p.line and mapping and p.check != "rule_compliance_check":
            # (the compliance check names original lines already)
            notes.append(f"{mapping.get(p.line, p.line)}: {p.message}")
        else:
            notes.append(f"{p.line}: {p.message}")
    return list(dict.fromkeys(notes))
