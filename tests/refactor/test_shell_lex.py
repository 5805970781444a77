"""shell_lex: the chunked line scanner agrees with the character-by-character one it replaced.

The reference below is the old ``_Lexer._scan_line``, kept verbatim as the definition: the
faster scanner adds runs of ordinary characters in one step, and must produce exactly the same
units, tokens (text and positions), comments, here-document lines and blocks.
"""

from __future__ import annotations

import random
from pathlib import Path

from agent.refactor.base import body, split_lines
from agent.refactor.rules import shell_lex
from agent.refactor.rules.shell_lex import Block, Unit, blocks, lex

ROOT = Path(__file__).resolve().parents[2]

_OPERATORS = shell_lex._OPERATORS
_GAP = shell_lex._GAP
_HEREDOC = shell_lex._HEREDOC
_CONTINUING = shell_lex._CONTINUING


class _ReferenceLexer(shell_lex._Lexer):
    def _scan_line(self, li: int, text: str) -> bool:
        """The per-character scanner (the definition the chunked one must keep)."""
        assert self.unit is not None
        i, n = 0, len(text)
        escaped_newline = False
        while i < n:
            c = text[i]
            ctx = self.stack[-1] if self.stack else ""
            nxt = text[i + 1] if i + 1 < n else ""
            if ctx in ("sq",):
                self._add(li, i, c)
                if c == "'":
                    self.stack.pop()
                i += 1
                continue
            if ctx in ("ansi", "dq", "bt") and c == "\\":
                if not nxt:
                    escaped_newline = True
                    break
                self._add(li, i, c + nxt)
                i += 2
                continue
            if ctx == "ansi":
                self._add(li, i, c)
                if c == "'":
                    self.stack.pop()
                i += 1
                continue
            if ctx == "bt":
                self._add(li, i, c)
                if c == "`":
                    self.stack.pop()
                i += 1
                continue
            if ctx == "dq":
                if c == '"':
                    self.stack.pop()
                    self._add(li, i, c)
                    i += 1
                    continue
                if c == "$" and nxt and nxt in "({":
                    i = self._dollar(li, text, i)
                    continue
                if c == "`":
                    self.stack.append("bt")
                self._add(li, i, c)
                i += 1
                continue
            if c == "\\":
                if not nxt:
                    escaped_newline = True
                    break
                self._add(li, i, c + nxt)
                i += 2
                continue
            if c == "'":
                self.stack.append("sq")
            elif c == '"':
                self.stack.append("dq")
            elif c == "`":
                self.stack.append("bt")
            elif c == "$" and nxt == "'":
                self.stack.append("ansi")
                self._add(li, i, "$'")
                i += 2
                continue
            elif c == "$" and nxt and nxt in "({":
                i = self._dollar(li, text, i)
                continue
            if c in "'\"`":
                self._add(li, i, c)
                i += 1
                continue
            top = ctx in ("", "array")
            if c == "#" and ctx not in ("param", "arith") and (i == 0 or text[i - 1] in _GAP):
                self.unit.comments[li] = i
                break
            if ctx == "param":
                if c == "}":
                    self.stack.pop()
                self._add(li, i, c)
                i += 1
                continue
            if ctx == "cmdsub" and text.startswith("<<", i) and not text.startswith("<<<", i):
                heredoc = _HEREDOC.match(text, i)
                if heredoc is not None:
                    self.heredocs.append((heredoc.group(3), heredoc.group(1) == "-"))
            if ctx in ("cmdsub", "arith"):
                if c == "(":
                    self.stack.append(ctx)
                elif c == ")":
                    self.stack.pop()
                self._add(li, i, c)
                i += 1
                continue
            if c in " \t":
                self._end_word()
                i += 1
                continue
            if c == "(" and ctx == "" and self.word and "".join(self.word).endswith("="):
                self._end_word()
                self.stack.append("array")
                self._op("(", li, i, array=True)
                i += 1
                continue
            if c == "(" and ctx == "" and nxt == "(" and not self.word:
                self.stack.extend(["arith", "arith"])
                self._add(li, i, "((")
                i += 2
                continue
            if c == ")" and ctx == "array":
                self._end_word()
                self.stack.pop()
                self._op(")", li, i, array=True)
                i += 1
                continue
            if top and c in "()":
                self._op(c, li, i)
                if c == "(":
                    self.parens += 1
                else:
                    self.parens = max(0, self.parens - 1)
                i += 1
                continue
            if top and c in ";&|<>" and not (c in "<>" and nxt == "(" and not self.word):
                op = next(o for o in _OPERATORS if text.startswith(o, i))
                self._op(op, li, i)
                i += len(op)
                continue
            self._add(li, i, c)
            i += 1
        if escaped_newline:
            if not self.stack or self.stack[-1] == "array":
                self._end_word()
            return True
        if self.stack and self.stack[-1] != "array":
            self._add(li, n, "\n")
            return True
        self._end_word()
        if self.stack:
            return True
        if self.parens:
            self._op("\n", li, n)
            return True
        last = self.unit.tokens[-1] if self.unit.tokens else None
        if last is not None and last.op and last.text in _CONTINUING and last.line == li:
            self._op("\n", li, n)
            return True
        return False


def _units(units: list[Unit]) -> list[object]:
    return [
        (
            u.first,
            u.last,
            u.kind,
            [(t.text, t.line, t.col, t.end_line, t.end_col, t.op, t.array) for t in u.tokens],
            sorted(u.comments.items()),
            sorted(u.heredoc),
        )
        for u in units
    ]


def _blocks(found: list[Block]) -> list[object]:
    return [
        (b.kind, b.open, b.close, b.middles, b.has_else, [(t.line, t.col) for t in b.head], b.name)
        for b in found
    ]


def _same(lines: list[str]) -> None:
    expected = _ReferenceLexer(lines).run()
    actual = lex(lines)
    assert _units(actual) == _units(expected), "".join(lines)
    assert _blocks(blocks(actual)) == _blocks(blocks(expected)), "".join(lines)


PIECES = [
    "echo", "x", "a=b", "X=(a b c)", "arr=(", ")", "'sq'", '"dq $x"', '"a\\"b"', '"$(date)"',
    "$(ls | wc)", "${x:-d}", "${#a[@]}", "$((1+2))", "$(( (1+2)*3 ))", "`echo hi`", '"`x`"',
    "$'a\\'b'", "\\", "\\ ", "\\'", "#c", " # c", "&&", "||", "|", ";", ";;", "&", ">", ">>", "<",
    "<<EOF", "<<-EOF", "<<'EOF'", "<<<", "2>&1", "&>", "(", "((i++))", "{", "}", "if", "then",
    "fi", "for", "in", "do", "done", "case", "esac", "f()", "[[", "]]", "$(", "${", '"', "'",
    "`", "$", "#", "<(cat)", ">(tee)", "x+=(d)", "\t", "  ", "EOF", "\tEOF", "=(", "$( cat <<EOF",
]  # fmt: skip
CHARS = "'\"`$(){}[]#\\;&|<> \t\n\nabEOF-=+!_"


def _random_script(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return "".join(rng.choice(CHARS) for _ in range(rng.randint(1, 50)))
    parts = []
    for _ in range(rng.randint(1, 20)):
        parts.append(rng.choice(PIECES))
        parts.append(rng.choice(["\n", " ", " ", ""]))
    text = "".join(parts)
    return text.replace("\n", "\r\n") if rng.random() < 0.1 else text


def test_generated_scripts_lex_as_character_by_character() -> None:
    rng = random.Random("shell-lex")
    for _ in range(4000):
        _same(split_lines(_random_script(rng)))


def test_repository_scripts_lex_as_character_by_character() -> None:
    paths = [
        p
        for folder in ("evals/datasets", "examples", "tests/refactor/fixtures/shell")
        for p in sorted((ROOT / folder).rglob("*"))
        if p.is_file() and (p.suffix in (".sh", ".bash") or p.name in ("before", "after"))
    ]
    assert len(paths) > 20
    for path in paths:
        lines = split_lines(path.read_bytes().decode("utf-8", "replace"))
        _same(lines)
        _same([body(line) + "\n" for line in lines])
