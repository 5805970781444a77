"""Collect line edits on a YAML outline and turn them into the new text.

An :class:`EditPlan` records which nodes go and which lines change. Deleting a node takes its
leading comment paragraph and its trailing comments with it. :meth:`EditPlan.settle` then
removes what the deletions left empty (a key whose entries all went, recursively; a list item
left with only its name), :meth:`EditPlan.finalize` removes ``{{- if }}``/``{{- end }}`` pairs
around nothing and the blank lines the removal leaves doubled, and :meth:`EditPlan.render`
produces the text and the touched line ranges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from agent.refactor.base import line_ending, merge_ranges
from agent.refactor.rules.yaml_lines import (
    Document,
    LineKind,
    Node,
    NodeKind,
    Outline,
    Style,
    comment_start,
)
from agent.refactor.rules.yaml_text import Refs

_CONTROL_OPEN = re.compile(r"^\{\{-?\s*(?:if|with|range|define|block)\b")
_CONTROL_MIDDLE = re.compile(r"^\{\{-?\s*else\b")
_CONTROL_END = re.compile(r"^\{\{-?\s*end\b")


class PlanError(ValueError):
    """The edits cannot be applied safely (a template block would be cut in half)."""


@dataclass
class EditPlan:
    """Deletions and line replacements on one file.

    Attributes:
        outline: the file's outline.
        lines: the original lines, with their endings.
        refs: what counts as a reference.
        deleted: 0-based indexes of removed lines.
        replaced: new bodies (without ending) of changed lines.
        gone: nodes removed.
        protected: nodes kept even when emptied (``{}``/``[]`` is written instead).
        needs_human: concerns left for a person (``"12: why"``).
        learned: names this rewrite removed that other lines of the file may use.
        local_names: removed names too generic to match anywhere (see ``Refs.local``).
        removed_symbols: names to report for the cascade.
    """

    outline: Outline
    lines: list[str]
    refs: Refs
    deleted: set[int] = field(default_factory=set)
    replaced: dict[int, str] = field(default_factory=dict)
    gone: set[Node] = field(default_factory=set)
    protected: set[Node] = field(default_factory=set)
    needs_human: list[str] = field(default_factory=list)
    learned: set[str] = field(default_factory=set)
    local_names: set[str] = field(default_factory=set)
    removed_symbols: list[str] = field(default_factory=list)
    documents_removed: list[Document] = field(default_factory=list)
    _redash: set[Node] = field(default_factory=set)
    _emptied: set[Node] = field(default_factory=set)

    # -- queries -----------------------------------------------------------------------

    def is_gone(self, node: Node) -> bool:
        """Whether the node or one of its ancestors was removed."""
        current: Node | None = node
        while current is not None:
            if current in self.gone:
                return True
            current = current.parent
        return False

    def own_text(self, node: Node) -> str:
        """The node's inline value and its continuation lines, comments left out."""
        out = [node.value] if node.value_col >= 0 else []
        for index in range(node.start + 1, node.last + 1):
            if self.outline.kinds[index] is LineKind.CONTINUATION:
                out.append(self.outline.bodies[index])
        return "\n".join(out)

    def code(self, index: int) -> str:
        """Line ``index`` without its trailing comment (continuations are kept whole)."""
        text = self.outline.bodies[index]
        if self.outline.kinds[index] is LineKind.CONTENT:
            text = text[: comment_start(text, self.outline.indents[index])]
        return text

    def subtree_text(self, node: Node) -> str:
        """Every content line of the node and its descendants, comments left out."""
        kinds = self.outline.kinds
        return "\n".join(
            self.code(i)
            for i in range(node.start, node.end + 1)
            if kinds[i] in (LineKind.CONTENT, LineKind.CONTINUATION)
        )

    def note(self, index: int, why: str) -> None:
        """Leave a concern about 0-based line ``index`` for a person."""
        entry = f"{index + 1}: {why}"
        if entry not in self.needs_human:
            self.needs_human.append(entry)

    # -- edits -------------------------------------------------------------------------

    def replace(self, index: int, new_body: str) -> None:
        """Replace the body of 0-based line ``index`` (its ending is kept)."""
        if new_body != self.outline.bodies[index]:
            self.replaced[index] = new_body

    def delete(self, node: Node) -> None:
        """Remove a node with its comments."""
        if self.is_gone(node):
            return
        parent = node.parent
        if (
            node.kind is NodeKind.KEY
            and parent is not None
            and parent.kind is NodeKind.ITEM
            and parent.start == node.start
        ):
            others = [c for c in parent.children if c is not node and not self.is_gone(c)]
            if not others:
                self.delete(parent)
                return
            # The item keeps its other keys: the next one takes the dash at finalize time.
            self._redash.add(parent)
            self._emptied.add(parent)
            self.gone.add(node)
            self._delete_range(node.start, self._trail_end(node))
            return
        self.gone.add(node)
        self._delete_range(self._lead_start(node), self._trail_end(node))
        if parent is not None:
            self._emptied.add(parent)

    def delete_lines(self, first: int, last: int) -> None:
        """Remove 0-based lines ``first`` to ``last`` (inside a value, e.g. a script line)."""
        self._delete_range(first, last)

    def mark_emptied(self, node: Node) -> None:
        """Record that ``node`` lost a child (so it is checked for being left hollow)."""
        self._emptied.add(node)

    def _delete_range(self, first: int, last: int) -> None:
        # Template control lines stay: the balancing pass removes the blocks left empty.
        kinds = self.outline.kinds
        self.deleted.update(i for i in range(first, last + 1) if kinds[i] is not LineKind.CONTROL)

    def _lead_start(self, node: Node) -> int:
        kinds, indents = self.outline.kinds, self.outline.indents
        start = node.start
        index = node.start - 1
        while index >= 0 and kinds[index] is LineKind.COMMENT and indents[index] == node.col:
            index -= 1
        if index == node.start - 1:
            return start
        first = index + 1
        comment = "\n".join(self.outline.bodies[first:start])
        if self.refs.hit(comment) or self._stands_alone(node):
            return first
        return start

    def _stands_alone(self, node: Node) -> bool:
        """Whether the node is set apart from what follows (so a comment above is its own)."""
        after = node.end + 1
        kinds = self.outline.kinds
        if after >= len(kinds) or kinds[after] in (LineKind.BLANK, LineKind.SEPARATOR):
            return True
        parent = node.parent
        if parent is None:
            return True
        siblings = parent.children
        position = siblings.index(node)
        if position == len(siblings) - 1:
            return True
        following = siblings[position + 1]
        return kinds[following.start - 1] is LineKind.COMMENT

    def _trail_end(self, node: Node) -> int:
        kinds, indents = self.outline.kinds, self.outline.indents
        end = node.end
        index = end + 1
        while index < len(kinds) and kinds[index] is LineKind.COMMENT and indents[index] > node.col:
            end = index
            index += 1
        return end

    # -- settling ----------------------------------------------------------------------

    def delete_document(self, document: Document) -> None:
        """Remove a whole document with its separator."""
        self.gone.update(document.root.children)
        first = document.first if document.separator is None else document.separator
        if document.separator is None:
            # Comments heading the file describe the file; the sweep removes those that
            # name the database.
            kinds = self.outline.kinds
            while first <= document.last and kinds[first] in (LineKind.COMMENT, LineKind.BLANK):
                first += 1
        last = document.last
        documents = self.outline.documents
        if document.separator is None and document.index + 1 < len(documents):
            # The next document becomes the first: its separator is no longer needed.
            following = documents[document.index + 1].separator
            last = following if following is not None else last
        self._delete_range(first, last)
        self.documents_removed.append(document)

    def settle(
        self,
        naming: frozenset[str],
        essential: frozenset[str],
        root_essential: frozenset[str] = frozenset(),
    ) -> None:
        """Remove what the deletions emptied (recursively), and documents left empty.

        Args:
            naming: keys that alone do not make a list item worth keeping (``name``...).
            essential: keys a list item is pointless without (``targets``, ``steps``...).
            root_essential: top-level keys a document of this type is pointless without
                (a compose file's ``services``).
        """
        for document in self.outline.documents:
            root = document.root
            self._settle_node(root, naming, essential)
            kept = [c for c in root.children if c not in self.gone]
            lost = [c for c in root.children if c in self.gone]
            # A document that lost what it is for (its tests, its services) and keeps only
            # settings around them goes too.
            if root.children and (
                not kept
                or (
                    any(c.key in root_essential for c in lost)
                    and all(c.style is not Style.NONE for c in kept)
                )
            ):
                self.delete_document(document)
        self._redash_items()

    def finalize(self) -> None:
        """Balance template blocks around removed lines and tidy the blank lines."""
        self._balance_templates()
        self._tidy_blanks()

    def _settle_node(self, node: Node, naming: frozenset[str], essential: frozenset[str]) -> None:
        if node in self.gone:
            return
        for child in node.children:
            self._settle_node(child, naming, essential)
        if node.kind is NodeKind.ROOT or not node.children:
            return
        kept = [c for c in node.children if c not in self.gone]
        if not kept and node.style is Style.NONE:
            if node in self.protected:
                self._write_empty(node)
            else:
                self.delete(node)
            return
        if node.kind is not NodeKind.ITEM or node not in self._emptied:
            return
        lost = [c for c in node.children if c in self.gone]
        if all(c.kind is NodeKind.KEY and c.key in naming for c in kept) or any(
            c.key in essential for c in lost
        ):
            self.delete(node)

    def _write_empty(self, node: Node) -> None:
        text = self.outline.bodies[node.start]
        colon = text.find(":", node.col + len(node.key or ""))
        if colon < 0:
            raise PlanError(f"line {node.start + 1}: cannot empty {node.key!r}")
        empty = "[]" if any(c.kind is NodeKind.ITEM for c in node.children) else "{}"
        self.replace(node.start, text[: colon + 1] + " " + empty + text[colon + 1 :].rstrip())

    def _redash_items(self) -> None:
        for item in self._redash:
            if self.is_gone(item):
                continue
            kept = [c for c in item.children if not self.is_gone(c)]
            if not kept:
                continue
            head = kept[0]
            text = self.replaced.get(head.start, self.outline.bodies[head.start])
            if text[item.col : head.col].strip() or head.col - item.col < 2:
                raise PlanError(f"line {head.start + 1}: cannot move the list dash")
            self.replace(head.start, text[: item.col] + "- " + text[item.col + 2 :])

    def control_pairs(self) -> list[tuple[int, list[int], int]]:
        """``(open, middles, end)`` line indexes of every template block."""
        pairs: list[tuple[int, list[int], int]] = []
        stack: list[tuple[int, list[int]]] = []
        for index, kind in enumerate(self.outline.kinds):
            if kind is not LineKind.CONTROL:
                continue
            text = self.outline.bodies[index].strip()
            if _CONTROL_OPEN.match(text):
                stack.append((index, []))
            elif _CONTROL_MIDDLE.match(text) and stack:
                stack[-1][1].append(index)
            elif _CONTROL_END.match(text):
                if not stack:
                    raise PlanError(f"line {index + 1}: {{{{ end }}}} without a block")
                start, middles = stack.pop()
                pairs.append((start, middles, index))
        if stack:
            raise PlanError(f"line {stack[-1][0] + 1}: template block never ends")
        return pairs

    def _balance_templates(self) -> None:
        pairs = self.control_pairs()
        changed = True
        while changed:
            changed = False
            for start, middles, end in pairs:
                ends = [start, *middles, end]
                if all(i in self.deleted for i in ends):
                    continue
                emptied = [self._segment_emptied(a, b) for a, b in pairwise(ends)]
                if middles and any(e is True for e in emptied):
                    raise PlanError(f"line {start + 1}: a branch of this block became empty")
                if not middles and emptied[0] is True:
                    self.deleted.update(range(start, end + 1))
                    changed = True
        for start, middles, end in pairs:
            ends = [start, *middles, end]
            if any(i in self.deleted for i in ends) and not all(i in self.deleted for i in ends):
                raise PlanError(f"line {start + 1}: the edit would cut a template block")

    def _segment_emptied(self, first: int, last: int) -> bool | None:
        """``True`` if lines strictly between had content and all of it was removed.

        ``None`` when the segment never had content (an empty branch stays as written).
        """
        kinds = self.outline.kinds
        content = [
            i for i in range(first + 1, last) if kinds[i] not in (LineKind.BLANK, LineKind.COMMENT)
        ]
        if not content:
            return None
        return all(i in self.deleted for i in content)

    def _tidy_blanks(self) -> None:
        kinds, count = self.outline.kinds, len(self.lines)

        def blank(i: int) -> bool:
            return kinds[i] is LineKind.BLANK and i not in self.deleted

        # Blank lines left between two removed blocks go with them.
        for index in range(count):
            if kinds[index] is LineKind.BLANK and index not in self.deleted:
                low = index
                while low > 0 and kinds[low - 1] is LineKind.BLANK:
                    low -= 1
                high = index
                while high < count - 1 and kinds[high + 1] is LineKind.BLANK:
                    high += 1
                if (low > 0 and low - 1 in self.deleted) and (
                    high == count - 1 or high + 1 in self.deleted
                ):
                    self.deleted.update(range(low, high + 1))
        for first, last in self._runs():
            prev, after = first - 1, last + 1
            if prev >= 0 and blank(prev) and (after >= count or blank(after)):
                self.deleted.add(prev)
            elif after < count and blank(after) and (prev < 0 or self._opens(prev, first, last)):
                self.deleted.add(after)

    def _opens(self, prev: int, first: int, last: int) -> bool:
        """Whether line ``prev`` is a header (or separator) the removed run hung under."""
        kinds, indents = self.outline.kinds, self.outline.indents
        if kinds[prev] is LineKind.SEPARATOR:
            return True
        if kinds[prev] is not LineKind.CONTENT:
            return False
        columns = [indents[i] for i in range(first, last + 1) if kinds[i] is LineKind.CONTENT]
        return bool(columns) and indents[prev] < min(columns)

    def _runs(self) -> list[tuple[int, int]]:
        runs: list[tuple[int, int]] = []
        for index in sorted(self.deleted):
            if runs and index == runs[-1][1] + 1:
                runs[-1] = (runs[-1][0], index)
            else:
                runs.append((index, index))
        return runs

    # -- output ------------------------------------------------------------------------

    def render(self) -> tuple[str, tuple[tuple[int, int], ...]]:
        """The new text and the 1-based touched ranges."""
        out: list[str] = []
        touched = set(self.deleted) | set(self.replaced)
        kept_last = -1
        for index, line in enumerate(self.lines):
            if index in self.deleted:
                continue
            if index in self.replaced:
                line = self.replaced[index] + line_ending(line)
            out.append(line)
            kept_last = index
        if (
            out
            and self.lines
            and not line_ending(self.lines[-1])
            and kept_last != len(self.lines) - 1
        ):
            # The old last line had no newline; the new last line must not gain one.
            out[-1] = out[-1].rstrip("\n").rstrip("\r")
            touched.add(kept_last)
        ranges = merge_ranges((i + 1, i + 1) for i in touched)
        return "".join(out), ranges

    def anchors_removed(self) -> set[str]:
        """Anchors (``&name``) defined on removed lines."""
        found: set[str] = set()
        for index in self.deleted:
            if self.outline.kinds[index] is LineKind.CONTENT:
                found.update(re.findall(r"(?<![^\s\[{,:-])&([^\s,\[\]{}]+)", self.code(index)))
        return found
