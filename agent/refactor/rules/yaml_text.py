"""Text-level pieces of the YAML rules: what a reference is, and edits inside one line.

:class:`Refs` widens the file's :class:`~agent.refactor.base.Target` with the names other
rewrites removed and the names this rewrite removes as it goes (a compose service, a CI job),
so that ``depends_on: [history-db]`` is found once the ``history-db`` service is gone.

The line edits remove one element and keep everything else byte for byte: an element of a
flow sequence (``[a, payroll_ledger]``), of a comma list inside a scalar
(``"profiles-pg-auth,customers-pg-auth"``), an alternative of a regex
(``datname=~"payroll|payroll_ledger"``), a name in a comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from agent.discovery.aliases.context import is_distinctive
from agent.discovery.models import Alias, AliasForm
from agent.refactor.base import Target

#: An option passing a setting on: ``--env KEY="v"``, ``-e KEY=v``, ``--build-arg=KEY=v``.
#: (``--id payroll-ledger-prod`` selects what the command acts on: that is no setting.)
SETTING_OPTION = re.compile(
    r"""(?<!\S)--?[A-Za-z][\w-]*(?:=|\s+)[A-Za-z_]\w*=(?:"[^"]*"|'[^']*'|[^\s"']\S*)?"""
)


def only_setting_options(line: str) -> bool:
    """Whether a script line is nothing but setting options (and a ``\\`` continuation)."""
    body = line.strip().removesuffix("\\").strip()
    return bool(body) and not SETTING_OPTION.sub("", body).strip()


@dataclass(frozen=True)
class Refs:
    """What counts as a reference in one file.

    Attributes:
        target: the database, its aliases, plus removed and learned names as aliases.
        prefixes: configuration key prefixes (``spring.datasource.ledger``) as key paths.
        local: short or generic names this rewrite removed (a compose service ``db``, a CI
            job ``test``): references only as a whole value or as the host of an address
            (``db``, ``db:5432``, ``@db/``), never inside other words or as keys.
    """

    target: Target
    prefixes: tuple[tuple[str, ...], ...]
    local: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls,
        target: Target,
        symbols: Iterable[str],
        learned: Iterable[str],
        local: Iterable[str] = (),
    ) -> Refs:
        """The references of a file: the target widened with removed and learned names.

        Removed symbols too generic to search for (``db``, ``postgres``) are left out: other
        files' rewrites report them, but matching them everywhere here would cut live
        configuration.
        """
        aliases = list(target.aliases)
        names = {s for s in symbols if "." in s.strip(".") or is_distinctive(s)} | set(learned)
        for name in sorted(names):
            if not name.strip():
                continue
            dotted = "." in name.strip(".") or name.startswith(".")
            form = AliasForm.ADDRESS if dotted else AliasForm.IDENTIFIER
            aliases.append(Alias(name, form, None, "removed by this decommission"))
        prefixes = tuple(
            tuple(a.name.split(".")) for a in target.aliases if a.form is AliasForm.KEY_PREFIX
        )
        widened = Target(target.database, target.matcher, tuple(aliases), target.extra_matchers)
        return cls(widened, prefixes, frozenset(n for n in local if n))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of references in ``text``, each widened to its whole identifier."""
        found = self.target.identifier_spans(text)
        if self.local:
            found = sorted(set(found) | set(self._local_spans(text)))
        return found

    def hit(self, text: str) -> bool:
        """Whether ``text`` holds a reference."""
        return bool(self.target.spans(text)) or bool(self.local and self._local_spans(text))

    def key_hit(self, key: str) -> bool:
        """Whether a mapping key names the database (local names never count as keys)."""
        return bool(self.target.spans(key))

    def _local_spans(self, text: str) -> list[tuple[int, int]]:
        stripped = text.strip().strip("\"'")
        if stripped in self.local:
            start = text.index(stripped)
            return [(start, start + len(stripped))]
        found: list[tuple[int, int]] = []
        for name in self.local:
            # The whole value, an element of a flow list, or the host of an address.
            pattern = rf"(?:^|@|//|[\[,]\s*[\"']?)({re.escape(name)})(?=[\"']?\s*[\],]|[:/]|$)"
            found.extend(m.span(1) for m in re.finditer(pattern, text))
        return found

    def under_prefix(self, path: Sequence[str]) -> bool:
        """Whether a key path (list items left out) is inside a configuration key prefix."""
        keys = tuple(p for p in path if p != "-")
        return any(len(keys) >= len(p) and keys[: len(p)] == p for p in self.prefixes)


_OPEN = "([{"
_CLOSE = ")]}"


def split_elements(text: str, separators: str) -> list[tuple[int, int]] | None:
    """Spans of the elements of a top-level list in ``text`` (whitespace trimmed).

    Separators inside brackets, quotes or template actions do not split. ``None`` when there
    is only one element or the brackets do not balance.
    """
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    i = 0
    quote = ""
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\" and quote == '"':
                i += 2
                continue
            if char == quote:
                quote = ""
        elif text.startswith("{{", i):
            close = text.find("}}", i)
            i = len(text) if close < 0 else close + 2
            continue
        elif char in "\"'" and text[start:i].strip() == "":
            quote = char
        elif char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth < 0:
                return None
        elif char in separators and depth == 0:
            spans.append((start, i))
            start = i + 1
        i += 1
    if depth != 0 or quote:
        return None
    spans.append((start, len(text)))
    trimmed = []
    for a, b in spans:
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        trimmed.append((a + lead, a + len(piece.rstrip())))
    if len(trimmed) < 2 or any(a >= b for a, b in trimmed):
        return None
    return trimmed


def drop_elements(text: str, elements: list[tuple[int, int]], drop: set[int]) -> str:
    """``text`` without the elements at indexes ``drop`` and one separator each."""
    kept = [i for i in range(len(elements)) if i not in drop]
    if not kept:
        return text[: elements[0][0]] + text[elements[-1][1] :]
    out = text[: elements[0][0]]
    for position, index in enumerate(kept):
        a, b = elements[index]
        out += text[a:b]
        if position < len(kept) - 1:
            out += text[b : elements[index + 1][0]]
    return out + text[elements[-1][1] :]


def remove_listed(text: str, refs: Refs, separators: str, compact: bool = False) -> str | None:
    """``text`` without the list elements that are references.

    Returns ``None`` when ``text`` is not a list of several elements (of single words when
    ``compact``) or no element is a reference, and ``""`` when every element is one.
    """
    elements = split_elements(text, separators)
    if elements is None:
        return None
    if compact and any(re.search(r"\s", text[a:b]) for a, b in elements):
        return None
    drop = {i for i, (a, b) in enumerate(elements) if refs.hit(text[a:b])}
    if not drop:
        return None
    if len(drop) == len(elements):
        return ""
    return drop_elements(text, elements, drop)


def edit_flow_sequence(value: str, refs: Refs) -> str | None:
    """A flow sequence without its reference elements (``""``: nothing left).

    ``None`` when the value is not a simple flow sequence (nested brackets that do not
    balance, an element that cannot be told apart).
    """
    if not value.startswith("[") or not value.endswith("]"):
        return None
    inner = value[1:-1]
    # A trailing comma is allowed in a flow sequence; it stays where it was.
    trailing = re.search(r",\s*$", inner)
    tail = inner[trailing.start() :] if trailing else ""
    inner = inner[: len(inner) - len(tail)]
    if not inner.strip():
        return None
    elements = split_elements(inner, ",")
    if elements is None:
        if "," in inner:
            return None
        return "" if refs.hit(inner) else None
    drop = {i for i, (a, b) in enumerate(elements) if refs.hit(inner[a:b])}
    if len(drop) == len(elements):
        return ""
    return "[" + drop_elements(inner, elements, drop) + tail + "]"


#: Keys whose value is a condition: Ansible's ``when``, GitHub Actions' and GitLab's ``if``.
CONDITION_KEYS = frozenset({"when", "if"})
_QUOTED = r"'[^']*'|\"[^\"]*\""
_OPERAND = r"[\w.\[\]'\"-]+"
_EQUALITY = re.compile(
    rf"(?:(?P<lhs>{_OPERAND})\s*(?P<op>==|!=)\s*(?P<rhs>{_QUOTED})"
    rf"|(?P<rhs2>{_QUOTED})\s*(?P<op2>==|!=)\s*(?P<lhs2>{_OPERAND}))"
)
_MEMBERSHIP = re.compile(rf"{_OPERAND}\s+(?P<neg>not\s+)?in\s+\[(?P<items>[^\]]*)\]")


def condition_effect(value: str, refs: Refs) -> str | None:
    """What a condition naming the database does: ``select`` it alone, ``exclude`` it alone.

    ``item == 'ledger'`` (or ``in ['ledger']``) selects only the database: what it guards
    exists for the database alone. ``item != 'ledger'`` (or ``not in ['ledger']``) only
    excludes it: once it is gone the condition always holds. ``None`` for anything else
    (``in ['ledger', 'archive']``, ``and``, ``or``): a person rewrites it.
    """
    text = value.strip()
    if text[:1] in "\"'" and text[-1:] == text[:1]:
        text = text[1:-1].strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2].strip()
    m = _EQUALITY.fullmatch(text)
    if m is not None:
        literal = (m.group("rhs") or m.group("rhs2"))[1:-1]
        if not refs.hit(literal) or refs.hit(m.group("lhs") or m.group("lhs2")):
            return None
        return "select" if (m.group("op") or m.group("op2")) == "==" else "exclude"
    m = _MEMBERSHIP.fullmatch(text)
    if m is not None:
        items = [i.strip() for i in m.group("items").split(",") if i.strip()]
        if items and all(i[:1] in "\"'" and refs.hit(i[1:-1]) for i in items):
            return "exclude" if m.group("neg") else "select"
    return None


def trim_condition(value: str, refs: Refs) -> str | None:
    """A condition without the database in its membership lists, when others remain.

    ``item in ['ledger', 'archive']`` becomes ``item in ['archive']``: the same for every
    database left. ``None`` when the condition has no such list.
    """
    out, last, changed = [], 0, False
    for m in _MEMBERSHIP.finditer(value):
        start, end = m.span("items")
        items = value[start:end]
        elements = split_elements(items, ",")
        if elements is None:
            continue
        drop = {i for i, (a, b) in enumerate(elements) if refs.hit(items[a:b])}
        if not drop or len(drop) == len(elements):
            continue
        out += [value[last:start], drop_elements(items, elements, drop)]
        last, changed = end, True
    if not changed:
        return None
    return "".join(out) + value[last:]


#: Keys whose value is a list of names (``DATABASES``, ``db_list``, ``TARGET_NAMES``).
_LIST_KEY = re.compile(r"(?:[a-z]s|list|names)$", re.IGNORECASE)
#: One name of a space-separated list (no prose punctuation).
_LISTED_NAME = re.compile(r"[A-Za-z][\w.-]*")


def names_a_list(key: str) -> bool:
    """Whether a key (or an env entry's name) says its value lists several things."""
    return bool(_LIST_KEY.search(key)) and not key.lower().endswith("ss")


def edit_scalar_list(value: str, refs: Refs, spaced: bool = False) -> str | None:
    """A scalar holding a comma or ``|`` list, without its reference elements.

    ``spaced``: the key says the value is a list, so names separated by spaces are one too
    (``DATABASES: "orders inventory ledger"``); elsewhere spaces separate words of prose.
    ``None`` when the scalar is not such a list (the caller removes the whole entry), ``""``
    when every element is a reference.
    """
    quote = value[:1] if value[:1] in "\"'" and value[-1:] == value[:1] else ""
    inner = value[1:-1] if quote else value
    if spaced and all(_LISTED_NAME.fullmatch(word) for word in inner.split()):
        edited = remove_listed(inner, refs, " ", compact=True)
        if edited is not None:
            return quote + edited + quote if edited else ""
    for separators in (",", "|"):
        # Prose has commas too: only a list of single words is a list.
        edited = remove_listed(inner, refs, separators, compact=True)
        if edited is not None:
            return quote + edited + quote if edited else ""
    return None


#: A label matcher in PromQL or Alertmanager: ``name op "value"``.
MATCHER = re.compile(
    r"""(?P<label>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<op>=~|!~|!=|=)\s*"""
    r"""(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>[^']*)'|`(?P<bq>[^`]*)`|(?P<bare>[^\s,{}\[\]"'`]+))"""
)


@dataclass(frozen=True)
class MatcherScan:
    """What the label matchers of a line say about the database.

    Attributes:
        selects_only: a positive matcher selects only the database (``datname="x"``).
        text: the line with reference alternatives removed from regex matchers.
        unresolved: a matcher mentions the database in a way not edited (negative equality).
    """

    selects_only: bool
    text: str
    unresolved: bool


def scan_matchers(text: str, refs: Refs) -> MatcherScan:
    """Find matchers naming the database; drop their alternatives from mixed regexes."""
    selects_only = unresolved = False
    pieces: list[str] = []
    last = 0
    for m in MATCHER.finditer(text):
        group = next(g for g in ("dq", "sq", "bq", "bare") if m.group(g) is not None)
        value = m.group(group)
        if not refs.hit(value):
            continue
        op = m.group("op")
        alternatives = split_elements(value, "|") if op in ("=~", "!~") else None
        if alternatives is None:
            if op in ("=", "=~"):
                selects_only = True
            else:
                unresolved = True
            continue
        drop = {i for i, (a, b) in enumerate(alternatives) if refs.hit(value[a:b])}
        if len(drop) == len(alternatives):
            if op == "=~":
                selects_only = True
            else:
                unresolved = True
            continue
        start, end = m.span(group)
        pieces.append(text[last:start])
        pieces.append(drop_elements(value, alternatives, drop))
        last = end
    pieces.append(text[last:])
    return MatcherScan(selects_only, "".join(pieces), unresolved)


_COMMAND_WORDS = frozenset(
    "docker docker-compose helm kubectl make psql pg_dump pg_restore aws terraform promtool "
    "npm yarn gradle ./gradlew mvn python pytest go cargo amtool".split()
)


def clean_comment(text: str, start: int, refs: Refs) -> str | None:
    """A comment (``text[start:]`` after its ``#``) with references removed, or ``None``.

    Removes a reference that is one element of a comma list (``customer-profiles-db (x),
    profiles-cache``) or one argument of a command example (``docker compose up a b``).
    ``None`` when the comment is about the database and should go whole.
    """
    comment = text[start:]
    mark = len(comment) - len(comment.lstrip("#"))
    content = comment[mark:]
    edited = _drop_comment_elements(content, refs)
    if edited is None:
        edited = _drop_command_arguments(content, refs)
    if edited is None or refs.hit(edited) or not edited.strip():
        return None
    return text[:start] + comment[:mark] + edited


def _drop_comment_elements(content: str, refs: Refs) -> str | None:
    elements = split_elements(content, ",")
    if elements is None:
        return None
    drop = set()
    for index, (a, b) in enumerate(elements):
        element = content[a:b]
        if not refs.hit(element):
            continue
        # Only a bare name, optionally with a parenthesised note: prose is not a list.
        stripped = re.sub(r"\s*\([^()]*\)\s*$", "", element)
        spans = refs.spans(stripped)
        if len(spans) != 1 or spans[0] != (0, len(stripped)):
            return None
        drop.add(index)
    if not drop or len(drop) == len(elements):
        return None
    return drop_elements(content, elements, drop)


def _drop_command_arguments(content: str, refs: Refs) -> str | None:
    words = list(re.finditer(r"\S+", content))
    if not words or not any(w.group() in _COMMAND_WORDS for w in words[:2]):
        return None
    out = content
    for word in reversed(words[1:]):
        token = word.group()
        if not refs.hit(token):
            continue
        spans = refs.spans(token)
        if spans != [(0, len(token))]:
            return None
        a, b = word.span()
        while b < len(out) and out[b] == " ":
            b += 1
        out = out[:a] + out[b:]
    return out
