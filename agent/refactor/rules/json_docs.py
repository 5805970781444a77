"""Rewrite rule for JSON files: config files, Grafana and CloudWatch dashboards, Datadog monitors.

JSON has no comments, so nothing is ever commented out: references are removed structurally
by text edits on the original bytes, so every untouched line keeps its formatting. The file
is parsed with a small position-keeping parser (after :func:`json.loads` has accepted it) to
know where each member and element starts and ends, and the result is checked with
:func:`json.loads` again.

What goes (see :class:`JsonRule`): a member whose key spells the database; a string element
that is the database; the alternative of a regex alternation or list inside a string; the
*unit* a string is about. In monitoring files the unit is the nearest array element (a panel,
a target, a link, a CloudWatch metric row), or the whole file when the reference sits at the
top (a dashboard or monitor dedicated to the database). In config files it is the block whose
naming or connection attribute is the database. Free text (descriptions, messages) cannot be
cut safely and is left for a human.

"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from agent.discovery.models import SourceType
from agent.refactor.base import Action, FileEdit, Rewrite
from agent.refactor.rules.text_edits import (
    apply_deletions,
    chain_deletions,
    deleted_lines,
    find_refs,
    item_deletions,
    list_element_deletions,
    touched_lines,
    unhandled,
    word_list_deletions,
)

# --- a JSON parser that keeps positions -----------------------------------------------------

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity")


@dataclass(eq=False)
class _Node:
    """A JSON value and where it sits: ``item_start`` is its key's quote for a member."""

    kind: str  # "object", "array", "string" or "scalar"
    start: int
    end: int = 0
    parent: _Node | None = None
    key: str | None = None
    key_span: tuple[int, int] = (0, 0)
    item_start: int = 0
    children: list[_Node] = field(default_factory=list)
    value: str = ""
    #: Raw offset of each decoded character of a string, plus that of the closing quote.
    offsets: list[int] = field(default_factory=list)


class _ParseError(ValueError):
    pass


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 1 if text.startswith("\ufeff") else 0

    def document(self) -> _Node:
        root = self.value(None, None, self.pos)
        self.blank()
        if self.pos != len(self.text):
            raise _ParseError("trailing data")
        return root

    def blank(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def value(self, parent: _Node | None, key: str | None, item_start: int) -> _Node:
        self.blank()
        if self.pos >= len(self.text):
            raise _ParseError("unexpected end")
        char = self.text[self.pos]
        if char in "{[":
            return self.container(parent, key, item_start)
        if char == '"':
            node = _Node("string", self.pos, parent=parent, key=key, item_start=item_start)
            node.value, node.offsets = self.string()
            node.end = self.pos
            return node
        match = _SCALAR.match(self.text, self.pos)
        if match is None:
            raise _ParseError(f"unexpected {char!r}")
        self.pos = match.end()
        return _Node("scalar", match.start(), match.end(), parent, key, item_start=item_start)

    def container(self, parent: _Node | None, key: str | None, item_start: int) -> _Node:
        is_object = self.text[self.pos] == "{"
        node = _Node("object" if is_object else "array", self.pos, parent=parent, key=key)
        node.item_start = item_start
        close = "}" if is_object else "]"
        self.pos += 1
        self.blank()
        if self.text.startswith(close, self.pos):
            self.pos += 1
            node.end = self.pos
            return node
        while True:
            self.blank()
            start = self.pos
            if is_object:
                if not self.text.startswith('"', self.pos):
                    raise _ParseError("expected a key")
                name, _ = self.string()
                key_span = (start, self.pos)
                self.blank()
                if not self.text.startswith(":", self.pos):
                    raise _ParseError("expected ':'")
                self.pos += 1
                child = self.value(node, name, start)
                child.key_span = key_span
            else:
                child = self.value(node, None, start)
            node.children.append(child)
            self.blank()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif self.text.startswith(close, self.pos):
                self.pos += 1
                node.end = self.pos
                return node
            else:
                raise _ParseError("expected ',' or a closing bracket")

    def string(self) -> tuple[str, list[int]]:
        text, pos = self.text, self.pos + 1
        chars: list[str] = []
        offsets: list[int] = []
        while True:
            if pos >= len(text):
                raise _ParseError("unterminated string")
            char = text[pos]
            if char == '"':
                break
            offsets.append(pos)
            if char != "\\":
                chars.append(char)
                pos += 1
                continue
            escape = text[pos + 1 : pos + 2]
            if escape != "u":
                chars.append(_ESCAPES[escape])
                pos += 2
                continue
            code, width = int(text[pos + 2 : pos + 6], 16), 6
            low = text[pos + 8 : pos + 12] if text.startswith("\\u", pos + 6) else ""
            if 0xD800 <= code < 0xDC00 and len(low) == 4 and 0xDC00 <= int(low, 16) < 0xE000:
                code, width = 0x10000 + ((code - 0xD800) << 10) + (int(low, 16) - 0xDC00), 12
            chars.append(chr(code))
            pos += width
        offsets.append(pos)
        self.pos = pos + 1
        return "".join(chars), offsets


# --- the rule -------------------------------------------------------------------------------

#: Keys whose strings are free text: a reference there cannot be cut without rewriting prose.
_PROSE_KEYS = frozenset(
    "description message content markdown text help helptext note notes summary comment "
    "comments details documentation doc docs info body annotation".split()
)
#: Keys naming or locating a database: an object holding one for the database is about it.
_NAMING_KEYS = frozenset(
    "name database db dbname datname databasename identifier dbidentifier dbinstanceidentifier "
    "host hostname server url uri dsn connectionstring connstr jdbcurl endpoint address".split()
)
#: Query lists of a panel: a panel whose every query went charts nothing and goes too.
_QUERY_KEYS = frozenset({"targets", "metrics", "queries"})
#: Templated free text in Datadog messages: ``{{#is_match "tag" "value"}}...{{/is_match}}``.
_DD_BLOCK = re.compile(
    r'\{\{#(is_match|is_exact_match)\s+"[^"]*"((?:\s+"[^"]*")+)\s*\}\}.*?\{\{/\1\}\}\n?',
    re.DOTALL,
)
_DD_VALUE = re.compile(r'\s+"([^"]*)"')
_MONITORING = frozenset({SourceType.GRAFANA, SourceType.DATADOG})


def _norm(key: str | None) -> str:
    return re.sub(r"[-_\s]", "", key or "").lower()


def _is_prose(key: str | None) -> bool:
    norm = _norm(key)
    return norm in _PROSE_KEYS or norm.endswith(("description", "message", "markdown"))


@dataclass
class _Plan:
    """Decisions for one file, before they become text edits."""

    edit: FileEdit
    monitoring: bool
    removed: set[_Node] = field(default_factory=set)
    string_cuts: list[tuple[_Node, list[tuple[int, int]]]] = field(default_factory=list)
    human: list[tuple[_Node, str]] = field(default_factory=list)
    whole_file: list[_Node] = field(default_factory=list)


class JsonRule:
    """Removes references from JSON by structure, never by commenting out.

    - A member whose key spells the database goes with its value.
    - A string element that is the database goes; so does the alternative of a regex
      alternation, list or ``OR`` inside a string (``datname=~"payroll|payroll_ledger"``).
    - A string that is otherwise about the database takes its unit with it. In Grafana,
      CloudWatch and Datadog files that is the nearest array element (a panel, a target, a
      link, a metric row; a panel whose last target goes goes too), or the whole file when
      the reference is at the top (``DELETE_FILE``: a dashboard or monitor for the database).
      In config files it is the block whose naming or connection attribute (``name``,
      ``host``, ``url``...) is the database, an array element, or else just the member.
    - Free text (``description``, ``message``...) is left for a human, except Datadog
      ``{{#is_match}}`` blocks on the database, which are cut.
    - Containers left empty go with their key.
    """

    name = "json"
    source_types = frozenset({SourceType.JSON_CONFIG, SourceType.GRAFANA, SourceType.DATADOG})

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """Rewrite one JSON file (see the class docstring)."""
        if edit.path.endswith((".yml", ".yaml")):
            return Rewrite(Action.NEEDS_HUMAN, "a YAML monitoring file: not a JSON rewrite", None)
        try:
            json.loads(edit.text.removeprefix("\ufeff"))
            root = _Parser(edit.text).document()
        except (ValueError, RecursionError, KeyError, IndexError) as exc:
            return Rewrite(Action.NEEDS_HUMAN, f"not plain JSON, so not edited: {exc}", None)
        plan = _Plan(edit, edit.source_type in _MONITORING)
        _visit(plan, root)
        emptied = _cascade(plan, root)
        if plan.whole_file or emptied:
            return _whole_file(plan, root)
        return _finish(plan, root)


def _visit(plan: _Plan, node: _Node) -> None:
    for child in node.children:
        if child.key is not None and find_refs(plan.edit, child.key):
            plan.removed.add(child)
        else:
            _visit(plan, child)
    if node.kind == "string":
        _visit_string(plan, node)


def _visit_string(plan: _Plan, node: _Node) -> None:
    refs = find_refs(plan.edit, node.value)
    if not refs:
        return
    key = node.key if node.parent is None or node.parent.kind == "object" else node.parent.key
    if _is_prose(key):
        cuts = _datadog_block_cuts(plan, node.value)
        if cuts:
            plan.string_cuts.append((node, cuts))
        if not cuts or find_refs(plan.edit, apply_deletions(node.value, cuts)):
            plan.human.append((node, f"reference in free text ({key}): reword or drop it"))
        return
    # Datadog ANDs comma-separated tag filters in a query: only OR alternatives can go.
    comma_ok = plan.edit.source_type is not SourceType.DATADOG or _norm(key) != "query"
    elements = list_element_deletions(node.value, refs, comma_ok)
    if elements is None and not plan.monitoring:
        # ``"db:migrate": "migrate core && migrate payroll_ledger"``: only its command goes.
        elements = chain_deletions(node.value, refs) or word_list_deletions(node.value, refs)
    if elements is not None:
        plan.string_cuts.append((node, elements))
        return
    unit = _monitoring_unit(plan, node) if plan.monitoring else _config_unit(plan, node)
    if unit is not None:
        plan.removed.add(unit)


def _datadog_block_cuts(plan: _Plan, value: str) -> list[tuple[int, int]]:
    cuts: list[tuple[int, int]] = []
    for block in _DD_BLOCK.finditer(value):
        values = list(_DD_VALUE.finditer(block.group(2)))
        offset = block.start(2)
        hit = [v for v in values if find_refs(plan.edit, v.group(1))]
        if hit and len(hit) == len(values):
            cuts.append(block.span())
        else:
            cuts.extend((offset + v.start(), offset + v.end()) for v in hit)
    return cuts


def _monitoring_unit(plan: _Plan, node: _Node) -> _Node | None:
    unit = node
    while unit.parent is not None and unit.parent.kind != "array":
        unit = unit.parent
    array = unit.parent
    if array is None:
        if plan.edit.source_type is SourceType.DATADOG and _norm(node.key) != "query":
            # A monitor is dedicated when its query selects only the database; a name that
            # mentions it next to a shared query is text to fix by hand.
            if any(_norm(child.key) == "query" for child in unit.children):
                plan.human.append((node, f"{node.key} mentions the database: reword it"))
                return None
        plan.whole_file.append(node)
        return None
    if unit.kind != "object" and array.parent is not None and array.parent.kind == "array":
        unit, array = array, array.parent  # a tuple (CloudWatch metric row): the row goes
    siblings = array.children
    position = siblings.index(unit)
    if unit.kind == "array" and position + 1 < len(siblings) and not _is_ditto(unit):
        if _is_ditto(siblings[position + 1]):
            plan.human.append((node, 'the next metric row repeats this one with "...": rewrite it'))
            return None
    return unit


def _is_ditto(node: _Node) -> bool:
    return node.kind == "array" and bool(node.children) and node.children[0].value == "..."


def _config_unit(plan: _Plan, node: _Node) -> _Node | None:
    parent = node.parent
    if parent is None:
        plan.human.append((node, "the whole file is this string"))
        return None
    if parent.kind == "array":
        if parent.parent is not None and parent.parent.kind == "array":
            return parent
        return node
    if _norm(node.key) in _NAMING_KEYS:
        if parent.parent is None:
            plan.human.append((node, "the file itself is about the database: delete or keep it"))
            return None
        return parent
    if parent.parent is not None and parent.parent.kind == "array":
        return parent
    return node


def _cascade(plan: _Plan, node: _Node) -> bool:
    """Remove containers our removals left empty; True if the root itself was emptied."""
    for child in node.children:
        if child not in plan.removed:
            _cascade(plan, child)
    if not node.children or not all(child in plan.removed for child in node.children):
        return False
    if node.parent is None:
        return True
    gone = node
    if plan.monitoring and _norm(node.key) in _QUERY_KEYS:
        # The panel or widget holding the queries (nearest array element) charts nothing now.
        holder: _Node | None = node.parent
        while holder is not None and holder.parent is not None and holder.parent.kind != "array":
            holder = holder.parent
        if holder is not None and holder.parent is not None:
            gone = holder
    plan.removed.add(gone)
    return False


def _inside_removed(plan: _Plan, node: _Node) -> bool:
    current: _Node | None = node
    while current is not None:
        if current in plan.removed:
            return True
        current = current.parent
    return False


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _whole_file(plan: _Plan, root: _Node) -> Rewrite:
    edit = plan.edit
    where = [_line(edit.text, n.start) for n in plan.whole_file]
    if not plan.monitoring:
        return Rewrite(
            Action.NEEDS_HUMAN,
            "every entry of this config file is about the database",
            None,
            needs_human=tuple(f"{n}: decide whether the file still has a use" for n in where),
        )
    kind = "Datadog monitor" if edit.source_type is SourceType.DATADOG else "dashboard"
    uid = next((c.value for c in root.children if c.key == "uid" and c.kind == "string"), "")
    symbols = (uid,) if uid and edit.source_type is SourceType.GRAFANA else ()
    first = f" (line {where[0]})" if where else ""
    return Rewrite(
        Action.DELETE_FILE,
        f"{kind} dedicated to {edit.target.database}{first}",
        None,
        touched=((1, max(1, len(edit.lines))),),
        removed_symbols=symbols,
    )


def _finish(plan: _Plan, root: _Node) -> Rewrite:
    edit, text = plan.edit, plan.edit.text
    deletions: list[tuple[int, int]] = []
    _container_deletions(plan, root, deletions)
    for node, cuts in plan.string_cuts:
        if not _inside_removed(plan, node):
            deletions.extend((node.offsets[a], node.offsets[b]) for a, b in cuts)
    human = sorted(
        {
            f"{_line(text, node.start)}: {why}"
            for node, why in plan.human
            if not _inside_removed(plan, node)
        },
        key=_line_number,
    )
    if not deletions:
        human.extend(unhandled(edit, (), human))
        if human:
            return Rewrite(
                Action.NEEDS_HUMAN,
                "references sit where they cannot be removed structurally",
                None,
                needs_human=tuple(sorted(human, key=_line_number)),
            )
        return Rewrite(Action.NO_CHANGE, "no reference to the database", None)
    new = apply_deletions(text, deletions)
    try:
        json.loads(new.removeprefix("\ufeff"))
    except ValueError as exc:  # a bug in this rule, not in the file: never ship it
        return Rewrite(Action.NEEDS_HUMAN, f"structural edit would not parse: {exc}", None)
    touched = touched_lines(text, new, deleted_lines(text, deletions))
    human.extend(unhandled(edit, touched, human))
    entries = [n for n in plan.removed if n.parent is None or not _inside_removed(plan, n.parent)]
    strings = [n for n, _ in plan.string_cuts if not _inside_removed(plan, n)]
    return Rewrite(
        Action.STRUCTURAL_EDIT,
        f"removed {len(entries)} JSON entries about {edit.target.database} and cut it out of "
        f"{len(strings)} strings",
        new,
        touched=touched,
        needs_human=tuple(sorted(human, key=_line_number)),
    )


def _line_number(entry: str) -> int:
    return int(entry.split(":", 1)[0])


def _container_deletions(plan: _Plan, node: _Node, out: list[tuple[int, int]]) -> None:
    gone = {i for i, child in enumerate(node.children) if child in plan.removed}
    if gone:
        items = [(child.item_start, child.end) for child in node.children]
        out.extend(item_deletions(plan.edit.text, items, gone))
    for child in node.children:
        if child not in plan.removed:
            _container_deletions(plan, child, out)
