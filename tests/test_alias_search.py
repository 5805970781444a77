"""AliasFinder finds exactly what alias_regex finds (it replaces the regex in the scan loop)."""

from __future__ import annotations

import random

import pytest

from agent.discovery.alias_search import AliasFinder, Lines, alias_regex
from agent.discovery.models import Alias, AliasForm

NAMES = [
    "DB_DSN",
    "sr-prod-replica-01",
    "google_sql_database_instance.primary",
    "ledger",
    "spring.datasource.ledger",
    "reservationsPool",
    ".Values.db.host",
    "local.ledger_host",
    "a-b",
    "-x-",
    "x.",
    "K",
    "\u017ftate",  # long s: folds to "s" case-insensitively
    "kelvin",
    "stra\u00dfe",
    "\u00e9t\u00e9",
    "x+y",
    "(a)",
    "a b",
    "\u0130stanbul",
    "pl_prod_01",
    "",
]
#: ASCII, boundary and quote characters, and non-ASCII ones with case folds into ASCII.
CHARS = list("abkszABKSZ019_-.\"' =:/@$") + ["\u212a", "\u017f", "\u00e9", "\u0130", "\u0131", "\r"]


def _variant(rng: random.Random, name: str) -> str:
    out = []
    for ch in name:
        roll = rng.random()
        if roll < 0.15:
            ch = ch.swapcase()
        elif roll < 0.2 and ch.lower() == "k":
            ch = "\u212a"  # Kelvin sign
        elif roll < 0.25 and ch.lower() == "s":
            ch = "\u017f"
        out.append(ch)
    return "".join(out)


def _line(rng: random.Random, name: str) -> str:
    parts = []
    for _ in range(rng.randint(0, 6)):
        if rng.random() < 0.45:
            spelled = rng.choice([name, name.upper(), name.lower()])
            spelled = _variant(rng, spelled) if rng.random() < 0.3 else spelled
            quote = rng.choice(["", "", '"', "'"])
            parts.append(f"{quote}{spelled}{quote}")
        else:
            parts.append("".join(rng.choice(CHARS) for _ in range(rng.randint(0, 4))))
    return "".join(parts)


@pytest.mark.parametrize("form", list(AliasForm))
def test_the_finder_agrees_with_the_regex(form: AliasForm) -> None:
    rng = random.Random(f"alias-finder-{form.value}")
    hits = 0
    for index in range(400):
        name = NAMES[index % len(NAMES)] if index < 2 * len(NAMES) else ""
        if not name:
            name = "".join(rng.choice(CHARS) for _ in range(rng.randint(1, 6)))
        alias = Alias(name, form, None, "test")
        regex = alias_regex(alias)
        finder = AliasFinder(alias)
        lines = [_line(rng, name) for _ in range(30)]
        for line in lines:
            m = regex.search(line)
            assert finder.search(line) == (None if m is None else m.span()), (name, line)
            hits += m is not None
        if any(regex.search(line) for line in lines):
            assert finder.may_occur(Lines(lines)), (name, lines)
    assert hits > 1000  # the lines do hold matches


def test_a_file_without_the_name_is_skipped_in_one_test() -> None:
    lines = Lines(["DB_HOST=x", "db_dsn = 1"])
    assert not AliasFinder(Alias("DB_DSN", AliasForm.IDENTIFIER, None, "")).may_occur(lines)
    assert AliasFinder(Alias("db_dsn", AliasForm.IDENTIFIER, None, "")).may_occur(lines)
    assert AliasFinder(Alias("db_host", AliasForm.IDENTIFIER, None, "")).may_occur(lines)
