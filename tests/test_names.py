from __future__ import annotations

import random
import re

import pytest

from agent.discovery import spelling
from agent.discovery.names import (
    NameMatcher,
    spelling_variants,
    split_words,
    validate_database_name,
)
from agent.errors import InputError

LEDGER = NameMatcher("payroll_ledger", excluded=["payroll_ledger_archive"])


@pytest.mark.parametrize(
    "line",
    [
        "payroll_ledger",
        "payroll-ledger-db.internal",
        "postgres://app@host/payroll_ledger?sslmode=require",
        "jdbc:postgresql://host:5432/payroll_ledger",
        "PAYROLL_LEDGER_DSN=x",
        "PAYROLL_LEDGER_DATABASE_URL",
        "aws_db_instance.payroll_ledger.endpoint",
        "module.payroll_ledger_db",
        "payrollLedger",
        "PayrollLedgerDataSource",
        "payrollledger",
        "the Payroll Ledger database",
        "Retire the PAYROLL LEDGER cluster",
        "the payroll ledger database is read-only",
        "payroll-ledger-prod.c9xk2.us-east-1.rds.amazonaws.com",
        "pg_payroll_ledger_ro",
        "payroll-ledger-01",
        "dbs = [payroll_ledger_archive, payroll_ledger]",
        "PAYROLL_LEDGER_STATEMENT_TIMEOUT_MS=2000",
        "PAYROLL_LEDGER_SSLMODE=require",
        "export async function pingPayrollLedgerDb()",
        "checkPayrollLedgerConnection()",
        "PAYROLL_LEDGER_MONGO_POOL_SIZE=20",
        "- name: wait-for-payroll-ledger-db",
        "- alert: PayrollLedgerMongoMemberDown",
        '"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/rds/payroll-ledger-XyZ123"',
        'variable "enable_payroll_ledger" {',
        "payroll-infra:payrollLedgerInstanceClass: db.t3.medium",
        "  name: payroll-ledger-proxy",
        "chart: postgres-operator-payroll-ledger",
    ],
)
def test_spellings_and_database_affixes_are_references(line: str) -> None:
    assert LEDGER.matches(line), line


@pytest.mark.parametrize(
    "line",
    [
        "payroll_ledger_archive",
        "old_payroll_ledger",
        "payroll-ledger-service",
        "PayrollLedgerPro",
        "support@payrollledger.com",
        "see https://payrollledger.com/pricing",
        "status page: https://status.payrollledger.com",
        "Payroll Ledger Service owns this",
        "view your payroll ledger page",
        "payroll_ledgers",
        "HTTPPayrollLedger",
        "payroll_ledger_v2",
        "payroll-ledger-export-job",
        "arn:aws:s3:::payroll-ledger-XyZ123",
        "payroll-ledger-v2-db",
        "PAYROLL_LEDGER_V2_DATABASE_URL",
        "jdbc:postgresql://payroll-ledger-v3-db:5432/app",
        "payrollLedgerV2Db",
        "PAYROLL_LEDGER_INVOICE_TIMEOUT_MS",
        "renderPayrollLedgerReport()",
        '"seller.nav.ledger": "Payroll Ledger Uploads",',
    ],
)
def test_other_identifiers_are_not_references(line: str) -> None:
    assert not LEDGER.matches(line), line


def test_excluded_name_never_reported_even_beside_a_reference() -> None:
    matcher = NameMatcher("payroll_ledger", excluded=["payroll_ledger_replica"])
    line = "hosts: payroll_ledger_replica, payroll_ledger_db"
    spans = [line[m.start : m.end] for m in matcher.find(line)]
    assert spans == ["payroll_ledger"]
    assert line.index("payroll_ledger_db") == next(matcher.find(line)).start


def test_excluded_name_with_database_affix_is_still_excluded() -> None:
    # Without the exclusion "replica" is a database affix and would be accepted.
    assert NameMatcher("payroll_ledger").matches("payroll_ledger_replica")
    assert not NameMatcher("payroll_ledger", excluded=["payroll_ledger_replica"]).matches(
        "host=payroll-ledger-replica.internal"
    )


def test_affixes_are_configurable() -> None:
    strict = NameMatcher("payroll_ledger", affixes={"db"})
    assert strict.matches("payroll_ledger_db")
    assert not strict.matches("payroll_ledger_host")


def test_variants_and_words() -> None:
    assert split_words("PayrollLedger_DB-host2") == ["payroll", "ledger", "db", "host", "2"]
    variants = spelling_variants("payroll_ledger")
    for expected in [
        "payroll-ledger",
        "payrollLedger",
        "PayrollLedger",
        "PAYROLL_LEDGER",
        "payrollledger",
        "Payroll Ledger",
    ]:
        assert expected in variants
        assert LEDGER.matches(f"x {expected} database")


def test_single_word_name() -> None:
    orders = NameMatcher("orders")
    assert orders.matches("ORDERS_DB_HOST=orders-db.internal")
    assert not orders.matches("reorders = 3")
    assert not orders.matches("orders_archive")


@pytest.mark.parametrize("bad", ["", "   ", "payroll;drop", "../etc", "-rf", "a" * 200, "ümlaut"])
def test_bad_names_are_rejected(bad: str) -> None:
    with pytest.raises(InputError):
        validate_database_name(bad)


def test_good_names_are_kept() -> None:
    assert validate_database_name("  payroll_ledger ") == "payroll_ledger"
    assert validate_database_name("billing-db.v2") == "billing-db.v2"


@pytest.mark.parametrize(
    ("line", "prose", "expected"),
    [
        ("Our invoicing process runs monthly", True, False),
        ("the invoicing team owns mail templates", False, False),
        ("restore the invoicing database first", True, True),
        ("Invoicing DB is read-only from Friday", True, True),
        ("run `invoicing` migrations", True, True),
        ("- invoicing", True, True),
        ("  database: invoicing", False, True),
        ("mysql -h invoicing-db invoicing < dump.sql", False, True),
        ("INVOICING_DATABASE_URL=mysql2://app@invoicing-db/invoicing", False, True),
        ("class Invoice < InvoicingRecord", False, True),
    ],
)
def test_one_word_names_in_prose_need_database_context(
    line: str, prose: bool, expected: bool
) -> None:
    assert NameMatcher("invoicing").matches(line, prose) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('name = "pe-psql-loyalty-points-prod"', True),  # Azure CAF type codes
        ('"referenceName": "pl_pg_loyaltypoints_snapshot"', True),  # Data Factory codes
        ("ConnectionStrings__LoyaltyPoints", True),
        ("services.AddDbContext<LoyaltyPointsContext>()", True),
        ("old_pg_loyalty_points", False),  # a short word that makes another thing
        ("xyz_loyalty_points", False),  # a short code needs a database word beside it
        ("the legacy Loyalty Points database", True),
        ("LoyaltyPointsCalculator", False),
    ],
)
def test_naming_conventions_with_type_codes(line: str, expected: bool) -> None:
    assert NameMatcher("loyalty_points").matches(line) is expected


def test_words_and_names_without_re_are_those_of_the_regexes() -> None:
    """spelling (before ripgrep starts, without re) agrees with the regex definitions."""
    token = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
    allowed = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-. $]*$")
    rng = random.Random("spelling")
    chars = [*"aAbBzZyY09_- .$\n\t", "\u00e9", "\u00c9", "\u212a", "\u017f", "\u0130", "\u0663"]
    texts = ["PayrollLedger_DB-host2", "XMLHttpRequest", "ABCdef", "aBC", "AB", "ABc", "x" * 200]
    texts += ["".join(rng.choice(chars) for _ in range(rng.randint(0, 14))) for _ in range(20000)]
    for text in texts:
        words = [t.lower() for t in token.findall(text)]
        assert spelling.split_words(text) == split_words(text) == words, text
        stripped = text.strip()
        valid = bool(stripped) and len(stripped) <= 128 and bool(allowed.match(stripped))
        try:
            spelling.validate_database_name(text)
        except InputError:
            assert not (valid and words), text
        else:
            assert valid and words, text
            assert spelling.variant_pattern(text) == "[-_ ]?".join(re.escape(w) for w in words)
