"""The words of a database name and the regex that finds all its spellings.

What ``decom scan`` needs before it starts ripgrep, so it imports nothing but :mod:`re` and
:mod:`agent.errors`. The boundary rule that judges each match is :mod:`agent.discovery.names`,
which re-exports these functions.
"""

from __future__ import annotations

import re

from agent.errors import InputError

_NAME_ALLOWED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-. $]*$")
_TOKEN = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def split_words(text: str) -> list[str]:
    """Split an identifier into lower-case words on separators and camelCase boundaries.

    >>> split_words("PayrollLedger_DB-host2")
    ['payroll', 'ledger', 'db', 'host', '2']
    """
    return [t.lower() for t in _TOKEN.findall(text)]


def validate_database_name(name: str) -> str:
    """Return the stripped name, or raise :class:`InputError` if no database could be called so."""
    stripped = name.strip()
    if not stripped:
        raise InputError("database name is empty: pass the name of the database to retire")
    if len(stripped) > 128:
        raise InputError(f"database name is {len(stripped)} characters long; the limit is 128")
    if not _NAME_ALLOWED.match(stripped) or not split_words(stripped):
        raise InputError(
            f"{stripped!r} is not a database name: use letters, digits, '_', '-' or '.', "
            "starting with a letter or digit"
        )
    return stripped


def variant_pattern(name: str) -> str:
    """The regex source (no flags) that matches every spelling of ``name``.

    The same source is handed to ripgrep and to Python's :mod:`re`, so it only uses syntax
    both understand.
    """
    words = split_words(name)
    return "[-_ ]?".join(re.escape(w) for w in words)


def search_pattern(names: list[str]) -> str:
    """One regex source matching every spelling of every name (for the first search)."""
    return "|".join(f"(?:{variant_pattern(n)})" for n in dict.fromkeys(names))
