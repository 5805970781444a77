"""Tokens and a position-keeping syntax tree for Terraform/HCL native syntax.

``agent.formats.hcl`` finds blocks and attributes by line; a rewrite that removes one element
of ``security_groups = [a, b, c]`` or one ``Resource`` of a ``jsonencode`` policy needs
character offsets of every element, entry and argument, so this module parses the whole file
into :class:`Node` trees whose spans index the original text. JSON heredoc bodies (IAM
policies) are parsed too, with offsets into the same text. Nothing is normalised: the tree
only says where things are, the text stays the source of truth.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

IDENT = "ident"
NUMBER = "number"
STRING = "string"
HEREDOC = "heredoc"
PUNCT = "punct"
NEWLINE = "newline"
COMMENT = "comment"

#: One token at a position; the alternatives are tried in this order, so a heredoc opener
#: wins over ``<``, an identifier over a number, ``...`` over ``.``, a pair over one character.
_TOKEN = re.compile(
    r"""
    (?P<newline>\n)
    | (?P<blank>[ \t\r\f\ufeff]+)
    | (?P<line_comment>\#|//)
    | (?P<block_comment>/\*)
    | (?P<string>")
    | (?P<heredoc><<-?(?P<marker>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n)
    | (?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
    | (?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
    | (?P<punct>\.\.\.|==|!=|<=|>=|&&|\|\||=>|::|[{}\[\]()=,:.?!+\-*/%<>])
    """,
    re.VERBOSE,
)
#: Characters that may end or change a quoted string (anything else is its content).
_STRING_SPECIAL = re.compile(r'[\\"\n$%]')
#: Characters that may end or change a template interpolation.
_TEMPLATE_SPECIAL = re.compile(r'["{}]')
#: Characters that may start an escape or an interpolation inside a string.
_INTERPOLATION_SPECIAL = re.compile(r"[\\$%]")
_VALUE_END = frozenset({"]", ")", "}", "*"})
_CLOSERS = frozenset({",", "}", "]", ")"})


class HclSyntaxError(ValueError):
    """The text is not HCL this parser understands (the rule then asks a human)."""


class Token(NamedTuple):
    """One token; ``start``/``end`` are offsets into the text (end exclusive).

    Immutable like a frozen dataclass, and several times cheaper to build: a file has one
    token per word or sign.
    """

    kind: str
    start: int
    end: int
    text: str
    body_start: int = -1
    body_end: int = -1


@dataclass(eq=False)
class Node:
    """A piece of syntax with its span in the original text.

    ``kind`` is one of: ``file`` (children are top-level attrs and blocks), ``block``
    (``name`` is the type, ``labels`` the labels), ``attr`` (``name`` = value; one child),
    ``item`` (a tuple element, a call argument or an object entry; entries have ``name`` set
    to their key and ``key_end``; one child, the value), ``tuple``/``object``/``call``
    (children are items; ``name`` of a call is the function), ``string``, ``heredoc`` (a
    child when its body parsed as JSON) and ``expr`` (anything else, with children for the
    structures inside it).
    """

    kind: str
    start: int
    end: int
    name: str = ""
    labels: tuple[str, ...] = ()
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    comma: int | None = None
    key_end: int | None = None

    def ancestors(self) -> list[Node]:
        """Parents from the nearest up to the file."""
        found: list[Node] = []
        node = self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found

    def top_block(self) -> Node | None:
        """The top-level block (or file-level attribute) this node belongs to."""
        chain = [self, *self.ancestors()]
        return chain[-2] if len(chain) >= 2 else None


def _scan_string(text: str, i: int) -> int:
    """End offset of the quoted string starting at ``i`` (templates may nest strings)."""
    j = i + 1
    n = len(text)
    while j < n:
        special = _STRING_SPECIAL.search(text, j)
        if special is None:
            break
        j = special.start()
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == '"':
            return j + 1
        if c == "\n":
            break
        if text.startswith(("$${", "%%{"), j):
            j += 3
            continue
        if text.startswith(("${", "%{"), j):
            j = _scan_template(text, j + 2)
            continue
        j += 1
    raise HclSyntaxError(f"unterminated string at offset {i}")


def _scan_template(text: str, j: int) -> int:
    depth = 1
    while j < len(text):
        special = _TEMPLATE_SPECIAL.search(text, j)
        if special is None:
            break
        j = special.start()
        c = text[j]
        if c == '"':
            j = _scan_string(text, j)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise HclSyntaxError("unterminated template interpolation")


def interpolations(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of ``${...}``/``%{...}`` inside the string token ``text[start:end]``."""
    spans: list[tuple[int, int]] = []
    j = start + 1
    while j < end - 1:
        special = _INTERPOLATION_SPECIAL.search(text, j, end - 1)
        if special is None:
            break
        j = special.start()
        if text[j] == "\\":
            j += 2
        elif text.startswith(("$${", "%%{"), j):
            j += 3
        elif text.startswith(("${", "%{"), j):
            close = _scan_template(text, j + 2)
            spans.append((j, close))
            j = close
        else:
            j += 1
    return spans


def tokenize(text: str, base: int = 0) -> list[Token]:
    """Tokens of ``text``; offsets are shifted by ``base`` (for heredoc bodies)."""
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        found = _TOKEN.match(text, i)
        if found is None:
            raise HclSyntaxError(f"unexpected character {text[i]!r} at offset {base + i}")
        kind = found.lastgroup
        if kind == "blank":
            i = found.end()
            continue
        if kind == "newline":
            tokens.append(Token(NEWLINE, base + i, base + i + 1, "\n"))
            i += 1
        elif kind == "line_comment":
            j = text.find("\n", i)
            j = n if j < 0 else j
            end = j - 1 if j > i and text[j - 1] == "\r" else j
            tokens.append(Token(COMMENT, base + i, base + end, text[i:end]))
            i = j
        elif kind == "block_comment":
            j = text.find("*/", i + 2)
            if j < 0:
                raise HclSyntaxError("unterminated block comment")
            tokens.append(Token(COMMENT, base + i, base + j + 2, text[i : j + 2]))
            i = j + 2
        elif kind == "string":
            j = _scan_string(text, i)
            tokens.append(Token(STRING, base + i, base + j, text[i:j]))
            i = j
        elif kind == "heredoc":
            tokens.append(_heredoc(text, base, i, found.group("marker"), found.end()))
            i = tokens[-1].end - base
        else:
            word = found.group()
            token_kind = IDENT if kind == "ident" else NUMBER if kind == "number" else PUNCT
            tokens.append(Token(token_kind, base + i, base + found.end(), word))
            i = found.end()
    return tokens


def _heredoc(text: str, base: int, i: int, marker: str, body_start: int) -> Token:
    j = body_start
    while j <= len(text):
        line_end = text.find("\n", j)
        line_end = len(text) if line_end < 0 else line_end
        line = text[j:line_end].strip()
        if line == marker:
            end = text.index(marker, j) + len(marker)
            return Token(HEREDOC, base + i, base + end, marker, base + body_start, base + j)
        if line_end >= len(text):
            break
        j = line_end + 1
    raise HclSyntaxError(f"heredoc {marker} is never closed")


class _Parser:
    """Recursive descent over the tokens; comments are skipped, newlines matter in bodies."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = [t for t in tokens if t.kind != COMMENT]
        self.i = 0

    def peek(self, skip_newlines: bool) -> Token | None:
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            if token.kind == NEWLINE and skip_newlines:
                self.i += 1
                continue
            return token
        return None

    def take(self, skip_newlines: bool, *texts: str) -> Token:
        token = self.peek(skip_newlines)
        if token is None or (texts and (token.kind != PUNCT or token.text not in texts)):
            where = "end of file" if token is None else f"offset {token.start}"
            raise HclSyntaxError(f"expected {' or '.join(texts) or 'a token'} at {where}")
        self.i += 1
        return token

    def body(self, closing: bool) -> list[Node]:
        members: list[Node] = []
        while True:
            token = self.peek(skip_newlines=True)
            if token is None:
                if closing:
                    raise HclSyntaxError("block is never closed")
                return members
            if token.kind == PUNCT and token.text == "}" and closing:
                return members
            if token.kind != IDENT:
                raise HclSyntaxError(f"expected an attribute or a block at offset {token.start}")
            self.i += 1
            following = self.peek(skip_newlines=False)
            if following is not None and following.kind == PUNCT and following.text == "=":
                self.i += 1
                value = self.expr(stop_newline=True)
                if value is None:
                    raise HclSyntaxError(f"attribute {token.text} has no value")
                attr = Node("attr", token.start, value.end, token.text, children=[value])
                attr.key_end = token.end
                members.append(attr)
                after = self.peek(skip_newlines=False)
                if after is not None and after.kind != NEWLINE and after.text != "}":
                    raise HclSyntaxError(f"unexpected token after {token.text} at {after.start}")
                continue
            labels: list[str] = []
            while (label := self.peek(skip_newlines=False)) is not None and label.kind in (
                STRING,
                IDENT,
            ):
                labels.append(label.text.strip('"'))
                self.i += 1
            self.take(False, "{")
            inner = self.body(closing=True)
            close = self.take(True, "}")
            members.append(Node("block", token.start, close.end, token.text, tuple(labels), inner))

    def expr(self, stop_newline: bool, stops: frozenset[str] = frozenset()) -> Node | None:
        parts: list[Node] = []
        start = end = -1
        previous: Token | None = None
        while True:
            token = self.peek(skip_newlines=not stop_newline)
            if token is None or token.kind == NEWLINE:
                break
            if token.kind == PUNCT and (token.text in _CLOSERS or token.text in stops):
                break
            part: Node | None = None
            if token.kind == PUNCT and token.text == "[":
                index = previous is not None and (
                    previous.kind in (IDENT, STRING, NUMBER) or previous.text in _VALUE_END
                )
                part = self.group("[", "]") if index else self.collection("[", "]")
            elif token.kind == PUNCT and token.text == "{":
                part = self.collection("{", "}")
            elif token.kind == PUNCT and token.text == "(":
                part = self.group("(", ")")
            elif token.kind == IDENT and self._next_is_paren():
                part = self.call()
            elif token.kind == STRING:
                self.i += 1
                part = Node("string", token.start, token.end)
            elif token.kind == HEREDOC:
                self.i += 1
                part = Node("heredoc", token.start, token.end, children=self._json(token))
            else:
                self.i += 1
            if part is not None:
                parts.append(part)
            start = token.start if start < 0 else start
            end = self.tokens[self.i - 1].end
            previous = self.tokens[self.i - 1]
        if start < 0:
            return None
        if len(parts) == 1 and parts[0].start == start and parts[0].end == end:
            return parts[0]
        return Node("expr", start, end, children=parts)

    def _next_is_paren(self) -> bool:
        nxt = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
        return nxt is not None and nxt.kind == PUNCT and nxt.text == "("

    def group(self, opening: str, closing: str) -> Node:
        open_token = self.take(False, opening)
        inner = self.expr(stop_newline=False)
        close = self.take(True, closing)
        return Node("expr", open_token.start, close.end, children=[] if inner is None else [inner])

    def _skip_balanced(self) -> None:
        depth = 0
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            if token.kind == PUNCT and token.text in "([{":
                depth += 1
            elif token.kind == PUNCT and token.text in ")]}":
                depth -= 1
                if depth == 0:
                    self.i += 1
                    return
            self.i += 1
        raise HclSyntaxError("unbalanced brackets")

    def collection(self, opening: str, closing: str) -> Node:
        open_token = self.peek(False)
        assert open_token is not None
        start_index = self.i
        self.i += 1
        first = self.peek(skip_newlines=True)
        if first is not None and first.kind == IDENT and first.text == "for":
            self.i = start_index
            self._skip_balanced()  # a for expression: one opaque value
            return Node("expr", open_token.start, self.tokens[self.i - 1].end)
        items = self.object_items() if opening == "{" else self.items(closing)
        close = self.take(True, closing)
        kind = "object" if opening == "{" else "tuple"
        return Node(kind, open_token.start, close.end, children=items)

    def call(self) -> Node:
        name = self.take(False)
        self.take(False, "(")
        items = self.items(")")
        close = self.take(True, ")")
        return Node("call", name.start, close.end, name.text, children=items)

    def items(self, closing: str) -> list[Node]:
        items: list[Node] = []
        while True:
            token = self.peek(skip_newlines=True)
            if token is None or (token.kind == PUNCT and token.text == closing):
                return items
            value = self.expr(stop_newline=False)
            if value is None:
                raise HclSyntaxError(f"expected a value at offset {token.start}")
            item = Node("item", value.start, value.end, children=[value])
            items.append(item)
            after = self.peek(skip_newlines=True)
            if after is not None and after.kind == PUNCT and after.text == ",":
                item.comma = after.start
                self.i += 1
            elif after is None or after.text != closing:
                raise HclSyntaxError(f"expected , or {closing} after a list element")

    def object_items(self) -> list[Node]:
        items: list[Node] = []
        while True:
            token = self.peek(skip_newlines=True)
            if token is None or (token.kind == PUNCT and token.text == "}"):
                return items
            key = self.expr(stop_newline=True, stops=frozenset({"=", ":"}))
            if key is None:
                raise HclSyntaxError(f"expected an object key at offset {token.start}")
            self.take(False, "=", ":")
            value = self.expr(stop_newline=True)
            if value is None:
                raise HclSyntaxError(f"object key at offset {key.start} has no value")
            name = self.text[key.start : key.end].strip().strip('"')
            item = Node("item", key.start, value.end, name, children=[value], key_end=key.end)
            items.append(item)
            after = self.peek(skip_newlines=False)
            if after is not None and after.kind == PUNCT and after.text == ",":
                item.comma = after.start
                self.i += 1
            elif after is not None and after.kind != NEWLINE and after.text != "}":
                raise HclSyntaxError(f"unexpected token in object at offset {after.start}")

    def _json(self, token: Token) -> list[Node]:
        """The heredoc body as one expression when it is JSON (a policy), else nothing."""
        body = self.text[token.body_start : token.body_end]
        if not body.lstrip().startswith(("{", "[")):
            return []
        try:
            parser = _Parser(self.text, tokenize(body, token.body_start))
            value = parser.expr(stop_newline=False)
            if value is None or parser.peek(skip_newlines=True) is not None:
                return []
        except HclSyntaxError:
            return []
        return [value]


def _link(node: Node) -> None:
    for child in node.children:
        child.parent = node
        _link(child)


@dataclass(frozen=True)
class Source:
    """A parsed file: its text, lines, tokens and tree, with offset/line helpers."""

    text: str
    lines: list[str]
    tokens: list[Token]
    root: Node
    line_starts: list[int]
    token_starts: list[int]

    def line_of(self, offset: int) -> int:
        """0-based line index holding ``offset``."""
        return bisect_right(self.line_starts, offset) - 1

    def innermost(self, offset: int) -> Node:
        """The deepest node whose span holds ``offset``."""
        node = self.root
        while True:
            for child in node.children:
                if child.start <= offset < child.end:
                    node = child
                    break
            else:
                return node

    def comment_at(self, offset: int) -> Token | None:
        """The comment token holding ``offset``, if any."""
        index = bisect_right(self.token_starts, offset) - 1
        if index >= 0:
            token = self.tokens[index]
            if token.kind == COMMENT and token.start <= offset < token.end:
                return token
        return None


def parse(text: str, lines: list[str]) -> Source:
    """Parse a whole file; raises :class:`HclSyntaxError` on anything unexpected."""
    tokens = tokenize(text)
    parser = _Parser(text, tokens)
    members = parser.body(closing=False)
    root = Node("file", 0, len(text), children=members)
    _link(root)
    starts: list[int] = []
    offset = 0
    for line in lines:
        starts.append(offset)
        offset += len(line)
    return Source(text, lines, tokens, root, starts or [0], [t.start for t in tokens])
