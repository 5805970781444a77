"""A small, position-keeping scanner for Terraform/HCL files.

python-hcl2 parses values but forgets where they are; rewrites need line ranges. This scanner
finds top-level blocks (``resource "aws_db_instance" "main" { ... }``) with their first and last
line, and their top-level attributes with their line ranges, skipping strings, heredocs and
comments so braces inside them do not confuse it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BLOCK_HEADER = re.compile(r'^([A-Za-z_][\w-]*)((?:\s+(?:"[^"]*"|[A-Za-z_][\w-]*))*)\s*\{\s*$')
_LABEL = re.compile(r'"([^"]*)"|([A-Za-z_][\w-]*)')
_ATTRIBUTE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*=(?!=)\s*(.*)$")
_HEREDOC = re.compile(r"<<-?\s*([A-Za-z_]\w*)\s*$")


@dataclass(frozen=True, slots=True)
class Attribute:
    """``name = value`` directly inside a block; lines are 1-based and inclusive."""

    name: str
    start: int
    end: int
    value: str


@dataclass(frozen=True, slots=True)
class Block:
    """A top-level block; ``start`` is the header line, ``end`` the closing brace (1-based)."""

    type: str
    labels: tuple[str, ...]
    start: int
    end: int
    attributes: tuple[Attribute, ...] = field(default=())
    nested: tuple[Block, ...] = field(default=())

    @property
    def address(self) -> str | None:
        """How other Terraform code refers to this block, when it can."""
        if self.type == "resource" and len(self.labels) == 2:
            return f"{self.labels[0]}.{self.labels[1]}"
        if self.type == "data" and len(self.labels) == 2:
            return f"data.{self.labels[0]}.{self.labels[1]}"
        if self.type == "module" and len(self.labels) == 1:
            return f"module.{self.labels[0]}"
        if self.type == "variable" and len(self.labels) == 1:
            return f"var.{self.labels[0]}"
        return None

    def attribute(self, name: str) -> Attribute | None:
        """The top-level attribute called ``name``, if present."""
        return next((a for a in self.attributes if a.name == name), None)


#: What ends the structure of a line or starts something that is not structure.
_SPECIAL = re.compile(r'["#]|//|/\*')
#: A string that ends on its line: up to the first ``"`` not escaped by a backslash.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _strip_strings_and_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """Blank out string contents and comments so only structure is left; track ``/* */``.

    Strings end at the next unescaped ``"`` (a backslash escapes the character after it) or
    at the end of the line; ``#`` and ``//`` end the line; ``/* */`` may span lines. The
    stretches between them are found by regex and ``str.find``, not one character at a time.
    """
    if not in_comment:
        m = _SPECIAL.search(line)
        if m is None:
            return line, False  # most lines: nothing to blank out
    out: list[str] = []
    i = 0
    while True:
        if in_comment:
            close = line.find("*/", i)
            if close == -1:
                break
            in_comment = False
            i = close + 2
        m = _SPECIAL.search(line, i)
        if m is None:
            out.append(line[i:])
            break
        out.append(line[i : m.start()])
        token = m.group()
        if token == "/*":
            in_comment = True
            i = m.end()
        elif token == '"':
            string = _STRING.match(line, m.start())
            if string is None:
                out.append('"')  # an unterminated string runs to the end of the line
                break
            out.append('""')
            i = string.end()
        else:
            break  # a comment to the end of the line
    return "".join(out), in_comment


def structural_lines(lines: list[str]) -> list[str]:
    """Each line with strings emptied, comments and heredoc bodies removed."""
    result: list[str] = []
    in_comment = False
    heredoc: str | None = None
    for line in lines:
        if heredoc is not None:
            result.append("")
            if line.strip() == heredoc:
                heredoc = None
            continue
        line = line.rstrip("\r")
        stripped, in_comment = _strip_strings_and_comments(line, in_comment)
        m = _HEREDOC.search(line) if "<<" in line else None
        if m is not None:
            heredoc = m.group(1)
        result.append(stripped)
    return result


def parse_blocks(lines: list[str]) -> list[Block]:
    """Top-level blocks of an HCL file given as lines (without newlines)."""
    structure = structural_lines(lines)
    # Each structural line's brackets alone (most lines have none): what depths are made of.
    brackets = [_NOT_BRACKET.sub("", line) if line else "" for line in structure]
    return _parse_level(lines, structure, brackets, 0, len(lines))


_NOT_BRACKET = re.compile(r"[^{}\[\]()]+")


def _depth_change(brackets: str) -> int:
    """Opened minus closed brackets of a line's brackets."""
    if not brackets:
        return 0
    closed = brackets.count("}") + brackets.count("]") + brackets.count(")")
    return len(brackets) - 2 * closed


def _parse_level(
    lines: list[str], structure: list[str], brackets: list[str], begin: int, finish: int
) -> list[Block]:
    blocks: list[Block] = []
    i = begin
    while i < finish:
        header = _BLOCK_HEADER.match(lines[i].strip().rstrip("\r"))
        if header is None or brackets[i].count("{") - brackets[i].count("}") != 1:
            i += 1
            continue
        end = _matching_close(brackets, i)
        if end is None or end >= finish:
            i += 1
            continue
        labels = tuple(a or b for a, b in _LABEL.findall(header.group(2)))
        attributes, nested = _members(lines, structure, brackets, i + 1, end)
        blocks.append(Block(header.group(1), labels, i + 1, end + 1, attributes, nested))
        i = end + 1
    return blocks


def _matching_close(brackets: list[str], start: int) -> int | None:
    depth = 0
    for j in range(start, len(brackets)):
        for ch in brackets[j]:
            if ch in "{[(":
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return j
    return None


def _members(
    lines: list[str], structure: list[str], brackets: list[str], begin: int, finish: int
) -> tuple[tuple[Attribute, ...], tuple[Block, ...]]:
    attributes: list[Attribute] = []
    nested: list[Block] = []
    i = begin
    while i < finish:
        m = _ATTRIBUTE.match(structure[i]) if _ATTRIBUTE.match(lines[i]) else None
        if m is not None:
            depth = _depth_change(brackets[i])
            end = i
            while depth > 0 and end + 1 < finish:
                end += 1
                depth += _depth_change(brackets[end])
            heredoc = _HEREDOC.search(lines[i].rstrip("\r"))
            if heredoc is not None:
                while end + 1 < finish and lines[end].strip() != heredoc.group(1):
                    end += 1
            value = "\n".join(line.rstrip("\r") for line in lines[i : end + 1])
            attributes.append(Attribute(m.group(1), i + 1, end + 1, value.split("=", 1)[1].strip()))
            i = end + 1
            continue
        header = _BLOCK_HEADER.match(lines[i].strip().rstrip("\r"))
        if header is not None and brackets[i].count("{") - brackets[i].count("}") == 1:
            close = _matching_close(brackets, i)
            if close is not None and close < finish:
                labels = tuple(a or b for a, b in _LABEL.findall(header.group(2)))
                attrs, inner = _members(lines, structure, brackets, i + 1, close)
                nested.append(Block(header.group(1), labels, i + 1, close + 1, attrs, inner))
                i = close + 1
                continue
        i += 1
    return tuple(attributes), tuple(nested)
