"""Splitting SQL scripts into statements, with the lines each one covers.

Statements end at ``;`` outside quotes (``'...'`` with ``''``, ``E'...'`` with backslash
escapes, ``"..."``, MySQL backticks), comments (``--``, ``/* */``) and dollar-quoted bodies
(``$$ ... $$``, ``$fn$ ... $fn$``). psql meta-commands (``\\c db``, ``\\set x y``) are
statements of one line. MySQL's ``DELIMITER //`` changes the terminator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_DOLLAR = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")
_COPY_STDIN = re.compile(r"COPY\b[^;]*\bFROM\s+stdin\b", re.IGNORECASE)
_DELIMITER = re.compile(r"DELIMITER[ \t]+(\S+)[ \t]*$", re.IGNORECASE)


@dataclass
class Statement:
    """One statement: its code (comments blanked out) and the lines it spans.

    Attributes:
        start: offset of its first character in the text.
        end: offset just past its terminator (or its last character).
        first: 0-based line of ``start``; ``last`` the line of its terminator.
        code: the statement's text with comments replaced by spaces.
        meta: a psql meta-command or a DELIMITER directive (no ``;``).
    """

    start: int
    end: int
    first: int
    last: int
    code: str
    meta: bool = False


@dataclass
class SqlText:
    """A SQL script split into statements.

    Attributes:
        statements: in order.
        comment_cols: line -> column where a comment starts on that line (0 for the inside
            lines of a block comment that started on an earlier line).
        opener: line -> the comment opener at that column (``--``, ``/*`` or ``""``).
    """

    statements: list[Statement] = field(default_factory=list)
    comment_cols: dict[int, int] = field(default_factory=dict)
    opener: dict[int, str] = field(default_factory=dict)


def split(text: str) -> SqlText:
    """Split ``text`` into statements (never raises; unterminated constructs run to the end)."""
    out = SqlText()
    masked = list(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def note_comment(at: int, end: int, opener: str) -> None:
        first, last = line_of(at), line_of(max(at, end - 1))
        out.comment_cols.setdefault(first, at - line_starts[first])
        out.opener.setdefault(first, opener)
        for line in range(first + 1, last + 1):
            out.comment_cols.setdefault(line, 0)
            out.opener.setdefault(line, "")
        for k in range(at, end):
            if masked[k] != "\n":
                masked[k] = " "

    delimiter = ";"
    start: int | None = None
    pos, n = 0, len(text)
    while pos < n:
        c = text[pos]
        at_line_start = start is None and c in "\\Dd" and _line_start(text, pos)
        if at_line_start and c == "\\":
            end = text.find("\n", pos)
            end = n if end < 0 else end
            out.statements.append(_statement(text, masked, pos, end, line_of, True))
            pos = end
            continue
        if at_line_start and c in "Dd":
            match = _DELIMITER.match(text, pos, _line_end(text, pos))
            if match is not None:
                delimiter = match.group(1)
                out.statements.append(_statement(text, masked, pos, match.end(), line_of, True))
                pos = match.end()
                continue
        if text.startswith("--", pos):
            end = _line_end(text, pos)
            note_comment(pos, end, "--")
            pos = end
            continue
        if text.startswith("/*", pos):
            close = text.find("*/", pos + 2)
            end = n if close < 0 else close + 2
            note_comment(pos, end, "/*")
            pos = end
            continue
        if c.isspace():
            pos += 1
            continue
        if start is None:
            start = pos
        if text.startswith(delimiter, pos):
            pos += len(delimiter)
            if _COPY_STDIN.match(text, start, pos):
                # pg_dump data: rows up to a line holding only "\." belong to the COPY.
                data = re.compile(r"^\\\.\r?$", re.MULTILINE).search(text, pos)
                pos = n if data is None else data.end()
            out.statements.append(_statement(text, masked, start, pos, line_of))
            start = None
            continue
        end = _skip(text, pos)
        if c == "$" and end - pos > 2:
            # A function body: its own -- comments are comments, not code.
            for at, stop in _body_comments(text, pos, end):
                note_comment(at, stop, "--")
        pos = end
    if start is not None:
        end = len(text.rstrip())
        out.statements.append(_statement(text, masked, start, max(end, start + 1), line_of))
    return out


def _body_comments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``--`` comments inside a dollar-quoted body (outside its string literals)."""
    found: list[tuple[int, int]] = []
    quoted = False
    tag = _DOLLAR.match(text, start)
    i = tag.end() if tag is not None else end
    while i < end:
        if text[i] == "'":
            quoted = not quoted
        elif text[i] == "\n":
            quoted = False
        elif not quoted and text.startswith("--", i):
            stop = min(_line_end(text, i), end)
            found.append((i, stop))
            i = stop
            continue
        i += 1
    return found


def _line_start(text: str, pos: int) -> bool:
    """Whether only whitespace precedes ``pos`` on its line."""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] == "\n"


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    return end - 1 if end > pos and text[end - 1] == "\r" else end


def _skip(text: str, pos: int) -> int:
    """Offset after the token starting at ``pos`` (a quoted string or one character)."""
    c = text[pos]
    if c in "'\"`":
        escapes = c == "'" and pos > 0 and text[pos - 1] in "eE"
        i = pos + 1
        while i < len(text):
            if escapes and text[i] == "\\":
                i += 2
                continue
            if text[i] == c:
                if text.startswith(c * 2, i):
                    i += 2
                    continue
                return i + 1
            i += 1
        return len(text)
    if c == "$":
        match = _DOLLAR.match(text, pos)
        glued = pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] == "_")
        if match is not None and not glued:
            close = text.find(match.group(0), match.end())
            return len(text) if close < 0 else close + len(match.group(0))
    return pos + 1


def _statement(
    text: str,
    masked: list[str],
    start: int,
    end: int,
    line_of: Callable[[int], int],
    meta: bool = False,
) -> Statement:
    code = "".join(masked[start:end])
    return Statement(start, end, line_of(start), line_of(max(start, end - 1)), code, meta)
