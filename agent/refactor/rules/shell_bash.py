"""Rewriting bash scripts: remove list elements, comment out commands, keep ``bash -n`` green.

Decisions are made per :class:`~agent.refactor.rules.shell_lex.Unit` (one logical command):

- an array, ``for`` word list or ``docker compose`` service list loses the database's element;
- a command that names the database (or uses a variable or function whose definition was
  commented out: it would dangle) is commented out, every physical line of it;
- a block (``if``/loop/``case``/function) is commented out as a whole when its opener names
  the database and it has no other branch, or when every command in it was commented out (an
  empty body does not parse);
- a line that opens or closes a block and names the database any other way goes to a human.

Variables are tracked flow-insensitively: a variable is dangling when every assignment to it
was commented out. The analysis is repeated until nothing new dangles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.refactor.base import body
from agent.refactor.rules.script_edits import LinePlan, Refs, mark_comment
from agent.refactor.rules.shell_lex import Block, Token, Unit, blocks, lex
from agent.refactor.rules.shell_words import (
    array_hits,
    assignments,
    command_word,
    commands,
    compose_hits,
    token_removal,
    uses,
    word_list_edit,
)

#: Keywords that run nothing themselves; a command may follow them on the same line.
_BARE_KEYWORDS = frozenset("then else do { } fi done esac ! time".split())
#: Keywords followed by a condition, a word list or a name, not by a body command.
_HEAD_KEYWORDS = frozenset("if elif while until for select case function".split())
_OPENING = frozenset("if for select while until case { function".split()) | {"("}
_CLOSING = frozenset("fi done esac } ) ;; ;& ;;&".split())
#: Per block kind: the keywords that start a branch and those that end it.
_BRANCH_EDGES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "if": (frozenset({"then", "else"}), frozenset({"elif", "else", "fi"})),
    "for": (frozenset({"do"}), frozenset({"done"})),
    "while": (frozenset({"do"}), frozenset({"done"})),
    "brace": (frozenset({"{"}), frozenset({"}"})),
    "func": (frozenset({"{"}), frozenset({"}"})),
    "subshell": (frozenset({"("}), frozenset({")"})),
    "arm": (frozenset({")"}), frozenset({";;", ";&", ";;&", "esac"})),
}
#: Upper bound on decide/propagate rounds (each round can only add dangling names).
_ROUNDS = 50
#: A function called inside ``$(...)`` or backticks.
_SUBSTITUTED = re.compile(r"(?:\$\(|`)\s*([\w-]+)")
_FILTER = re.compile(r"(?:^|[\s\"'(])(?:not|and|or)\s")
#: Commands that do nothing by themselves: a script left with only these is dedicated.
GLUE = frozenset(
    """
    set shopt trap umask cd pushd popd mkdir echo printf exit return : true false source .
    export local declare readonly typeset unset shift sleep wait rm date log info warn error
    die fatal usage msg debug [[ [ test (( then else elif fi do done esac { } if while until
    for case select function
    """.split()
)


@dataclass
class _Branch:
    """One body of a block: its commands, nested blocks, and commands on its edge lines."""

    units: list[int]
    kids: list[Block]
    edges: bool


def _runs(tokens: list[Token]) -> bool:
    """Whether tokens hold a command (keywords, conditions and redirections do not count)."""
    for command in commands(tokens):
        words = list(command)
        while words and not words[0].op and words[0].text in _BARE_KEYWORDS:
            words = words[1:]
        if words and not words[0].op and words[0].text not in _HEAD_KEYWORDS:
            return True
    return False


@dataclass
class _Decisions:
    commented: set[int] = field(default_factory=set)
    whole: list[Block] = field(default_factory=list)
    human: dict[int, str] = field(default_factory=dict)
    replaced: dict[int, str] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    edited: set[int] = field(default_factory=set)


class BashRewriter:
    """The analysis of one bash script; :meth:`apply` writes its decisions into a plan."""

    def __init__(self, lines: list[str], refs: Refs) -> None:
        self.lines = lines
        self.refs = refs
        self.units = lex(lines)
        self.all_blocks = blocks(self.units)  # one-line compound commands included
        self.blocks = [b for b in self.all_blocks if b.close != b.open]
        self.structural: set[int] = set()
        for b in self.blocks:
            self.structural.update([*self._head(b), b.close, *b.middles])
        self.depth = {id(b): self._depth(b) for b in self.blocks}
        self.code_hit = [self._code_hit(u) for u in self.units]
        # Asked only once commands were commented out or names dangle: computed then, once.
        self._assigns: list[set[str]] | None = None
        self._texts: dict[int, str] = {}
        self._commands: dict[int, list[tuple[list[Token], int]]] = {}
        self.children: dict[int, list[Block]] = {}
        for b in self.blocks:
            if b.parent is not None:
                self.children.setdefault(id(b.parent), []).append(b)
        self._branch_cache: dict[int, list[_Branch]] = {}
        self.one_liners: dict[tuple[str, int], Block] = {
            (b.kind, b.open): b for b in self.all_blocks if b.open == b.close
        }
        self.functions = {b.name for b in self.all_blocks if b.kind == "func" and b.name}

    @staticmethod
    def _head(block: Block) -> range:
        """The units of a block's head: from its opener to its ``then``/``do``/``in``."""
        end = min(block.middles, default=block.open)
        return range(block.open, max(end, block.open) + 1)

    @staticmethod
    def _depth(block: Block) -> int:
        depth, parent = 0, block.parent
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        return depth

    def _code_hit(self, unit: Unit) -> bool:
        if unit.kind != "code":
            return False
        return any(self.refs.any(unit.code(self.lines, i)) for i in unit.lines)

    def _text(self, u: int) -> str:
        """A unit's code (here-document bodies included), its lines joined."""
        text = self._texts.get(u)
        if text is None:
            unit = self.units[u]
            text = "\n".join(
                unit.code(self.lines, i) if i not in unit.heredoc else body(self.lines[i])
                for i in unit.lines
            )
            self._texts[u] = text
        return text

    def _command_words(self, u: int) -> list[tuple[list[Token], int]]:
        """A unit's simple commands, each with the index of its command word."""
        found = self._commands.get(u)
        if found is None:
            found = [
                (command, command_word(command)[0]) for command in commands(self.units[u].tokens)
            ]
            self._commands[u] = found
        return found

    def _assignments(self) -> list[set[str]]:
        """Per unit, the variables it defines."""
        if self._assigns is None:
            self._assigns = [
                assignments(u.tokens) if u.kind == "code" else set() for u in self.units
            ]
        return self._assigns

    # -- decisions ------------------------------------------------------------------------
    def decide(self) -> _Decisions:
        """Decide until no new variable or function dangles."""
        dangling: set[str] = set()
        funcs: set[str] = set()
        for _ in range(_ROUNDS):
            d = self._decide(dangling, funcs)
            # Only ever grow the sets, so the loop ends even when un-commenting a command
            # (to keep a block non-empty) revives a variable.
            new_vars = dangling | self._dangling_vars(d)
            new_funcs = funcs | self._dangling_funcs(d)
            if new_vars == dangling and new_funcs == funcs:
                break
            dangling, funcs = new_vars, new_funcs
        return d

    def _dangling_vars(self, d: _Decisions) -> set[str]:
        if not d.commented:
            return set()  # nothing defined went
        live: set[str] = set()
        dead: set[str] = set()
        for u, names in enumerate(self._assignments()):
            (dead if u in d.commented else live).update(names)
        return dead - live

    def _dangling_funcs(self, d: _Decisions) -> set[str]:
        gone = {id(b) for b in d.whole if b.kind == "func"}
        for u in d.commented:
            func = self.one_liners.get(("func", u))
            if func is not None:
                gone.add(id(func))
        # A function is dangling when every definition of it was commented out.
        defined: dict[str, list[int]] = {}
        for b in self.all_blocks:
            if b.kind == "func" and b.name:
                defined.setdefault(b.name, []).append(id(b))
        return {name for name, ids in defined.items() if all(i in gone for i in ids)}

    def _hit(self, u: int, dangling: set[str], funcs: set[str]) -> bool:
        if self.code_hit[u]:
            return True
        if self.units[u].kind != "code" or not (dangling or funcs):
            return False
        text = self._text(u)
        if dangling and uses(text, dangling):
            return True
        if funcs and any(m.group(1) in funcs for m in _SUBSTITUTED.finditer(text)):
            return True
        for command, k in self._command_words(u):
            if k < len(command) and command[k].text in funcs:
                return True
            if k < len(command) and command[k].text in ("export", "unset", "local"):
                if any(t.text in dangling for t in command[k + 1 :]):
                    return True
        return False

    def _decide(self, dangling: set[str], funcs: set[str]) -> _Decisions:
        d = _Decisions()
        for b in sorted(self.blocks, key=lambda b: b.open):
            if self._covered(d, b.open):
                continue
            if any(self._hit(u, dangling, funcs) for u in self._head(b)):
                self._opener(d, b, dangling, funcs)
        for u, unit in enumerate(self.units):
            if unit.kind != "code" or self._covered(d, u) or u in d.human or u in d.edited:
                continue
            if u in self.structural:
                heads = (u in self._head(b) for b in self.blocks)
                if self._hit(u, dangling, funcs) and not any(heads):
                    d.human[u] = "opens or closes a block and names the database"
                continue
            self._simple(d, u, dangling, funcs)
        self._emptied(d)
        for b in d.whole:
            d.commented.update(range(b.open, b.close + 1))
        return d

    def _covered(self, d: _Decisions, u: int) -> bool:
        return any(b.open <= u <= b.close for b in d.whole)

    def _clean(self, block: Block) -> bool:
        """Whether commenting out ``block``'s units leaves every other block whole."""
        for other in self.blocks:
            if other is block:
                continue
            inside = block.open <= other.open and other.close <= block.close
            outside = other.close < block.open or other.open > block.close
            around = other.open < block.open and other.close > block.close
            if not (inside or outside or around):
                return False
        return True

    def _outside(self, block: Block) -> bool:
        """Whether the block's first or last line also runs commands outside the block.

        ``cd x && if ...`` or ``fi; echo done`` would lose those commands with the block.
        """
        opener = self.units[block.open].tokens
        first = next((k for k, t in enumerate(opener) if t.text in _OPENING), 0)
        if block.kind in ("func", "arm"):
            first = 0  # a function's header and an arm's pattern belong to the block
        closer = self.units[block.close].tokens
        last = max((k for k, t in enumerate(closer) if t.text in _CLOSING), default=len(closer))
        return _runs(opener[:first]) or _runs(closer[last + 1 :])

    def _edges_run(self, kind: str, start: int, end: int) -> bool:
        """Whether a branch's opening or closing line runs commands of the branch itself.

        In ``else echo y`` or ``echo end ;;`` the command shares its line with the keyword:
        that branch is not empty even when every line inside it is commented out.
        """
        starts, ends = _BRANCH_EDGES[kind]
        head = self.units[start].tokens
        cut = max((k for k, t in enumerate(head) if t.text in starts), default=len(head))
        if kind == "arm":
            cut = next((k for k, t in enumerate(head) if t.op and t.text == ")"), len(head))
        tail = self.units[end].tokens
        stop = next((k for k, t in enumerate(tail) if t.text in ends), len(tail))
        return _runs(head[cut + 1 :]) or _runs(tail[:stop])

    def _whole(self, d: _Decisions, block: Block, u: int) -> None:
        if self._clean(block) and not self._outside(block):
            d.whole = [b for b in d.whole if not (block.open <= b.open <= block.close)]
            d.whole.append(block)
        else:
            d.human[u] = "the block around this line cannot be commented out on its own"

    def _opener(self, d: _Decisions, b: Block, dangling: set[str], funcs: set[str]) -> None:
        if b.kind in ("if", "while"):
            ops = {t.text for t in b.head}
            if b.kind == "if" and b.has_else:
                d.human[b.open] = "a condition on the database with other branches"
            elif ops & {"&&", "||", "-o", "-a"}:
                d.human[b.open] = "a compound condition that names the database"
            else:
                self._whole(d, b, b.open)
        elif b.kind == "for":
            self._for(d, b, dangling)
        elif b.kind == "arm":
            self._arm(d, b)
        elif b.kind in ("case", "func"):
            self._whole(d, b, b.open)
        else:
            d.human[b.open] = "opens a block and names the database"

    def _token_hit(self, tok: Token, dangling: set[str]) -> bool:
        return self.refs.any(tok.text) or uses(tok.text, dangling)

    def _for(self, d: _Decisions, b: Block, dangling: set[str]) -> None:
        head = [t for t in b.head if not t.op]
        words = head[2:] if len(head) > 1 and head[1].text == "in" else []
        hits = [t for t in words if self._token_hit(t, dangling)]
        unit = self.units[b.open]
        located = {(t.line, t.col) for t in hits}
        elsewhere = any(
            self._token_hit(t, dangling) and (t.line, t.col) not in located
            for t in unit.tokens
            if not t.op
        )
        pure = all(t.line == t.end_line and not re.search(r"[$`(*?]", t.text) for t in hits)
        if not hits or elsewhere:
            d.human[b.open] = "a loop header that names the database"
        elif not pure or len(hits) == len(words):
            self._whole(d, b, b.open)
        else:
            self._remove_tokens(d, b.open, hits)

    def _arm(self, d: _Decisions, b: Block) -> None:
        hits = [t for t in b.head if self.refs.any(t.text)]
        unit = self.units[b.open]
        other = [
            t
            for t in unit.tokens
            if not t.op and self.refs.any(t.text) and all(t is not h for h in hits)
        ]
        if not hits or other:
            d.human[b.open] = "a case branch line that names the database"
        elif len(hits) == len(b.head):
            self._whole(d, b, b.open)
        else:
            self._remove_tokens(d, b.open, hits, "|")

    def _remove_tokens(self, d: _Decisions, u: int, hits: list[Token], seps: str = " ") -> None:
        removal = token_removal(self.lines, self.units[u], hits, self.refs, seps)
        if removal is None:
            d.human[u] = "cannot remove the database from this list"
            return
        d.deleted.update(removal[0])
        d.replaced.update(removal[1])
        d.edited.add(u)

    def _lists(self, d: _Decisions, u: int, dangling: set[str]) -> bool:
        """Remove the database from an array, a quoted word list or compose services."""
        unit = self.units[u]

        def hit(tok: Token) -> bool:
            return self._token_hit(tok, dangling)

        hits = array_hits(unit, hit) if any(t.array for t in unit.tokens) else None
        hits = hits or compose_hits(unit, hit, self.refs)
        if hits:
            self._remove_tokens(d, u, hits)
            return True
        edit = word_list_edit(unit, self.lines, self.refs, dangling, hit)
        if edit is None:
            return False
        d.replaced[edit[0]] = edit[1]
        d.edited.add(u)
        return True

    def _simple(self, d: _Decisions, u: int, dangling: set[str], funcs: set[str]) -> None:
        unit = self.units[u]
        if not self._hit(u, dangling, funcs):
            if any(self.refs.any(body(self.lines[i])) for i in unit.heredoc):
                d.human[u] = "a here-document names the database"
            return
        arm = self.one_liners.get(("arm", u))
        if arm is not None and self._one_line_arm(d, u, arm, dangling):
            return
        if self._lists(d, u, dangling):
            return
        for tok in unit.words():
            if ("'" in tok.text or '"' in tok.text) and self.refs.any(tok.text):
                if _FILTER.search(tok.text):
                    d.human[u] = "the database is part of a filter expression"
                    return
        d.commented.add(u)

    def _one_line_arm(self, d: _Decisions, u: int, arm: Block, dangling: set[str]) -> bool:
        hits = [t for t in arm.head if self.refs.any(t.text)]
        if not hits or len(hits) == len(arm.head):
            return False
        rest = [t for t in self.units[u].words() if all(t is not h for h in arm.head)]
        if any(self._token_hit(t, dangling) for t in rest):
            return False
        self._remove_tokens(d, u, hits, "|")
        return True

    def _emptied(self, d: _Decisions) -> None:
        """Comment out whole blocks whose every command was commented out."""
        # Each pass makes a block whole or keeps commands (a block kept is un-commented to
        # its last line, so it never looks emptied again): the passes end. The bound only
        # turns a bug into a file left to a human, never into a hang.
        changed = True
        passes = 0
        while changed:
            passes += 1
            if passes > 2 * len(self.blocks) + 2:
                raise RuntimeError("the emptied blocks did not settle")
            changed = False
            for b in sorted(self.blocks, key=lambda b: -self.depth[id(b)]):
                if b in d.whole or self._covered(d, b.open):
                    continue
                branches = self._branches(b)
                gone = [self._gone(d, branch) for branch in branches]
                if not any(gone):
                    continue
                if all(gone) and self._clean(b) and not self._outside(b):
                    self._whole(d, b, b.open)
                    changed = True
                    continue
                # An empty body does not parse: keep those commands and ask a human.
                for branch, is_gone in zip(branches, gone, strict=True):
                    if not is_gone:
                        continue
                    d.commented.difference_update(branch.units)
                    for kid in branch.kids:
                        # Its commands stay too, or the kid looks emptied again next pass.
                        d.commented.difference_update(range(kid.open, kid.close + 1))
                    d.whole = [w for w in d.whole if all(w is not k for k in branch.kids)]
                    first = min([*branch.units, *(k.open for k in branch.kids)])
                    d.human[first] = "commenting this out would leave a block empty"

    def _branches(self, b: Block) -> list[_Branch]:
        """The bodies of a block: one per ``if`` branch, one for any other block."""
        if id(b) not in self._branch_cache:
            self._branch_cache[id(b)] = self._find_branches(b)
        return self._branch_cache[id(b)]

    def _find_branches(self, b: Block) -> list[_Branch]:
        if b.kind == "if":
            cuts = sorted({m for m in b.middles if b.open <= m < b.close} | {b.open})
        else:
            cuts = [min(b.middles, default=b.open) if b.kind in ("for", "while") else b.open]
        if b.kind == "func":
            cuts = [max(b.middles, default=b.open)]
        out: list[_Branch] = []
        for k, start in enumerate(cuts):
            end = cuts[k + 1] if k + 1 < len(cuts) else b.close
            kids = [c for c in self.children.get(id(b), []) if start < c.open < end]
            units = [
                u
                for u in range(start + 1, end)
                if self.units[u].kind == "code"
                and u not in self.structural
                and not any(c.open <= u <= c.close for c in kids)
            ]
            edges = b.kind != "case" and self._edges_run(b.kind, start, end)
            if units or kids or edges:
                out.append(_Branch(units, kids, edges))
        return out

    def _gone(self, d: _Decisions, branch: _Branch) -> bool:
        if branch.edges or not (branch.units or branch.kids):
            return False
        return all(u in d.commented for u in branch.units) and all(
            k in d.whole for k in branch.kids
        )

    # -- output -------------------------------------------------------------------------
    def apply(self, plan: LinePlan, d: _Decisions) -> None:
        """Write the decisions into ``plan``."""
        dead = {i for u in d.commented for i in self.units[u].lines}
        for u in sorted(d.commented):
            plan.comment(self.units[u].lines)
        plan.delete(d.deleted - dead)
        for i, new in d.replaced.items():
            if i not in dead:
                plan.replace(i, new)
        for u, why in d.human.items():
            if u not in d.commented:
                plan.ask(self.units[u].first, why)
        for unit in self.units:
            for i, col in unit.comments.items():
                if plan.gone(i) or i in unit.heredoc:
                    continue
                text = body(self.lines[i])
                if i == 0 and text.startswith("#!"):
                    continue
                if self.refs.any(text[col:]):
                    now = plan.current(i)
                    shift = len(self.lines[i]) - len(now)
                    plan.replace(i, mark_comment(now, col - shift, plan.database), False)

    def dedicated(self, d: _Decisions) -> bool:
        """Whether nothing but glue would be left (and something was commented out)."""
        if not d.commented or d.edited or d.human:
            return False
        for u, unit in enumerate(self.units):
            if unit.kind != "code" or u in d.commented:
                continue
            for command, k in self._command_words(u):
                if k < len(command) and command[k].text not in GLUE:
                    if command[k].text not in self.functions:
                        return False
        return True


def rewrite_fragment(lines: list[str], refs: Refs, plan: LinePlan, offset: int) -> None:
    """Rewrite shell embedded in another file (a Makefile recipe line) into ``plan``.

    ``lines`` are the fragment's physical lines, which start at ``offset`` in the file.
    """
    sub = LinePlan(lines, plan.database, plan.prefix)
    rewriter = BashRewriter(lines, refs)
    rewriter.apply(sub, rewriter.decide())
    for i, decision in sub.decisions.items():
        plan.decisions[offset + i] = decision
    for i, why in sub.human.items():
        plan.ask(offset + i, why)
    plan.structural = plan.structural or sub.structural
