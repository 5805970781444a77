"""Text-edit helpers shared by the JSON, settings and docs rules.

Every rewrite in these rules is a set of character-range edits on the original text, so
untouched bytes (line endings, indentation, alignment) stay exactly as they were. These
helpers find references, cut items out of comma-separated containers and lists inside
strings, apply edits and report the lines they touched.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from agent.discovery.alias_search import alias_regex
from agent.discovery.models import Alias, AliasForm
from agent.refactor.base import DECOM_MARK, FileEdit, merge_ranges, split_lines
from agent.refactor.linediff import opcodes


def find_refs(edit: FileEdit, text: str) -> list[tuple[int, int]]:
    """Spans of every reference in ``text``, each widened to its whole identifier.

    Name spellings and aliases count, and so do mentions of the symbols other files'
    rewrites removed (``edit.removed_symbols``).
    """
    spans = edit.target.identifier_spans(text)
    for symbol in edit.removed_symbols:
        regex = alias_regex(Alias(symbol, AliasForm.ADDRESS, None, "removed symbol"))
        spans.extend(m.span() for m in regex.finditer(text))
    return sorted(set(spans))


def apply_edits(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with each range ``[start, end)`` replaced (overlapping cuts are merged)."""
    parts: list[str] = []
    last = 0
    for start, end, replacement in sorted(edits):
        start = max(start, last)
        if end < start:
            continue
        parts.append(text[last:start])
        parts.append(replacement)
        last = max(end, last)
    parts.append(text[last:])
    return "".join(parts)


def apply_deletions(text: str, deletions: Iterable[tuple[int, int]]) -> str:
    """``text`` without the character ranges ``[start, end)`` (overlaps are merged)."""
    return apply_edits(text, ((start, end, "") for start, end in deletions))


def deleted_lines(text: str, deletions: Iterable[tuple[int, int]]) -> set[int]:
    """1-based lines that lose at least one character to ``deletions``."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    lines: set[int] = set()
    for start, end in deletions:
        if end > start:
            first = bisect.bisect_right(starts, start)
            last = bisect.bisect_right(starts, end - 1)
            lines.update(range(first, last + 1))
    return lines


def touched_lines(old: str, new: str, known: Iterable[int] = ()) -> tuple[tuple[int, int], ...]:
    """Ranges of original lines a rewrite changed: ``known`` plus whatever a line diff shows.

    The diff is the one the QA confinement check makes, so the report can never miss a line
    it would flag (identical lines such as ``},`` may align differently than they were cut).
    """
    old_lines, new_lines = split_lines(old), split_lines(new)
    lines = set(known)
    for op, i1, i2, _j1, _j2 in opcodes(old_lines, new_lines):
        if op in ("replace", "delete"):
            lines.update(range(i1 + 1, i2 + 1))
        elif op == "insert" and old_lines:
            lines.add(min(max(i1, 1), len(old_lines)))
    return merge_ranges((n, n) for n in lines if n >= 1)


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _starts_line(text: str, pos: int) -> bool:
    return not text[_line_start(text, pos) : pos].strip()


def _skip_blank(text: str, pos: int, comment: str | None) -> int:
    """Skip whitespace, newlines and (when ``comment`` is given) comments from ``pos``."""
    while pos < len(text):
        if text[pos] in " \t\r\n":
            pos += 1
        elif comment and text.startswith(comment, pos):
            newline = text.find("\n", pos)
            pos = len(text) if newline < 0 else newline
        else:
            break
    return pos


def _after_item(text: str, end: int, comment: str | None) -> tuple[int | None, int | None]:
    """After an item: where its comma is, and where its line ends if nothing else is on it."""
    pos = end
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    comma = None
    if pos < len(text) and text[pos] == ",":
        comma = pos
        pos += 1
        while pos < len(text) and text[pos] in " \t":
            pos += 1
    if comment and text.startswith(comment, pos):
        newline = text.find("\n", pos)
        pos = len(text) if newline < 0 else newline
    if pos < len(text) and text[pos] == "\r":
        pos += 1
    if pos >= len(text):
        return comma, len(text)
    return comma, (pos + 1 if text[pos] == "\n" else None)


def item_deletions(
    text: str,
    items: Sequence[tuple[int, int]],
    removed: set[int],
    comment: str | None = None,
) -> list[tuple[int, int]]:
    """Character ranges that cut ``removed`` items out of a comma-separated container.

    ``items`` are the ``[start, end)`` spans of every item in order (a JSON member from its
    key to the end of its value). Items alone on their lines go with their whole lines, so
    the remaining lines stay byte-identical; inline items go with one separator. No dangling
    comma is left: when the last items go, the comma before them goes too (a trailing comma
    that was already there stays). At least one item must remain.

    Args:
        text: the whole file.
        items: spans of the container's items.
        removed: indexes of the items to remove.
        comment: line-comment marker allowed between items (``#`` in TOML), if any.
    """
    out: list[tuple[int, int]] = []
    index = 0
    while index < len(items):
        if index not in removed:
            index += 1
            continue
        first = index
        while index + 1 < len(items) and index + 1 in removed:
            index += 1
        last, following = index, index + 1 if index + 1 < len(items) else None
        index += 1
        comma, line_end = _after_item(text, items[last][1], comment)
        if _starts_line(text, items[first][0]) and line_end is not None:
            out.append((_line_start(text, items[first][0]), line_end))
            if following is None and comma is None and first > 0:
                sep = _skip_blank(text, items[first - 1][1], comment)
                if sep < len(text) and text[sep] == ",":
                    out.append((sep, sep + 1))
        elif following is not None:
            out.append((items[first][0], items[following][0]))
        elif first > 0:
            out.append((items[first - 1][1], items[last][1]))
    return out


# --- in-string lists ------------------------------------------------------------------------

#: Characters that end a list element inside a string (quotes, brackets, operators, space).
_ELEMENT_STOP = frozenset("|,\"'{}()[]=~!<>; \t\r\n")
_LEFT_SEP = re.compile(r"(?:\||[ \t]*,[ \t]*|[ \t]+OR[ \t]+)$")
_RIGHT_SEP = re.compile(r"\||[ \t]*,[ \t]*|[ \t]+OR[ \t]+")


def list_element_deletions(
    value: str, refs: Sequence[tuple[int, int]], comma_ok: bool = True
) -> list[tuple[int, int]] | None:
    """Deletions that drop each referenced element of a list or alternation inside a string.

    ``orders|payroll_ledger`` loses ``|payroll_ledger``; ``a, payroll_ledger, b`` loses
    ``payroll_ledger, ``; ``x:a OR x:payroll_ledger`` loses `` OR x:payroll_ledger``. Returns
    ``None`` when some reference is not such an element or no other element would remain
    (the string is then about the database as a whole). ``comma_ok=False`` refuses comma
    lists (Datadog ANDs comma-separated tag filters).
    """
    # In a list of URLs a comma may also separate hosts inside one URL (JDBC multi-host).
    if "://" in value and any("://" not in part for part in value.split(",")):
        comma_ok = False
    elements: list[tuple[int, int]] = []
    for start, end in refs:
        left, right = start, end
        while left > 0 and value[left - 1] not in _ELEMENT_STOP:
            left -= 1
        while right < len(value) and value[right] not in _ELEMENT_STOP:
            right += 1
        if 0 < left and right < len(value) and value[left - 1] == value[right] in "\"'":
            left, right = left - 1, right + 1
        if (left, right) not in elements:
            elements.append((left, right))
    kept = list(range(len(value)))  # original index of every character still present
    current = value
    for left, right in sorted(elements, reverse=True):
        lo, hi = kept.index(left), kept.index(right - 1) + 1
        span = _element_cut(current, lo, hi, comma_ok)
        if span is None:
            return None
        current = current[: span[0]] + current[span[1] :]
        del kept[span[0] : span[1]]
    survivors = set(kept)
    cuts = merge_ranges((i, i) for i in range(len(value)) if i not in survivors)
    return [(start, end + 1) for start, end in cuts]


def _element_cut(value: str, left: int, right: int, comma_ok: bool) -> tuple[int, int] | None:
    """The span removing element ``value[left:right]`` and one separator next to it."""
    # Datadog ANDs comma-separated tag filters: dropping one would widen the query.
    no_comma = not comma_ok
    after = _RIGHT_SEP.match(value, right)
    if after is not None and not (no_comma and "," in after.group()):
        if _element_at(value, after.end()):
            return left, after.end()
    before = _LEFT_SEP.search(value, 0, left)
    if before is not None and not (no_comma and "," in before.group()):
        if _element_before(value, before.start()):
            return before.start(), right
    return None


def _element_at(value: str, pos: int) -> bool:
    return pos < len(value) and (value[pos] not in _ELEMENT_STOP or value[pos] in "\"'")


def _element_before(value: str, pos: int) -> bool:
    return pos > 0 and (value[pos - 1] not in _ELEMENT_STOP or value[pos - 1] in "\"'")


def unhandled(
    edit: FileEdit, touched: Iterable[tuple[int, int]], human: Iterable[str]
) -> list[str]:
    """Entries for lines discovery reported that a rule neither changed nor flagged.

    A rule that misses a reference must not hide it: the line goes to a human.
    """
    covered = {n for start, end in touched for n in range(start, end + 1)}
    covered.update(int(entry.split(":", 1)[0]) for entry in human if entry[:1].isdigit())
    lines = edit.lines
    return [
        f"{n}: reported as a reference but left unchanged by the rule"
        for n in sorted(edit.ref_lines)
        if n not in covered and n <= len(lines) and DECOM_MARK not in lines[n - 1]
    ]


#: Separators of a shell command chain, outside quotes.
_CHAIN = re.compile(r"\s*(?:&&|\|\||;)\s*")


def chain_deletions(value: str, refs: Sequence[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """Deletions that drop each command of a shell chain that refers to the database.

    ``migrate core && migrate payroll_ledger`` loses `` && migrate payroll_ledger``. Returns
    ``None`` when ``value`` is no chain (no ``&&``, ``||`` or ``;`` outside quotes), a separator
    is quoted, or every command refers (the whole command is then about the database).
    """
    quoted = _quoted_spans(value)
    seps = [m.span() for m in _CHAIN.finditer(value) if not _inside(m.span(), quoted)]
    if not seps:
        return None
    bounds = [0, *(x for span in seps for x in span), len(value)]
    commands = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    hit = [any(a <= s < b for s, _ in refs) for a, b in commands]
    if all(hit) or not any(hit):
        return None
    cuts = []
    for index, (start, end) in enumerate(commands):
        if not hit[index]:
            continue
        if index > 0:  # with the separator before it
            cuts.append((seps[index - 1][0], end))
        else:  # the first command: with the separator after it
            cuts.append((start, seps[0][1]))
    return merge_cut_ranges(cuts)


def _quoted_spans(value: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"'[^']*'|\"(?:\\.|[^\"\\])*\"", value)]


def _inside(span: tuple[int, int], quoted: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in quoted)


def merge_cut_ranges(cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Half-open ranges merged where they touch or overlap."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(cuts):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def word_list_deletions(
    value: str, refs: Sequence[tuple[int, int]]
) -> list[tuple[int, int]] | None:
    """Deletions that drop the database's words from a list of words in a command.

    ``docker compose up -d core-db ledger-db`` loses `` ledger-db``: a referring word goes when
    a plain word stands beside it (one of a list of names), not the command itself
    (``psql ledger``) and not what follows an option (``--filter ledger-db``: its value, as far
    as anyone can tell without the command's manual). ``None`` when some
    reference is not such a word, or no word would remain.
    """
    if any(c in value for c in "\"'`$;&|\n"):
        return None
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", value)]
    hit = [any(a <= s < b for s, _ in refs) for a, b in tokens]
    if not any(hit) or all(hit):
        return None

    def plain(i: int) -> bool:
        return 0 < i < len(tokens) and not hit[i] and not value[tokens[i][0]].startswith("-")

    cuts = []
    for i, (start, end) in enumerate(tokens):
        if not hit[i]:
            continue
        if i == 0 or value[start] == "-" or value[tokens[i - 1][0]] == "-":
            return None  # the command itself, an option, or an option's value (``-d ledger``)
        if not (plain(i - 1) or plain(i + 1)):
            return None
        cuts.append((tokens[i - 1][1], end))  # with the space before it
    return merge_cut_ranges(cuts)
