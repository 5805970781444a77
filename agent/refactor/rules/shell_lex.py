r"""A small bash lexer: physical lines grouped into commands, and the block structure.

It is not a full bash parser. It knows enough to edit scripts safely: quotes (``'``, ``"``,
``$'``, backticks), ``$(...)``, ``${...}``, ``$((...))``, compound array assignments,
comments, ``\`` continuations, commands continued after ``&&``, ``||`` or ``|``, and here
documents (whose body lines belong to the command that opens them). A :class:`Unit` is one
logical command line: its physical lines can only be commented out together.

:func:`blocks` then finds ``if``/``for``/``while``/``case``/``{``/function blocks over the
units, so a rule never comments out a line that opens or closes a block by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.refactor.base import body

_OPERATORS = (
    ";;&", "&>>", "<<<", "<<-", ";;", ";&", "&&", "||", "|&", "&>", ">>", "<<", ">&",
    "<&", ">|", "<>", ";", "&", "|", "<", ">",
)  # fmt: skip
#: The longest operator at a position (the alternatives are tried in the order above).
_OPERATOR = re.compile("|".join(re.escape(op) for op in _OPERATORS))
#: Operators after which a command may continue on the next line.
_CONTINUING = frozenset({"&&", "||", "|", "|&"})
#: Operators after which the next word is in command position.
_SEPARATORS = frozenset({";", ";;", ";&", ";;&", "&", "&&", "||", "|", "|&", "\n", "(", ")"})
_GAP = " \t;&|()"
_HEREDOC = re.compile(r"<<(-?)\s*([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Per context (the top of the lexer's stack), the characters that may change its state: a
#: quote, an escape, ``$``, a bracket, an operator, a blank or a comment. Every other character
#: only extends the current word, so a run of them is added in one step.
_SPECIAL = {
    "": "\\'\"`$#()<>;&|",  # top level (and blanks)
    "array": "\\'\"`$#()<>;&|",  # inside NAME=( ... ) (and blanks)
    "cmdsub": "\\'\"`$#()<",  # $( ... )
    "arith": "\\'\"`$()",  # $(( ... )) and (( ... ))
    "param": "\\'\"`$}",  # ${ ... }
    "dq": '\\"$`',
    "bt": "\\`",
    "ansi": "\\'",  # $'...'
    "sq": "'",
}
#: The next special character of a context; where blanks separate words, a whole run of them.
_NEXT_SPECIAL = {
    ctx: re.compile(("[ \t]+|" if ctx in ("", "array") else "") + f"[{re.escape(chars)}]")
    for ctx, chars in _SPECIAL.items()
}


def _operator_at(text: str, i: int) -> str:
    """The longest operator starting at ``i`` (where one of ``;&|<>`` stands)."""
    found = _OPERATOR.match(text, i)
    assert found is not None
    return found.group()


@dataclass(slots=True)
class Token:
    """A word or operator at the top level of a command (quotes and ``$(...)`` included)."""

    text: str
    line: int
    col: int
    end_line: int
    end_col: int
    op: bool = False
    array: bool = False


@dataclass
class Unit:
    """One logical command line, or a blank or comment-only line.

    Attributes:
        first: 0-based index of its first physical line.
        last: 0-based index of its last physical line (here-document terminator included).
        kind: ``code``, ``comment`` or ``blank``.
        tokens: top-level tokens; a newline inside the unit is a ``"\\n"`` operator.
        comments: line index -> column where a comment starts on that line.
        heredoc: here-document body lines.
    """

    first: int
    last: int
    kind: str
    tokens: list[Token] = field(default_factory=list)
    comments: dict[int, int] = field(default_factory=dict)
    heredoc: set[int] = field(default_factory=set)

    @property
    def lines(self) -> range:
        """Indexes of its physical lines."""
        return range(self.first, self.last + 1)

    def code(self, lines: list[str], index: int) -> str:
        """The code part of one of its lines (blank for here-document bodies and comments)."""
        if index in self.heredoc:
            return ""
        text = body(lines[index])
        col = self.comments.get(index)
        return text if col is None else text[:col]

    def words(self) -> list[Token]:
        """Its word tokens (no operators)."""
        return [t for t in self.tokens if not t.op]


class _Lexer:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.units: list[Unit] = []
        self.stack: list[str] = []
        self.parens = 0
        self.unit: Unit | None = None
        self.word: list[str] = []
        self.word_start: tuple[int, int] = (0, 0)
        self.word_end: tuple[int, int] = (0, 0)
        self.want_delimiter: str | None = None
        self.heredocs: list[tuple[str, bool]] = []

    def run(self) -> list[Unit]:
        i = 0
        while i < len(self.lines):
            text = body(self.lines[i])
            if self.unit is None:
                stripped = text.strip()
                if not stripped:
                    self.units.append(Unit(i, i, "blank"))
                    i += 1
                    continue
                if stripped.startswith("#"):
                    unit = Unit(i, i, "comment")
                    unit.comments[i] = len(text) - len(text.lstrip())
                    self.units.append(unit)
                    i += 1
                    continue
                self.unit = Unit(i, i, "code")
            continued = self._scan_line(i, text)
            i += 1
            if self.heredocs:
                i = self._heredoc_bodies(i)
            unit = self.unit
            unit.last = i - 1
            if not continued:
                self.units.append(unit)
                self.unit = None
        if self.unit is not None:
            self._end_word()
            self.unit.last = len(self.lines) - 1
            self.units.append(self.unit)
        return self.units

    def _heredoc_bodies(self, i: int) -> int:
        assert self.unit is not None
        while self.heredocs and i < len(self.lines):
            delimiter, strip_tabs = self.heredocs[0]
            text = body(self.lines[i])
            self.unit.heredoc.add(i)
            if (text.lstrip("\t") if strip_tabs else text) == delimiter:
                self.heredocs.pop(0)
            i += 1
        return i

    # -- tokens -------------------------------------------------------------------------
    def _add(self, line: int, col: int, chars: str) -> None:
        if not self.word:
            self.word_start = (line, col)
        self.word.append(chars)
        self.word_end = (line, col + len(chars))

    def _end_word(self) -> None:
        if not self.word or self.unit is None:
            self.word = []
            return
        text = "".join(self.word)
        (line, col), (end_line, end_col) = self.word_start, self.word_end
        if self.want_delimiter is not None:
            delimiter = text.replace("'", "").replace('"', "").replace("\\", "")
            self.heredocs.append((delimiter, self.want_delimiter == "<<-"))
            self.want_delimiter = None
        in_array = bool(self.stack) and self.stack[-1] == "array"
        self.unit.tokens.append(Token(text, line, col, end_line, end_col, array=in_array))
        self.word = []

    def _op(self, text: str, line: int, col: int, array: bool = False) -> None:
        assert self.unit is not None
        self._end_word()
        self.unit.tokens.append(Token(text, line, col, line, col + len(text), True, array))
        if text in ("<<", "<<-"):
            self.want_delimiter = text

    # -- scanning -----------------------------------------------------------------------
    def _scan_line(self, li: int, text: str) -> bool:
        """Scan one physical line; return whether the unit continues on the next line."""
        assert self.unit is not None
        i, n = 0, len(text)
        escaped_newline = False
        while i < n:
            ctx = self.stack[-1] if self.stack else ""
            special = _NEXT_SPECIAL[ctx].search(text, i)
            if special is None:  # the rest of the line only extends the word
                self._add(li, i, text[i:])
                break
            if special.start() > i:  # so does what comes before the special character
                self._add(li, i, text[i : special.start()])
                i = special.start()
            c = text[i]
            if c in " \t" and ctx in ("", "array"):  # blanks end a word
                if self.word:
                    self._end_word()
                i = special.end()
                continue
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
            # Code-like contexts: top level, array, $(...), ${...}, $((...)).
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
                if heredoc is not None:  # a here-document inside $(...)
                    self.heredocs.append((heredoc.group(3), heredoc.group(1) == "-"))
            if ctx in ("cmdsub", "arith"):
                if c == "(":
                    self.stack.append(ctx)
                elif c == ")":
                    self.stack.pop()
                self._add(li, i, c)
                i += 1
                continue
            # Top level or inside a compound array assignment.
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
                op = _operator_at(text, i)
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

    def _dollar(self, li: int, text: str, i: int) -> int:
        if text.startswith("$((", i):
            self.stack.extend(["arith", "arith"])
            self._add(li, i, "$((")
            return i + 3
        self.stack.append("cmdsub" if text[i + 1] == "(" else "param")
        self._add(li, i, text[i : i + 2])
        return i + 2


def lex(lines: list[str]) -> list[Unit]:
    """Group physical lines into :class:`Unit` objects, in order, covering every line."""
    return _Lexer(lines).run()


# -- block structure ---------------------------------------------------------------------


@dataclass
class Block:
    """A multi-line compound command.

    Attributes:
        kind: ``if``, ``for``, ``while``, ``case``, ``arm`` (one case branch), ``brace``,
            ``func`` or ``subshell``.
        open: index of the unit that opens it; ``close`` the unit that closes it.
        middles: units holding ``then``/``elif``/``else`` (``if``), ``do`` (loops) or ``in``
            (``case``); the first one ends the block's head.
        has_else: an ``if`` with ``elif`` or ``else`` branches.
        head: the tokens that follow the opening keyword up to ``then``/``do``/``in``
            (condition, loop variable and word list, case subject, arm pattern).
        name: the function name of a ``func`` block.
    """

    kind: str
    open: int
    close: int = -1
    middles: list[int] = field(default_factory=list)
    has_else: bool = False
    head: list[Token] = field(default_factory=list)
    name: str = ""
    parent: Block | None = None


_OPENERS = {"if": "if", "for": "for", "select": "for", "while": "while", "until": "while"}
_CLOSERS = {"fi": ("if",), "done": ("for", "while"), "esac": ("case",), "}": ("brace", "func")}


def blocks(units: list[Unit]) -> list[Block]:
    """The blocks of a script, one-line compound commands included (``open == close``)."""
    return _Blocks().run(units)


class _Blocks:
    def __init__(self) -> None:
        self.found: list[Block] = []
        self.stack: list[Block] = []
        self.command = True
        self.heading: Block | None = None  # collecting a condition, loop list or subject
        self.pattern: Block | None = None  # collecting a case arm's pattern
        self.func = ""  # name of a function whose body is expected
        self.func_unit = 0  # the unit of that function's header
        self.in_test = False

    def push(self, kind: str, u: int) -> Block:
        block = Block(kind, u, parent=self.stack[-1] if self.stack else None)
        self.stack.append(block)
        self.found.append(block)
        return block

    def pop(self, kinds: tuple[str, ...], u: int) -> None:
        if self.stack and self.stack[-1].kind == "arm" and "case" in kinds:
            self.stack.pop().close = u
        if self.stack and self.stack[-1].kind in kinds:
            self.stack.pop().close = u

    def run(self, units: list[Unit]) -> list[Block]:
        for u, unit in enumerate(units):
            if unit.kind != "code":
                continue
            self.token(u, Token("\n", unit.first, 0, unit.first, 0, op=True), None)
            for k, tok in enumerate(unit.tokens):
                nxt = unit.tokens[k + 1] if k + 1 < len(unit.tokens) else None
                if not tok.array:
                    self.token(u, tok, nxt)
        return [b for b in self.found if b.close >= 0]

    def token(self, u: int, tok: Token, nxt: Token | None) -> None:
        text = tok.text
        if self.in_test:
            self.in_test = not (not tok.op and text == "]]")
            return
        top = self.stack[-1] if self.stack else None
        if top is not None and top.kind == "case" and self.heading is None:
            if self.pattern is None and not (tok.op and text == "\n"):
                if not tok.op and text == "esac":
                    self.pop(("case",), u)
                    self.command = False
                    return
                self.pattern = self.push("arm", u)
        if self.pattern is not None:
            if tok.op and text == ")":
                self.pattern, self.command = None, True
            elif not (tok.op and text in ("(", "|", "\n")):
                self.pattern.head.append(tok)
            return
        if self.heading is not None:
            self.head(u, tok)
            return
        if tok.op:
            if text in (";;", ";&", ";;&") and top is not None and top.kind == "arm":
                self.stack.pop().close = u
            elif text == "(" and self.command:
                self.push("subshell", u)
            elif text == ")" and top is not None and top.kind == "subshell":
                self.stack.pop().close = u
            self.command = text in _SEPARATORS
            return
        if not self.command and not (text == "{" and self.func):
            return
        self.keyword(u, text, nxt)

    def head(self, u: int, tok: Token) -> None:
        heading = self.heading
        assert heading is not None
        text = tok.text
        if tok.op:
            if heading.kind == "for" and text in (";", "\n"):
                self.heading = None
            elif text != "\n":
                heading.head.append(tok)
            self.command = text in _SEPARATORS
            return
        if self.command and text in ("then", "do") and heading.kind != "case":
            heading.middles.append(u)
            self.heading, self.command = None, True
            return
        if heading.kind == "case" and text == "in":
            heading.middles.append(u)
            self.heading, self.command = None, False
            return
        heading.head.append(tok)
        self.command = False

    def keyword(self, u: int, text: str, nxt: Token | None) -> None:
        self.command = False
        if text in _OPENERS:
            self.heading = self.push(_OPENERS[text], u)
            self.command = True
        elif text == "case":
            self.heading = self.push("case", u)
        elif text in ("then", "do"):
            if self.stack:
                self.stack[-1].middles.append(u)
            self.command = True
        elif text in ("elif", "else"):
            if self.stack and self.stack[-1].kind == "if":
                self.stack[-1].middles.append(u)
                self.stack[-1].has_else = True
            self.command = True
            if text == "elif":
                self.heading = Block("elif", u)
        elif text in _CLOSERS:
            self.pop(_CLOSERS[text], u)
        elif text == "{":
            block = self.push("func" if self.func else "brace", u)
            if self.func and self.func_unit < u:
                block.open = self.func_unit  # "name()" on the line above its "{"
                block.middles.append(u)
            block.name, self.func = self.func, ""
            self.command = True
        elif text == "function":
            self.func = nxt.text if nxt is not None and not nxt.op else ""
            self.func_unit = u
        elif text == "[[":
            self.in_test = True
        elif nxt is not None and nxt.op and nxt.text == "(" and _NAME.fullmatch(text):
            self.func, self.func_unit = text, u
        elif text in ("!", "time"):
            self.command = True
