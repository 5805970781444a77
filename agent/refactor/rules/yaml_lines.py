"""A line-level outline of a YAML file: which line holds which key or list item, and how far.

The YAML rules edit text, not a parsed document, so that comments, key order, anchors and
quoting survive. This module gives them the structure they need without a YAML parser: every
line is classified (blank, comment, document separator, template action, content or the
continuation of a multi-line value) and every key and list item becomes a :class:`Node` with
its column, head line and children, found by indentation as a YAML parser would.

Go-templated YAML (Helm ``templates/``) is outlined the same way with ``templated=True``:
lines that are only a template action are either control lines (``{{- if }}``, ``{{- end }}``),
kept out of the structure, or output lines (``{{- include ... | nindent 4 }}``), kept as opaque
content of the block they sit in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from agent.refactor.base import body, split_lines


class LineKind(Enum):
    """What a line is, structurally."""

    BLANK = "blank"
    COMMENT = "comment"
    SEPARATOR = "separator"
    DIRECTIVE = "directive"
    CONTENT = "content"
    CONTINUATION = "continuation"
    CONTROL = "control"


class NodeKind(Enum):
    """What a node is."""

    ROOT = "root"
    KEY = "key"
    ITEM = "item"
    SCALAR = "scalar"
    TEMPLATE = "template"


class Style(Enum):
    """How a node's inline value is written."""

    NONE = "none"
    PLAIN = "plain"
    QUOTED = "quoted"
    FLOW_SEQ = "flow_seq"
    FLOW_MAP = "flow_map"
    BLOCK = "block"
    ALIAS = "alias"


class OutlineError(ValueError):
    """The text uses YAML the outline does not follow (tabs, complex keys...)."""


@dataclass(eq=False)
class Node:
    """A key, a list item or an opaque template line, with the lines it spans.

    Attributes:
        kind: what the node is.
        col: column of the key, of the item's dash or of the template action.
        start: 0-based index of the head line.
        last: 0-based index of the last line of the node's own value (continuations).
        key: the key text, unquoted (keys only).
        value: the inline value as written, without trailing comment ("" if none).
        value_col: column where ``value`` starts on the head line (-1 if no value).
        style: how the inline value is written.
        children: nested keys and items.
        parent: the enclosing node (``None`` for a root).
        doc: index of the document the node belongs to.
    """

    kind: NodeKind
    col: int
    start: int
    last: int
    key: str | None = None
    value: str = ""
    value_col: int = -1
    style: Style = Style.NONE
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    doc: int = 0

    @property
    def end(self) -> int:
        """0-based index of the last line of the node and its descendants."""
        last = self.last
        for child in self.children:
            last = max(last, child.end)
        return last

    def child(self, key: str) -> Node | None:
        """The direct child with this key, if any."""
        for node in self.children:
            if node.kind is NodeKind.KEY and node.key == key:
                return node
        return None

    def mapping(self) -> list[Node]:
        """Direct key children (the node's mapping entries)."""
        return [n for n in self.children if n.kind is NodeKind.KEY]

    def items(self) -> list[Node]:
        """Direct list-item children."""
        return [n for n in self.children if n.kind is NodeKind.ITEM]

    def walk(self) -> list[Node]:
        """This node and all its descendants, parents first."""
        found = [self]
        for child in self.children:
            found.extend(child.walk())
        return found

    def path(self) -> tuple[str, ...]:
        """Keys from the root down to this node; list items add ``"-"``."""
        parts: list[str] = []
        node: Node | None = self
        while node is not None and node.kind is not NodeKind.ROOT:
            parts.append((node.key or "") if node.kind is NodeKind.KEY else "-")
            node = node.parent
        return tuple(reversed(parts))


@dataclass(eq=False)
class Document:
    """One YAML document: its separator line (if any), its line range and its root node."""

    index: int
    separator: int | None
    first: int
    last: int
    root: Node


@dataclass
class Outline:
    """The outline of a whole file."""

    bodies: list[str]
    kinds: list[LineKind]
    indents: list[int]
    documents: list[Document]

    def nodes(self) -> list[Node]:
        """Every node of every document, parents first (roots excluded)."""
        return [n for d in self.documents for n in d.root.walk() if n.kind is not NodeKind.ROOT]


_CONTROL = re.compile(r"^\{\{-?\s*(?:if|else|end|with|range|define|block|template|/\*|\$\w+\s*:?=)")
_BLOCK_INDICATOR = re.compile(r"^[|>][-+0-9]*\s*(?:#.*)?$")


def _skip_template(text: str, pos: int) -> int:
    """Index after the ``}}`` closing the action opened at ``pos`` (or the end of the text)."""
    close = text.find("}}", pos + 2)
    return len(text) if close < 0 else close + 2


def _quoted_end(text: str, pos: int) -> int:
    """Index of the quote closing the quoted scalar opened at ``pos`` (-1 if not on the line)."""
    quote = text[pos]
    i = pos + 1
    while i < len(text):
        char = text[i]
        if quote == '"' and char == "\\":
            i += 2
            continue
        if char == quote:
            if quote == "'" and text[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return -1


def comment_start(text: str, pos: int) -> int:
    """Index of the ``#`` starting a trailing comment at or after ``pos`` (len if none).

    Quotes only open a string at the start of a scalar or a flow element, as in YAML; template
    actions are skipped whole.
    """
    i = pos
    scalar_start = True
    while i < len(text):
        char = text[i]
        if text.startswith("{{", i):
            i = _skip_template(text, i)
            scalar_start = False
            continue
        if char in "\"'" and scalar_start:
            close = _quoted_end(text, i)
            if close < 0:
                return len(text)
            i = close + 1
            scalar_start = False
            continue
        if char == "#" and (i == pos or text[i - 1] in " \t"):
            return i
        if char in "[{,":
            scalar_start = True
        elif char == ":" and text[i + 1 : i + 2] in (" ", ""):
            scalar_start = True
        elif char not in " \t-?":
            scalar_start = False
        i += 1
    return len(text)


def _key_at(text: str, pos: int) -> tuple[str, int] | None:
    """The key starting at ``pos`` and the index after its colon, if a mapping key is there."""
    if pos >= len(text):
        return None
    char = text[pos]
    if char in "\"'":
        close = _quoted_end(text, pos)
        if close < 0:
            return None
        after = close + 1
        while after < len(text) and text[after] == " ":
            after += 1
        if text[after : after + 1] == ":" and text[after + 1 : after + 2] in ("", " ", "\t"):
            return text[pos + 1 : close], after + 1
        return None
    if char in "[{|>!&*%@`#," or text.startswith("{{", pos):
        return None
    i = pos
    while i < len(text):
        if text.startswith("{{", i):
            i = _skip_template(text, i)
            continue
        if text[i] == "#" and text[i - 1] in " \t":
            return None
        if text[i] == ":" and text[i + 1 : i + 2] in ("", " ", "\t"):
            return text[pos:i].rstrip(), i + 1
        i += 1
    return None


def _flow_depth(text: str, pos: int, depth: int) -> int:
    """Bracket depth after scanning a flow collection from ``pos`` (quotes respected)."""
    i = pos
    while i < len(text):
        char = text[i]
        if char in "\"'" and (i == pos or text[i - 1] in " [{,:"):
            close = _quoted_end(text, i)
            if close < 0:
                return depth
            i = close + 1
            continue
        if char == "#" and text[i - 1 : i] in (" ", "\t") and depth == 0:
            return depth
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        i += 1
    return depth


@dataclass
class _Value:
    text: str
    col: int
    style: Style
    open_quote: str = ""
    flow_depth: int = 0


def _value_at(text: str, pos: int, templated: bool) -> _Value:
    """The inline value that starts at or after ``pos`` on a head line."""
    i = pos
    while i < len(text) and text[i] in " \t":
        i += 1
    value_col = i
    end = comment_start(text, i)
    raw = text[i:end].rstrip()
    if not raw:
        return _Value("", -1, Style.NONE)
    # Anchors and tags decorate a value without changing its style.
    lead = re.match(r"^(?:[&!][^\s]*(?:\s+|$))+", raw)
    core = raw[lead.end() :] if lead else raw
    if lead and not core:
        return _Value(raw, value_col, Style.NONE)
    first = core[0]
    if first in "|>" and _BLOCK_INDICATOR.match(core):
        return _Value(raw, value_col, Style.BLOCK)
    if first == "[" or (first == "{" and not (templated and core.startswith("{{"))):
        depth = _flow_depth(core, 0, 0)
        style = Style.FLOW_SEQ if first == "[" else Style.FLOW_MAP
        return _Value(raw, value_col, style, flow_depth=depth)
    if first in "\"'":
        offset = i + (len(raw) - len(core))
        close = _quoted_end(text, offset)
        if close < 0:
            return _Value(text[i:].rstrip(), value_col, Style.QUOTED, open_quote=first)
        return _Value(raw, value_col, Style.QUOTED)
    if first == "*":
        return _Value(raw, value_col, Style.ALIAS)
    return _Value(raw, value_col, Style.PLAIN)


class _Builder:
    """Builds the outline line by line (see :func:`outline`)."""

    def __init__(self, text: str, templated: bool) -> None:
        self.lines = split_lines(text)
        self.bodies = [body(line) for line in self.lines]
        self.templated = templated
        self.kinds: list[LineKind] = []
        self.indents: list[int] = []
        self.documents: list[Document] = []
        self.mode = ""
        self.mode_col = 0
        self.quote = ""
        self.depth = 0
        self.current: Node | None = None

    def build(self) -> Outline:
        self._new_document(None, 0)
        for index, text in enumerate(self.bodies):
            indent = len(text) - len(text.lstrip(" "))
            self.indents.append(indent)
            self.kinds.append(self._classify(index, text, indent))
        self._close_document(len(self.bodies) - 1)
        return Outline(self.bodies, self.kinds, self.indents, self.documents)

    def _new_document(self, separator: int | None, first: int) -> None:
        root = Node(NodeKind.ROOT, -1, first, first, doc=len(self.documents))
        self.documents.append(Document(len(self.documents), separator, first, first, root))
        self.stack: list[Node] = [root]
        self.mode = ""
        self.current = None

    def _close_document(self, last: int) -> None:
        self.documents[-1].last = last

    def _classify(self, index: int, text: str, indent: int) -> LineKind:
        stripped = text.strip()
        if not stripped:
            # A blank line inside a block scalar is kept as blank: what follows decides.
            return LineKind.BLANK
        if self.mode and self._continues(index, text, indent, stripped):
            return LineKind.CONTINUATION
        if "\t" in text[: len(text) - len(text.lstrip())]:
            raise OutlineError(f"line {index + 1}: tab in indentation")
        if self.templated and stripped.startswith("{{"):
            if _CONTROL.match(stripped):
                return LineKind.CONTROL
            self._template_line(index, indent)
            return LineKind.CONTENT
        if stripped.startswith("#"):
            if self.mode == "plain":
                self.mode = ""
            return LineKind.COMMENT
        self.mode = ""
        if indent == 0 and re.match(r"^(---|\.\.\.)(\s|$)", text):
            rest = text[3:].strip()
            if rest and not rest.startswith("#"):
                raise OutlineError(f"line {index + 1}: content on a document separator")
            self._close_document(index - 1)
            self._new_document(index, index + 1)
            return LineKind.SEPARATOR
        if indent == 0 and text.startswith("%"):
            return LineKind.DIRECTIVE
        self._heads(index, text, indent)
        return LineKind.CONTENT

    def _continues(self, index: int, text: str, indent: int, stripped: str) -> bool:
        node = self.current
        if node is None:
            self.mode = ""
            return False
        if self.mode == "block":
            if indent > self.mode_col:
                node.last = index
                return True
            if self.templated and _CONTROL.match(stripped):
                return False
            self.mode = ""
            return False
        if self.mode == "flow":
            self.depth = _flow_depth(text, 0, self.depth)
            node.last = index
            if self.depth <= 0:
                self.mode = ""
            return True
        if self.mode == "quote":
            node.last = index
            if self._closes_quote(text):
                self.mode = ""
            return True
        # plain multi-line scalar
        if stripped and not stripped.startswith("#") and indent > self.mode_col:
            if self.templated and _CONTROL.match(stripped):
                return False
            node.last = index
            return True
        return False

    def _closes_quote(self, text: str) -> bool:
        i = 0
        while i < len(text):
            char = text[i]
            if self.quote == '"' and char == "\\":
                i += 2
                continue
            if char == self.quote:
                if self.quote == "'" and text[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                return True
            i += 1
        return False

    def _template_line(self, index: int, indent: int) -> None:
        parent = self.stack[0]
        for node in self.stack:
            if node.col < indent:
                parent = node
        node = Node(NodeKind.TEMPLATE, indent, index, index, parent=parent, doc=parent.doc)
        node.value = self.bodies[index].strip()
        parent.children.append(node)
        self.current = None
        self.mode = ""

    def _attach(self, node: Node) -> None:
        while len(self.stack) > 1:
            top = self.stack[-1]
            if top.col < node.col:
                break
            if (
                top.col == node.col
                and top.kind is NodeKind.KEY
                and node.kind is NodeKind.ITEM
                and top.style is Style.NONE
                and all(c.kind is not NodeKind.KEY for c in top.children)
            ):
                break
            self.stack.pop()
        parent = self.stack[-1]
        node.parent = parent
        node.doc = parent.doc
        parent.children.append(node)
        self.stack.append(node)

    def _heads(self, index: int, text: str, indent: int) -> None:
        pos = indent
        node: Node | None = None
        while pos < len(text):
            if text[pos] == "-" and text[pos + 1 : pos + 2] in ("", " ", "\t"):
                node = Node(NodeKind.ITEM, pos, index, index)
                self._attach(node)
                pos += 1
                while pos < len(text) and text[pos] in " \t":
                    pos += 1
                if pos >= len(text) or text[pos] == "#":
                    break
                continue
            if text[pos] == "?" and text[pos + 1 : pos + 2] in ("", " "):
                raise OutlineError(f"line {index + 1}: complex mapping keys are not supported")
            key = _key_at(text, pos)
            if key is not None:
                node = Node(NodeKind.KEY, pos, index, index, key=key[0])
                self._attach(node)
                self._set_value(node, _value_at(text, key[1], self.templated))
                break
            value = _value_at(text, pos, self.templated)
            if node is None:
                node = Node(NodeKind.SCALAR, pos, index, index)
                self._attach(node)
            self._set_value(node, value)
            break
        self.current = node

    def _set_value(self, node: Node, value: _Value) -> None:
        node.value, node.value_col, node.style = value.text, value.col, value.style
        self.mode, self.mode_col = "", node.col
        if value.style is Style.BLOCK:
            self.mode = "block"
        elif value.style in (Style.FLOW_SEQ, Style.FLOW_MAP) and value.flow_depth > 0:
            self.mode, self.depth = "flow", value.flow_depth
        elif value.open_quote:
            self.mode, self.quote = "quote", value.open_quote
        elif value.style in (Style.PLAIN, Style.ALIAS):
            self.mode = "plain"


def outline(text: str, templated: bool = False) -> Outline:
    """The outline of ``text``; raises :class:`OutlineError` on YAML it cannot follow."""
    return _Builder(text, templated).build()
