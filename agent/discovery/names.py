"""Spelling variants of a database name and the boundary rule that tells them apart.

A database called ``payroll_ledger`` is written ``payroll-ledger``, ``payrollLedger``,
``PAYROLL_LEDGER_DSN`` or "Payroll Ledger" depending on the file. All of those are found by
one case-insensitive regex over the name's tokens joined by an optional ``-``, ``_`` or space.

Finding the tokens is easy; deciding whether the identifier around them still denotes *this*
database is the hard part. The rule: take the whole identifier the match sits in
(``payroll_ledger_archive``, ``aws_db_instance``, ``PAYROLL_LEDGER_DATABASE_URL``), split what is
left on each side into words, and accept the match only if every leftover word is a
database-ish affix (db, url, host, prod, replica, ...) or a number. Any other word makes it a
different thing: a different database (``payroll_ledger_archive``), the service that uses it
(``payroll-ledger-service``), a product (``PayrollLedgerPro``). The affix list is configurable.

Prose is looser ("the Payroll Ledger database"), so words separated by spaces follow their own
rule: see :meth:`NameMatcher._accept_prose`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

# Re-exported: they live in a light module so that ``decom scan`` can start ripgrep before
# this one (and dataclasses) is imported.
from agent.discovery.spelling import search_pattern as search_pattern
from agent.discovery.spelling import validate_database_name as validate_database_name
from agent.discovery.spelling import variant_pattern as variant_pattern

_TOKEN = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


#: A Secrets Manager ARN's secret name: AWS appends ``-`` and six random characters.
_SECRET_ARN = re.compile(r"arn:aws[\w-]*:secretsmanager:[\w-]*:\d*:secret:[^\s\"',]*$")
_RANDOM_SUFFIX = re.compile(r"-[A-Za-z0-9]{6}")


def _secret_arn_suffix(line: str, left: int, suffix: str) -> bool:
    """``...:secret:prod/rds/billing-ledger-XyZ123``: the suffix is AWS's, not a word."""
    return bool(_RANDOM_SUFFIX.fullmatch(suffix)) and bool(_SECRET_ARN.search(line[:left]))


def split_words(text: str) -> list[str]:
    """Split an identifier into lower-case words on separators and camelCase boundaries.

    >>> split_words("PayrollLedger_DB-host2")
    ['payroll', 'ledger', 'db', 'host', '2']

    :func:`agent.discovery.spelling.split_words` by regex, which is faster than its loop for
    the many words a scan splits (the same words: ``tests/test_names.py``).
    """
    return [t.lower() for t in _TOKEN.findall(text)]


#: Words that may stand next to the name and still denote the same database.
DEFAULT_AFFIXES: frozenset[str] = frozenset(
    """
    db dbs database databases datasource datasources data source sources store datastore
    dsn url urls uri uris host hostname hosts port user username usr password passwd pass pwd
    name id identifier arn endpoint endpoints address addr server servers socket jdbc odbc
    conn conns connection connections connstr pool pools client clients engine engines session
    sessions cursor
    pg postgres postgresql psql pgsql mysql mariadb maria rds aurora sql sqlite mssql oracle
    mongo mongodb cockroach crdb cluster clusters instance instances schema schemas catalog
    primary replica replicas ro rw read write reader writer readonly readwrite master slave
    standby main leader follower secondary
    prod production prd staging stage stg dev development test testing qa uat sandbox preprod
    perf local live
    creds cred credential credentials secret secrets key keys token auth login password
    config conf cfg settings setting params param parameter parameters ssm vault kms
    backup backups bak snapshot snapshots dump dumps restore migration migrations migrate
    sg security subnet subnets group groups role policy iam
    alarm alarms alert alerts monitor monitors monitoring dashboard dashboards exporter metrics
    admin owner app rds-db record records context contexts string strings connstring
    high low down lag full slow latency cpu storage disk memory iops replication deadlocks
    unavailable unreachable availability health healthcheck stats status
    get set open connect create init new make build with use ping check close query seed
    timeout timeouts statement idle max min limit retries retry ssl sslmode tls ms seconds
    size wait for member members node nodes shard shards replicaset rs arbiter oplog
    ds pu jndi tns psw export import sku dtu pe diag diagnostics
    enable enabled disable disabled deploy provision install class tier
    operator proxy pgbouncer bouncer
    """.split()
)

#: Affixes that say "this is a database" (they make short unknown type codes acceptable).
STRONG_AFFIXES: frozenset[str] = frozenset(
    """
    db dbs database databases pg psql pgsql postgres postgresql mysql mariadb sql rds aurora
    mongo mongodb cosmosdb dsn jdbc conn connstr connection replica primary cluster
    """.split()
)
_DISTINCT_SHORT = frozenset("old new tmp bak arc v1 v2 v3 api app ui web svc".split())
#: A version word beside the name (``_v2``, ``-V3-``, ``V2Db``): another database.
_VERSION = re.compile(r"(?:^|[-_.])[vV]\d+(?=$|[-_.]|[A-Z])")

#: Words that, next to the name in prose, make it a different thing ("Payroll Ledger Service").
PROSE_DISTINCT_WORDS: frozenset[str] = frozenset(
    """
    service services api apis app apps application applications team teams portal ui frontend
    backend web website site page pages pro plus premium archive archives legacy old former
    v1 v2 v3 sdk cli library lib tool module product feature report reports project
    upload uploads download downloads widget widgets button tab menu screen view viewer editor
    gallery manager explorer picker wizard
    """.split()
)

#: An http(s) URL: its host and its path.
_URL_IN_TEXT = re.compile(r"https?://(?P<host>[A-Za-z0-9.-]+)(?::\d+)?(?P<path>/[^\s\"'<>)`]*)")
#: First labels of public sites for customers (help centres, marketing, status pages).
_PUBLIC_SITE_WORDS = frozenset(
    "help support www blog status community learn academy docs developer developers".split()
)

#: Parent keys of user-interface strings (``tab.claimsHistory.title``, ``nav.payrollLedger``).
_UI_KEY_WORDS = frozenset("tab tabs page pages menu screen view button widget ui nav label".split())

#: Words that, next to the name in lower-case prose, make it clearly about the database.
PROSE_DB_WORDS: frozenset[str] = frozenset(
    """
    db dbs database databases cluster instance instances schema schemas replica replicas
    postgres postgresql mysql mariadb rds aurora datastore datasource dsn tables table
    connection connections backup backups dump restore migration migrations
    """.split()
)

#: Top-level domains of public web sites: a name that is only a web domain is not the database.
PUBLIC_TLDS: frozenset[str] = frozenset(
    "com io org net co ai app dev info biz us uk de fr eu me tv xyz".split()
)

_IDENT_CHAR = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_HOST_CHAR = _IDENT_CHAR | {"."}


@lru_cache(maxsize=64)
def cached_matcher(
    name: str, affixes: frozenset[str] = DEFAULT_AFFIXES, excluded: tuple[str, ...] = ()
) -> NameMatcher:
    """A shared :class:`NameMatcher` (they are immutable and costly to build)."""
    return NameMatcher(name, affixes, excluded)


def spelling_variants(name: str) -> list[str]:
    """The common spellings of ``name``, for documentation and display."""
    words = split_words(name)
    camel = words[0] + "".join(w.capitalize() for w in words[1:])
    return list(
        dict.fromkeys(
            [
                "_".join(words),
                "-".join(words),
                camel,
                "".join(w.capitalize() for w in words),
                "_".join(words).upper(),
                "".join(words),
                " ".join(w.capitalize() for w in words),
            ]
        )
    )


# The boundary rule's scans, done by C code (str.rstrip, compiled regexes) instead of one
# Python step per character: the same answers as the character loops and regexes they replace.
_IDENT_CHARS = "".join(sorted(_IDENT_CHAR))
_HOST_CHARS = "".join(sorted(_HOST_CHAR))
_IDENT_RUN = re.compile(r"[A-Za-z0-9_-]*")
_HOST_RUN = re.compile(r"[A-Za-z0-9_.-]*")
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ALNUM = _LETTERS + "0123456789"
_SPACE_LETTERS = re.compile(r" ([A-Za-z]+)")
_SPACE_ALNUM = re.compile(r" ([A-Za-z0-9]+)")


def _word_before(text: str, mark: str, chars: str) -> str | None:
    """The run of ``chars`` right before a final ``mark`` in ``text``, or None.

    Group 1 of ``re.search(f"([{chars}]+){mark}$", text)`` (``$`` also matches before a final
    newline), without trying the regex at every position.
    """
    if text.endswith("\n"):
        text = text[:-1]
    if not text.endswith(mark):
        return None
    body = text[: -len(mark)]
    return body[len(body.rstrip(chars)) :] or None


def _run_end(run: re.Pattern[str], line: str, pos: int) -> int:
    """Where the run of characters ``run`` matches from ``pos`` ends."""
    m = run.match(line, pos)
    return pos if m is None else m.end()


@dataclass(frozen=True, slots=True)
class Match:
    """A spelling of the name found in a line, accepted by the boundary rule."""

    start: int
    end: int
    identifier_start: int
    identifier_end: int


class NameMatcher:
    """Finds the spellings of one name in a line and applies the boundary rule."""

    def __init__(
        self,
        name: str,
        affixes: Iterable[str] = DEFAULT_AFFIXES,
        excluded: Iterable[str] = (),
    ) -> None:
        self.name = name
        self.words = split_words(name)
        self.affixes = frozenset(a.lower() for a in affixes)
        self.pattern = variant_pattern(name)
        self.regex = re.compile(self.pattern, re.IGNORECASE)
        self._excluded = [
            NameMatcher(e, self.affixes) for e in excluded if split_words(e) != self.words
        ]

    def find(self, line: str, prose: bool = False) -> Iterator[Match]:
        """Yield every accepted match in ``line``, left to right.

        Args:
            line: one line of text.
            prose: the line is documentation or a comment, where a one-word name is also an
                everyday word (see :meth:`_accept_bare_word`).
        """
        for m in self.regex.finditer(line):
            match = self._accept(line, m.start(), m.end(), prose)
            if match is not None and not (self._excluded and self._is_excluded(line, match)):
                yield match

    def first(self, line: str, prose: bool = False) -> Match | None:
        """The first accepted match in ``line`` (``next(self.find(line, prose), None)``)."""
        for m in self.regex.finditer(line):
            match = self._accept(line, m.start(), m.end(), prose)
            if match is not None and not (self._excluded and self._is_excluded(line, match)):
                return match
        return None

    def matches(self, line: str, prose: bool = False) -> bool:
        """Whether ``line`` holds at least one accepted match."""
        return self.first(line, prose) is not None

    def _is_excluded(self, line: str, match: Match) -> bool:
        for other in self._excluded:
            for m in other.find(line):
                if m.identifier_start <= match.start and match.end <= m.identifier_end:
                    if m.end - m.start > match.end - match.start or (
                        m.identifier_start == match.identifier_start
                        and m.identifier_end == match.identifier_end
                    ):
                        return True
        return False

    def _accept(self, line: str, start: int, end: int, prose: bool = False) -> Match | None:
        matched = line[start:end]
        if " " in matched:
            return self._accept_prose(line, start, end)
        left = len(line[:start].rstrip(_IDENT_CHARS))
        right = _run_end(_IDENT_RUN, line, end)
        # A leading '-' is usually a CLI flag or list dash, a trailing one punctuation.
        while left < start and line[left] == "-":
            left += 1
        while right > end and line[right - 1] == "-":
            right -= 1
        prefix, suffix = line[left:start], line[end:right]
        if (
            (prefix or suffix)
            and not self._affixes_ok(prefix, suffix, matched)
            and not _secret_arn_suffix(line, left, suffix)
        ):
            return None
        if not prefix and left > 0 and line[left - 1] == ".":
            # ``tab.claimsHistory.title``: a key under a UI or product word names a feature.
            parent = _word_before(line[:left], ".", _LETTERS)
            if parent is not None and parent.lower() in _UI_KEY_WORDS:
                return None
        # The cheap tests that decide most lines are made here, before the calls.
        if (left > 0 and line[left - 1] == "@") or (
            right < len(line) and line[right] == "." and not (prefix or suffix)
        ):
            if self._is_web_domain(line, left, right, prefix + suffix):
                return None
        if "://" in line and self._is_web_page(line, left):
            return None
        if len(self.words) == 1 and not prefix and not suffix:
            if not self._accept_bare_word(line, start, end, prose):
                return None
        return Match(start, end, left, right)

    def _accept_bare_word(self, line: str, start: int, end: int, prose: bool) -> bool:
        """A one-word name standing alone (``invoicing``) may just be the everyday word.

        In running text (a word on each side: "our invoicing process") or in documentation
        and comments with a word beside it ("the invoicing team"), it counts only next to a
        database word ("the invoicing database") or when quoted as code (`` `invoicing` ``).
        Standing alone (a list item, a table cell, a value) it counts.
        """
        before = line[:start]
        after = line[end:]
        if before.endswith(("`", "'", '"')) and after.startswith(("`", "'", '"')):
            return True
        left_word = _word_before(before, " ", _LETTERS)
        right = _SPACE_LETTERS.match(line, end)
        right_word = right.group(1) if right is not None else None
        neighbours = [w.lower() for w in (left_word, right_word) if w is not None]
        if any(n in PROSE_DB_WORDS for n in neighbours):
            return True
        running_text = left_word is not None and right_word is not None
        if running_text or (prose and neighbours):
            return False
        return True

    def _affixes_ok(self, prefix: str, suffix: str, matched: str) -> bool:
        """Every word beside the name is a database affix (or a number).

        Naming conventions also put short type codes in front (Azure's ``pe-psql-``, Data
        Factory's ``ls_pg_``): a word of at most three letters is tolerated when the same
        identifier also carries a word that says "database" (``pg``, ``psql``, ``db``...).
        """
        if not prefix and not suffix:
            return True
        if _VERSION.search(prefix) or _VERSION.search(suffix):
            # ``customer-events-v2-db``: a versioned name is another database (its successor),
            # even beside a database word; split, ``v2`` would read as a letter and a number.
            return False
        words = split_words(prefix) + split_words(suffix)
        unknown = [w for w in words if not (w.isdigit() or w in self.affixes)]
        if not unknown:
            return True
        if not any(w in STRONG_AFFIXES for w in words):
            return False
        return all(len(w) <= 3 and w.isalpha() and w not in _DISTINCT_SHORT for w in unknown)

    def _is_web_page(self, line: str, left: int) -> bool:
        """A name in the path of a public help or marketing site (``https://help.acme.com/x``).

        Such a page is about a product feature, not the database. Runbook, repository and
        dashboard links (``github.com/.../runbooks/payroll-ledger.md``) still count.
        """
        if "://" not in line:
            return False  # no URL at all
        for m in _URL_IN_TEXT.finditer(line):
            if m.start("path") <= left < m.end():
                labels = m.group("host").lower().split(".")
                return labels[-1] in PUBLIC_TLDS and bool(set(labels[:-1]) & _PUBLIC_SITE_WORDS)
        return False

    def _is_web_domain(self, line: str, left: int, right: int, affix_text: str) -> bool:
        """A bare name inside ``name.com`` or an e-mail address is a web site, not a database."""
        if left > 0 and line[left - 1] == "@":
            return True
        if right >= len(line) or line[right] != "." or affix_text:
            return False
        host_start = len(line[:left].rstrip(_HOST_CHARS))
        host_end = _run_end(_HOST_RUN, line, right)
        labels = [label for label in line[host_start:host_end].split(".") if label]
        if len(labels) < 2 or labels[-1].lower() not in PUBLIC_TLDS:
            return False
        if host_start > 0 and line[host_start - 1] == "@":
            return True
        for label in labels:
            # A database word in the host (db.example.com, x.rds.amazonaws.com) makes it a
            # server; other affixes (status., www., app.) are just web sites.
            if any(w in STRONG_AFFIXES for w in split_words(label)):
                if split_words(label) != self.words:
                    return False
        return True

    def _accept_prose(self, line: str, start: int, end: int) -> Match | None:
        """Accept "Payroll Ledger" in prose unless a neighbour word makes it something else.

        Title Case or upper case is accepted unless the next or previous word is a word like
        Service, API or Archive. Lower case ("payroll ledger") is accepted only next to a
        database word ("payroll ledger database"), since everyday prose uses the same words.
        """
        if (start > 0 and line[start - 1] in _IDENT_CHAR) or (
            end < len(line) and line[end] in _IDENT_CHAR
        ):
            return None
        before = _word_before(line[:start], " ", _ALNUM)
        after = _SPACE_ALNUM.match(line, end)
        neighbours = [w.lower() for w in (before, after and after.group(1)) if w is not None]
        words = line[start:end].split(" ")
        proper = all(w[:1].isupper() for w in words if w)
        if any(n in PROSE_DB_WORDS for n in neighbours):
            return Match(start, end, start, end)  # "the (legacy) Payroll Ledger database"
        if any(n in PROSE_DISTINCT_WORDS for n in neighbours) or not proper:
            return None
        return Match(start, end, start, end)
