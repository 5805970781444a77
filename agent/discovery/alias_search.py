"""How each form of alias is searched for: a ripgrep prefilter and an exact Python regex."""

from __future__ import annotations

import re
from collections.abc import Iterable

from agent.discovery.models import Alias, AliasForm


def prefilter(alias: Alias) -> str:
    """A loose regex for ripgrep that every occurrence of the alias matches."""
    if alias.form is AliasForm.KEY_PREFIX:
        # Nested YAML spells only the last segment on a line (``ledger:``).
        return re.escape(alias.name.rpartition(".")[2])
    return re.escape(alias.name)


def alias_regex(alias: Alias) -> re.Pattern[str]:
    """The exact regex of an alias within a line."""
    name = re.escape(alias.name)
    if alias.form is AliasForm.QUOTED:
        return re.compile(rf"([\"']){name}\1")
    if alias.form is AliasForm.ADDRESS:
        left = r"(?<![A-Za-z0-9_])" if alias.name.startswith(".") else r"(?<![A-Za-z0-9_.-])"
        return re.compile(rf"{left}{name}(?![A-Za-z0-9_-])")
    if alias.form is AliasForm.KEY_PREFIX:
        # Spring's relaxed binding also reads SPRING_DATASOURCE_LEDGER_URL from the environment.
        env = re.escape(re.sub(r"[.\-]", "_", alias.name).upper())
        return re.compile(rf"(?<![A-Za-z0-9_.-])(?:{name}(?![A-Za-z0-9_-])|{env}_[A-Z0-9_]+)")
    # Case matters for code names and env vars (LEDGER_DSN), not for host names (ledger-db).
    sensitive = alias.name != alias.name.lower()
    flags = 0 if sensitive else re.IGNORECASE
    return re.compile(rf"(?<![A-Za-z0-9_-]){name}(?![A-Za-z0-9_]|-[A-Za-z0-9])", flags)


#: The characters the boundary lookarounds of :func:`alias_regex` test (ASCII only, and without
#: IGNORECASE's Unicode folds on the ASCII lines :class:`AliasFinder` reads itself).
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_WORD = _ALNUM | {"_"}
_IDENT = _WORD | {"-"}
_DOTTED = _IDENT | {"."}
_QUOTES = "\"'"


class Lines:
    """Lines (without line breaks) joined by newlines, and lower-cased when ASCII."""

    __slots__ = ("text", "_lowered")

    def __init__(self, lines: Iterable[str]) -> None:
        self.text = "\n".join(lines)
        self._lowered: str | None | bool = False

    @property
    def lowered(self) -> str | None:
        """The lower-cased text if it is ASCII, else None (computed once)."""
        if self._lowered is False:
            self._lowered = self.text.lower() if self.text.isascii() else None
        return self._lowered  # type: ignore[return-value]


class AliasFinder:
    """Where an alias occurs in a line: the span of ``alias_regex(alias).search(line)``.

    The identifier, address and quoted forms are a literal name between boundary tests, so
    the name is found with ``str.find`` and the boundaries tested on the characters beside it
    (no regex to compile, none to run on lines without the name). A case-insensitive name
    (an all-lower-case identifier) is found so in the lower-cased line when line and name are
    ASCII; other lines, and key prefixes, use the regex (compiled on first use).
    """

    __slots__ = ("_alias", "name", "_form", "_folded", "_literals", "_regex")

    def __init__(self, alias: Alias) -> None:
        self._alias = alias  # only its name and form are read
        name = self.name = alias.name
        self._form = alias.form
        #: Matched case-insensitively (see alias_regex).
        self._folded = alias.form is AliasForm.IDENTIFIER and name == name.lower()
        #: What every match holds, case-sensitively (case-insensitive names: in the
        #: lower-cased ASCII text); None when no such substring test is exact.
        self._literals: tuple[str, ...] | None = (name,)
        if alias.form is AliasForm.KEY_PREFIX:
            self._literals = (name, re.sub(r"[.\-]", "_", name).upper() + "_")
        elif not name or (self._folded and not name.isascii()):
            self._literals = None
        self._regex: re.Pattern[str] | None = None

    def may_occur(self, lines: Lines) -> bool:
        """False only when no line of ``lines`` can match (one substring test for them all)."""
        literals = self._literals
        if literals is None:
            return True
        if self._folded:
            lowered = lines.lowered
            return lowered is None or literals[0] in lowered
        text = lines.text
        return any(literal in text for literal in literals)

    def search(self, line: str) -> tuple[int, int] | None:
        """The span of the first match in ``line``, or None."""
        name = self.name
        form = self._form
        if self._literals is None or form is AliasForm.KEY_PREFIX:
            if self._literals is not None and not any(lit in line for lit in self._literals):
                return None
            return self._regex_search(line)
        if self._folded:
            if not line.isascii():
                return self._regex_search(line)
            line = line.lower()
        at = line.find(name)
        if at == -1:
            return None
        size = len(name)
        length = len(line)
        if form is AliasForm.QUOTED:
            while at != -1:
                end = at + size
                if at and end < length and line[at - 1] in _QUOTES and line[end] == line[at - 1]:
                    return at - 1, end + 1
                at = line.find(name, at + 1)
            return None
        if form is AliasForm.ADDRESS:
            before = _WORD if name.startswith(".") else _DOTTED
            while at != -1:
                end = at + size
                if (at == 0 or line[at - 1] not in before) and (
                    end == length or line[end] not in _IDENT
                ):
                    return at, end
                at = line.find(name, at + 1)
            return None
        while at != -1:  # an identifier
            end = at + size
            if (at == 0 or line[at - 1] not in _IDENT) and (
                end == length
                or (
                    line[end] not in _WORD
                    and not (line[end] == "-" and end + 1 < length and line[end + 1] in _ALNUM)
                )
            ):
                return at, end
            at = line.find(name, at + 1)
        return None

    def _regex_search(self, line: str) -> tuple[int, int] | None:
        if self._regex is None:
            self._regex = alias_regex(self._alias)
        m = self._regex.search(line)
        return None if m is None else m.span()


def defines_key(line: str, key: str) -> bool:
    """Whether a YAML line is the one that defines ``key`` (not a continuation line)."""
    stripped = line.strip().lstrip("- ").strip("'\"")
    return stripped.startswith(key)
