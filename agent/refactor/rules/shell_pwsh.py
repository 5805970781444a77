"""Rewriting PowerShell scripts, with the same policy as bash (see ``shell_bash``).

The lexer groups physical lines into statements: a statement continues while a ``(``,
``@(``, ``$(``, ``[`` or ``@{`` is open, after a trailing backtick or ``|``, and through
here-strings. Top-level ``{``/``}`` make blocks. Inside a multi-line ``@(...)``,
``@{...}`` or ``param(...)`` each line is an element: the database's elements are deleted
(parameters are commented out with their attribute lines, since the script uses them), and
a comma left dangling before the closing parenthesis is removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.refactor.base import body, line_ending, remove_spans
from agent.refactor.rules.script_edits import LinePlan, Refs, element_spans, mark_comment

_VAR = re.compile(r"\$(?:\{)?((?:env|script|global|local):)?([A-Za-z_][A-Za-z0-9_]*)")
_ASSIGN = re.compile(
    r"^\s*(?:\[[^\]]+\]\s*)*\$(?:\{)?((?:env|script|global|local):)?([A-Za-z_][A-Za-z0-9_]*)\}?"
    r"\s*(?:[-+*/]?=)(?!=)"
)
_ATTRIBUTE = re.compile(r"^\s*\[[^\]]*(?:\([^)]*\))?[^\]]*\]\s*$")
_KEYWORD = re.compile(r"^\s*\}?\s*([A-Za-z][A-Za-z-]*)")
_CHAIN = re.compile(r"^\s*\}?\s*(else|elseif|catch|finally)\b", re.IGNORECASE)
GLUE = frozenset(
    """
    set-strictmode import-module write-host write-output write-verbose write-warning
    write-error write-debug write-information exit return throw param start-sleep
    """.split()
)


@dataclass
class PsUnit:
    """One PowerShell statement (or a blank or comment line / block comment)."""

    first: int
    last: int
    kind: str
    comments: dict[int, int] = field(default_factory=dict)
    block_comment: set[int] = field(default_factory=set)
    strings: set[int] = field(default_factory=set)
    inner: dict[int, str] = field(default_factory=dict)
    braces: list[tuple[int, str]] = field(default_factory=list)

    @property
    def lines(self) -> range:
        """Indexes of its physical lines."""
        return range(self.first, self.last + 1)


@dataclass
class PsBlock:
    """A ``{ ... }`` block spanning several statements."""

    open: int
    close: int
    keyword: str
    chained: bool = False


def lex_pwsh(lines: list[str]) -> list[PsUnit]:
    """Group physical lines into statements, blank lines and comments (block comments whole)."""
    units: list[PsUnit] = []
    stack: list[str] = []
    unit: PsUnit | None = None
    here = ""
    in_block_comment = False
    for li, line in enumerate(lines):
        text = body(line)
        if unit is None:
            stripped = text.strip()
            if not stripped and not in_block_comment:
                units.append(PsUnit(li, li, "blank"))
                continue
            unit = PsUnit(li, li, "code")
            if stripped.startswith(("#", "<#")) or in_block_comment:
                unit.kind = "comment"
        unit.last = li
        if stack:
            unit.inner[li] = stack[-1]
        if here:
            unit.strings.add(li)
            if not text.startswith(here + "@"):
                continue
            here = ""
            if not (stack or text.rstrip().endswith(("|", "`"))):
                units.append(unit)
                unit = None
            continue
        if in_block_comment:
            unit.block_comment.add(li)
            unit.comments[li] = len(text) - len(text.lstrip())
            if "#>" in text:
                in_block_comment = False
                units.append(unit)
                unit = None
            continue
        continued, here, in_block_comment = _scan(li, text, stack, unit)
        if in_block_comment:
            unit.block_comment.add(li)
            if unit.kind == "comment":
                continue
        if not (continued or here or stack or in_block_comment):
            units.append(unit)
            unit = None
    if unit is not None:
        units.append(unit)
    return units


def _scan(li: int, text: str, stack: list[str], unit: PsUnit) -> tuple[bool, str, bool]:
    """Scan one line; return (continues, open here-string quote, inside a block comment)."""
    i, n = 0, len(text)
    last = ""
    while i < n:
        c, ctx = text[i], (stack[-1] if stack else "")
        two = text[i : i + 2]
        if ctx == "sq":
            if two == "''":
                i += 2
                continue
            if c == "'":
                stack.pop()
            i += 1
            continue
        if ctx == "dq":
            if c == "`" or two == '""':
                i += 2
                continue
            if c == '"':
                stack.pop()
            elif two == "$(":
                stack.append("sub")
                i += 2
                continue
            i += 1
            continue
        if two == "<#":
            end = text.find("#>", i + 2)
            if end < 0:
                unit.comments[li] = i
                return True, "", True
            i = end + 2
            continue
        if c == "#" and (i == 0 or text[i - 1] in " \t;(){}|"):
            unit.comments[li] = i
            break
        if two in ('@"', "@'") and not text[i + 2 :].strip():
            return True, two[1], False
        if c == "`":
            if i + 1 >= n:
                return True, "", False
            i += 2
            continue
        if not c.isspace():
            last = c
        if c == "'":
            stack.append("sq")
        elif c == '"':
            stack.append("dq")
        elif two in ("@(", "$("):
            stack.append("paren")
            i += 2
            continue
        elif two == "@{":
            stack.append("hash")
            i += 2
            continue
        elif c in "([":
            stack.append("paren")
        elif c in ")]" and stack:
            stack.pop()
        elif c == "{":
            if stack:
                stack.append("script")
            else:
                unit.braces.append((li, "{"))
        elif c == "}":
            if stack:
                stack.pop()
            else:
                unit.braces.append((li, "}"))
        i += 1
    return last == "|", "", False


def _blocks(units: list[PsUnit], lines: list[str]) -> list[PsBlock]:
    found: list[PsBlock] = []
    stack: list[int] = []
    for u, unit in enumerate(units):
        for _, brace in unit.braces:
            if brace == "{":
                stack.append(u)
            elif stack:
                opener = stack.pop()
                if opener != u:
                    word = _KEYWORD.match(body(lines[units[opener].first]))
                    keyword = word.group(1).lower() if word else ""
                    found.append(PsBlock(opener, u, keyword))
    for block in found:
        close_text = body(lines[units[block.close].last])
        after = close_text[close_text.rfind("}") :]
        nxt = next((x for x in units[block.close + 1 :] if x.kind == "code"), None)
        following = body(lines[nxt.first]) if nxt is not None else ""
        block.chained = bool(_CHAIN.match(after) or _CHAIN.match(following))
    return found


#: Upper bound on decide/propagate rounds (each round can only add dangling names).
_ROUNDS = 50


class PwshRewriter:
    """The analysis of one PowerShell script."""

    def __init__(self, lines: list[str], refs: Refs, plan: LinePlan) -> None:
        self.lines, self.refs, self.plan = lines, refs, plan
        self.units = lex_pwsh(lines)
        self.blocks = _blocks(self.units, lines)
        self.structural = {b.open for b in self.blocks} | {b.close for b in self.blocks}
        self.commented: set[int] = set()
        self.human: dict[int, str] = {}
        self.edited: set[int] = set()

    def code(self, unit: PsUnit, i: int) -> str:
        """The code part of a line (here-string bodies count as code)."""
        text = body(self.lines[i])
        col = unit.comments.get(i)
        return text if col is None else text[:col]

    def _hit(self, u: int, dangling: set[str]) -> bool:
        unit = self.units[u]
        if unit.kind != "code":
            return False
        for i in unit.lines:
            code = self.code(unit, i)
            if self.refs.any(code):
                return True
            if dangling and any(m.group(2).lower() in dangling for m in _VAR.finditer(code)):
                return True
        return False

    def run(self) -> None:
        """Decide until no new variable dangles, then write into the plan."""
        dangling: set[str] = set()
        for _ in range(_ROUNDS):
            self.commented, self.human, self.edited = set(), {}, set()
            self.plan.decisions.clear()
            self.plan.structural = False
            self._decide(dangling)
            dead: set[str] = set()
            live: set[str] = set()
            for u, unit in enumerate(self.units):
                for i, names in self._assigned(unit).items():
                    gone = u in self.commented or self.plan.gone(i)
                    (dead if gone else live).update(names)
            if (dead - live) <= dangling:
                break
            dangling |= dead - live  # only grows, so the rounds end
        for u in sorted(self.commented):
            self.plan.comment(self.units[u].lines)
        for u, why in self.human.items():
            self.plan.ask(self.units[u].first, why)
        self._mark_comments()

    def _assigned(self, unit: PsUnit) -> dict[int, set[str]]:
        """Variables assigned (or declared as parameters), per line."""
        found: dict[int, set[str]] = {}
        if unit.kind != "code":
            return found
        for i in unit.lines:
            if unit.inner.get(i) in (None, "paren") and i not in unit.strings:
                match = _ASSIGN.match(self.code(unit, i))
                if match is not None:
                    found[i] = {match.group(2).lower()}
        return found

    def _decide(self, dangling: set[str]) -> None:
        whole: list[PsBlock] = []
        for b in sorted(self.blocks, key=lambda b: b.open):
            if any(w.open <= b.open <= w.close for w in whole) or not self._hit(b.open, dangling):
                continue
            head = self.code(self.units[b.open], self.units[b.open].first)
            if b.keyword in ("if", "while", "foreach", "function", "filter", "switch"):
                spans = self.refs.spans(head)
                if b.keyword == "foreach" and spans and element_spans(head, spans, ","):
                    self._inline(b.open, dangling)
                elif b.chained or re.search(r"-and|-or|&&|\|\|", head, re.IGNORECASE):
                    self.human[b.open] = "a condition on the database with other branches"
                else:
                    whole.append(b)
            else:
                self.human[b.open] = "opens a block and names the database"
        for b in whole:
            self.commented.update(range(b.open, b.close + 1))
        for u, unit in enumerate(self.units):
            if unit.kind != "code" or u in self.commented or u in self.human:
                continue
            if not self._hit(u, dangling) or u in self.edited:
                continue
            if u in self.structural:
                self.human[u] = "opens or closes a block and names the database"
            elif unit.inner and self._elements(u, dangling):
                continue
            elif unit.first == unit.last and self._inline(u, dangling):
                continue
            else:
                self.commented.add(u)
        self._emptied()

    def _inline(self, u: int, dangling: set[str]) -> bool:
        i = self.units[u].first
        code = self.code(self.units[u], i)
        spans = self.refs.spans(code)
        if not spans or not element_spans(code, spans, ","):
            return False
        if dangling and any(m.group(2).lower() in dangling for m in _VAR.finditer(code)):
            return False
        new = remove_spans(body(self.lines[i]), spans, ",")
        if new is None or self.refs.any(new):
            return False
        self.plan.replace(i, new + line_ending(self.lines[i]))
        self.edited.add(u)
        return True

    def _elements(self, u: int, dangling: set[str]) -> bool:
        unit = self.units[u]
        head = [i for i in unit.lines if i not in unit.inner]
        if any(self.refs.any(self.code(unit, i)) for i in head):
            return False
        param = bool(re.match(r"\s*param\s*\(", body(self.lines[unit.first]), re.IGNORECASE))
        elements = [
            i
            for i in unit.inner
            if i not in unit.strings and self.code(unit, i).strip() and i != unit.last
        ]
        hits = [i for i in elements if self._line_hit(unit, i, dangling)]
        if param:
            # [ValidateSet("orders", "ledger")] loses its element; the parameter stays.
            hits = [i for i in hits if not self._trim_attribute(i)]
            if not hits:
                self.edited.add(u)
                return True
        if not hits or len(hits) == len(elements) and not param:
            return False
        gone: set[int] = set(hits)
        for i in hits:
            j = i - 1
            while param and j in unit.inner and _ATTRIBUTE.match(self.code(unit, j)):
                gone.add(j)
                j -= 1
        if param:
            self.plan.comment(sorted(gone))
        else:
            self.plan.delete(sorted(gone))
        live = [i for i in elements if i not in gone]
        if live and max(gone) > max(live):
            last = live[-1]
            code = self.code(unit, last)
            if code.rstrip().endswith(","):
                text = body(self.lines[last])
                cut = len(code.rstrip()) - 1
                self.plan.replace(
                    last, text[:cut] + text[cut + 1 :] + line_ending(self.lines[last])
                )
        self.edited.add(u)
        return True

    def _trim_attribute(self, i: int) -> bool:
        """Remove the database from an attribute's value list (``ValidateSet``); done or not."""
        code = body(self.lines[i])
        if not _ATTRIBUTE.match(code):
            return False
        spans = self.refs.spans(code)
        if not spans or not element_spans(code, spans, ","):
            return False
        new = remove_spans(code, spans, ",")
        if new is None or self.refs.any(new) or "()" in new.replace(" ", ""):
            return False
        self.plan.replace(i, new + line_ending(self.lines[i]))
        return True

    def _line_hit(self, unit: PsUnit, i: int, dangling: set[str]) -> bool:
        code = self.code(unit, i)
        if self.refs.any(code):
            return True
        return bool(dangling) and any(m.group(2).lower() in dangling for m in _VAR.finditer(code))

    def _emptied(self) -> None:
        """Comment out an ``if``/``foreach`` whose every statement was commented out."""
        for b in sorted(self.blocks, key=lambda b: b.close - b.open):  # inner blocks first
            if b.open in self.commented or b.chained or b.keyword not in ("if", "foreach"):
                continue
            inner = [u for u in range(b.open + 1, b.close) if self.units[u].kind == "code"]
            if inner and all(u in self.commented for u in inner):
                self.commented.update(range(b.open, b.close + 1))

    def _mark_comments(self) -> None:
        for unit in self.units:
            for i in unit.lines:
                if self.plan.gone(i) or i in unit.strings:
                    continue
                text = body(self.lines[i])
                col = unit.comments.get(i)
                if i in unit.block_comment and col is None:
                    col = len(text) - len(text.lstrip())
                if col is None or not self.refs.any(text[col:]):
                    continue
                opener = "#" if text.startswith("#", col) and not text.startswith("#>", col) else ""
                if text.startswith("<#", col):
                    col, opener = col + 1, "#"
                new = mark_comment(self.plan.current(i), col, self.plan.database, opener)
                self.plan.replace(i, new, False)

    def dedicated(self) -> bool:
        """Whether only glue statements are left (and something was commented out)."""
        if not self.commented or self.edited or self.human:
            return False
        for u, unit in enumerate(self.units):
            if unit.kind != "code" or u in self.commented or u in self.structural:
                continue
            code = self.code(unit, unit.first).strip()
            word = code.split()[0].lower() if code.split() else ""
            if not (word in GLUE or _ASSIGN.match(code) or code.startswith("[")):
                return False
        return True
