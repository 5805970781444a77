"""Byte-level view of a source file for the code rule: its tree, reference spans and edits.

Tree-sitter reports byte offsets, so everything here works on the UTF-8 bytes of the file.
Edits are kept as deleted whole lines plus byte-range replacements and line insertions, and
are only spliced together at the end, which lets the passes ask "is this node already gone?"
and lets blank-line tidying look at the final set of deleted lines.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate, chain
from typing import Literal

from tree_sitter import Node, Parser

from agent.qa.parsing import per_thread
from agent.refactor.base import DECOM_MARK, Target, body, line_ending, split_lines

Grammar = Literal["python", "java", "kotlin", "go", "javascript", "typescript", "tsx"]


def parser(grammar: Grammar) -> Parser:
    """The tree-sitter parser of a grammar (one per thread: parsers are not thread-safe)."""
    from tree_sitter_language_pack import get_parser

    made: Parser = per_thread(f"tree-sitter:{grammar}", lambda: get_parser(grammar))
    return made


def walk(node: Node) -> Iterator[Node]:
    """Every named node under ``node`` (itself included), in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.named_children))


def _preorder(root: Node) -> tuple[list[Node], list[str], list[int]]:
    """``list(walk(root))``, each node's type, and for each the index just past its subtree."""
    nodes: list[Node] = []
    types: list[str] = []
    ends: list[int] = []
    stack: list[Node | int] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, int):
            ends[item] = len(nodes)  # every node under it has been listed
            continue
        index = len(nodes)
        nodes.append(item)
        types.append(item.type)
        ends.append(index + 1)
        children = item.named_children
        if children:
            stack.append(index)
            stack.extend(reversed(children))
    return nodes, types, ends


def symbol_regex(name: str) -> re.Pattern[str]:
    """How a removed symbol is found in a line: exact, bounded like an identifier."""
    return re.compile(rf"(?<![A-Za-z0-9_.-]){re.escape(name)}(?![A-Za-z0-9_]|-[A-Za-z0-9])")


def quoted_regex(name: str) -> re.Pattern[str]:
    """How a quoted alias (a Django database key) is found in a line."""
    return re.compile(rf"([\"']){re.escape(name)}\1")


_STRING_START = re.compile(r"""^[rbuRBUfF]{0,2}("{3}|'{3}|["'`])""")


def string_content(text: str) -> tuple[int, str]:
    """Offset and text of a string literal's content, without prefix and quotes."""
    match = _STRING_START.match(text)
    if match is None:
        return 0, text
    quote = match.group(1)
    end = len(text) - len(quote) if text.endswith(quote) and len(text) > match.end() else len(text)
    return match.end(), text[match.end() : end]


class Source:
    """A parsed file: text, bytes, lines and the offset of each line."""

    def __init__(self, text: str, grammar: Grammar) -> None:
        self.text = text
        self.data = text.encode()
        self.lines = split_lines(text)
        # Byte offset of each line (characters are bytes when the text is ASCII).
        ascii_only = len(self.data) == len(text)
        sizes = map(len, self.lines) if ascii_only else (len(line.encode()) for line in self.lines)
        self.starts: list[int] = list(accumulate(sizes, initial=0))[:-1]
        self.grammar = grammar
        self.root = parser(grammar).parse(self.data).root_node
        #: Every named node in source order (the passes read the tree many times; the tree
        #: never changes, edits are kept apart), each node's type, and where the nodes under
        #: it end in that list (a subtree is a slice of it).
        self.nodes, self.types, self._ends = _preorder(self.root)
        self._positions: dict[int, int] | None = None
        self._of_type: dict[frozenset[str], list[Node]] = {}
        self._by_type: dict[str, list[int]] | None = None
        crlf = text.count("\r\n")  # lines ending with \r\n (every \n ends a line)
        self.newline = "\r\n" if crlf * 2 > len(self.lines) else "\n"

    def subtree(self, node: Node) -> list[Node]:
        """``list(walk(node))``, read from :attr:`nodes` (do not modify the list)."""
        index = self._position(node)
        if index is None:
            return list(walk(node))
        return self.nodes[index : self._ends[index]]

    def bounds(self, node: Node) -> tuple[int, int] | None:
        """Where :meth:`subtree` sits in :attr:`nodes` (None for a node not there)."""
        index = self._position(node)
        return None if index is None else (index, self._ends[index])

    def subtree_types(self, node: Node) -> list[str]:
        """The types of :meth:`subtree`, in the same order."""
        index = self._position(node)
        if index is None:
            return [child.type for child in walk(node)]
        return self.types[index : self._ends[index]]

    def typed_subtree(self, node: Node) -> Iterator[tuple[Node, str]]:
        """:meth:`subtree` with each node's type."""
        return zip(self.subtree(node), self.subtree_types(node), strict=True)

    def of_type(self, kinds: frozenset[str]) -> list[Node]:
        """The nodes of :attr:`nodes` whose type is one of ``kinds``, in source order.

        Remembered per ``kinds``: the caller must not modify the list.
        """
        found = self._of_type.get(kinds)
        if found is None:
            found = [self.nodes[index] for index in self.positions_of_type(kinds)]
            self._of_type[kinds] = found
        return found

    def positions_of_type(self, kinds: frozenset[str]) -> list[int]:
        """Where the nodes of :meth:`of_type` sit in :attr:`nodes`, in order."""
        if self._by_type is None:
            self._by_type = {}
            for index, kind in enumerate(self.types):
                self._by_type.setdefault(kind, []).append(index)
        groups = [self._by_type[kind] for kind in kinds if kind in self._by_type]
        return list(groups[0]) if len(groups) == 1 else sorted(chain.from_iterable(groups))

    def _position(self, node: Node) -> int | None:
        """Index of ``node`` in :attr:`nodes` (None for nodes not there, such as anonymous)."""
        if self._positions is None:
            positions: dict[int, int] = {}
            repeated: set[int] = set()
            for index, each in enumerate(self.nodes):
                key = each.id
                if key in positions:
                    repeated.add(key)
                positions[key] = index
            for key in repeated:
                del positions[key]  # never seen; if ids ever repeat, those nodes are walked
            self._positions = positions
        return self._positions.get(node.id)

    def line_of(self, offset: int) -> int:
        """1-based line holding byte ``offset``."""
        return max(1, bisect_right(self.starts, offset))

    def line_start(self, number: int) -> int:
        """Byte offset where 1-based line ``number`` starts (end of file past the last)."""
        return self.starts[number - 1] if number <= len(self.lines) else len(self.data)

    def line_body(self, number: int) -> str:
        """Line ``number`` without its ending."""
        return body(self.lines[number - 1])

    def is_blank(self, number: int) -> bool:
        """Whether line ``number`` exists and holds only whitespace."""
        return 1 <= number <= len(self.lines) and not self.lines[number - 1].strip()

    def text_of(self, node: Node) -> str:
        """The source text of a node."""
        return self.data[node.start_byte : node.end_byte].decode()

    def first_line(self, node: Node) -> int:
        """1-based first line of a node."""
        return int(node.start_point[0]) + 1

    def last_line(self, node: Node) -> int:
        """1-based last line of a node."""
        return int(node.end_point[0]) + 1

    def indent_of(self, number: int) -> str:
        """Leading whitespace of line ``number``."""
        line = self.line_body(number)
        return line[: len(line) - len(line.lstrip())]

    def indent_unit(self) -> str:
        """The file's indentation step: a tab, or the most common increase in leading spaces."""
        steps: dict[int, int] = {}
        previous = 0
        for line in self.lines:
            if line.startswith("\t"):
                return "\t"
            stripped = line.lstrip(" ")
            # Blank lines and block-comment continuations (" * text") say nothing.
            if not stripped.strip() or stripped.startswith("*"):
                continue
            width = len(line) - len(stripped)
            if width > previous:
                steps[width - previous] = steps.get(width - previous, 0) + 1
            previous = width
        if not steps:
            return "    "
        return " " * max(sorted(steps), key=lambda step: steps[step])

    def alone_on_lines(self, node: Node, comment: str) -> bool:
        """Whether nothing but whitespace, a separator and a comment shares the node's lines."""
        before = self.data[self.line_start(self.first_line(node)) : node.start_byte]
        end = self.line_start(self.last_line(node) + 1)
        after = self.data[node.end_byte : end].decode().strip()
        after = after.lstrip(",;").strip()
        return not before.strip() and (not after or after.startswith(comment))


class Refs:
    """Where the file refers to the database, as absolute byte spans."""

    def __init__(
        self, source: Source, target: Target, symbols: Iterable[str], ref_lines: Iterable[int]
    ) -> None:
        self.source = source
        self.target = target
        self.patterns = [symbol_regex(s) for s in sorted(set(symbols)) if s.strip()]
        self.ref_lines = set(ref_lines)
        #: Sorted and without repeats; ``_starts`` holds their starts (for bisection).
        self.spans: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._ordered = True
        #: Per line, its body and the character spans found in it (None: a line decom wrote).
        self._bodies: list[str] = []
        self._found: list[list[tuple[int, int]] | None] = []
        #: Whether a line body mentions the database (the target or a pattern), by body.
        self._mentioned: dict[str, bool] = {}
        self.refresh()

    def add_pattern(self, pattern: re.Pattern[str]) -> None:
        """Treat another in-file spelling (a Django key found here) as a reference."""
        self.patterns.append(pattern)
        for text, found in zip(self._bodies, self._found, strict=True):
            if found is not None:
                found.extend(m.span() for m in pattern.finditer(text))
        self._update()

    def refresh(self) -> None:
        """Recompute the spans from the target and the extra patterns."""
        self._bodies = [body(line) for line in self.source.lines]
        self._found = []
        for text in self._bodies:
            if DECOM_MARK in text:
                self._found.append(None)  # a decom note or fail-fast message from an earlier run
                continue
            found = list(self.target.identifier_spans(text))
            for pattern in self.patterns:
                found.extend(m.span() for m in pattern.finditer(text))
            self._found.append(found)
        self._update()

    def _update(self) -> None:
        """Byte spans and the per-body answers of :meth:`mentions` from the lines' spans."""
        src = self.source
        ascii_only = len(src.data) == len(src.text)  # character offsets are byte offsets
        spans: list[tuple[int, int]] = []
        mentioned = dict.fromkeys(self._bodies, False)
        for text, base, found in zip(self._bodies, src.starts, self._found, strict=True):
            if not found:
                if found is None:
                    mentioned.pop(text, None)  # a decom line: asked afresh (nobody asks)
                continue
            mentioned[text] = True
            if ascii_only:
                spans.extend((base + start, base + end) for start, end in found)
            else:
                for start, end in found:
                    spans.append(
                        (base + len(text[:start].encode()), base + len(text[:end].encode()))
                    )
        self.spans = sorted(set(spans))
        self._starts = [start for start, _ in self.spans]
        self._ordered = all(start <= end for start, end in self.spans)
        self._mentioned = mentioned

    def mentions(self, text: str) -> bool:
        """Whether ``text`` names the database (the target's spellings or a pattern)."""
        known = self._mentioned.get(text)
        if known is None:
            known = self.target.mentions(text) or any(p.search(text) for p in self.patterns)
            self._mentioned[text] = known
        return known

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        """Spans inside the byte range ``[start, end)``."""
        if not self._ordered:
            return [s for s in self.spans if s[0] >= start and s[1] <= end]
        spans = self.spans
        found = []
        # Spans from the first starting at ``start``, up to the last starting by ``end``.
        for index in range(bisect_left(self._starts, start), len(spans)):
            span = spans[index]
            if span[0] > end:
                break
            if span[1] <= end:
                found.append(span)
        return found

    def node_has(self, node: Node) -> bool:
        """Whether a node's text holds a reference."""
        if not self.spans:
            return False
        return bool(self.within(node.start_byte, node.end_byte))


@dataclass
class Edits:
    """Pending changes to a file: deleted lines, byte replacements and inserted lines."""

    source: Source
    deleted: set[int] = field(default_factory=set)
    replaced: list[tuple[int, int, str]] = field(default_factory=list)
    inserted: list[tuple[int, str]] = field(default_factory=list)
    extra_touched: set[int] = field(default_factory=set)

    def covers(self, start: int, end: int) -> bool:
        """Whether the byte range is already gone (deleted lines or inside a replacement)."""
        src = self.source
        if start >= end:
            return False
        if all(n in self.deleted for n in range(src.line_of(start), src.line_of(end - 1) + 1)):
            return True
        return any(a <= start and end <= b for a, b, _ in self.replaced)

    def deletes_node(self, node: Node) -> bool:
        """Whether every line of a node is deleted (a replaced node is still there)."""
        first, last = self.source.first_line(node), self.source.last_line(node)
        return all(n in self.deleted for n in range(first, last + 1))

    def covers_node(self, node: Node) -> bool:
        """Whether a node is already gone."""
        return self.covers(node.start_byte, node.end_byte)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether the byte range touches anything already edited."""
        src = self.source
        lines = range(src.line_of(start), src.line_of(max(start, end - 1)) + 1)
        if any(n in self.deleted for n in lines):
            return True
        return any(start < b and a < end for a, b, _ in self.replaced)

    def delete_lines(self, first: int, last: int) -> bool:
        """Delete whole lines unless a replacement already sits in them."""
        start, end = self.source.line_start(first), self.source.line_start(last + 1)
        if any(start < b and a < end for a, b, _ in self.replaced):
            return False
        self.deleted.update(range(first, last + 1))
        return True

    def replace(self, start: int, end: int, text: str) -> bool:
        """Replace a byte range, unless it overlaps an earlier edit."""
        if self.overlaps(start, end):
            return False
        self.replaced.append((start, end, text))
        return True

    def insert(self, before_line: int, text: str) -> None:
        """Insert whole lines (``text`` ends with a newline) before ``before_line``."""
        self.inserted.append((before_line, text))
        # The contract only lets insertions sit next to a touched line: name a neighbour,
        # preferring a blank one, since it is the least misleading line to report.
        total = len(self.source.lines)
        if before_line <= total and self.source.is_blank(before_line):
            self.extra_touched.add(before_line)
        else:
            self.extra_touched.add(before_line - 1 if before_line > 1 else 1)

    def changed_lines(self) -> set[int]:
        """Lines removed or rewritten so far (not counting insertions)."""
        lines = set(self.deleted)
        for start, end, _ in self.replaced:
            last = self.source.line_of(max(start, end - 1))
            lines.update(range(self.source.line_of(start), last + 1))
        return lines

    def tidy_blank_lines(self) -> None:
        """Drop blank lines a deletion left doubled, or left before a closing bracket."""
        src = self.source
        total = len(src.lines)
        for first, last in _runs(sorted(self.deleted)):
            above = self._blank_run(first - 1, -1)
            below = self._blank_run(last + 1, 1)
            after = self._next_kept(last + 1, 1)
            before = self._next_kept(first - 1, -1)
            drop: list[int] = []
            if above and below:
                drop = below[: min(len(above), len(below))]
            elif above and (after > total or _starts_closing(src.line_body(after))):
                drop = above
            elif below and (before < 1 or _ends_opening(src.line_body(before))):
                drop = below
            if drop:
                self.deleted.update(drop)
                # Blank lines are interchangeable: a diff may pair any of them with the one
                # that went, so report the whole run on both sides.
                self.extra_touched.update(above + below)

    def _next_kept(self, start: int, step: int) -> int:
        """The first line from ``start`` that is neither deleted nor blank (or past the end)."""
        number = start
        while 1 <= number <= len(self.source.lines):
            if number not in self.deleted and not self.source.is_blank(number):
                return number
            number += step
        return number

    def _blank_run(self, start: int, step: int) -> list[int]:
        """Blank lines next to a deletion, looking through lines that are deleted too."""
        run = []
        number = start
        while 1 <= number <= len(self.source.lines):
            if number not in self.deleted:
                if not self.source.is_blank(number) or self._edited(number):
                    break
                run.append(number)
            number += step
        return run

    def _edited(self, number: int) -> bool:
        start, end = self.source.line_start(number), self.source.line_start(number + 1)
        return any(start < b and a < end for a, b, _ in self.replaced)

    def build(self) -> tuple[str, tuple[tuple[int, int], ...]]:
        """The new text and the touched line ranges."""
        src = self.source
        pieces: list[tuple[int, int, str]] = list(self.replaced)
        touched = self.changed_lines() | self.extra_touched
        total = len(src.lines)
        no_final_newline = bool(src.lines) and not line_ending(src.lines[-1])
        for first, last in _runs(sorted(self.deleted)):
            start, end = src.line_start(first), src.line_start(last + 1)
            if last == total and no_final_newline and first > 1:
                # The old last line had no newline: the new last line must lose its own.
                previous = src.lines[first - 2]
                start -= len(line_ending(previous).encode())
                touched.add(first - 1)
            pieces.append((start, end, ""))
        for before_line, text in self.inserted:
            offset = src.line_start(before_line)
            if before_line > total and no_final_newline:
                text = src.newline + text.rstrip("\r\n")
            pieces.append((offset, offset, text))
        pieces.sort(key=lambda p: (p[0], p[1]))
        out: list[bytes] = []
        cursor = 0
        for start, end, text in pieces:
            if start < cursor:
                raise ValueError("overlapping edits")
            out.append(src.data[cursor:start])
            out.append(text.encode())
            cursor = end
        out.append(src.data[cursor:])
        ranges = tuple((a, b) for a, b in _runs(sorted(n for n in touched if 1 <= n <= total)))
        return b"".join(out).decode(), ranges


def _starts_closing(line: str) -> bool:
    return line.strip()[:1] in {"}", ")", "]"}


def _ends_opening(line: str) -> bool:
    return line.strip()[-1:] in {"{", "(", "["}


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs
