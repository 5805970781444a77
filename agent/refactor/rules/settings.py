"""Rewrite rule for flat settings files: ``.env``, Java ``.properties``, INI and TOML.

Policy: a setting that refers to the database is commented out with a decom comment
(``# decom: payroll_ledger retired: KEY=value``), so the old value stays visible in review and
is easy to restore. A setting whose value is a list naming several things loses only the
element that is the database. An INI/TOML section dedicated to the database (its name spells
it, or its ``name``/``database`` key is the database) is commented out whole: header and
every setting. A setting spanning several lines (``\\`` continuations in properties, indented
INI continuation lines, TOML multi-line arrays and strings) is handled as one. Comments that
mention the database are marked with the decom comment too. The result must still parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.discovery.models import SourceType
from agent.qa.parsing import check_parses
from agent.refactor.base import (
    DECOM_MARK,
    Action,
    FileEdit,
    Rewrite,
    body,
    decom_comment,
)
from agent.refactor.rules.text_edits import (
    apply_edits,
    deleted_lines,
    find_refs,
    item_deletions,
    list_element_deletions,
    touched_lines,
    unhandled,
)

#: Keys that name the database a section is about (``[client] database = payroll_ledger``).
_NAMING_KEYS = frozenset("name database db dbname db_name database_name datname identifier".split())
_ENV_SETTING = re.compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][\w.-]*)\s*=\s*(?P<value>.*)$")
_INI_SETTING = re.compile(r"^(?P<indent>\s*)(?P<key>[^=:\s][^=:]*?)\s*(?:[=:]\s*(?P<value>.*))?$")
_INI_ASSIGNMENT = re.compile(r"^\s*[A-Za-z_][\w.-]*\s*[=:]")
_SECTION = re.compile(r"^\s*\[\[?\s*(?P<name>[^\]]*?)\s*\]\]?\s*(?:[#;].*)?$")

#: Extensions of files named like env files (``env.py``) that are code, not settings.
_CODE_SUFFIXES = frozenset(
    "py js mjs cjs ts go rb sh bash zsh ps1 java kt php pl yml yaml json tf".split()
)
_COMMENT_MARKERS: dict[SourceType, tuple[str, ...]] = {
    SourceType.ENV_FILE: ("#",),
    SourceType.PROPERTIES: ("#", "!"),
    SourceType.INI: ("#", ";"),
    SourceType.TOML: ("#",),
}

Edit = tuple[int, int, str]


@dataclass
class _Entry:
    """One logical line: a blank, a comment, a section header or a setting.

    ``first``/``last`` are 0-based physical lines; ``value`` is the value's character range
    in the whole text (``(-1, -1)`` when the setting has none on its first line).
    """

    kind: str
    first: int
    last: int
    key: str = ""
    value: tuple[int, int] = (-1, -1)
    section: int = -1


class SettingsRule:
    """Comments out settings about the database, or drops their list element.

    See the module docstring for the policy. Structural removals happen where a comment is
    impossible or wrong: a list element (``DBS=orders,payroll_ledger``), an element or pair
    of a TOML array or inline table, a bare entry of an INI multi-line list.
    """

    name = "settings"
    source_types = frozenset(
        {SourceType.ENV_FILE, SourceType.PROPERTIES, SourceType.INI, SourceType.TOML}
    )

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """Rewrite one settings file (see the class docstring)."""
        suffix = edit.path.rpartition("/")[2].rpartition(".")[2].lower()
        if edit.source_type is SourceType.ENV_FILE and suffix in _CODE_SUFFIXES:
            # ``env.py`` (Alembic) or ``env.sh`` look like env files by name but are code.
            return Rewrite(
                Action.NEEDS_HUMAN, f"{edit.path} is source code, not a dotenv file", None
            )
        return _Rewriter(edit).run()


class _Rewriter:
    def __init__(self, edit: FileEdit) -> None:
        self.edit = edit
        self.text = edit.text
        self.lines = edit.lines
        self.starts: list[int] = []
        offset = 0
        for line in self.lines:
            self.starts.append(offset)
            offset += len(line)
        self.edits: list[Edit] = []
        self.commented = 0
        self.marked = 0
        self.removed = 0
        self.human: list[str] = []

    # --- helpers ---------------------------------------------------------------------------

    def body_span(self, index: int) -> tuple[int, int]:
        return self.starts[index], self.starts[index] + len(body(self.lines[index]))

    def refs(self, text: str) -> list[tuple[int, int]]:
        return find_refs(self.edit, text)

    def entry_text(self, entry: _Entry) -> str:
        return self.text[self.starts[entry.first] : self.body_span(entry.last)[1]]

    def comment_out(self, first: int, last: int) -> None:
        """Comment out physical lines ``first..last`` (blank ones stay blank)."""
        for index in range(first, last + 1):
            line = body(self.lines[index])
            if line.strip():
                start, end = self.body_span(index)
                new = decom_comment("#", self.edit.target.database, line)
                self.edits.append((start, end, new))
        self.commented += 1

    def mark_comment(self, index: int) -> None:
        """Say in a comment that mentions the database that the database is retired."""
        line = body(self.lines[index])
        indent = line[: len(line) - len(line.lstrip())]
        words = line.strip().lstrip("#;!").strip()
        start, end = self.body_span(index)
        new = decom_comment("#", self.edit.target.database, indent + words)
        self.edits.append((start, end, new))
        self.marked += 1

    # --- the pass ---------------------------------------------------------------------------

    def run(self) -> Rewrite:
        edit = self.edit
        entries = _parse(self.text, self.lines, self.starts, edit.source_type)
        dedicated = self.dedicated_sections(entries)
        for entry in entries:
            if DECOM_MARK in self.entry_text(entry) or entry.kind == "blank":
                continue  # blank, or already retired by an earlier run
            in_dedicated = entry.section in dedicated or entry.first in dedicated
            if entry.kind == "comment":
                if self.mentions(entry):
                    self.mark_comment(entry.first)
            elif in_dedicated:
                self.comment_out(entry.first, entry.last)
            elif entry.kind == "setting" and self.mentions(entry):
                self.setting(entry)
        return self.finish()

    def mentions(self, entry: _Entry) -> bool:
        return bool(self.refs(self.entry_text(entry)))

    def dedicated_sections(self, entries: list[_Entry]) -> set[int]:
        """First lines of sections about the database: named after it or naming it."""
        found: set[int] = set()
        for entry in entries:
            if entry.kind == "section" and self.refs(entry.key):
                found.add(entry.first)
            elif entry.kind == "setting" and entry.section >= 0:
                key = entry.key.strip().strip("\"'").lower()
                value = self.text[entry.value[0] : entry.value[1]].strip().strip("\"'")
                refs = self.refs(value)
                if key in _NAMING_KEYS and refs and refs[0] == (0, len(value)):
                    found.add(entry.section)
        return found

    def setting(self, entry: _Entry) -> None:
        if self.refs(entry.key):
            self.comment_out(entry.first, entry.last)
            return
        start, end = entry.value
        value = self.text[start:end] if start >= 0 else ""
        source_type = self.edit.source_type
        if source_type is SourceType.TOML and value[:1] in ("[", "{"):
            cuts = _toml_container_cuts(self, start, end)
            if cuts is None:
                self.comment_out(entry.first, entry.last)
            else:
                self.edits.extend((a, b, "") for a, b in cuts)
                self.removed += 1
            return
        if source_type is SourceType.INI and entry.last > entry.first:
            self.ini_multiline(entry, value)
            return
        refs = self.refs(value)
        cuts = list_element_deletions(value, refs) if refs and entry.last == entry.first else None
        if cuts is None or len(self.refs(self.entry_text(entry))) != len(refs):
            self.comment_out(entry.first, entry.last)
        else:
            self.edits.extend((start + a, start + b, "") for a, b in cuts)
            self.removed += 1

    def ini_multiline(self, entry: _Entry, value: str) -> None:
        """An INI value over several lines: each line is an element (tox ``setenv`` et al).

        An assignment line (``KEY = value``) is a setting and is commented out; a bare token
        (``ORDER_HISTORY_DB_*``) is a list element and goes; anything else (a command) is left
        for a human. When nothing would remain the whole setting is commented out.
        """
        if self.refs(value):
            self.comment_out(entry.first, entry.last)
            return
        elements: list[int] = []
        going: dict[int, str] = {}
        for index in range(entry.first + 1, entry.last + 1):
            line = body(self.lines[index])
            if line.lstrip().startswith(("#", ";")):
                if self.refs(line) and DECOM_MARK not in line:
                    self.mark_comment(index)
                continue
            elements.append(index)
            if not self.refs(line):
                continue
            if _INI_ASSIGNMENT.match(line):
                going[index] = "comment"
            elif len(line.split()) == 1:
                going[index] = "delete"
            else:
                self.human.append(
                    f"{index + 1}: entry of the multi-line value {entry.key.strip()!r} "
                    "mentions the database: edit it by hand"
                )
        if going and set(going) >= set(elements) and not value.strip():
            self.comment_out(entry.first, entry.last)
            return
        for index, how in going.items():
            if how == "comment":
                self.comment_out(index, index)
            else:
                start = self.starts[index]
                self.edits.append((start, start + len(self.lines[index]), ""))
                self.removed += 1

    def finish(self) -> Rewrite:
        edit = self.edit
        if not self.edits:
            self.human.extend(unhandled(edit, (), self.human))
            if self.human:
                return Rewrite(
                    Action.NEEDS_HUMAN,
                    "references only in entries that need a human",
                    None,
                    needs_human=tuple(self.human),
                )
            return Rewrite(Action.NO_CHANGE, "no setting refers to the database", None)
        new = apply_edits(self.text, self.edits)
        error = check_parses(edit.source_type, new, edit.path)
        if error and check_parses(edit.source_type, self.text, edit.path) is None:
            return Rewrite(Action.NEEDS_HUMAN, f"the edit would not parse: {error}", None)
        known = deleted_lines(self.text, [(a, max(b, a + 1)) for a, b, _ in self.edits])
        touched = touched_lines(self.text, new, known)
        self.human.extend(unhandled(edit, touched, self.human))
        action = Action.COMMENT_OUT if self.commented or self.marked else Action.STRUCTURAL_EDIT
        done = [
            f"{count} {what}"
            for count, what in (
                (self.commented, "settings commented out"),
                (self.removed, "list settings trimmed"),
                (self.marked, "comments marked"),
            )
            if count
        ]
        return Rewrite(
            action,
            f"{edit.target.database} retired: {', '.join(done)}",
            new,
            touched=touched,
            needs_human=tuple(sorted(self.human, key=lambda e: int(e.split(":", 1)[0]))),
        )


# --- parsing ---------------------------------------------------------------------------------


def _parse(text: str, lines: list[str], starts: list[int], source_type: SourceType) -> list[_Entry]:
    entries: list[_Entry] = []
    section = -1
    index = 0
    while index < len(lines):
        line = body(lines[index])
        stripped = line.strip()
        comment = _COMMENT_MARKERS[source_type]
        if not stripped:
            entry = _Entry("blank", index, index)
        elif stripped.startswith(comment):
            entry = _Entry("comment", index, index)
        elif source_type in (SourceType.INI, SourceType.TOML) and _SECTION.match(line):
            match = _SECTION.match(line)
            assert match is not None
            entry = _Entry("section", index, index, key=match.group("name"))
            section = index
        elif source_type is SourceType.ENV_FILE:
            entry = _env_setting(text, lines, starts, index)
        elif source_type is SourceType.PROPERTIES:
            entry = _properties_setting(lines, starts, index)
        elif source_type is SourceType.INI:
            entry = _ini_setting(lines, starts, index)
        else:
            entry = _toml_setting(text, lines, starts, index)
        if entry.kind == "setting":
            entry.section = section
        entries.append(entry)
        index = entry.last + 1
    return entries


def _env_setting(text: str, lines: list[str], starts: list[int], index: int) -> _Entry:
    line = body(lines[index])
    match = _ENV_SETTING.match(line)
    if match is None:
        return _Entry("setting", index, index, key=line.strip(), value=(-1, -1))
    value = match.group("value")
    last = index
    quote = value[:1]
    if quote in ("'", '"') and not _closes(value[1:], quote):
        # A quoted value may run over several lines (dotenv); it ends at its closing quote.
        while last + 1 < len(lines) and not _closes(body(lines[last + 1]), quote):
            last += 1
        last = min(last + 1, len(lines) - 1)
    start = starts[index] + match.start("value")
    return _Entry("setting", index, last, key=match.group("key"), value=(start, start + len(value)))


def _closes(text: str, quote: str) -> bool:
    return re.search(rf"(?<!\\){quote}", text) is not None


def _properties_setting(lines: list[str], starts: list[int], index: int) -> _Entry:
    last = index
    while last + 1 < len(lines) and _continues(body(lines[last])):
        last += 1
    line = body(lines[index])
    match = re.match(r"^\s*((?:\\.|[^=:\s\\])+)\s*[=:]?\s*", line)
    key = match.group(1) if match else line.strip()
    value_start = starts[index] + (match.end() if match else len(line))
    value = (value_start, starts[index] + len(line))
    return _Entry("setting", index, last, key=key, value=value)


def _continues(line: str) -> bool:
    trailing = len(line) - len(line.rstrip("\\"))
    return trailing % 2 == 1


def _ini_setting(lines: list[str], starts: list[int], index: int) -> _Entry:
    line = body(lines[index])
    indent = len(line) - len(line.lstrip())
    last = index
    while last + 1 < len(lines):
        following = body(lines[last + 1])
        if not following.strip() or len(following) - len(following.lstrip()) <= indent:
            break
        last += 1
    match = _INI_SETTING.match(line)
    if match is None or match.group("value") is None:
        key = line.strip() if match is None else match.group("key")
        return _Entry("setting", index, last, key=key, value=(-1, -1))
    start = starts[index] + match.start("value")
    return _Entry(
        "setting",
        index,
        last,
        key=match.group("key"),
        value=(start, start + len(match.group("value"))),
    )


def _toml_setting(text: str, lines: list[str], starts: list[int], index: int) -> _Entry:
    line = body(lines[index])
    equals = _scan(line, 0, "=")
    if equals >= len(line):
        return _Entry("setting", index, index, key=line.strip())
    value_start = starts[index] + equals + 1
    while value_start < len(text) and text[value_start] in " \t":
        value_start += 1
    value_end = _toml_value_end(text, value_start)
    last = index
    while last + 1 < len(lines) and starts[last + 1] < value_end:
        last += 1
    return _Entry("setting", index, last, key=line[:equals].strip(), value=(value_start, value_end))


# --- a little TOML value scanner ---------------------------------------------------------------


def _skip_string(text: str, pos: int) -> int:
    """The offset just after the TOML string starting at ``pos``."""
    for quote in ('"""', "'''"):
        if text.startswith(quote, pos):
            end = text.find(quote, pos + 3)
            while end >= 0 and quote == '"""' and _escaped(text, end):
                end = text.find(quote, end + 1)
            return len(text) if end < 0 else end + 3
    quote = text[pos]
    index = pos + 1
    while index < len(text) and text[index] not in (quote, "\n"):
        index += 2 if quote == '"' and text[index] == "\\" else 1
    return index + 1


def _escaped(text: str, pos: int) -> bool:
    backslashes = len(text[:pos]) - len(text[:pos].rstrip("\\"))
    return backslashes % 2 == 1


def _scan(text: str, pos: int, stops: str) -> int:
    """The first top-level character of ``stops`` from ``pos``, or ``len(text)``.

    Strings, comments and nested brackets are skipped.
    """
    depth = 0
    while pos < len(text):
        char = text[pos]
        if char in "\"'":
            pos = _skip_string(text, pos)
            continue
        if char == "#":
            newline = text.find("\n", pos)
            pos = len(text) if newline < 0 else newline
            continue
        if depth == 0 and char in stops:
            return pos
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        pos += 1
    return pos


def _toml_value_end(text: str, start: int) -> int:
    if text.startswith(("[", "{"), start):
        return min(_scan(text, start + 1, "]}") + 1, len(text))
    if text.startswith(('"', "'"), start):
        return _skip_string(text, start)
    newline = text.find("\n", start)
    end = len(text) if newline < 0 else newline
    comment = _scan(text[:end], start, "#\r")
    return len(text[:comment].rstrip()) if comment < end else len(text[:end].rstrip())


def _toml_container_cuts(rewriter: _Rewriter, start: int, end: int) -> list[tuple[int, int]] | None:
    """Cuts that drop the database's elements from a TOML array or inline table.

    ``None`` when the whole setting should be commented out instead: nothing would remain,
    or an inline table names the database (``{ name = "payroll_ledger", ... }``).
    """
    text = rewriter.text
    is_table = text[start] == "{"
    items: list[tuple[int, int]] = []
    pos = start + 1
    while True:
        while pos < end and (text[pos] in " \t\r\n," or text[pos] == "#"):
            pos = _scan(text, pos, "\n") if text[pos] == "#" else pos + 1
        if pos >= end - 1:
            break
        stop = _scan(text, pos, ",]}#\n" if not is_table else ",}")
        item_end = len(text[:stop].rstrip())
        items.append((pos, item_end))
        pos = stop if text[stop : stop + 1] != "," else stop + 1
        if text[stop : stop + 1] in ("]", "}"):
            break
    gone: set[int] = set()
    for index, (a, b) in enumerate(items):
        item = text[a:b]
        if not rewriter.refs(item):
            continue
        key = item.partition("=")[0].strip().strip("\"'")
        if is_table and not rewriter.refs(key) and key.lower() in _NAMING_KEYS:
            return None  # the table is the database's: it goes whole
        gone.add(index)
    if not gone or len(gone) == len(items):
        return None
    return item_deletions(text, items, gone, comment="#")
