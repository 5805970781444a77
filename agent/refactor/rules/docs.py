"""Rewrite rules for documentation (Markdown, reStructuredText, plain text) and CODEOWNERS.

Docs: what is *about* the database goes (Markdown table rows, bullet items, sections whose
heading spells it, and a runbook for it as a whole file); what only mentions it stays and
gets one short decommission note under the title, so nobody copies a dead hostname from it.
No orphan heading or empty table is left behind.

CODEOWNERS: a rule whose path pattern spells the database goes; the database's team is taken
off a rule it shares with other owners.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.discovery.models import SourceType
from agent.refactor.base import (
    DECOM_MARK,
    Action,
    FileEdit,
    Rewrite,
    body,
    decom_comment,
    line_ending,
)
from agent.refactor.rules.text_edits import apply_edits, find_refs, touched_lines

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BULLET = re.compile(r"^([ \t]*)([-*+])[ \t]+(?=\S)")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_RST_ADORNMENT = re.compile(r"^([=\-`:'\"~^_*+#<>.])\1+\s*$")
_LEAD_END = re.compile(r":\s| [-\u2013\u2014] |\. |;|,|\(")
#: Folders and titles of documents that record history: they are annotated, never deleted.
_HISTORY = re.compile(
    r"(^|/)(adrs?|decisions|postmortems?|incidents?|rfcs?)/|changelog|^adr\b", re.IGNORECASE
)
_RUNBOOK = re.compile(r"runbook|playbook", re.IGNORECASE)
#: Plain-text files that are prose for people (others may be read by programs).
_PROSE_TEXT = re.compile(
    r"(^|/)(readme|notes?|changelog|runbook|howto|install|todo)[^/]*$|(^|/)docs?/", re.IGNORECASE
)


def _note(source_type: SourceType, database: str) -> str:
    text = f"this document mentions {database}, which has been decommissioned."
    if source_type is SourceType.MARKDOWN:
        return f"> **Note** ({DECOM_MARK} {database} retired): {text}"
    if source_type is SourceType.RST:
        return f".. note:: ({DECOM_MARK} {database} retired) {text}"
    return f"Note ({DECOM_MARK} {database} retired): {text}"


@dataclass
class _Doc:
    """The structure of a document, as 0-based line indexes."""

    #: (first line, last line, level, text) of each heading.
    headings: list[tuple[int, int, int, str]] = field(default_factory=list)
    #: (header line, separator line, data rows) of each Markdown table.
    tables: list[tuple[int, int, list[int]]] = field(default_factory=list)
    #: (first line, last line) of each bullet item, nested items included.
    items: list[tuple[int, int]] = field(default_factory=list)


class DocsRule:
    """Removes what is about the database from docs and notes what only mentions it.

    - A doc whose title spells the database and is its runbook (the title or path says
      runbook, or the file is named after the database) -> ``DELETE_FILE``; records of
      history (ADRs, post-mortems, changelogs) are never deleted.
    - A section whose heading spells the database goes, down to the next heading of the same
      or a higher level; a Markdown table row whose first cell names the database (or a cell
      that is nothing but the database) goes; a bullet item whose lead names it goes.
    - Tables and sections left empty go too (no orphan heading, no empty table).
    - If references remain, one note goes under the title (or at the top):
      ``> **Note** (decom: payroll_ledger retired): this document mentions payroll_ledger,
      which has been decommissioned.`` and the action is ``DOC_NOTE``.
    """

    name = "docs"
    source_types = frozenset({SourceType.MARKDOWN, SourceType.RST, SourceType.TEXT})

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """Rewrite one document (see the class docstring)."""
        lines = edit.lines
        texts = [body(line) for line in lines]
        if texts:
            texts[0] = texts[0].removeprefix("\ufeff")
        mentions = [bool(find_refs(edit, t)) and DECOM_MARK not in t for t in texts]
        if not any(mentions):
            return Rewrite(Action.NO_CHANGE, "the document does not mention the database", None)
        doc = _parse(texts, edit.source_type)
        title = doc.headings[0] if doc.headings else None
        if title is not None and _is_runbook(edit, title[3]):
            return Rewrite(
                Action.DELETE_FILE,
                f"runbook for {edit.target.database} ({title[3].strip()})",
                None,
                touched=((1, len(lines)),),
            )
        if edit.source_type is SourceType.TEXT and not _PROSE_TEXT.search(edit.path):
            return Rewrite(
                Action.NEEDS_HUMAN,
                "a text file that may be read by a program: not annotated",
                None,
                needs_human=tuple(
                    f"{n + 1}: mentions the database" for n, m in enumerate(mentions) if m
                ),
            )
        removed: set[int] = set()
        if not _is_history(edit, title[3] if title else ""):
            # A record of history (an ADR...) keeps its content: it only gets the note.
            removed = _removals(edit, texts, doc)
            removed |= _orphans(texts, doc, removed)
            removed |= _extra_blanks(texts, removed)
        remaining = any(m for n, m in enumerate(mentions) if n not in removed)
        has_note = any(DECOM_MARK in t and "decommissioned" in t for t in texts)
        anchor: int | None = None
        if remaining and not has_note:
            kept_headings = [h for h in doc.headings if h[0] not in removed]
            anchor = kept_headings[0][1] if kept_headings else -1
        if not removed and anchor is None:
            return Rewrite(Action.NO_CHANGE, "the decommission note is already there", None)
        new = _render(lines, removed, anchor, _note(edit.source_type, edit.target.database))
        known = {n + 1 for n in removed}
        if anchor is not None:
            known.add(max(anchor, 0) + 1)  # the note is inserted next to this line
        action = Action.DOC_NOTE if anchor is not None or remaining else Action.STRUCTURAL_EDIT
        done = [f"removed {len(removed)} lines about {edit.target.database}"] if removed else []
        if anchor is not None:
            done.append("added a decommission note for the remaining mentions")
        reason = "; ".join(done)
        return Rewrite(action, reason, new, touched=touched_lines(edit.text, new, known))


def _is_history(edit: FileEdit, title: str) -> bool:
    return bool(_HISTORY.search(edit.path) or _HISTORY.search(title))


def _is_runbook(edit: FileEdit, title: str) -> bool:
    if not find_refs(edit, title) or _is_history(edit, title):
        return False
    stem = edit.path.rpartition("/")[2].rpartition(".")[0] or edit.path
    return bool(_RUNBOOK.search(title) or _RUNBOOK.search(edit.path) or find_refs(edit, stem))


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _parse(texts: list[str], source_type: SourceType) -> _Doc:
    doc = _Doc()
    fence: str | None = None
    item_end = -1
    rst_levels: list[tuple[str, bool]] = []
    index = 0
    if source_type is SourceType.MARKDOWN and texts and texts[0].strip() == "---":
        # YAML front matter: its last key line over the closing "---" is not a heading.
        closing = next((n for n in range(1, len(texts)) if texts[n].strip() == "---"), 0)
        index = closing + 1
    while index < len(texts):
        text = texts[index]
        following = texts[index + 1] if index + 1 < len(texts) else ""
        if fence is not None:
            if text.strip().startswith(fence):
                fence = None
            index += 1
            continue
        fenced = _FENCE.match(text) if source_type is SourceType.MARKDOWN else None
        if fenced:
            fence = fenced.group(1)
            index += 1
            continue
        if not text.strip() or (_indent(text) >= 4 and index > item_end):
            index += 1
            continue
        if source_type is SourceType.RST:
            heading = _rst_heading(texts, index, rst_levels)
            if heading is not None:
                doc.headings.append(heading)
                index = heading[1] + 1
                continue
        elif source_type is SourceType.MARKDOWN:
            atx = _ATX.match(text)
            if atx:
                doc.headings.append((index, index, len(atx.group(1)), atx.group(2) or ""))
                index += 1
                continue
            setext = _SETEXT.match(following)
            if setext and not _BULLET.match(text) and "|" not in text:
                level = 1 if setext.group(1)[0] == "=" else 2
                doc.headings.append((index, index + 1, level, text.strip()))
                index += 2
                continue
            if "|" in text and "|" in following and _TABLE_SEP.match(following):
                rows = []
                row = index + 2
                while row < len(texts) and texts[row].strip() and "|" in texts[row]:
                    rows.append(row)
                    row += 1
                doc.tables.append((index, index + 1, rows))
                index = row
                continue
        bullet = _BULLET.match(text)
        if bullet and not _RULE.match(text) and source_type is not SourceType.TEXT:
            last = _item_end(texts, index, len(bullet.group(1)))
            doc.items.append((index, last))
            item_end = max(item_end, last)
        index += 1
    return doc


def _rst_heading(
    texts: list[str], index: int, levels: list[tuple[str, bool]]
) -> tuple[int, int, int, str] | None:
    text = texts[index]
    following = texts[index + 1] if index + 1 < len(texts) else ""
    third = texts[index + 2] if index + 2 < len(texts) else ""
    over = _RST_ADORNMENT.match(text)
    if over and following.strip() and third.strip() == text.strip():
        style, first, last, title = (text.strip()[0], True), index, index + 2, following.strip()
    else:
        under = _RST_ADORNMENT.match(following)
        if over or not under or text[:1].isspace() or len(following.strip()) < len(text.strip()):
            return None
        style, first, last, title = (following.strip()[0], False), index, index + 1, text.strip()
    if style not in levels:
        levels.append(style)
    return first, last, levels.index(style) + 1, title


def _item_end(texts: list[str], first: int, indent: int) -> int:
    """Last line of the bullet item starting at ``first`` (continuations and nested items)."""
    last = first
    index = first + 1
    while index < len(texts):
        text = texts[index]
        if not text.strip():
            ahead = index
            while ahead < len(texts) and not texts[ahead].strip():
                ahead += 1
            if ahead < len(texts) and _indent(texts[ahead]) > indent:
                index = ahead
                continue
            break
        nested = _indent(text) > indent
        lazy = (
            texts[index - 1].strip()
            and not _BULLET.match(text)
            and not _ATX.match(text)
            and not _FENCE.match(text)
            and "|" not in text
            and not _RULE.match(text)
        )
        if not (nested or lazy):
            break
        last = index
        index += 1
    return last


def _lead(text: str) -> str:
    """What a bullet item is about: its first code span, bold text or link, or first clause."""
    rest = _BULLET.sub("", text, count=1).strip()
    rest = re.sub(r"^\[[ xX]\]\s*", "", rest)
    for opener, closer in (("`", "`"), ("**", "**"), ("__", "__"), ("[", "]")):
        if rest.startswith(opener):
            end = rest.find(closer, len(opener))
            if end > 0:
                return rest[len(opener) : end]
    return _LEAD_END.split(rest, maxsplit=1)[0]


def _only_database(edit: FileEdit, cell: str) -> bool:
    refs = find_refs(edit, cell)
    if not refs:
        return False
    covered = {n for start, end in refs for n in range(start, end)}
    rest = "".join(char for n, char in enumerate(cell) if n not in covered)
    return not re.search(r"[A-Za-z0-9]", rest)


def _removals(edit: FileEdit, texts: list[str], doc: _Doc) -> set[int]:
    removed: set[int] = set()
    levels = [level for _, _, level, _ in doc.headings]
    for position, (first, _last, level, text) in enumerate(doc.headings):
        is_title = position == 0 and levels.count(min(levels)) == 1 and level == min(levels)
        if is_title or not find_refs(edit, text):
            continue
        end = len(texts) - 1
        for later in doc.headings[position + 1 :]:
            if later[2] <= level:
                end = later[0] - 1
                break
        removed.update(range(first, end + 1))
    for header, separator, rows in doc.tables:
        gone = [row for row in rows if row not in removed and _row_about(edit, texts[row])]
        removed.update(gone)
        if rows and all(row in removed for row in rows):
            removed.update((header, separator))
    for first, last in doc.items:
        if first not in removed and find_refs(edit, _lead(texts[first])):
            removed.update(range(first, last + 1))
    return removed


def _row_about(edit: FileEdit, row: str) -> bool:
    cells = row.strip().strip("|").split("|")
    if find_refs(edit, cells[0]):
        return True
    return any(_only_database(edit, cell) for cell in cells)


def _orphans(texts: list[str], doc: _Doc, removed: set[int]) -> set[int]:
    """Headings whose whole section our removals emptied."""
    orphans: set[int] = set()
    for position in range(len(doc.headings) - 1, 0, -1):
        first, last, level, _ = doc.headings[position]
        if first in removed:
            continue
        end = len(texts) - 1
        for later in doc.headings[position + 1 :]:
            if later[2] <= level:
                end = later[0] - 1
                break
        section = range(last + 1, end + 1)
        gone = removed | orphans
        emptied = all(n in gone or not texts[n].strip() for n in section)
        if emptied and any(n in gone for n in section):
            orphans.update(range(first, last + 1))
    return orphans


def _extra_blanks(texts: list[str], removed: set[int]) -> set[int]:
    """Blank lines that would pile up around a removed block."""
    extra: set[int] = set()
    index = 0
    while index < len(texts):
        if index not in removed:
            index += 1
            continue
        end = index
        while end + 1 < len(texts) and end + 1 in removed:
            end += 1
        before = index - 1
        after = end + 1
        blank_before = before < 0 or not texts[before].strip()
        if after < len(texts) and not texts[after].strip() and blank_before:
            extra.add(after)
        elif after >= len(texts) and before >= 0 and not texts[before].strip():
            while before >= 0 and not texts[before].strip() and before not in removed:
                extra.add(before)
                before -= 1
        index = end + 1
    return extra


def _render(lines: list[str], removed: set[int], anchor: int | None, note: str) -> str:
    newline = next((line_ending(line) for line in lines if line_ending(line)), "\n")
    out: list[str] = []
    bom = lines[0][:1] if lines and lines[0].startswith("\ufeff") else ""
    if anchor == -1:
        out.append(bom + note + newline)
        first = next((body(lines[n]) for n in range(len(lines)) if n not in removed), "")
        if first.removeprefix("\ufeff").strip():
            out.append(newline)
    for index, line in enumerate(lines):
        if anchor == -1 and index == 0 and bom:
            line = line[1:]
        if index not in removed:
            out.append(line)
        if index == anchor:
            if not line_ending(out[-1]):
                out[-1] += newline
            kept = (lines[n] for n in range(index + 1, len(lines)) if n not in removed)
            following = next(kept, None)
            out.append(newline + note + newline)
            if following is not None and body(following).strip():
                out.append(newline)
    last = len(lines) - 1
    if out and lines and not line_ending(lines[-1]) and (last in removed or anchor == last):
        # The file had no final newline: the new last line must not gain one.
        out[-1] = body(out[-1])
    return "".join(out)


class CodeownersRule:
    """Removes ownership rules for the database's paths and the database's team.

    - A rule whose path pattern spells the database goes (its paths are gone).
    - An owner that spells the database (``@org/payroll-ledger-dba`` style teams the matcher
      accepts) is taken off a rule that has other owners; when it is the only owner the rule
      is left for a human, who decides who owns the path now.
    - A comment that mentions the database is marked with a decom comment; a block of rules
      (consecutive non-blank lines) that lost every rule loses its heading comments too.
    """

    name = "codeowners"
    source_types = frozenset({SourceType.CODEOWNERS})

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """Rewrite one CODEOWNERS file (see the class docstring)."""
        lines = edit.lines
        texts = [body(line) for line in lines]
        removed: set[int] = set()
        edits: list[tuple[int, int, str]] = []
        human: list[str] = []
        offsets = [sum(len(line) for line in lines[:n]) for n in range(len(lines))]
        for index, text in enumerate(texts):
            stripped = text.strip()
            if not stripped or DECOM_MARK in text:
                continue
            if stripped.startswith("#"):
                if find_refs(edit, text):
                    words = stripped.lstrip("#").strip()
                    new = decom_comment("#", edit.target.database, text[: _indent(text)] + words)
                    edits.append((offsets[index], offsets[index] + len(text), new))
                continue
            pattern = stripped.split()[0]
            if find_refs(edit, pattern):
                removed.add(index)
                continue
            owners = list(re.finditer(r"\S+", text))[1:]
            gone = [m for m in owners if find_refs(edit, m.group())]
            if gone and len(gone) == len(owners):
                human.append(f"{index + 1}: the database's team is the only owner of {pattern}")
            for owner in gone if len(gone) < len(owners) else []:
                # The first owner goes with the blank after it (the next owner takes its
                # column); any other owner goes with the blank before it.
                if owner is owners[0]:
                    start, end = owner.start(), owners[1].start()
                else:
                    start, end = len(text[: owner.start()].rstrip()), owner.end()
                edits.append((offsets[index] + start, offsets[index] + end, ""))
        removed |= _empty_blocks(texts, removed)
        removed |= _extra_blanks(texts, removed)
        edits = [e for e in edits if _line_of(offsets, e[0]) not in removed]
        edits.extend((offsets[n], offsets[n] + len(lines[n]), "") for n in removed)
        if not edits:
            if human:
                why = "the database's team owns paths alone"
                return Rewrite(Action.NEEDS_HUMAN, why, None, needs_human=tuple(human))
            return Rewrite(Action.NO_CHANGE, "no ownership rule refers to the database", None)
        new = apply_edits(edit.text, edits)
        if lines and not line_ending(lines[-1]) and len(lines) - 1 in removed:
            new = new.removesuffix("\r\n") if new.endswith("\r\n") else new.removesuffix("\n")
        known = {_line_of(offsets, start) + 1 for start, _, _ in edits}
        structural = removed or any(not replacement for _, _, replacement in edits)
        action = Action.STRUCTURAL_EDIT if structural else Action.COMMENT_OUT
        return Rewrite(
            action,
            f"removed {len(removed)} ownership lines about {edit.target.database}",
            new,
            touched=touched_lines(edit.text, new, known),
            needs_human=tuple(human),
        )


def _line_of(offsets: list[int], position: int) -> int:
    line = 0
    while line + 1 < len(offsets) and offsets[line + 1] <= position:
        line += 1
    return line


def _empty_blocks(texts: list[str], removed: set[int]) -> set[int]:
    """Comment lines of blocks whose every rule was removed."""
    extra: set[int] = set()
    index = 0
    while index < len(texts):
        if not texts[index].strip():
            index += 1
            continue
        end = index
        while end + 1 < len(texts) and texts[end + 1].strip():
            end += 1
        block = range(index, end + 1)
        rules = [n for n in block if not texts[n].strip().startswith("#")]
        if rules and all(n in removed for n in rules):
            extra.update(block)
        index = end + 1
    return extra
