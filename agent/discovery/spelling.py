"""The words of a database name and the regex that finds all its spellings.

What ``decom scan`` needs before it starts ripgrep, so it imports nothing but
:mod:`agent.errors`: not even :mod:`re` (with the enum, functools and collections it loads,
several milliseconds before ripgrep could start). The boundary rule that judges each match is
:mod:`agent.discovery.names`, which has the same :func:`split_words` by regex (it splits many
words a scan).
"""

from __future__ import annotations

from agent.errors import InputError

_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_DIGITS = frozenset("0123456789")
_FIRST = _UPPER | _LOWER | _DIGITS
_ALLOWED = _FIRST | frozenset("_-. $")


def split_words(text: str) -> list[str]:
    """Split an identifier into lower-case words on separators and camelCase boundaries.

    >>> split_words("PayrollLedger_DB-host2")
    ['payroll', 'ledger', 'db', 'host', '2']

    The words of ``re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+", text)``,
    found without :mod:`re` (see the module docstring).
    """
    words = []
    i, size = 0, len(text)
    while i < size:
        char = text[i]
        if char in _UPPER:
            end = _run(text, i, _UPPER)
            if end - i >= 2 and end < size and text[end] in _LOWER:
                end -= 1  # "DBHost": "DB", then "Host"
            elif end - i == 1 and end < size and text[end] in _LOWER:
                end = _run(text, end, _LOWER)  # "Host"
        elif char in _LOWER:
            end = _run(text, i, _LOWER)
        elif char in _DIGITS:
            end = _run(text, i, _DIGITS)
        else:
            i += 1
            continue
        words.append(text[i:end].lower())
        i = end
    return words


def _run(text: str, start: int, chars: frozenset[str]) -> int:
    """Where the run of ``chars`` starting at ``start`` ends."""
    end = start
    while end < len(text) and text[end] in chars:
        end += 1
    return end


def validate_database_name(name: str) -> str:
    """Return the stripped name, or raise :class:`InputError` if no database could be called so."""
    stripped = name.strip()
    if not stripped:
        raise InputError("database name is empty: pass the name of the database to retire")
    if len(stripped) > 128:
        raise InputError(f"database name is {len(stripped)} characters long; the limit is 128")
    allowed = stripped[0] in _FIRST and all(char in _ALLOWED for char in stripped)
    if not allowed or not split_words(stripped):
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
    # Words are letters and digits: re.escape would leave them as they are.
    return "[-_ ]?".join(split_words(name))


def search_pattern(names: list[str]) -> str:
    """One regex source matching every spelling of every name (for the first search)."""
    return "|".join(f"(?:{variant_pattern(n)})" for n in dict.fromkeys(names))
