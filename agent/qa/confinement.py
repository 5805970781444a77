"""Is a rewrite confined to the lines it says it touched?

Compares original and new text line by line (exact bytes, endings included) and reports every
original line that was removed or changed outside the declared ``touched`` ranges, and every
inserted line that is not next to a touched range.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from agent.refactor.base import split_lines


def stray_changes(original: str, new: str, touched: Iterable[tuple[int, int]]) -> list[int]:
    """1-based original line numbers changed outside ``touched`` (empty when confined)."""
    old_lines, new_lines = split_lines(original), split_lines(new)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    return stray_in(matcher.get_opcodes(), touched, len(old_lines))


def stray_in(
    opcodes: Iterable[tuple[str, int, int, int, int]],
    touched: Iterable[tuple[int, int]],
    old_count: int,
) -> list[int]:
    """The stray lines of a line diff's ``opcodes`` (difflib's) of ``old_count`` lines."""
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
