"""Rewrite rule for SQL scripts: remove the statements that only concern the database.

A statement concerns the database when its code names it (``CREATE/ALTER/DROP DATABASE``,
``GRANT ... ON DATABASE``, a cross-database name ``payroll_ledger.public.x``, ``USE``), when
it runs under ``\\c payroll_ledger`` / ``USE payroll_ledger`` (up to the next connection
switch), or when it creates a role that nothing else in the file uses. Such statements are
deleted with the comment block right above them; a list that names other databases as well
only loses the database's element (``ON DATABASE orders, payroll_ledger``). A script whose
every statement concerns the database is deleted. Migrations are never edited: they are
history other migrations build on, so they go to a human.
"""

from __future__ import annotations

import re

from agent.discovery.models import SourceType
from agent.refactor.base import Action, FileEdit, Rewrite, body, line_ending, remove_spans
from agent.refactor.rules.script_edits import LinePlan, Refs, blank, guarded, mark_comment
from agent.refactor.rules.sql_lex import SqlText, Statement, split

MIGRATION_REASON = (
    "migration history: other migrations may depend on it; mark it superseded by hand"
)
_MIGRATION_PATH = re.compile(
    r"(^|/)(db/migrate|migrations?|alembic|changelogs?|flyway|sqitch)/"
    r"|(^|/)[VUR]\d*(?:[._]\d+)*__[^/]*\.sql$|\.(up|down)\.sql$",
    re.IGNORECASE,
)
_CONNECT = re.compile(r"^\s*(?:\\c(?:onnect)?\b|USE\s)", re.IGNORECASE)
_ROLE = re.compile(
    r"^\s*CREATE\s+(?:ROLE|USER)\s+(?:IF\s+NOT\s+EXISTS\s+)?([\"'`]?)([\w.$-]+)\1", re.IGNORECASE
)
_BOILERPLATE = re.compile(
    r"^\s*(?:\\(?:set|unset|echo|timing|pset|encoding|o|qecho)\b|SET\s|BEGIN\b|COMMIT\b|"
    r"START\s+TRANSACTION\b|END\b|SELECT\s+pg_catalog\.set_config\b|DELIMITER\b)",
    re.IGNORECASE,
)
#: ``GRANT ... ON DATABASE a, b TO r`` / ``REVOKE ... FROM r``: the databases, the grantees.
_GRANT_ON = re.compile(
    r"\bON\s+DATABASE\s+([^;]+?)\s+(TO|FROM)\s+([^;]+?)\s*(?:WITH\b|;|$)",
    re.IGNORECASE | re.DOTALL,
)
_LIST_LEFT = re.compile(r"(,|\(|\bDATABASES?\b|\bSCHEMAS?\b)\s*$", re.IGNORECASE)
_LIST_RIGHT = re.compile(r"\s*(,|\)|;|$|(?:TO|FROM|IS|WITH|OWNER|SET)\b)", re.IGNORECASE)
_EMPTIED_LIST = re.compile(r"\(\s*\)|\bDATABASES?\s+(?:TO|FROM)\b|\bIN\s*\(\s*\)", re.IGNORECASE)


def is_migration(path: str) -> bool:
    """Whether ``path`` looks like a schema migration (Rails, Django, Flyway, Alembic...)."""
    return bool(_MIGRATION_PATH.search(path))


class SqlRule:
    """Removes the statements that only concern the database from SQL scripts."""

    name = "sql"
    source_types = frozenset({SourceType.SQL})

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """Rewrite one SQL script (see the module docstring)."""
        return guarded(self._rewrite, edit)

    def _rewrite(self, edit: FileEdit) -> Rewrite:
        refs = Refs(edit)
        lines = edit.lines
        if not any(refs.any(line) for line in lines) and not edit.ref_lines:
            return Rewrite(Action.NO_CHANGE, "nothing refers to the database", None)
        if is_migration(edit.path):
            return Rewrite(Action.NEEDS_HUMAN, MIGRATION_REASON, None)
        parsed = split(edit.text)
        statements = parsed.statements
        direct = _concerning(statements, refs)
        edits = _list_edits(lines, statements, direct, refs)
        shared = _shared_grants(statements, direct - set(edits), refs)
        concern = _dedicated_roles(statements, direct - set(edits) - shared)
        if (
            concern
            and not edits
            and all(k in concern or _BOILERPLATE.match(s.code) for k, s in enumerate(statements))
        ):
            return Rewrite(
                Action.DELETE_FILE,
                f"every statement of this script concerns {edit.target.database}",
                None,
                touched=((1, len(lines)),),
            )
        plan = LinePlan(lines, edit.target.database, "--")
        for new_lines in edits.values():
            for i, new in new_lines.items():
                plan.replace(i, new)
        _remove_statements(plan, parsed, concern, refs)
        for k in sorted(shared):
            plan.ask(
                statements[k].first,
                "also grants on other databases (or creates a role that does): edit by hand",
            )
        _mark_comments(plan, parsed, refs)
        plan.absorb_blank_lines()
        plan.flag_leftovers(refs, edit.ref_lines)
        return plan.result("SQL script")


def _concerning(statements: list[Statement], refs: Refs) -> set[int]:
    """Indexes of the statements that only concern the database."""
    concern: set[int] = set()
    section = False
    for k, statement in enumerate(statements):
        if _CONNECT.match(statement.code):
            section = refs.any(statement.code)
        if section or refs.any(statement.code):
            concern.add(k)
    return concern


def _shared_grants(statements: list[Statement], doomed: set[int], refs: Refs) -> set[int]:
    """Statements that would go but grant on another database too, and their roles' CREATE.

    ``GRANT CONNECT ON DATABASE ledger, ledger_archive TO ledger_ro`` could not lose just
    ``ledger`` (its role is named after the database too): deleting it, and the role, would
    take the archive's readers away. They stay, for a person.
    """
    shared: set[int] = set()
    roles: set[str] = set()
    for k in doomed:
        m = _GRANT_ON.search(statements[k].code)
        if m is None:
            continue
        names = [n.strip().strip("\"'`") for n in m.group(1).split(",")]
        if any(n and not refs.any(n) for n in names):
            shared.add(k)
            roles.update(r.strip().strip("\"'`").lower() for r in m.group(3).split(","))
    for k in doomed:
        role = _ROLE.match(statements[k].code)
        if role is not None and role.group(2).lower() in roles:
            shared.add(k)
    return shared


def _dedicated_roles(statements: list[Statement], concern: set[int]) -> set[int]:
    """Add the ``CREATE ROLE``/``USER`` statements of roles only the doomed statements use."""
    concern = set(concern)
    roles = {
        k: match.group(2)
        for k, s in enumerate(statements)
        if (match := _ROLE.match(s.code)) is not None
    }
    changed = True
    while changed:
        changed = False
        for k, role in roles.items():
            if k in concern:
                continue
            word = re.compile(rf"(?<![\w$]){re.escape(role)}(?![\w$])", re.IGNORECASE)
            users = [j for j, s in enumerate(statements) if j != k and word.search(s.code)]
            if users and all(j in concern for j in users):
                concern.add(k)
                changed = True
    return concern


def _list_edits(
    lines: list[str], statements: list[Statement], concern: set[int], refs: Refs
) -> dict[int, dict[int, str]]:
    """New lines for statements that name other databases too, in the same list.

    ``GRANT CONNECT ON DATABASE orders, payroll_ledger TO x`` keeps ``orders``. Returns
    statement index -> line index -> new line.
    """
    edited: dict[int, dict[int, str]] = {}
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    section = False
    for k, s in enumerate(statements):
        if _CONNECT.match(s.code):
            section = refs.any(s.code)
        if k not in concern or section or s.meta or not refs.any(s.code):
            continue
        new_lines: dict[int, str] = {}
        for offset, code in enumerate(s.code.split("\n")):
            i = s.first + offset
            spans = refs.spans(code)
            if not spans:
                continue
            shift = s.start - offsets[i] if offset == 0 else 0
            full = body(lines[i])
            located = [(a + shift, b + shift) for a, b in spans]
            new = remove_spans(full, located, ",") if _sql_elements(full, located) else None
            if new is None or refs.any(new) or _EMPTIED_LIST.search(new):
                new_lines = {}
                break
            new_lines[i] = new + line_ending(lines[i])
        if new_lines:
            edited[k] = new_lines
    return edited


def _sql_elements(line: str, spans: list[tuple[int, int]]) -> bool:
    """Whether every span is one element of a comma list (``ON DATABASE a, b``, ``IN (a, b)``)."""
    for start, end in spans:
        while start > 0 and line[start - 1] in "\"'`":
            start -= 1
        while end < len(line) and line[end] in "\"'`":
            end += 1
        left = _LIST_LEFT.search(line[:start])
        right = _LIST_RIGHT.match(line[end:])
        if left is None or right is None or "," not in (left.group(1), right.group(1)):
            return False
    return True


def _remove_statements(plan: LinePlan, parsed: SqlText, doomed: set[int], refs: Refs) -> None:
    """Delete runs of consecutive doomed statements, with the comments above and between."""
    statements = parsed.statements
    owners: dict[int, set[int]] = {}
    for k, s in enumerate(statements):
        for i in range(s.first, s.last + 1):
            owners.setdefault(i, set()).add(k)
    shared = {
        k
        for k in doomed
        if any(owners[i] - doomed for i in (statements[k].first, statements[k].last))
    }
    _cut_shared(plan, statements, shared)
    runs: list[list[int]] = []
    for k in sorted(doomed - shared):
        if runs and runs[-1][-1] == k - 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    for run in runs:
        first, last = statements[run[0]], statements[run[-1]]
        start = first.first
        while start > 0 and _comment_only(plan, parsed, start - 1):
            start -= 1
        heading = "".join(plan.lines[start : first.first])
        kept = sorted(owners.get(last.last + 1, set()) - doomed)
        if kept and not refs.any(heading) and _kind(statements[kept[0]]) == _kind(first):
            start = first.first  # a neutral heading of a group of alike statements that stays
        elif start == 0 and len(doomed) < len(statements) and not refs.any(heading):
            start = first.first  # the file's own header, and the file stays
        end = last.last
        if all(blank(plan.lines[i]) for i in range(end + 1, len(plan.lines))):
            end = len(plan.lines) - 1  # no blank lines left dangling at the end
        plan.delete(range(start, end + 1))


def _kind(statement: Statement) -> list[str]:
    """The first two keywords of a statement (``["create", "role"]``)."""
    return statement.code.lower().split()[:2]


def _cut_shared(plan: LinePlan, statements: list[Statement], shared: set[int]) -> None:
    """Cut one-line statements out of lines they share with statements that stay."""
    offsets = [0]
    for line in plan.lines:
        offsets.append(offsets[-1] + len(line))
    for k in sorted(shared, reverse=True):
        s = statements[k]
        if s.first != s.last:
            plan.ask(s.first, "shares its lines with a statement that stays")
            continue
        i = s.first
        text = body(plan.current(i))
        start, end = s.start - offsets[i], s.end - offsets[i]
        rest = text[end:].lstrip(" \t") if start == len(text) - len(text.lstrip()) else text[end:]
        plan.replace(i, (text[:start] + rest).rstrip(" \t") + line_ending(plan.lines[i]))


def _comment_only(plan: LinePlan, parsed: SqlText, i: int) -> bool:
    text = body(plan.lines[i])
    col = parsed.comment_cols.get(i)
    return col is not None and not text[:col].strip()


def _mark_comments(plan: LinePlan, parsed: SqlText, refs: Refs) -> None:
    for i, col in parsed.comment_cols.items():
        if plan.gone(i):
            continue
        text = body(plan.current(i))
        shift = len(body(plan.lines[i])) - len(text)
        if not refs.any(text[col - shift :]):
            continue
        opener = parsed.opener.get(i, "")
        if not opener:
            col = len(text) - len(text.lstrip())
            shift = 0
        mark_at = col - shift + (1 if opener == "/*" else 0)
        chars = {"--": "-", "/*": "*", "": ""}[opener]
        plan.replace(i, mark_comment(plan.current(i), mark_at, plan.database, chars), False)
