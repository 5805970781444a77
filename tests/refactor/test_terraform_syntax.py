"""terraform_syntax: the regex-driven tokenizer agrees with the character loops it replaced.

The reference below is the old ``tokenize`` with its string and template scanners, kept as the
definition: the faster one matches a whole token per step and skips runs of ordinary string
characters, and must give the same tokens, the same interpolation spans and the same errors.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

from agent.refactor.rules.terraform_syntax import (
    COMMENT,
    HEREDOC,
    IDENT,
    NEWLINE,
    NUMBER,
    PUNCT,
    STRING,
    HclSyntaxError,
    Token,
    interpolations,
    tokenize,
)

ROOT = Path(__file__).resolve().parents[2]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")
_PUNCT2 = ("==", "!=", "<=", ">=", "&&", "||", "=>", "::")
_PUNCT1 = "{}[]()=,:.?!+-*/%<>"


def reference_scan_string(text: str, i: int) -> int:
    """End offset of the quoted string starting at ``i`` (templates may nest strings)."""
    j = i + 1
    n = len(text)
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == '"':
            return j + 1
        if c == "\n":
            break
        if text.startswith(("$${", "%%{"), j):
            j += 3
            continue
        if text.startswith(("${", "%{"), j):
            j = reference_scan_template(text, j + 2)
            continue
        j += 1
    raise HclSyntaxError(f"unterminated string at offset {i}")


def reference_scan_template(text: str, j: int) -> int:
    depth = 1
    while j < len(text):
        c = text[j]
        if c == '"':
            j = reference_scan_string(text, j)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise HclSyntaxError("unterminated template interpolation")


def reference_interpolations(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of ``${...}``/``%{...}`` inside the string token ``text[start:end]``."""
    spans: list[tuple[int, int]] = []
    j = start + 1
    while j < end - 1:
        if text[j] == "\\":
            j += 2
        elif text.startswith(("$${", "%%{"), j):
            j += 3
        elif text.startswith(("${", "%{"), j):
            close = reference_scan_template(text, j + 2)
            spans.append((j, close))
            j = close
        else:
            j += 1
    return spans


def reference_tokenize(text: str, base: int = 0) -> list[Token]:
    """Tokens of ``text``; offsets are shifted by ``base`` (for heredoc bodies)."""
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            tokens.append(Token(NEWLINE, base + i, base + i + 1, "\n"))
            i += 1
        elif c in " \t\r\f\ufeff":
            i += 1
        elif c == "#" or text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            end = j - 1 if j > i and text[j - 1] == "\r" else j
            tokens.append(Token(COMMENT, base + i, base + end, text[i:end]))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise HclSyntaxError("unterminated block comment")
            tokens.append(Token(COMMENT, base + i, base + j + 2, text[i : j + 2]))
            i = j + 2
        elif c == '"':
            j = reference_scan_string(text, i)
            tokens.append(Token(STRING, base + i, base + j, text[i:j]))
            i = j
        elif (heredoc := _HEREDOC.match(text, i)) is not None:
            tokens.append(reference_heredoc(text, base, i, heredoc))
            i = tokens[-1].end - base
        elif (ident := _IDENT.match(text, i)) is not None:
            tokens.append(Token(IDENT, base + i, base + ident.end(), ident.group()))
            i = ident.end()
        elif (number := _NUMBER.match(text, i)) is not None:
            tokens.append(Token(NUMBER, base + i, base + number.end(), number.group()))
            i = number.end()
        elif text.startswith("...", i):
            tokens.append(Token(PUNCT, base + i, base + i + 3, "..."))
            i += 3
        elif text.startswith(_PUNCT2, i):
            tokens.append(Token(PUNCT, base + i, base + i + 2, text[i : i + 2]))
            i += 2
        elif c in _PUNCT1:
            tokens.append(Token(PUNCT, base + i, base + i + 1, c))
            i += 1
        else:
            raise HclSyntaxError(f"unexpected character {c!r} at offset {base + i}")
    return tokens


def reference_heredoc(text: str, base: int, i: int, match: re.Match[str]) -> Token:
    marker = match.group(2)
    body_start = match.end()
    j = body_start
    while j <= len(text):
        line_end = text.find("\n", j)
        line_end = len(text) if line_end < 0 else line_end
        line = text[j:line_end].strip()
        if line == marker:
            end = text.index(marker, j) + len(marker)
            return Token(HEREDOC, base + i, base + end, marker, base + body_start, base + j)
        if line_end >= len(text):
            break
        j = line_end + 1
    raise HclSyntaxError(f"heredoc {marker} is never closed")


PIECES = [
    "resource", '"aws_db"', "{", "}", "[", "]", "(", ")", "=", ",", ":", ".", "...", "?", "!", "==",
    "!=", "<=", ">=", "&&", "||", "=>", "::", "+", "-", "*", "/", "%", "<", ">", "\n", " ", "\t",
    "\r\n", "# c\n", "// c\n", "/* b */", "/* x\n y */", '"a${var.x}b"', '"%{ if x }y%{ endif }"',
    '"$${x}"', '"%%{x}"', '"esc \\" q"', '"${"n"}"', '"${ {a=1} }"', "<<EOF\nbody ${x}\nEOF\n",
    '<<-EOT\n  {"a": [1, 2]}\n  EOT\n', "1", "1.5", "2e10", "x_y-z", "var.a", '"unterminated',
    "${", "\ufeff", "\u00e9", "\f", '"\\n"', '"a\\\\"', "#", "//", "merge(",
]  # fmt: skip
CHARS = '{}[]()=,:.?!+-*/%<>"$#\\ \n\tab_019e<EOF\r'


def _tokens(text: str, scan: Callable[[str], list[Token]]) -> object:
    try:
        found = scan(text)
    except HclSyntaxError as exc:
        return f"error: {exc}"
    return [(t.kind, t.start, t.end, t.text, t.body_start, t.body_end) for t in found]


def _interpolations(text: str, scan: Callable[[str, int, int], list[tuple[int, int]]]) -> object:
    """Interpolation spans between every pair of quotes on a line (and errors, as text)."""
    found: list[object] = []
    quotes = [m.start() for m in re.finditer('"', text)]
    for k, start in enumerate(quotes):
        for end in quotes[k + 1 : k + 6]:
            if "\n" in text[start:end]:
                break
            try:
                found.append(scan(text, start, end + 1))
            except HclSyntaxError as exc:
                found.append(f"error: {exc}")
    return found


def _same(text: str) -> None:
    assert _tokens(text, tokenize) == _tokens(text, reference_tokenize), text
    assert _interpolations(text, interpolations) == _interpolations(
        text, reference_interpolations
    ), text


def test_generated_text_tokenizes_as_character_by_character() -> None:
    rng = random.Random("hcl-tokens")
    for _ in range(3000):
        if rng.random() < 0.3:
            text = "".join(rng.choice(CHARS) for _ in range(rng.randint(1, 40)))
        else:
            text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 25)))
        _same(text)


def test_repository_terraform_tokenizes_as_character_by_character() -> None:
    paths = [
        p
        for folder in ("evals/datasets", "examples", "tests/refactor/fixtures/terraform")
        for p in sorted((ROOT / folder).rglob("*"))
        if p.is_file() and (p.suffix in (".tf", ".tfvars", ".hcl") or p.name in ("before", "after"))
    ]
    assert len(paths) > 20
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert _tokens(text, tokenize) == _tokens(text, reference_tokenize), path
        assert _tokens(text.replace("\n", "\r\n"), tokenize) == _tokens(
            text.replace("\n", "\r\n"), reference_tokenize
        ), path
