"""agent.formats.hcl: the line scanner agrees with the plain per-character one it replaced."""

from __future__ import annotations

import random
from pathlib import Path

from agent.formats.hcl import _strip_strings_and_comments, parse_blocks, structural_lines

ROOT = Path(__file__).resolve().parents[1]


def reference_strip(line: str, in_comment: bool) -> tuple[str, bool]:
    """The per-character scanner (the definition the faster one must keep)."""
    out: list[str] = []
    i = 0
    in_string = False
    while i < len(line):
        ch = line[i]
        if in_comment:
            if line.startswith("*/", i):
                in_comment = False
                i += 2
                continue
            i += 1
            continue
        if in_string:
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                in_string = False
                out.append('"')
            i += 1
            continue
        if ch == '"':
            in_string = True
            out.append('"')
        elif ch == "#" or line.startswith("//", i):
            break
        elif line.startswith("/*", i):
            in_comment = True
            i += 2
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out), in_comment


PIECES = [*'ab "\\#/*{}[]()=$.\t', "${", "*/", "/*", "//", '\\"', "<<EOF", "EOF", "\u00e9"]


def test_strings_and_comments_are_stripped_as_character_by_character() -> None:
    rng = random.Random("hcl-strip")
    lines = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14))) for _ in range(20000)]
    lines += [
        line
        for path in sorted((ROOT / "evals" / "datasets").rglob("*.tf"))
        for line in path.read_text(encoding="utf-8").split("\n")
    ]
    for line in lines:
        for in_comment in (False, True):
            assert _strip_strings_and_comments(line, in_comment) == reference_strip(
                line, in_comment
            ), (line, in_comment)


def test_blocks_of_a_file() -> None:
    lines = [
        'resource "aws_db_instance" "main" {',
        '  identifier = "pl-prod-01" // "x"',
        '  tags = { Name = "a}b", Note = "esc \\" }" }',
        "  /* } */",
        "  lifecycle {",
        "    ignore_changes = [",
        "      password,",
        "    ]",
        "  }",
        "  policy = <<EOF",
        "{ [",
        "EOF",
        "}",
    ]
    structure = structural_lines(lines)
    assert structure[1] == '  identifier = "" '
    assert structure[2] == '  tags = { Name = "", Note = "" }'
    assert structure[3] == "  "
    [block] = parse_blocks(lines)
    assert (block.type, block.labels, block.start, block.end) == (
        "resource",
        ("aws_db_instance", "main"),
        1,
        13,
    )
    assert [(a.name, a.start, a.end) for a in block.attributes] == [
        ("identifier", 2, 2),
        ("tags", 3, 3),
        ("policy", 10, 12),
    ]
    assert [(b.type, b.start, b.end) for b in block.nested] == [("lifecycle", 5, 9)]
