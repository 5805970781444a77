"""Turn a Terraform removal plan into new text, touching as few bytes as possible.

Blocks, attributes and list elements that sit on lines of their own go with their lines,
with the comment lines directly above them and one blank line when two would meet. Elements
that share a line (``[a, b, c]``) are cut out with their separator, keeping the list's
trailing-comma style (JSON heredocs forbid a trailing comma). Every other byte is kept.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from agent.qa.confinement import stray_changes
from agent.refactor.base import body, line_ending, merge_ranges
from agent.refactor.rules.terraform_plan import Plan
from agent.refactor.rules.terraform_syntax import COMMENT, NEWLINE, Node, Source

BLANK, COMMENT_LINE, CODE = "blank", "comment", "code"
_OPENERS = ("{", "[", "(")
_CLOSERS = ("}", "]", ")")
#: Functions that return their only argument unchanged: the call goes when one is left.
_UNWRAP = frozenset({"merge", "concat", "setunion", "coalesce", "coalescelist"})


class RenderError(ValueError):
    """The plan cannot be applied cleanly (a member shares its line with others)."""


@dataclass(frozen=True)
class Rendered:
    """The rewritten text and what changed.

    Attributes:
        text: the new content.
        touched: 1-based inclusive ranges of original lines removed or changed.
        empty: nothing but comments and blank lines is left.
        notes: 0-based line -> concern for a human (comments that still mention it).
    """

    text: str
    touched: tuple[tuple[int, int], ...]
    empty: bool
    notes: dict[int, str]


class _Renderer:
    def __init__(self, source: Source, plan: Plan) -> None:
        self.source = source
        self.text = source.text
        self.lines = source.lines
        self.plan = plan
        self.deleted: set[int] = set()
        self.edits: list[tuple[int, int, str]] = []
        self.notes: dict[int, str] = {}
        count = len(self.lines)
        self.kinds = [BLANK] * count
        self.first: list[str | None] = [None] * count
        self.last: list[str | None] = [None] * count
        starts = source.line_starts
        for token in source.tokens:
            if token.kind == NEWLINE:
                continue
            # Source.line_of, inlined: this runs once per token.
            first = bisect_right(starts, token.start) - 1
            last = bisect_right(starts, max(token.end - 1, 0)) - 1
            if token.kind == COMMENT:
                for number in range(first, last + 1):
                    if self.kinds[number] == BLANK:
                        self.kinds[number] = COMMENT_LINE
                continue
            for number in range(first, last + 1):
                self.kinds[number] = CODE
            self.first[first] = self.first[first] or token.text
            self.last[last] = token.text

    # -- geometry ----------------------------------------------------------------------------

    def _content_end(self, line: int) -> int:
        return self.source.line_starts[line] + len(body(self.lines[line]))

    def _owns_lines(self, node: Node) -> bool:
        first = self.source.line_of(node.start)
        if self.text[self.source.line_starts[first] : node.start].strip():
            return False
        rest = self.text[node.end : self._content_end(self.source.line_of(node.end - 1))]
        rest = rest.strip()
        if node.comma is not None and rest.startswith(","):
            rest = rest[1:].strip()
        return not rest or rest.startswith(("#", "//", "/*"))

    def _delete_lines(self, node: Node) -> None:
        first = self.source.line_of(node.start)
        last = self.source.line_of(node.end - 1)
        self._delete_with_comments(first, last)

    def _delete_with_comments(self, first: int, last: int) -> None:
        while first > 0 and self.kinds[first - 1] == COMMENT_LINE and first - 1 not in self.deleted:
            first -= 1  # the comment lines directly above describe what goes
        self.deleted.update(range(first, last + 1))

    # -- removals ----------------------------------------------------------------------------

    def apply_plan(self) -> None:
        removed = self.plan.removed
        tops = [n for n in removed if not any(a in removed for a in n.ancestors())]
        containers: dict[int, Node] = {}
        for node in sorted(tops, key=lambda n: n.start):
            if node.kind == "item":
                assert node.parent is not None
                containers[id(node.parent)] = node.parent
            elif self._owns_lines(node):
                self._delete_lines(node)
            else:
                raise RenderError(f"{node.name} shares its line with other code")
        for container in containers.values():
            if not self._unwrap(container, removed):
                self._remove_items(container, removed)
        for node, replacement in self.plan.strings.items():
            if not any(a in removed for a in node.ancestors()):
                self.edits.append((node.start + 1, node.end - 1, replacement))

    def _unwrap(self, container: Node, removed: set[Node]) -> bool:
        """``merge(local.tags, {...})`` left with one argument becomes ``local.tags``."""
        if container.kind != "call" or container.name not in _UNWRAP:
            return False
        live = [c for c in container.children if c not in removed]
        if len(live) != 1:
            return False
        kept = live[0]
        inner = self.text[kept.start : kept.end]
        edited = any(kept.start <= n.start < kept.end for n in (*removed, *self.plan.strings))
        if "\n" in inner or edited:
            return False
        self.edits.append((container.start, container.end, inner))
        return True

    def _remove_items(self, container: Node, removed: set[Node]) -> None:
        items = container.children
        index = 0
        while index < len(items):
            if items[index] not in removed:
                index += 1
                continue
            end = index
            while end + 1 < len(items) and items[end + 1] in removed:
                end += 1
            before = items[index - 1] if index > 0 else None
            after = items[end + 1] if end + 1 < len(items) else None
            self._remove_run(items[index], items[end], before, after)
            index = end + 1

    def _remove_run(self, first: Node, last: Node, before: Node | None, after: Node | None) -> None:
        run = [first, last]
        if all(self._owns_lines(n) for n in run) and (
            before is None or self.source.line_of(before.end - 1) < self.source.line_of(first.start)
        ):
            self._delete_with_comments(
                self.source.line_of(first.start), self.source.line_of(last.end - 1)
            )
            if after is None and before is not None and before.comma is not None:
                if last.comma is None:  # the list had no trailing comma: keep it that way
                    self.edits.append((before.comma, before.comma + 1, ""))
            return
        past = last.end if last.comma is None else last.comma + 1
        while past < len(self.text) and self.text[past] in " \t":
            past += 1
        same_line = self.source.line_of(first.start)
        if after is not None and after.start == past:
            self.edits.append((first.start, after.start, ""))
        elif before is not None and self.source.line_of(before.end - 1) == same_line:
            self.edits.append((before.end, last.end, ""))
        elif after is not None and last.comma is not None:
            self.edits.append((first.start, past, ""))
        elif before is not None:
            self.edits.append((before.end, last.end, ""))
        else:
            self.edits.append((first.start, past, ""))

    # -- comments and blank lines --------------------------------------------------------------

    def handle_comments(self) -> None:
        """Comments on kept lines that still mention it: shrink a list, else drop or report."""
        for token_start, shrunk in sorted(self.plan.comments.items()):
            token = self.source.comment_at(token_start)
            assert token is not None
            line = self.source.line_of(token.start)
            if line in self.deleted:
                continue
            line_start = self.source.line_starts[line]
            if shrunk is not None:
                self.edits.append((token.start, token.end, shrunk))
            elif not self.text[line_start : token.start].strip():
                self.notes.setdefault(line, "a comment still mentions it; reword or drop it")
            elif token.end > self._content_end(line):
                self.notes.setdefault(line, "a block comment still mentions it")
            else:
                start = token.start
                while start > line_start and self.text[start - 1] in " \t":
                    start -= 1
                self.edits.append((start, token.end, ""))

    def _opening(self, line: int | None) -> bool:
        return line is None or self.last[line] in _OPENERS

    def _closing(self, line: int | None) -> bool:
        return line is None or self.first[line] in _CLOSERS

    def tidy_blank_lines(self) -> None:
        """Where a deletion leaves two blank lines (or one next to a brace), drop one."""
        changed = True
        while changed:
            changed = False
            for first, last in self._runs():
                if all(self.kinds[n] == BLANK for n in range(first, last + 1)):
                    continue
                previous = self._kept(first, -1)
                following = self._kept(last, 1)
                blank_before = previous is not None and self.kinds[previous] == BLANK
                blank_after = following is not None and self.kinds[following] == BLANK
                if (
                    following is not None
                    and blank_after
                    and (blank_before or self._opening(previous))
                ):
                    self.deleted.add(following)
                    changed = True
                    break
                if previous is not None and blank_before and self._closing(following):
                    self.deleted.add(previous)
                    changed = True
                    break

    def _runs(self) -> list[tuple[int, int]]:
        runs: list[tuple[int, int]] = []
        for number in sorted(self.deleted):
            if runs and runs[-1][1] == number - 1:
                runs[-1] = (runs[-1][0], number)
            else:
                runs.append((number, number))
        return runs

    def _kept(self, line: int, step: int) -> int | None:
        line += step
        while 0 <= line < len(self.lines):
            if line not in self.deleted:
                return line
            line += step
        return None

    # -- output ------------------------------------------------------------------------------

    def build(self) -> Rendered:
        spans = [
            (self.source.line_starts[n], self.source.line_starts[n] + len(self.lines[n]), "")
            for n in sorted(self.deleted)
        ]
        merged: list[tuple[int, int, str]] = []
        for start, end, replacement in sorted(spans + self.edits, key=lambda e: (e[0], -e[1])):
            if merged and start < merged[-1][1]:
                last_start, last_end, last_replacement = merged[-1]
                if end <= last_end and not last_replacement:
                    continue  # inside something already removed
                if replacement or last_replacement:
                    raise RenderError("overlapping edits")
                merged[-1] = (last_start, max(end, last_end), "")
                continue
            merged.append((start, end, replacement))
        pieces: list[str] = []
        position = 0
        touched: list[tuple[int, int]] = []
        for start, end, replacement in merged:
            pieces.append(self.text[position:start])
            pieces.append(replacement)
            position = end
            first = self.source.line_of(start)
            touched.append((first + 1, self.source.line_of(max(end - 1, start)) + 1))
        pieces.append(self.text[position:])
        new = "".join(pieces)
        kept = [n for n in range(len(self.lines)) if n not in self.deleted]
        if kept and self.lines and not line_ending(self.lines[-1]) and new.endswith("\n"):
            # The file had no final newline; the new last line must not gain one.
            new = new[: -len(line_ending(self.lines[kept[-1]]))]
            touched.append((kept[-1] + 1, kept[-1] + 1))
        # Deleting one of several identical lines ("}", blanks) may be aligned by a line diff
        # to another of them; count those too so the change reads as confined either way.
        touched.extend((n, n) for n in stray_changes(self.text, new, ()))
        empty = all(self.kinds[n] != CODE for n in kept)
        return Rendered(new, merge_ranges(touched), empty, self.notes)


def render(source: Source, plan: Plan) -> Rendered:
    """Apply ``plan`` to the text of ``source``."""
    renderer = _Renderer(source, plan)
    renderer.apply_plan()
    renderer.tidy_blank_lines()
    renderer.handle_comments()
    return renderer.build()
