"""Shell words: commands, assignments, word spans, and removing one element from a list.

Lists a database shows up in, in shell: compound arrays (``DBS=(a payroll_ledger)``), quoted
word lists (``DBS="a payroll_ledger"``, also ``a,b`` and ``a|b``), and the services of a
``docker compose up``. Each function here returns the tokens or spans to remove, or ``None``
when the command is not such a list (the caller then comments the command out instead).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from agent.refactor.base import body, line_ending, remove_spans
from agent.refactor.rules.script_edits import Refs
from agent.refactor.rules.shell_lex import Token, Unit

ASSIGN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?\+?=")
DECLARERS = frozenset({"export", "local", "declare", "readonly", "typeset"})
SEPARATORS = frozenset({";", ";;", ";&", ";;&", "&", "&&", "||", "|", "|&", "\n", "(", ")"})
_COMPOSE_LISTS = frozenset(
    "up start stop restart pull push build logs rm kill create pause unpause ps top".split()
)
_EXPANSION = re.compile(r"\$(\{)?[#!]?([A-Za-z_][A-Za-z0-9_]*)")
_TOLERANT = re.compile(r":?[-+=]")
_LIST = re.compile(r"[\w.\-]+(?:(?:\s+|\s*,\s*|\|)[\w.\-]+)+")

#: Whether a token names the database (directly or through a dangling variable).
Hit = Callable[[Token], bool]


def commands(tokens: list[Token]) -> list[list[Token]]:
    """Split tokens into simple commands at control operators (array parts stay inside)."""
    found: list[list[Token]] = [[]]
    for tok in tokens:
        if tok.op and not tok.array and tok.text in SEPARATORS:
            found.append([])
        else:
            found[-1].append(tok)
    return [c for c in found if c]


def command_word(command: list[Token]) -> tuple[int, list[str]]:
    """Index of a command's first word after its prefix assignments, and assigned names."""
    names: list[str] = []
    for k, tok in enumerate(command):
        if tok.array:
            continue
        match = None if tok.op else ASSIGN.match(tok.text)
        if match is None:
            return k, names
        names.append(match.group(1))
    return len(command), names


def assignments(tokens: list[Token]) -> set[str]:
    """Variables a unit defines (pure assignments, declarations with values, loop vars)."""
    names: set[str] = set()
    for command in commands(tokens):
        k, prefix = command_word(command)
        if k >= len(command):
            names.update(prefix)
            continue
        word = command[k].text
        if word in DECLARERS:
            for tok in command[k + 1 :]:
                match = ASSIGN.match(tok.text)
                if match is not None and not tok.array:
                    names.add(match.group(1))
        elif word in ("for", "select") and k + 1 < len(command):
            names.add(command[k + 1].text)
    return names


def uses(text: str, names: Iterable[str]) -> bool:
    """Whether shell text expands one of ``names`` and would break if it were unset.

    ``$X``, ``${X}``, ``${#X}``, ``${X[@]}`` and ``${X:?}`` count; ``${X:-default}``,
    ``${X:+alt}`` and ``${X:=default}`` tolerate an unset variable and do not.
    """
    wanted = names if isinstance(names, (set, frozenset)) else set(names)
    if not wanted or "$" not in text:
        return False
    for m in _EXPANSION.finditer(text):
        if m.group(2) in wanted and not (m.group(1) and _TOLERANT.match(text, m.end())):
            return True
    return False


def drop_elements(text: str, spans: list[tuple[int, int]], sep: str) -> str | None:
    """Remove list elements at ``spans`` (no quote widening, unlike ``remove_spans``)."""
    pattern = r"\s+" if sep == " " else rf"\s*{re.escape(sep)}\s*"
    for start, end in sorted(spans, reverse=True):
        after = re.match(pattern, text[end:])
        before = re.search(pattern + "$", text[:start])
        if after is not None:
            text = text[:start] + text[end + after.end() :]
        elif before is not None:
            text = text[: before.start()] + text[end:]
        else:
            return None
    return text


def array_hits(unit: Unit, hit: Hit) -> list[Token] | None:
    """Elements of a compound array to remove, if the database is only in its elements.

    ``None`` when the array is an argument vector (elements starting with ``-``), when no
    other element would be left, or when the database is named outside the elements.
    """
    elements = [t for t in unit.tokens if t.array and not t.op]
    hits = [t for t in elements if hit(t)]
    others = [t for t in unit.tokens if not t.array and not t.op]
    if not hits or any(hit(t) for t in others) or len(hits) == len(elements):
        return None
    if any(t.text.startswith("-") for t in elements) or any(t.line != t.end_line for t in hits):
        return None
    return hits


def compose_hits(unit: Unit, hit: Hit, refs: Refs) -> list[Token] | None:
    """Services of a ``docker compose up/stop/...`` to remove, keeping at least one."""
    words = unit.words()
    at = next((k for k, t in enumerate(words) if "compose" in t.text.lower()), None)
    if at is None:
        return None
    rest = [t for t in words[at + 1 :] if not t.text.startswith("-")]
    if not rest or rest[0].text not in _COMPOSE_LISTS:
        return None
    services = [t for t in rest[1:] if "=" not in t.text]
    hits = [t for t in services if hit(t)]
    if not hits or len(hits) == len(services):
        return None
    if any(hit(t) for t in words if all(t is not h for h in hits)):
        return None
    if any(t.line != t.end_line or not refs.any(t.text) for t in hits):
        return None
    return hits


def word_list_edit(
    unit: Unit, lines: list[str], refs: Refs, dangling: set[str], hit: Hit
) -> tuple[int, str] | None:
    """The new line for ``DBS="orders payroll_ledger"`` (or ``a,b`` / ``a|b``) lists."""
    found = commands(unit.tokens)
    if len(found) != 1 or unit.first != unit.last:
        return None
    command = found[0]
    hits = [t for t in command if not t.op and hit(t)]
    if len(hits) != 1 or refs.any(hits[0].text.split("=")[0]):
        return None
    tok = hits[0]
    match = ASSIGN.match(tok.text)
    k, _ = command_word(command)
    if match is None or not (k >= len(command) or command[k].text in DECLARERS):
        return None
    value = tok.text[match.end() :]
    quote = value[:1] if value[:1] in "\"'" and value.endswith(value[:1]) else ""
    inner = value[1:-1] if quote else value
    if _LIST.fullmatch(inner) is None or uses(inner, dangling):
        return None
    sep = "," if "," in inner else "|" if "|" in inner else " "
    base = tok.col + match.end() + len(quote)
    spans = [(base + m.start(), base + m.end()) for m in re.finditer(r"[\w.\-]+", inner)]
    doomed = [sp for sp in spans if refs.any(lines[tok.line][sp[0] : sp[1]])]
    if not doomed or len(doomed) == len(spans):
        return None
    new = drop_elements(body(lines[tok.line]), doomed, sep)
    if new is None or refs.any(new[: tok.col + len(tok.text)]):
        return None
    return tok.line, new + line_ending(lines[tok.line])


def token_removal(
    lines: list[str], unit: Unit, hits: list[Token], refs: Refs, seps: str = " "
) -> tuple[set[int], dict[int, str]] | None:
    """Lines to delete and lines to rewrite to remove ``hits`` from ``unit``.

    A line holding nothing but removed elements is deleted (an element of a multi-line
    array); otherwise the elements are cut out of it. ``None`` if that would leave a
    reference or cannot be done cleanly.
    """
    by_line: dict[int, list[Token]] = {}
    for tok in hits:
        by_line.setdefault(tok.line, []).append(tok)
    deleted: set[int] = set()
    replaced: dict[int, str] = {}
    for i, toks in by_line.items():
        on_line = [t for t in unit.tokens if t.line == i and not (t.op and t.text == "\n")]
        if all(any(t is h for h in toks) for t in on_line):
            deleted.add(i)
            continue
        new = remove_spans(body(lines[i]), [(t.col, t.end_col) for t in toks], seps)
        if new is None or refs.any(new):
            return None
        replaced[i] = new + line_ending(lines[i])
    if unit.last in deleted:
        # The command's last line went: its new last line must not continue into the next.
        last = max(i for i in unit.lines if i not in deleted)
        text = body(replaced.get(last, lines[last]))
        if text.rstrip().endswith("\\"):
            replaced[last] = text.rstrip()[:-1].rstrip() + line_ending(lines[last])
    return deleted, replaced


def continued(text: str, escape: str = "\\") -> bool:
    """Whether a line ends with an unescaped continuation character."""
    stripped = text.rstrip()
    run = len(stripped) - len(stripped.rstrip(escape))
    return run % 2 == 1


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of whitespace-separated words (quotes respected) in ``text[start:end]``."""
    spans: list[tuple[int, int]] = []
    limit = len(text) if end is None else end
    i = start
    while i < limit:
        if text[i].isspace():
            i += 1
            continue
        j, quote = i, ""
        while j < limit and (quote or not text[j].isspace()):
            if quote and text[j] == quote:
                quote = ""
            elif not quote and text[j] in "\"'":
                quote = text[j]
            j += 1
        spans.append((i, j))
        i = j
    return spans
