"""The line diff of a file and its rewrite: difflib's opcodes, found faster.

The confinement check (:mod:`agent.qa.confinement`), the rules' touched ranges and the code
rule's settling and leftover report all read the same opcodes:
``SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()`` on exact lines. difflib's
search for the longest matching block visits every pair of equal lines in the window, which is
quadratic in how often a line repeats (blank lines, ``}``, generated tables: ~17 s on a
generated 300 KB lexer); :class:`_LineMatcher` finds the same block by looking only where it
can be (``tests/refactor/test_linediff.py`` compares it with difflib).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from difflib import Match, SequenceMatcher

Opcode = tuple[str, int, int, int, int]

#: Windows narrower than this (on either side) are left to difflib's own search.
_NARROW = 32
#: How many positions of ``a`` are probed for a first, cheap matching block.
_PROBES = 32
#: Probed lines occurring up to this often in the window are followed; when none is that
#: rare, those occurring as rarely as the rarest probed line, up to ``_COMMON`` times.
_RARE = 4
_COMMON = 64


def opcodes(old_lines: list[str], new_lines: list[str]) -> list[Opcode]:
    """``SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes()``."""
    return LineDiff(old_lines, new_lines).opcodes


def stray_in(
    opcodes: Iterable[Opcode], touched: Iterable[tuple[int, int]], old_count: int
) -> list[int]:
    """The original lines (1-based) a line diff's ``opcodes`` changes outside ``touched``.

    ``old_count`` is the number of original lines. Removed or changed lines count one by one;
    an insertion counts unless it is next to a touched range.
    """
    allowed: set[int] = set()
    for start, end in touched:
        allowed.update(range(start, end + 1))
    stray: list[int] = []
    for op, i1, i2, _j1, _j2 in opcodes:
        if op == "equal":
            continue
        if op in ("replace", "delete"):
            stray.extend(n for n in range(i1 + 1, i2 + 1) if n not in allowed)
        elif op == "insert":
            # An insertion sits between original lines i1 and i1 + 1.
            if not ({i1, i1 + 1} & allowed):
                stray.append(i1 + 1 if i1 < old_count else i1)
    return sorted(set(stray))


class LineDiff:
    """The line diff of a file and its rewrite, computed once for every question asked of it."""

    def __init__(self, old_lines: list[str], new_lines: list[str]) -> None:
        self.old_lines = old_lines
        self.new_lines = new_lines
        self._opcodes: list[Opcode] | None = None

    @property
    def opcodes(self) -> list[Opcode]:
        """``SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()``."""
        if self._opcodes is None:
            self._opcodes = self._diff()
        return self._opcodes

    def _diff(self) -> list[Opcode]:
        if self.new_lines == self.old_lines:
            # What difflib answers for equal sequences, without indexing them first.
            total = len(self.old_lines)
            return [("equal", 0, total, 0, total)] if total else []
        return list(_LineMatcher(self.old_lines, self.new_lines).get_opcodes())

    def stray(self, touched: Iterable[tuple[int, int]]) -> list[int]:
        """Original lines changed outside ``touched`` (:func:`stray_in`)."""
        return stray_in(self.opcodes, touched, len(self.old_lines))

    def original_lines(self) -> dict[int, int]:
        """For each 1-based new line, the original line it comes from or sits at."""
        mapping: dict[int, int] = {}
        for op, i1, i2, j1, j2 in self.opcodes:
            for offset, j in enumerate(range(j1, j2)):
                mapping[j + 1] = min(i1 + offset, max(i1, i2 - 1)) + 1 if op != "insert" else i1
        return mapping


class _LineMatcher(SequenceMatcher[str]):
    """difflib's matcher without junk, with a search for the longest block that skips pairs.

    ``find_longest_match`` keeps difflib's contract (its docstring): of the longest blocks
    ``a[i:i+k] == b[j:j+k]`` in the window, the one with the smallest ``i``, then ``j``.
    A few rarely repeated lines of ``a`` are followed first; the longest block is at least as
    long as the longest run they lead to, say ``L``, and every run of ``L`` lines or more
    covers one of the positions ``alo, alo + L, alo + 2L...`` of ``a``. Only the lines equal to
    those positions are extended into runs, each run once, so lines repeated all over the file
    cost little. Windows where no long run is found that way are searched row by row as
    difflib does (starting each row's occurrences at ``blo``); narrow ones are difflib's.
    """

    def __init__(self, a: Sequence[str], b: Sequence[str]) -> None:
        super().__init__(None, a, b, autojunk=False)
        self._a, self._b = a, b
        #: difflib's index of ``b``: each line's positions, in order (no junk, nothing popular).
        self._positions: dict[str, list[int]] = vars(self)["b2j"]

    def find_longest_match(
        self, alo: int = 0, ahi: int | None = None, blo: int = 0, bhi: int | None = None
    ) -> Match:
        """The longest matching block of ``a[alo:ahi]`` and ``b[blo:bhi]`` (difflib's)."""
        ahi = len(self._a) if ahi is None else ahi
        bhi = len(self._b) if bhi is None else bhi
        if ahi - alo < _NARROW or bhi - blo < _NARROW:
            return super().find_longest_match(alo, ahi, blo, bhi)
        known = self._probed_run(alo, ahi, blo, bhi)
        if known > 2:
            besti, bestj, bestsize = self._longest_by_samples(alo, ahi, blo, bhi, known)
        else:
            besti, bestj, bestsize = self._longest_by_rows(alo, ahi, blo, bhi)
        # difflib then extends the block over equal neighbours; a longest block has none.
        a, b = self._a, self._b
        while besti > alo and bestj > blo and a[besti - 1] == b[bestj - 1]:
            besti, bestj, bestsize = besti - 1, bestj - 1, bestsize + 1
        while (
            besti + bestsize < ahi
            and bestj + bestsize < bhi
            and (a[besti + bestsize] == b[bestj + bestsize])
        ):
            bestsize += 1
        return Match(besti, bestj, bestsize)

    def _occurrences(self, line: str, blo: int, bhi: int) -> list[int]:
        """Positions of ``line`` in ``b[blo:bhi]``, in order."""
        everywhere = self._positions.get(line, [])
        return everywhere[bisect_left(everywhere, blo) : bisect_left(everywhere, bhi)]

    def _run(self, i: int, j: int, alo: int, ahi: int, blo: int, bhi: int) -> tuple[int, int]:
        """The a-range ``[start, end)`` of the maximal run through the equal pair ``(i, j)``."""
        a, b = self._a, self._b
        start, other = i, j
        while start > alo and other > blo and a[start - 1] == b[other - 1]:
            start, other = start - 1, other - 1
        end, other = i + 1, j + 1
        while end < ahi and other < bhi and a[end] == b[other]:
            end, other = end + 1, other + 1
        return start, end

    def _probed_run(self, alo: int, ahi: int, blo: int, bhi: int) -> int:
        """The length of the longest run through a few rare lines of ``a`` (0: none found)."""
        step = max(1, (ahi - alo) // _PROBES)
        probes = [(i, self._occurrences(self._a[i], blo, bhi)) for i in range(alo, ahi, step)]
        counts = [len(found) for _, found in probes if found]
        if not counts or min(counts) > _COMMON:
            return 0
        followed = max(_RARE, min(counts))
        longest = 0
        for i, found in probes:
            if len(found) > followed:
                continue
            for j in found:
                start, end = self._run(i, j, alo, ahi, blo, bhi)
                longest = max(longest, end - start)
        return longest

    def _longest_by_samples(
        self, alo: int, ahi: int, blo: int, bhi: int, known: int
    ) -> tuple[int, int, int]:
        """The longest block, knowing one at least ``known`` long exists (see the class)."""
        besti, bestj, bestsize = alo, blo, 0
        ends: dict[int, int] = {}  # diagonal j - i -> end in a of the last run found on it
        for i in range(alo, ahi, known):
            for j in self._occurrences(self._a[i], blo, bhi):
                if ends.get(j - i, alo) > i:
                    continue  # inside a run already followed from an earlier sample
                start, end = self._run(i, j, alo, ahi, blo, bhi)
                ends[j - i] = end
                size, other = end - start, start + j - i
                if size > bestsize or (size == bestsize and (start, other) < (besti, bestj)):
                    besti, bestj, bestsize = start, other, size
        return besti, bestj, bestsize

    def _longest_by_rows(self, alo: int, ahi: int, blo: int, bhi: int) -> tuple[int, int, int]:
        """difflib's search: the longest run ending at each pair, row by row."""
        besti, bestj, bestsize = alo, blo, 0
        j2len: dict[int, int] = {}
        for i in range(alo, ahi):
            newj2len: dict[int, int] = {}
            for j in self._occurrences(self._a[i], blo, bhi):
                k = newj2len[j] = j2len.get(j - 1, 0) + 1
                if k > bestsize:
                    besti, bestj, bestsize = i - k + 1, j - k + 1, k
            j2len = newj2len
        return besti, bestj, bestsize
