"""The contract between the planner, the rewrite rules and the QA critic.

A rule receives one file (:class:`FileEdit`) and returns a :class:`Rewrite`: the new text (or
``None`` to delete the file), the action it took and why, the original line ranges it
touched, the names it removed (so the planner can remove what now dangles elsewhere), and
anything left for a human. Rules are pure functions of their input: no I/O, no globals.

Invariants every rule keeps (checked by ``tests/refactor/test_invariants.py`` and by the QA
critic on every run):

- A line outside ``touched`` is byte-identical: same text, same line ending (``\\r\\n`` stays),
  BOM and final newline untouched (the caller re-encodes with the original encoding and BOM).
- Other databases named on a touched line survive (``db=~"orders|payroll_ledger"`` becomes
  ``db=~"orders"``).
- A file of a parseable type still parses; no empty leftovers (empty maps, dangling commas,
  orphan headings).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import accumulate
from typing import Protocol

from agent.discovery.alias_search import alias_regex
from agent.discovery.models import Alias, SourceType
from agent.discovery.names import NameMatcher


class Action(StrEnum):
    """What was done to a file, from most to least invasive."""

    DELETE_FILE = "delete_file"
    STRUCTURAL_EDIT = "structural_edit"
    COMMENT_OUT = "comment_out"
    FAIL_FAST = "fail_fast"
    DOC_NOTE = "doc_note"
    NEEDS_HUMAN = "needs_human"
    NO_CHANGE = "no_change"


#: How reports and pull-request records name each action.
ACTION_LABEL: dict[Action, str] = {
    Action.DELETE_FILE: "deleted",
    Action.STRUCTURAL_EDIT: "edited",
    Action.COMMENT_OUT: "commented out",
    Action.FAIL_FAST: "fail-fast",
    Action.DOC_NOTE: "doc note",
    Action.NEEDS_HUMAN: "needs a person",
    Action.NO_CHANGE: "unchanged",
}

#: Text every decom comment and note carries, so QA can tell decommission notes from code.
DECOM_MARK = "decom:"


@dataclass(frozen=True, slots=True)
class Target:
    """What is being retired: the database's spellings and the aliases that denote it.

    Attributes:
        database: the database name.
        matcher: spellings of the name (and user aliases) with the boundary rule and the
            excluded live databases.
        aliases: learned aliases that apply to the file at hand (already scoped).
    """

    database: str
    matcher: NameMatcher
    aliases: tuple[Alias, ...] = ()
    extra_matchers: tuple[NameMatcher, ...] = ()

    def spans(self, line: str) -> list[tuple[int, int]]:
        """Character spans of every reference in ``line`` (name spellings and aliases)."""
        found = [(m.start, m.end) for m in self.matcher.find(line)]
        for extra in self.extra_matchers:
            found.extend((m.start, m.end) for m in extra.find(line))
        for alias in self.aliases:
            found.extend(m.span() for m in alias_regex(alias).finditer(line))
        return sorted(set(found))

    def mentions(self, text: str) -> bool:
        """Whether ``text`` holds at least one reference."""
        return bool(self.spans(text))

    def mentioning_lines(self, text: str) -> list[int]:
        """1-based numbers of the lines of ``text`` (see :func:`split_lines`) that mention it.

        The same answer as :meth:`mentions` on every line, found faster: no spelling or alias
        pattern matches a line break, and their lookarounds treat one like any other
        non-name character, so a pattern matches inside a line exactly where it matches in
        the whole text. Only the lines where one does are checked.
        """
        regexes = [self.matcher.regex, *(m.regex for m in self.extra_matchers)]
        regexes += [alias_regex(alias) for alias in self.aliases]
        offsets = sorted({m.start() for regex in regexes for m in regex.finditer(text)})
        if not offsets:
            return []
        lines = split_lines(text)
        starts = list(accumulate((len(line) for line in lines[:-1]), initial=0))
        candidates = sorted({bisect_right(starts, offset) for offset in offsets})
        return [n for n in candidates if n <= len(lines) and self.mentions(lines[n - 1])]

    def identifier_spans(self, line: str) -> list[tuple[int, int]]:
        """Like :meth:`spans`, widened to the whole identifier around each name spelling.

        ``PAYROLL_LEDGER_HOST`` is one span, not ``PAYROLL_LEDGER``: list elements and
        alternations are removed by whole identifier.
        """
        widened = []
        for m in self.matcher.find(line):
            widened.append((m.identifier_start, m.identifier_end))
        for extra in self.extra_matchers:
            widened.extend((m.identifier_start, m.identifier_end) for m in extra.find(line))
        for alias in self.aliases:
            widened.extend(m.span() for m in alias_regex(alias).finditer(line))
        return sorted(set(widened))


@dataclass(frozen=True, slots=True)
class FileEdit:
    """One file to rewrite.

    Attributes:
        path: POSIX path relative to the repository root.
        source_type: the file's type.
        text: the decoded content; lines end with ``\\n`` (``\\r`` kept where the file has it).
        ref_lines: 1-based lines discovery reported as references.
        target: the database and its aliases.
        removed_symbols: names other files' rewrites removed (Terraform addresses, compose
            services, Helm value paths...): references to them now dangle and must go too.
    """

    path: str
    source_type: SourceType
    text: str
    ref_lines: frozenset[int]
    target: Target
    removed_symbols: frozenset[str] = frozenset()

    @property
    def lines(self) -> list[str]:
        """Lines with their endings (see :func:`split_lines`)."""
        return split_lines(self.text)


@dataclass(frozen=True, slots=True)
class Rewrite:
    """The outcome of a rule on one file.

    Attributes:
        action: what was done.
        reason: one sentence a reviewer reads in the pull request.
        text: the new content, ``None`` to delete the file (ignored for NO_CHANGE/NEEDS_HUMAN).
        touched: 1-based inclusive ranges of original lines removed or changed.
        removed_symbols: names this edit removed, for the dangling-reference cascade.
        needs_human: concerns left for a person, each with its line (``"12: ..."``).
    """

    action: Action
    reason: str
    text: str | None
    touched: tuple[tuple[int, int], ...] = ()
    removed_symbols: tuple[str, ...] = ()
    needs_human: tuple[str, ...] = field(default=())


class Rule(Protocol):
    """A rewrite rule for some source types."""

    #: Short name shown in plans and PR bodies (``terraform``, ``yaml``...).
    name: str
    source_types: frozenset[SourceType]

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """Rewrite one file; never raise for content reasons (return NEEDS_HUMAN instead)."""
        ...


def split_lines(text: str) -> list[str]:
    """Split keeping each line's ``\\n`` (a last line without newline has none).

    Unlike :meth:`str.splitlines` this only splits on ``\\n``, so ``\\r`` and form feeds stay
    inside their line and joining gives back the exact text.
    """
    if not text:
        return []
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def line_ending(line: str) -> str:
    """The ending of a line from :func:`split_lines` (``\\r\\n``, ``\\n`` or ``""``)."""
    if line.endswith("\r\n"):
        return "\r\n"
    return "\n" if line.endswith("\n") else ""


def body(line: str) -> str:
    """A line without its ending."""
    return line.rstrip("\n").rstrip("\r") if line.endswith("\n") else line.rstrip("\r")


def delete_ranges(lines: Sequence[str], ranges: Iterable[tuple[int, int]]) -> str:
    """The text left after deleting 1-based inclusive line ranges."""
    dropped: set[int] = set()
    for start, end in ranges:
        dropped.update(range(start, end + 1))
    kept = [line for number, line in enumerate(lines, start=1) if number not in dropped]
    if kept and dropped and max(dropped) == len(lines) and not line_ending(lines[-1]):
        # The old last line had no newline; the new last line must not gain or lose one.
        kept[-1] = body(kept[-1])
    return "".join(kept)


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sorted, merged 1-based inclusive ranges."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((a, b) for a, b in merged)


def remove_spans(line: str, spans: Sequence[tuple[int, int]], separators: str) -> str | None:
    """Remove list elements at ``spans`` from a delimited list on one line.

    Elements are separated by any character of ``separators`` (plus surrounding spaces and
    quotes). Returns the new line, or ``None`` if the elements do not form such a list (the
    caller then falls back to another strategy).
    """
    result = line
    for start, end in sorted(spans, reverse=True):
        left = start
        while left > 0 and result[left - 1] in "\"'`":
            left -= 1
        right = end
        while right < len(result) and result[right] in "\"'`":
            right += 1
        before = re.search(rf"\s*[{re.escape(separators)}]\s*$", result[:left])
        after = re.match(rf"\s*[{re.escape(separators)}]\s*", result[right:])
        if after is not None and (before is None or after.end() > 0):
            result = result[:left] + result[right + after.end() :]
        elif before is not None:
            result = result[: before.start()] + result[right:]
        else:
            return None
    return result


#: Line-comment prefix per source type, for rules that comment out.
COMMENT_PREFIX: dict[SourceType, str] = {
    SourceType.ENV_FILE: "#",
    SourceType.PROPERTIES: "#",
    SourceType.INI: "#",
    SourceType.TOML: "#",
    SourceType.SHELL: "#",
    SourceType.POWERSHELL: "#",
    SourceType.DOCKERFILE: "#",
    SourceType.MAKEFILE: "#",
    SourceType.YAML_CONFIG: "#",
    SourceType.TERRAFORM: "#",
    SourceType.PYTHON: "#",
    SourceType.SQL: "--",
    SourceType.JAVA: "//",
    SourceType.KOTLIN: "//",
    SourceType.GO: "//",
    SourceType.JAVASCRIPT: "//",
    SourceType.TYPESCRIPT: "//",
    SourceType.CODEOWNERS: "#",
}


def decom_comment(prefix: str, database: str, original: str) -> str:
    """A commented-out line that says why: ``# decom: payroll_ledger retired: <original>``."""
    indent = original[: len(original) - len(original.lstrip())]
    return f"{indent}{prefix} {DECOM_MARK} {database} retired: {original.strip()}"
