"""Shared machinery of the script-like rules (shell, PowerShell, Makefile, Dockerfile, SQL).

These rules all work the same way: find the references on each line, decide per command
whether to comment it out, delete it or remove one element from it, then render the file.
:class:`LinePlan` collects those per-line decisions and renders them so that every line no
decision was made about stays byte-identical; :class:`Refs` finds the references (name
spellings, aliases and the symbols other files' rewrites removed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from agent.qa.confinement import stray_changes
from agent.refactor.base import (
    DECOM_MARK,
    Action,
    FileEdit,
    Rewrite,
    body,
    decom_comment,
    line_ending,
    merge_ranges,
)

#: Files up to this many lines get their touched ranges checked against a line diff.
_DIFF_CHECK_LINES = 1000

#: How a line is changed, from strongest to weakest (a stronger decision wins).
_DELETE, _COMMENT, _REPLACE = "delete", "comment", "replace"
_STRENGTH = {_DELETE: 3, _COMMENT: 2, _REPLACE: 1}


#: Errors a hand-written lexer can hit on a content shape it did not foresee.
LEXER_ERRORS = (ValueError, IndexError, KeyError, AssertionError, RecursionError)


def guarded(rewrite: Callable[[FileEdit], Rewrite], edit: FileEdit) -> Rewrite:
    """Run a rule's rewrite; an unforeseen content shape sends the file to a person."""
    try:
        return rewrite(edit)
    except LEXER_ERRORS as exc:
        why = f"could not analyse this file safely ({type(exc).__name__})"
        return Rewrite(Action.NEEDS_HUMAN, why, None)


class Refs:
    """Finds references to the retired database on a line of text.

    A rule asks :meth:`any` about the same text many times (a line, then its command, then
    again after each round of decisions), so the answers are kept per text for the file.
    """

    def __init__(self, edit: FileEdit) -> None:
        self._target = edit.target
        self._symbols = [
            re.compile(rf"(?<![A-Za-z0-9_.-]){re.escape(s)}(?![A-Za-z0-9_-])")
            for s in sorted(edit.removed_symbols)
            if s
        ]
        self._answers: dict[str, bool] = {}

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of every reference in ``text``, widened to the whole identifier."""
        found = set(self._target.identifier_spans(text))
        for regex in self._symbols:
            found.update(m.span() for m in regex.finditer(text))
        return sorted(found)

    def any(self, text: str) -> bool:
        """Whether ``text`` holds a reference (a decom comment never does)."""
        answer = self._answers.get(text)
        if answer is None:
            # bool(self.spans(text)), without collecting and sorting the spans.
            answer = DECOM_MARK not in text and (
                bool(self._target.identifier_spans(text))
                or any(regex.search(text) for regex in self._symbols)
            )
            self._answers[text] = answer
        return answer


def mark_comment(line: str, col: int, database: str, opener: str = "#") -> str:
    """Flag the comment starting at ``col`` as being about the retired database.

    ``# Quick probe of the ledger`` becomes ``# decom: payroll_ledger retired: Quick probe of
    the ledger``: the comment keeps its text and the decom mark tells readers (and QA) why it
    still names the database. ``opener`` is the comment's leading character run (``#``,
    ``-``, ``/``); when empty the mark is inserted at ``col`` (inside a block comment).
    """
    text, ending = body(line), line_ending(line)
    end = col
    if opener:
        while end < len(text) and text[end] in opener:
            end += 1
        rest = text[end:]
        glue = "" if not rest or rest[0] in " \t" else " "
        return f"{text[:end]} {DECOM_MARK} {database} retired:{glue}{rest}{ending}"
    return f"{text[:col]}{DECOM_MARK} {database} retired: {text[col:]}{ending}"


def blank(line: str) -> bool:
    """Whether a line holds nothing but whitespace."""
    return not line.strip()


@dataclass
class LinePlan:
    """Per-line decisions for one file, rendered into a :class:`Rewrite`.

    Line indexes are 0-based here; the rendered ``touched`` ranges are 1-based.
    """

    lines: list[str]
    database: str
    prefix: str
    decisions: dict[int, tuple[str, str]] = field(default_factory=dict)
    human: dict[int, str] = field(default_factory=dict)
    removed_symbols: list[str] = field(default_factory=list)
    structural: bool = False

    def comment(self, indexes: Iterable[int]) -> None:
        """Comment out lines (blank lines inside the range stay as they are)."""
        for i in indexes:
            line = self.lines[i]
            if blank(line) or DECOM_MARK in line:
                continue
            new = decom_comment(self.prefix, self.database, body(line)) + line_ending(line)
            self._decide(i, _COMMENT, new)

    def delete(self, indexes: Iterable[int]) -> None:
        """Delete lines."""
        for i in indexes:
            self._decide(i, _DELETE, "")
            self.structural = True

    def replace(self, index: int, new: str, structural: bool = True) -> None:
        """Replace one line by ``new`` (which carries its own ending)."""
        if new != self.lines[index]:
            self._decide(index, _REPLACE, new)
            self.structural = self.structural or structural

    def ask(self, index: int, why: str) -> None:
        """Leave a line to a human, with the reason."""
        self.human.setdefault(index, why)

    def state(self, index: int) -> str | None:
        """The decision made about a line, if any."""
        decision = self.decisions.get(index)
        return decision[0] if decision else None

    def gone(self, index: int) -> bool:
        """Whether a line is deleted or commented out."""
        return self.state(index) in (_DELETE, _COMMENT)

    def current(self, index: int) -> str:
        """The line as it will be rendered (the original if undecided or deleted)."""
        decision = self.decisions.get(index)
        return decision[1] if decision and decision[0] != _DELETE else self.lines[index]

    def _decide(self, index: int, kind: str, new: str) -> None:
        old = self.decisions.get(index)
        if old is None or _STRENGTH[kind] >= _STRENGTH[old[0]]:
            self.decisions[index] = (kind, new)

    def absorb_blank_lines(self) -> None:
        """After deleting a run of lines between two blank lines, delete one of the blanks.

        A run deleted at the end of the file also takes the blank lines before it, so no
        trailing blank lines are left behind.
        """
        n = len(self.lines)
        changed = True
        while changed:
            changed = False
            for start, end in self._deleted_runs():
                before, after = start - 1, end + 1
                if after >= n and before >= 0 and blank(self.lines[before]):
                    if not self.gone(before):
                        self._decide(before, _DELETE, "")
                        changed = True
                        break
                elif after < n and (before < 0 or blank(self.lines[before])):
                    if blank(self.lines[after]) and not self.gone(after):
                        self._decide(after, _DELETE, "")
                        changed = True
                        break

    def _deleted_runs(self) -> list[tuple[int, int]]:
        deleted = sorted(i for i, (kind, _) in self.decisions.items() if kind == _DELETE)
        runs: list[list[int]] = []
        for i in deleted:
            if runs and i == runs[-1][1] + 1:
                runs[-1][1] = i
            else:
                runs.append([i, i])
        return [(a, b) for a, b in runs]

    def render(self) -> tuple[str, tuple[tuple[int, int], ...]]:
        """The new text and the 1-based touched ranges."""
        out: list[str] = []
        kept: list[int] = []
        for i, line in enumerate(self.lines):
            decision = self.decisions.get(i)
            if decision is None:
                out.append(line)
            elif decision[0] != _DELETE:
                out.append(decision[1])
            else:
                continue
            kept.append(i)
        changed = {i for i, (kind, new) in self.decisions.items() if new != self.lines[i]}
        if self.lines and not line_ending(self.lines[-1]) and out and line_ending(out[-1]):
            # The original had no final newline; neither may the result, so the new last
            # line loses its ending (and counts as changed).
            out[-1] = body(out[-1])
            changed.add(kept[-1])
        if not changed:
            return "".join(out), ()
        text = "".join(out)
        numbers = {i + 1 for i in changed | self._twins()}
        if len(self.lines) <= _DIFF_CHECK_LINES:
            # Repeated blocks can also make a line diff pair lines its own way; ask it (it is
            # quadratic on repeated lines, hence only for files of ordinary size).
            touched = [(k, k) for k in numbers]
            numbers.update(stray_changes("".join(self.lines), text, touched))
        return text, merge_ranges((k, k) for k in numbers)

    def _twins(self) -> set[int]:
        """Kept lines a line diff may pair with a deleted identical twin.

        Deleting ``b`` from ``a b b c`` can be read as deleting either ``b``: a diff that
        picks the other one reports an untouched line. Such neighbours are reported as
        touched too (linear, unlike asking difflib which way it pairs them).
        """
        lines, n = self.lines, len(self.lines)
        twins: set[int] = set()
        for start, end in self._deleted_runs():
            i, j = start, end
            while i > 0 and lines[i - 1] == lines[j]:
                i, j = i - 1, j - 1
                twins.add(i)
            i, j = start, end
            while j + 1 < n and lines[j + 1] == lines[i]:
                i, j = i + 1, j + 1
                twins.add(j)
        return twins

    def flag_leftovers(self, refs: Refs, ref_lines: Iterable[int] = ()) -> None:
        """Send every line that would still name the database to a human.

        This is the safety net under the rules' analysis: a reference the rule did not handle
        (nor already explain) is never left silently. ``ref_lines`` are the 1-based lines
        discovery reported, which count even where :class:`Refs` cannot locate a span.
        """
        reported = {n - 1 for n in ref_lines}
        for i in range(len(self.lines)):
            if i in self.human or self.gone(i):
                continue
            if refs.any(self.current(i)) or (i in reported and i not in self.decisions):
                if DECOM_MARK not in self.current(i):
                    self.ask(i, "names the database in a way this rule cannot rewrite safely")

    def result(self, what: str) -> Rewrite:
        """The :class:`Rewrite` for the decisions made; ``what`` names the file kind."""
        concerns = tuple(f"{i + 1}: {why}" for i, why in sorted(self.human.items()))
        text, touched = self.render()
        if not touched:
            if concerns:
                return Rewrite(
                    Action.NEEDS_HUMAN,
                    f"{what}: no safe automatic edit; see the listed lines",
                    None,
                    needs_human=concerns,
                )
            return Rewrite(Action.NO_CHANGE, f"{what}: nothing refers to the database", None)
        action = Action.STRUCTURAL_EDIT if self.structural else Action.COMMENT_OUT
        did = "removed or commented out" if self.structural else "commented out"
        reason = f"{what}: {did} what only concerned {self.database}"
        if not any(kind != _REPLACE for kind, _ in self.decisions.values()) and not self.structural:
            reason = f"{what}: flagged the comments that name {self.database} (decom mark)"
        if concerns:
            reason += f"; {len(concerns)} line(s) left for a human"
        return Rewrite(
            action,
            reason,
            text,
            touched=touched,
            removed_symbols=tuple(dict.fromkeys(self.removed_symbols)),
            needs_human=concerns,
        )


def element_spans(line: str, spans: list[tuple[int, int]], separators: str) -> bool:
    """Whether every span is a whole element of a ``separators``-delimited list on ``line``.

    An element is bounded (after optional quotes and spaces) by a separator or a bracket on
    each side, with a separator on at least one side: ``("a", "payroll_ledger")``.
    """
    seps = re.escape(separators)
    for start, end in spans:
        left, right = start, end
        while left > 0 and line[left - 1] in "\"'`":
            left -= 1
        while right < len(line) and line[right] in "\"'`":
            right += 1
        before = re.search(rf"([{seps}(\[{{]|^)\s*$", line[:left])
        after = re.match(rf"\s*([{seps})\]}}]|$)", line[right:])
        if before is None or after is None:
            return False
        if not (before.group(1) and before.group(1) in separators) and not (
            after.group(1) and after.group(1) in separators
        ):
            return False
    return True
