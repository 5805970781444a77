"""Reference kinds decided from a line and its file's type."""

from __future__ import annotations

import pytest

from agent.discovery.kinds import classify_kind
from agent.discovery.models import ReferenceKind, SourceType


def _kind(line: str, match: str, source_type: SourceType = SourceType.YAML_CONFIG) -> str:
    column = line.index(match)
    return classify_kind(line, column, column + len(match), source_type).value


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ("host: payroll-ledger-db.internal", "payroll-ledger"),  # the host follows the name
        (
            "  host: subscriptions-db.internal.acme-saas.net",
            "subscriptions-db.internal.acme-saas.net",
        ),
        ("upstream ledger { server ledger.prod.example.com:5432; }", "ledger.prod.example.com"),
    ],
)
def test_a_host_is_a_hostname_whether_the_match_names_it_or_is_it(line: str, match: str) -> None:
    assert _kind(line, match) == ReferenceKind.HOSTNAME.value


@pytest.mark.parametrize(
    ("line", "match", "kind"),
    [
        ("value: module.payroll_ledger_db.endpoint", "module.payroll_ledger_db", "other"),
        ("DATABASE_URL=postgres://payroll-ledger-db/x", "payroll-ledger-db", "connection_string"),
        ("PAYROLL_LEDGER_HOST: x", "PAYROLL_LEDGER", "env_var"),
    ],
)
def test_addresses_urls_and_variables_keep_their_kinds(line: str, match: str, kind: str) -> None:
    assert _kind(line, match) == kind


def test_a_dotted_configuration_key_in_code_is_code_not_a_host() -> None:
    line = '    registry.add("spring.datasource.profiles.url", postgres::getJdbcUrl);'
    assert _kind(line, "spring.datasource.profiles", SourceType.JAVA) == "code"
