"""Target.mentioning_lines: the lines that mention the database, without testing every line."""

from __future__ import annotations

import random

from agent.discovery.models import Alias, AliasForm
from agent.discovery.names import NameMatcher
from agent.refactor.base import Target, split_lines

ALIASES = (
    Alias("LEDGER_DSN", AliasForm.IDENTIFIER, None, "env var"),
    Alias("ledger-db.internal", AliasForm.IDENTIFIER, None, "host"),
    Alias("aws_db_instance.main", AliasForm.ADDRESS, None, "address"),
    Alias(".Values.ledger", AliasForm.ADDRESS, None, "helm value"),
    Alias("ledger", AliasForm.QUOTED, None, "django alias"),
    Alias("spring.datasource.ledger", AliasForm.KEY_PREFIX, None, "spring"),
)
PIECES = [
    "payroll_ledger", "PAYROLL-LEDGER", "payroll ledger", "payrollLedger", "payroll_ledger_v2",
    "orders", "LEDGER_DSN", "LEDGER_DSN_X", "ledger-db.internal", "aws_db_instance.main",
    "aws_db_instance.main.id", "x.aws_db_instance.main", ".Values.ledger", "'ledger'",
    '"ledger"', "SPRING_DATASOURCE_LEDGER_URL", "spring.datasource.ledger.url", "ledger",
    " ", "=", ".", "-", "_", '"', "'", "#", "/", ":", "\t", "\r", "\n", "\r\n", "@", "é",
]  # fmt: skip


def per_line(target: Target, text: str) -> list[int]:
    return [n for n, line in enumerate(split_lines(text), start=1) if target.mentions(line)]


def test_the_same_lines_as_testing_each_line() -> None:
    rng = random.Random(7)
    target = Target(
        "payroll_ledger",
        NameMatcher("payroll_ledger", excluded=["payroll_ledger_v2"]),
        ALIASES,
        (NameMatcher("legacy_pay"),),
    )
    pieces = [*PIECES, "legacy_pay"]
    found = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        expected = per_line(target, text)
        assert target.mentioning_lines(text) == expected, repr(text)
        found += len(expected)
    assert found > 1000  # the inputs do mention it, often


def test_no_mention_and_edges() -> None:
    target = Target("payroll_ledger", NameMatcher("payroll_ledger"), ALIASES)
    assert target.mentioning_lines("") == []
    assert target.mentioning_lines("orders\nbilling\n") == []
    assert target.mentioning_lines("payroll_ledger") == [1]
    assert target.mentioning_lines("a\r\nb\r\nLEDGER_DSN\r\n") == [3]
    assert target.mentioning_lines("x\n\n'ledger'\nspring.datasource.ledger.url=1") == [3, 4]
