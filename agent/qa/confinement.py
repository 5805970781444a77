"""Is a rewrite confined to the lines it says it touched?

Compares original and new text line by line (exact bytes, endings included) and reports every
original line that was removed or changed outside the declared ``touched`` ranges, and every
inserted line that is not next to a touched range.
"""

from __future__ import annotations

from collections.abc import Iterable

from agent.refactor.base import split_lines
from agent.refactor.linediff import LineDiff


def stray_changes(original: str, new: str, touched: Iterable[tuple[int, int]]) -> list[int]:
    """1-based original line numbers changed outside ``touched`` (empty when confined)."""
    return LineDiff(split_lines(original), split_lines(new)).stray(touched)
