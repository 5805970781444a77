"""Tables as HTML (for Jupyter) and as plain text (for consoles), with hostile content tamed.

Everything shown can come from a repository (paths, reasons, lines of code), so every cell is
HTML-escaped, and control characters are made visible in plain text so a file name cannot
move a terminal's cursor or change its colours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

#: A cell: text, a number, a flag, nothing, or a list of items (shown one per line).
Cell = str | int | bool | None | tuple[str, ...]

#: Characters a plain-text cell may not contain as they are (C0/C1 controls, DEL).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: Widest plain-text cell; longer text is cut with an ellipsis (``.to_dict()`` has it all).
TEXT_CELL_WIDTH = 72

#: Styles of the HTML output (inline: notebooks strip ``<style>`` in some viewers).
TABLE_STYLE = "border-collapse:collapse;font-size:0.9em;margin:0.3em 0 0.8em 0"
CELL_STYLE = "border:1px solid #d0d7de;padding:2px 6px;text-align:left;vertical-align:top"
HEAD_STYLE = CELL_STYLE + ";background:#f6f8fa"

#: Colours of statuses in HTML tables.
STATUS_COLOURS = {
    "changed": "#1a7f37",
    "no_references": "#57606a",
    "no references": "#57606a",
    "needs_human": "#9a6700",
    "waiting for approval": "#0969da",
    "failed": "#cf222e",
    "aborted": "#cf222e",
}


def printable(text: str) -> str:
    r"""``text`` with control characters shown as escapes (``\x1b``), never sent raw."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def cell_text(value: Cell) -> str:
    """A cell as one line of plain text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, tuple):
        return "; ".join(_one_line(item) for item in value)
    return _one_line(str(value))


def cell_html(value: Cell, *, status: bool = False) -> str:
    """A cell as escaped HTML (lists one item per line; statuses coloured)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, tuple):
        return "<br>".join(escape(item) for item in value)
    text = escape(str(value))
    colour = STATUS_COLOURS.get(str(value)) if status else None
    return f'<span style="color:{colour};font-weight:600">{text}</span>' if colour else text


def table_html(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    status_column: int | None = None,
) -> str:
    """One titled HTML table (empty tables say so)."""
    parts = [f"<h4 style='margin:0.6em 0 0.2em 0'>{escape(title)}</h4>"]
    if not rows:
        return parts[0] + "<p><em>nothing</em></p>"
    head = "".join(f'<th style="{HEAD_STYLE}">{escape(h)}</th>' for h in headers)
    parts.append(f'<table style="{TABLE_STYLE}"><thead><tr>{head}</tr></thead><tbody>')
    for row in rows:
        cells = "".join(
            f'<td style="{CELL_STYLE}">{cell_html(v, status=i == status_column)}</td>'
            for i, v in enumerate(row)
        )
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def notes_html(notes: Sequence[str]) -> str:
    """Notes under a table, escaped."""
    if not notes:
        return ""
    items = "".join(f"<li>{escape(note)}</li>" for note in notes)
    return f"<ul style='margin:0.2em 0'>{items}</ul>"


def table_text(title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """One titled table as aligned plain text (long cells cut; control characters escaped)."""
    if not rows:
        return f"{printable(title)}\n  (nothing)"
    cells = [[_cut(cell_text(v)) for v in row] for row in rows]
    widths = [
        max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)
    ]  # fmt: skip
    lines = [
        printable(title),
        ("  " + "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))).rstrip(),
    ]
    for row in cells:
        lines.append(
            "  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
        )
    return "\n".join(lines)


def notes_text(notes: Sequence[str]) -> str:
    """Notes under a table, one per line."""
    return "\n".join(f"  - {printable(note)}" for note in notes)


def block_html(*parts: str) -> str:
    """Parts wrapped in one element (so a notebook shows them as one output)."""
    return "<div class='decom'>" + "".join(parts) + "</div>"


def _one_line(text: str) -> str:
    return printable(text.replace("\r\n", "\n")).replace("\n", " \u23ce ")


def _cut(text: str) -> str:
    return text if len(text) <= TEXT_CELL_WIDTH else text[: TEXT_CELL_WIDTH - 1] + "…"
