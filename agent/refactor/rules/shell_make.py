r"""Rewriting Makefiles.

A target whose name spells the database goes with its recipe, the comment block right above
it, and its mentions in ``.PHONY`` and in other targets' prerequisites (its name is reported
in ``removed_symbols``). Other recipe lines are shell: they are rewritten like a script
(commented out with the tab kept, so the recipe stays valid). A variable that names the
database is commented out, or loses the element when its value is a plain word list; lines
that use a variable commented out that way dangle and are commented out too. Conditionals
and ``define`` blocks that name the database go to a human.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.refactor.base import body, line_ending, remove_spans
from agent.refactor.rules.script_edits import LinePlan, Refs, blank, mark_comment
from agent.refactor.rules.shell_bash import rewrite_fragment
from agent.refactor.rules.shell_words import continued, word_spans

_MAKE_ASSIGN = re.compile(
    r"^\s*(?:(?:export|override|private)\s+)*([A-Za-z0-9_.\-]+)\s*(?::::=|::=|:=|\?=|\+=|!=|=)"
)
# A keyword followed by a space or the end: ``export-db:`` and ``include-docs:`` are targets.
_MAKE_DIRECTIVE = re.compile(r"^\s*(ifeq|ifneq|ifdef|ifndef|else|endif|define|endef)(?=\s|$)")
_MAKE_INCLUDE = re.compile(r"^\s*(?:-include|sinclude|include|export|unexport|vpath)(?=\s|$)")
_PLAIN_WORD = re.compile(r"^[A-Za-z0-9_.\-]+$")
#: Upper bound on decide/propagate rounds (each round can only add dangling names).
_ROUNDS = 50


def _comment_col(text: str) -> int | None:
    """Column of a make comment (an unescaped ``#``), if any."""
    for m in re.finditer(r"#", text):
        if not continued(text[: m.start()]):
            return m.start()
    return None


@dataclass
class MakeLine:
    """A logical Makefile line (physical lines joined by ``\\``).

    ``kind`` is one of assign, rule, recipe, comment, blank, directive, define or other.
    """

    first: int
    last: int
    kind: str


def make_lines(lines: list[str]) -> list[MakeLine]:
    """Group physical lines into logical Makefile lines (``\\`` joins), each with its kind."""
    found: list[MakeLine] = []
    in_rule = in_define = False
    i = 0
    while i < len(lines):
        text = body(lines[i])
        j = i
        while continued(body(lines[j])) and j + 1 < len(lines):
            j += 1
        if in_define:
            kind, j = "define", i
            in_define = not re.match(r"^\s*endef\b", text)
        elif blank(text):
            kind = "blank"
        elif text.startswith("\t") and in_rule:
            kind = "recipe"
        elif text.lstrip().startswith("#"):
            kind = "comment"
        elif directive := _MAKE_DIRECTIVE.match(text):
            kind, in_define = "directive", directive.group(1) == "define"
        elif _MAKE_ASSIGN.match(text) and not _rule_colon(text, assign_ok=False):
            kind, in_rule = "assign", False
        elif _MAKE_INCLUDE.match(text):
            kind, in_rule = "other", False
        elif _rule_colon(text) is not None:
            kind, in_rule = "rule", True
        else:
            kind, in_rule = "other", False
        found.append(MakeLine(i, j, kind))
        i = j + 1
    return found


def _rule_colon(text: str, assign_ok: bool = True) -> int | None:
    """Column of the colon separating targets from prerequisites, if ``text`` is a rule."""
    depth = 0
    for i, c in enumerate(text):
        if c in "({":
            depth += 1
        elif c in ")}":
            depth -= 1
        elif c == "#" and depth == 0:
            return None
        elif c == ":" and depth == 0:
            if text.startswith(":=", i) or (text.startswith("::=", i)):
                return None
            return i
        elif c == "=" and depth == 0 and not assign_ok:
            return None
    return None


class MakeRewriter:
    """The analysis of one Makefile."""

    def __init__(self, lines: list[str], refs: Refs, plan: LinePlan) -> None:
        self.lines, self.refs, self.plan = lines, refs, plan
        self.items = make_lines(lines)
        self.removed_targets: list[str] = []

    def _text(self, item: MakeLine) -> str:
        return "\n".join(body(self.lines[i]) for i in range(item.first, item.last + 1))

    def _code_hit(self, item: MakeLine, dangling: set[str]) -> bool:
        for i in range(item.first, item.last + 1):
            text = body(self.lines[i])
            col = _comment_col(text) if item.kind != "recipe" else None
            code = text if col is None else text[:col]
            if self.refs.any(code) or _make_uses(code, dangling):
                return True
        return False

    def run(self) -> None:
        """Decide until no new make variable dangles."""
        dangling: set[str] = set()
        for _ in range(_ROUNDS):
            self.plan.decisions.clear()
            self.plan.human.clear()
            self.removed_targets = []
            dead = self._decide(dangling)
            if dead <= dangling:
                break
            dangling |= dead  # only grows, so the rounds end
        self.plan.removed_symbols.extend(self.removed_targets)
        self._mark_comments()

    def _decide(self, dangling: set[str]) -> set[str]:
        dead: set[str] = set()
        live: set[str] = set()
        for k, item in enumerate(self.items):
            if item.kind == "rule":
                self._rule(k, item)
        for item in self.items:
            if self.plan.gone(item.first):
                continue
            hit = self._code_hit(item, dangling)
            if item.kind == "assign":
                name = _MAKE_ASSIGN.match(body(self.lines[item.first]))
                assert name is not None
                if hit and not self._assign_list(item):
                    self.plan.comment(range(item.first, item.last + 1))
                    dead.add(name.group(1))
                else:
                    live.add(name.group(1))
            elif item.kind == "recipe" and (hit or self.refs.any(self._text(item))):
                lines = self.lines[item.first : item.last + 1]
                if _make_uses(self._text(item), dangling):
                    self.plan.comment(range(item.first, item.last + 1))
                else:
                    rewrite_fragment(lines, self.refs, self.plan, item.first)
            elif item.kind == "rule" and hit:
                self._prerequisites(item)
            elif item.kind == "other" and hit:
                self.plan.comment(range(item.first, item.last + 1))
            elif item.kind in ("directive", "define") and hit:
                self.plan.ask(item.first, "a make conditional or define names the database")
        if self._drop_emptied_targets():
            # Their names go from .PHONY and from other rules' prerequisites too.
            for item in self.items:
                if item.kind == "rule" and not self.plan.gone(item.first):
                    self._prerequisites(item)
        return dead - live

    def _drop_emptied_targets(self) -> bool:
        """A target whose every recipe line went is removed, as one named after the database.

        Left with a commented-out recipe, ``make psql-ledger`` would succeed doing nothing;
        without the target it fails, and its ``.PHONY`` entry and uses go with it. Whether
        any went.
        """
        dropped = False
        for k, item in enumerate(self.items):
            if item.kind != "rule" or self.plan.gone(item.first):
                continue
            lines = [i for r in self._recipe(k) for i in range(r.first, r.last + 1)]
            if not lines or not all(self.plan.gone(i) for i in lines):
                continue
            text = body(self.lines[item.first])
            colon = _rule_colon(text)
            if colon is None or text[colon : colon + 2] == "::" or "%" in text[:colon]:
                continue
            self.plan.delete(self._target_lines(k))
            self.removed_targets.extend(text[a:b] for a, b in word_spans(text, 0, colon))
            dropped = True
        return dropped

    def _rule(self, k: int, item: MakeLine) -> None:
        text = body(self.lines[item.first])
        colon = _rule_colon(text)
        assert colon is not None
        targets = word_spans(text, 0, colon)
        named = [s for s in targets if self.refs.any(text[s[0] : s[1]])]
        if not named:
            return
        if len(named) < len(targets):
            new = remove_spans(text, named, " ")
            if new is not None:
                self.plan.replace(item.first, new + line_ending(self.lines[item.first]))
                self.removed_targets.extend(text[a:b] for a, b in named)
            return
        self.plan.delete(self._target_lines(k))
        self.removed_targets.extend(text[a:b] for a, b in targets)

    def _recipe(self, k: int) -> list[MakeLine]:
        """The recipe lines of the rule at ``self.items[k]`` (blank and comment lines skipped)."""
        recipe: list[MakeLine] = []
        for later in self.items[k + 1 :]:
            if later.kind == "recipe":
                recipe.append(later)
            elif later.kind not in ("blank", "comment"):
                break
        return recipe

    def _target_lines(self, k: int) -> range:
        """The whole target at ``self.items[k]``: its documenting comment, rule and recipe."""
        item = self.items[k]
        recipe = self._recipe(k)
        start = item.first
        while start > 0 and _make_comment(self.lines[start - 1]):
            start -= 1  # the comment block right above documents the target
        return range(start, (recipe[-1].last if recipe else item.last) + 1)

    def _prerequisites(self, item: MakeLine) -> None:
        """Remove the database's names from a rule's prerequisites (``.PHONY`` included)."""
        lines = range(item.first, item.last + 1)
        words: dict[int, list[tuple[int, int]]] = {}
        hits: dict[int, list[tuple[int, int]]] = {}
        for i in lines:
            text = body(self.lines[i])
            start = (_rule_colon(text) or 0) + 1 if i == item.first else 0
            stop = len(text)
            for mark in (";", "#"):
                if mark in text[start:]:
                    stop = min(stop, text.index(mark, start))
            if ";" in text[start:] and self.refs.any(text[text.index(";", start) :]):
                self.plan.ask(i, "a one-line recipe names the database")
                return
            words[i] = [w for w in word_spans(text, start, stop) if text[w[0] : w[1]] != "\\"]
            hits[i] = [w for w in words[i] if self._names_target(text[w[0] : w[1]])]
        if not any(hits.values()):
            return
        phony = body(self.lines[item.first]).lstrip().startswith(".PHONY")
        if phony and all(len(hits[i]) == len(words[i]) for i in lines):
            self.plan.delete(lines)
            return
        for i in lines:
            if not hits[i]:
                continue
            if i != item.first and len(hits[i]) == len(words[i]):
                self.plan.delete([i])
                continue
            new = remove_spans(body(self.lines[i]), hits[i], " \t")
            if new is None:
                self.plan.ask(i, "cannot remove the database from these prerequisites")
                return
            self.plan.replace(i, new + line_ending(self.lines[i]))
        self._close_continuation(list(lines))

    def _names_target(self, word: str) -> bool:
        return self.refs.any(word) or word in self.removed_targets

    def _close_continuation(self, lines: list[int]) -> None:
        """Drop the trailing backslash a deleted last continuation line leaves behind."""
        live = [i for i in lines if not self.plan.gone(i)]
        if live and live[-1] != lines[-1]:
            text = body(self.plan.current(live[-1])).rstrip()
            if text.endswith("\\"):
                new = text[:-1].rstrip() + line_ending(self.lines[live[-1]])
                self.plan.replace(live[-1], new)

    def _assign_list(self, item: MakeLine) -> bool:
        """Remove the database from a variable holding a plain word list."""
        if item.first != item.last:
            return False
        text = body(self.lines[item.first])
        match = _MAKE_ASSIGN.match(text)
        assert match is not None
        if self.refs.any(match.group(1)):
            return False
        col = _comment_col(text)
        words = word_spans(text, match.end(), col)
        plain = all(_PLAIN_WORD.match(text[a:b]) for a, b in words)
        hits = [w for w in words if self.refs.any(text[w[0] : w[1]])]
        if not plain or not hits or len(hits) == len(words):
            return False
        new = remove_spans(text, hits, " ")
        if new is None or self.refs.any(new[: col or len(new)]):
            return False
        self.plan.replace(item.first, new + line_ending(self.lines[item.first]))
        return True

    def _mark_comments(self) -> None:
        for item in self.items:
            if item.kind in ("recipe", "define"):
                continue
            for i in range(item.first, item.last + 1):
                if self.plan.gone(i):
                    continue
                now = self.plan.current(i)
                col = _comment_col(body(now))
                if col is not None and self.refs.any(body(now)[col:]):
                    self.plan.replace(i, mark_comment(now, col, self.plan.database), False)


def _make_comment(line: str) -> bool:
    """A make comment line (a tab-indented ``#`` line is a recipe's shell comment)."""
    return not line.startswith("\t") and line.lstrip().startswith("#")


def _make_uses(text: str, names: set[str]) -> bool:
    return any(re.search(rf"\$[({{]{re.escape(n)}[)}}:]", text) for n in names)
