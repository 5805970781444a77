"""Aliases from connection strings: Oracle connect identifiers, JDBC URLs and their hosts.

- ``expdp "/@CLAIMSHIST" schemas=CLAIMS_HISTORY`` logs in to the database through the connect
  identifier ``CLAIMSHIST`` (a tnsnames entry, a service name): it names the database too.
- A JDBC or driver URL in a block about the database (a WildFly ``<datasource>`` whose
  ``jndi-name`` or ``user-name`` names it, a line naming it) gives its host
  (``claimshist-db.corp.example``, and the host's own name ``claimshist-db``) and its service or
  database part (``.../CLAIMSHIST``), which monitoring and scripts use without the name.
"""

from __future__ import annotations

import re

from agent.discovery.aliases.context import FileContext, is_distinctive
from agent.discovery.models import Alias, AliasForm

#: ``user/pw@ALIAS``, ``/@ALIAS``, ``tns=ALIAS``, ``TARGET /@ALIAS`` (not e-mail addresses).
_CONNECT_ID = re.compile(r"(?:(?<=[\s\"'/])@|\btns=)([A-Za-z][A-Za-z0-9_]{3,})\b(?![.@-])")
#: A driver URL's host and the part after it: ``jdbc:oracle:thin:@//host:1521/SERVICE``,
#: ``jdbc:postgresql://host:5432/db``, ``mysql://user@host/db``.
_URL = re.compile(
    r"(?:jdbc:[\w:]+:@?//|jdbc:oracle:thin:@|"
    r"\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|oracle|sqlserver|mssql|"
    r"cockroachdb|redshift|clickhouse)(?:\+\w+)?://(?:[^@/\s\"'<>]+@)?)"
    r"([A-Za-z0-9][\w.-]*[A-Za-z0-9])(?::\d+)?[/:]([A-Za-z][\w]{2,})"
)
#: A database URL scheme right before ``://`` (``postgresql+psycopg2``, ``mongodb+srv``).
_DB_SCHEMES = (
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "mongodb",
    "oracle",
    "sqlserver",
    "mssql",
    "cockroachdb",
    "redshift",
    "clickhouse",
)
_DB_SCHEME = re.compile(rf"(?:{'|'.join(_DB_SCHEMES)})(?:\+\w+)?$")
#: Elements that open a block describing one connection.
_BLOCK_OPEN = re.compile(r"<(?:xa-)?datasource\b|<Resource\b|<bean\b|<persistence-unit\b", re.I)
_BLOCK_CLOSE = re.compile(r"</(?:xa-)?datasource>|/>\s*$|</bean>|</persistence-unit>", re.I)
_HOST_MARK = re.compile(r"[-_.0-9]")
_LABEL_MARK = re.compile(r"[-_0-9]")


def learn_from_connections(ctx: FileContext) -> list[Alias]:
    """Connect identifiers and URL parts that denote the database (see the module docstring)."""
    aliases: list[Alias] = []
    seen: set[str] = set()

    def add(name: str, line: int, reason: str) -> None:
        if name in seen or not is_distinctive(name) or ctx.names_database(name):
            return
        seen.add(name)
        aliases.append(ctx.alias(name, AliasForm.IDENTIFIER, line, reason, repo_scoped=False))

    for number in ctx.refs:
        text = ctx.lines[number - 1]
        if "@" not in text and "tns=" not in text:
            continue  # what every connect identifier needs
        for m in _CONNECT_ID.finditer(text):
            if m.group(1).isupper():
                add(m.group(1), number, "Oracle connect identifier used to log in to it")
    joined = ctx.text
    if _has_block_open(joined):
        numbers = _url_lines(joined)
    else:
        # No connection element in the file: a URL line counts only where it is a reference
        # (see _block_refers), so only those lines are looked at, not the whole text.
        numbers = [n for n in sorted(ctx.refs) if _holds_url(ctx.lines, n)]
    for number in numbers:
        text = ctx.lines[number - 1]
        for m in _URL.finditer(text):
            if number not in ctx.refs and not _block_refers(ctx, number):
                continue
            host, part = m.group(1), m.group(2)
            if not _HOST_MARK.search(host) or host.startswith(("localhost", "127.")):
                continue
            add(host, number, "host of its connection URL")
            label = host.split(".")[0]
            if label != host and _LABEL_MARK.search(label):
                add(label, number, "host of its connection URL")
            if part.isupper():
                add(part, number, "service name in its connection URL")
    return aliases


def url_targets(text: str) -> list[tuple[str, str]]:
    """The (host, database or service) of every driver URL in ``text``."""
    return [(m.group(1), m.group(2)) for m in _URL.finditer(text)]


def _url_lines(text: str) -> list[int]:
    """The 1-based numbers of the lines holding ``jdbc:`` or ``://`` after a database scheme.

    Most files hold no driver URL, and http links are everywhere: find the ``://`` and
    ``jdbc:`` by plain search (C speed), keep those after a database scheme, count lines once.
    """
    positions = []
    for token in ("://", "jdbc:"):
        at = text.find(token)
        while at != -1:
            if token == "jdbc:" or _after_db_scheme(text, at):
                positions.append(at)
            at = text.find(token, at + 1)
    numbers: list[int] = []
    line, previous = 1, 0
    for at in sorted(positions):
        line += text.count("\n", previous, at)  # disjoint stretches: linear overall
        previous = at
        if not numbers or numbers[-1] != line:
            numbers.append(line)
    return numbers


def _holds_url(lines: list[str], number: int) -> bool:
    """Whether line ``number`` is one that :func:`_url_lines` lists."""
    line = lines[number - 1]
    if "jdbc:" in line:
        return True
    at = line.find("://")
    while at != -1:
        # The 24 characters before ``://`` in the whole text, reaching into earlier lines.
        before, above = line[:at], number - 1
        while len(before) < 24 and above >= 1:
            before = lines[above - 1] + "\n" + before
            above -= 1
        if _scheme_ends(before[-24:]):
            return True
        at = line.find("://", at + 1)
    return False


def _has_block_open(text: str) -> bool:
    """Whether a line of ``text`` holds ``_BLOCK_OPEN`` (each match starts at a ``<``)."""
    at = text.find("<")
    while at != -1:
        if _BLOCK_OPEN.match(text, at):
            return True
        at = text.find("<", at + 1)
    return False


def _after_db_scheme(text: str, at: int) -> bool:
    """``_DB_SCHEME.search(text, max(0, at - 24), at)``."""
    return _scheme_ends(text[max(0, at - 24) : at])


def _scheme_ends(window: str) -> bool:
    """``_DB_SCHEME.search(window)``, cheaply where no ``+`` is involved.

    Without a ``+`` the scheme must end the window (``$`` also matches before a final
    newline), which ``str.endswith`` tells without trying the regex at every position.
    """
    if "+" in window:
        return _DB_SCHEME.search(window) is not None
    if window.endswith("\n"):
        window = window[:-1]
    return window.endswith(_DB_SCHEMES)


def _block_refers(ctx: FileContext, number: int) -> bool:
    """Whether line ``number`` sits in a connection element (``<datasource>``) naming it."""
    for start in range(number, max(0, number - 15), -1):
        if _BLOCK_OPEN.search(ctx.lines[start - 1]):
            for end in range(start, min(len(ctx.lines), start + 40) + 1):
                if end in ctx.refs:
                    return True
                if end >= number and _BLOCK_CLOSE.search(ctx.lines[end - 1]):
                    return False
            return False
    return False
