"""Unit tests for the JSON, settings, docs and CODEOWNERS rules and their text helpers.

The before/after behaviour lives in fixtures (tests/refactor/fixtures/{json,settings,docs,
codeowners}); these tests pin the helpers and the partial cases a fixture cannot show (a
rewrite that leaves work for a human keeps a reference, which the fixture harness rejects).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.discovery.models import Alias, SourceType
from agent.discovery.names import NameMatcher
from agent.discovery.sourcetypes import classify
from agent.qa.confinement import stray_changes
from agent.qa.parsing import check_parses
from agent.refactor.base import Action, FileEdit, Rewrite, Target, split_lines
from agent.refactor.rules import rule_for
from agent.refactor.rules.docs import CodeownersRule, DocsRule, _lead
from agent.refactor.rules.json_docs import JsonRule, _Parser
from agent.refactor.rules.settings import SettingsRule
from agent.refactor.rules.text_edits import (
    apply_edits,
    item_deletions,
    list_element_deletions,
    touched_lines,
    unhandled,
)

DATASETS = Path(__file__).resolve().parents[2] / "evals" / "datasets"
MINE = {
    SourceType.JSON_CONFIG: JsonRule,
    SourceType.GRAFANA: JsonRule,
    SourceType.DATADOG: JsonRule,
    SourceType.ENV_FILE: SettingsRule,
    SourceType.PROPERTIES: SettingsRule,
    SourceType.INI: SettingsRule,
    SourceType.TOML: SettingsRule,
    SourceType.MARKDOWN: DocsRule,
    SourceType.RST: DocsRule,
    SourceType.TEXT: DocsRule,
    SourceType.CODEOWNERS: CodeownersRule,
}


def make(
    text: str,
    source_type: SourceType,
    path: str = "file",
    database: str = "payroll_ledger",
    excluded: tuple[str, ...] = ("payroll_ledger_archive",),
    aliases: tuple[Alias, ...] = (),
    removed_symbols: frozenset[str] = frozenset(),
) -> FileEdit:
    target = Target(database, NameMatcher(database, excluded=list(excluded)), aliases)
    refs = frozenset(n for n, line in enumerate(split_lines(text), 1) if target.mentions(line))
    return FileEdit(path, source_type, text, refs, target, removed_symbols)


def run(edit: FileEdit) -> Rewrite:
    rule = rule_for(edit.source_type)
    assert rule is not None
    return rule.rewrite(edit)


def assert_confined(edit: FileEdit, result: Rewrite) -> None:
    assert result.text is not None
    assert stray_changes(edit.text, result.text, result.touched) == []
    assert check_parses(edit.source_type, result.text, edit.path) is None


# --- registry -----------------------------------------------------------------------------


def test_registry_picks_these_rules() -> None:
    for source_type, cls in MINE.items():
        assert isinstance(rule_for(source_type), cls)
    names = {JsonRule.name, SettingsRule.name, DocsRule.name, CodeownersRule.name}
    assert names == {"json", "settings", "docs", "codeowners"}


# --- text helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spans", "gone", "expected"),
    [
        ('["a", "b", "c"]', [(1, 4), (6, 9), (11, 14)], {1}, '["a", "c"]'),
        ('["a", "b", "c"]', [(1, 4), (6, 9), (11, 14)], {0}, '["b", "c"]'),
        ('["a", "b", "c"]', [(1, 4), (6, 9), (11, 14)], {2}, '["a", "b"]'),
        ('["a", "b", "c"]', [(1, 4), (6, 9), (11, 14)], {1, 2}, '["a"]'),
        ('[\n  "a",\n  "b"\n]', [(4, 7), (11, 14)], {1}, '[\n  "a"\n]'),
        ('[\n  "a",\n  "b"\n]', [(4, 7), (11, 14)], {0}, '[\n  "b"\n]'),
        ('[\r\n  "a",\r\n  "b"\r\n]', [(5, 8), (13, 16)], {1}, '[\r\n  "a"\r\n]'),
    ],
)
def test_item_deletions_json(
    text: str, spans: list[tuple[int, int]], gone: set[int], expected: str
) -> None:
    for start, end in spans:  # the spans are those of the items
        assert text[start] == '"' and text[end - 1] == '"'
    result = apply_edits(text, [(a, b, "") for a, b in item_deletions(text, spans, gone)])
    assert result == expected
    json.loads(result)


def test_item_deletions_keep_comments_and_trailing_comma() -> None:
    text = '[\n  "a",  # main\n  "b",  # retiring\n  "c",\n]'
    spans = [(text.index(f'"{x}"'), text.index(f'"{x}"') + 3) for x in "abc"]
    cuts = item_deletions(text, spans, {1}, comment="#")
    assert apply_edits(text, [(a, b, "") for a, b in cuts]) == '[\n  "a",  # main\n  "c",\n]'
    cuts = item_deletions(text, spans, {2}, comment="#")
    assert apply_edits(text, [(a, b, "") for a, b in cuts]) == (
        '[\n  "a",  # main\n  "b",  # retiring\n]'
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('datname=~"payroll|payroll_ledger"', 'datname=~"payroll"'),
        ('datname=~"payroll_ledger|payroll"', 'datname=~"payroll"'),
        ("(orders|payroll_ledger|timesheets)", "(orders|timesheets)"),
        ("orders, payroll_ledger, timesheets", "orders, timesheets"),
        ("'orders','payroll_ledger'", "'orders'"),
        ("{db:orders OR db:payroll-ledger-prod OR db:x}", "{db:orders OR db:x}"),
        ("payroll-ledger-prod,payroll-ledger-replica", None),
        ('datname="payroll_ledger"', None),
        ("postgres://h/payroll_ledger", None),
        ("jdbc:postgresql://a:5432,payroll-ledger-db:5432/orders", None),
    ],
)
def test_list_element_deletions(value: str, expected: str | None) -> None:
    edit = make(value, SourceType.JSON_CONFIG)
    refs = edit.target.identifier_spans(value)
    assert refs
    cuts = list_element_deletions(value, refs)
    if expected is None:
        assert cuts is None
    else:
        assert cuts is not None
        assert apply_edits(value, [(a, b, "") for a, b in cuts]) == expected


def test_list_element_deletions_without_commas() -> None:
    value = "{dbinstanceidentifier:payroll-ledger-prod,env:prod}"
    refs = make(value, SourceType.DATADOG).target.identifier_spans(value)
    assert list_element_deletions(value, refs, comma_ok=True) is not None
    assert list_element_deletions(value, refs, comma_ok=False) is None


def test_apply_edits_merges_overlapping_cuts() -> None:
    assert apply_edits("abcdef", [(1, 3, ""), (2, 4, ""), (5, 5, "X")]) == "aeXf"


def test_touched_lines_adds_what_the_diff_shows() -> None:
    old = "a\n}\nb\n}\nc\n"
    new = "a\n}\nc\n"
    # The cut was reported on line 2; the diff aligns it on lines 3-4: both are reported.
    touched = touched_lines(old, new, [2])
    assert touched == ((2, 4),)
    assert stray_changes(old, new, touched) == []


def test_unhandled_skips_covered_and_decom_lines() -> None:
    text = "a payroll_ledger\n# decom: payroll_ledger retired: x\nb payroll_ledger\nc\n"
    edit = make(text, SourceType.ENV_FILE)
    assert edit.ref_lines == {1, 2, 3}
    assert unhandled(edit, [(1, 1)], []) == [
        "3: reported as a reference but left unchanged by the rule"
    ]
    assert unhandled(edit, [(1, 1)], ["3: known"]) == []


# --- JSON ---------------------------------------------------------------------------------


def test_parser_maps_escapes_back_to_raw_offsets() -> None:
    text = '{"k\\u00e9": "a\\"b\\u00e9\\ud83d\\ude00|payroll_ledger"}'
    root = _Parser(text).document()
    node = root.children[0]
    assert node.key == "k\u00e9"
    assert node.value == 'a"b\u00e9\U0001f600|payroll_ledger'
    assert len(node.offsets) == len(node.value) + 1
    assert text[node.offsets[node.value.index("|")]] == "|"
    assert text[node.offsets[-1]] == '"'


def test_json_string_cut_keeps_escapes_elsewhere() -> None:
    text = '{\n  "expr": "up{job=\\"caf\\u00e9\\", datname=~\\"orders|payroll_ledger\\"}"\n}\n'
    edit = make(text, SourceType.GRAFANA, "grafana/dashboards/x.json")
    result = run(edit)
    assert result.action is Action.STRUCTURAL_EDIT
    assert result.text == text.replace("|payroll_ledger", "")
    assert_confined(edit, result)


def test_cloudwatch_first_row_with_ditto_rows_goes_to_a_human() -> None:
    text = """{
  "widgets": [
    {
      "type": "text",
      "properties": { "markdown": "Instances of payroll and payroll_ledger." }
    },
    {
      "type": "metric",
      "properties": {
        "metrics": [
          ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", "payroll-ledger-prod"],
          ["...", "payroll-ledger-replica"],
          ["...", "payroll-prod"]
        ]
      }
    }
  ]
}
"""
    edit = make(text, SourceType.GRAFANA, "cloudwatch/dashboards/rds.json")
    result = run(edit)
    assert result.action is Action.STRUCTURAL_EDIT
    assert result.text is not None
    assert '["...", "payroll-ledger-replica"]' not in result.text
    assert '"payroll-ledger-prod"]' in result.text  # the row the ditto rows lean on stays
    assert [h.split(":")[0] for h in result.needs_human] == ["5", "11"]
    assert_confined(edit, result)


def test_datadog_name_next_to_shared_query_is_not_a_dedicated_monitor() -> None:
    text = """{
  "name": "CPU high on payroll-prod and payroll-ledger-prod",
  "type": "query alert",
  "query": "avg(last_5m):avg:aws.rds.cpu{id:payroll-prod OR id:payroll-ledger-prod} > 90"
}
"""
    edit = make(text, SourceType.DATADOG, "datadog/monitors/cpu.json")
    result = run(edit)
    assert result.action is Action.STRUCTURAL_EDIT
    assert result.needs_human and result.needs_human[0].startswith("2:")
    assert result.text is not None
    assert "{id:payroll-prod} > 90" in result.text


def test_config_file_about_the_database_goes_to_a_human() -> None:
    text = '{\n  "name": "payroll_ledger",\n  "port": 5432\n}\n'
    result = run(make(text, SourceType.JSON_CONFIG, "db.json"))
    assert result.action is Action.NEEDS_HUMAN
    assert result.text is None and result.needs_human


def test_json_with_comments_is_not_edited() -> None:
    text = '{\n  // local db\n  "db": "payroll_ledger"\n}\n'
    result = run(make(text, SourceType.JSON_CONFIG, "tsconfig.json"))
    assert result.action is Action.NEEDS_HUMAN
    assert result.text is None


def test_json_rewrite_is_idempotent() -> None:
    source = (
        DATASETS / "aws-terraform-payroll/repos/platform-ops/grafana/dashboards/rds-overview.json"
    )
    edit = make(source.read_text(), SourceType.GRAFANA, "grafana/dashboards/rds-overview.json")
    first = run(edit)
    assert first.action is Action.STRUCTURAL_EDIT and first.text is not None
    again = run(make(first.text, SourceType.GRAFANA, edit.path))
    assert again.action is Action.NO_CHANGE


# --- settings -----------------------------------------------------------------------------


def test_tox_commands_are_left_for_a_human() -> None:
    source = DATASETS / "python-node-orders/repos/checkout-api/tox.ini"
    text = source.read_text()
    edit = make(text, SourceType.INI, "tox.ini", "order_history", ("order_history_archive",))
    result = run(edit)
    assert result.action is Action.COMMENT_OUT
    assert [h.split(":")[0] for h in result.needs_human] == ["18", "24"]
    assert result.text is not None
    assert "    # decom: order_history retired: REPORTING_DB_URL = " in result.text
    assert "ORDER_HISTORY_DB_*" not in result.text
    assert_confined(edit, result)


def test_removed_symbols_count_as_references_in_settings() -> None:
    text = "DB_HOST=ledger-7f3a.internal\nOTHER=1\n"
    edit = make(text, SourceType.ENV_FILE, ".env", removed_symbols=frozenset({"ledger-7f3a"}))
    result = run(edit)
    assert result.action is Action.COMMENT_OUT
    assert result.text == "# decom: payroll_ledger retired: DB_HOST=ledger-7f3a.internal\nOTHER=1\n"


def test_code_named_like_an_env_file_is_not_edited() -> None:
    text = 'url = os.environ["PAYROLL_LEDGER_URL"]\n'
    result = run(make(text, SourceType.ENV_FILE, "alembic/env.py"))
    assert result.action is Action.NEEDS_HUMAN
    assert result.text is None


def test_settings_rewrite_is_idempotent() -> None:
    text = '[a]\ndbs = ["orders", "payroll_ledger"]\n\n[payroll_ledger]\nhost = "h"\n'
    first = run(make(text, SourceType.TOML, "x.toml"))
    assert first.text is not None and first.action is Action.COMMENT_OUT
    assert run(make(first.text, SourceType.TOML, "x.toml")).action is Action.NO_CHANGE


def test_toml_inline_table_naming_the_database_is_commented_whole() -> None:
    text = 'db = { name = "payroll_ledger", port = 5432 }\nx = 1\n'
    edit = make(text, SourceType.TOML, "x.toml")
    result = run(edit)
    assert result.text == (
        '# decom: payroll_ledger retired: db = { name = "payroll_ledger", port = 5432 }\nx = 1\n'
    )
    assert_confined(edit, result)


# --- docs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "lead"),
    [
        (
            "- `payroll_ledger_archive` is filled from the payroll_ledger rows",
            "payroll_ledger_archive",
        ),
        ("- **Order History database** (`order_history`)", "Order History database"),
        ("  * [ ] migrate payroll_ledger: soon", "migrate payroll_ledger"),
        ("- Credentials: SSM `/prod/payroll_ledger/pw`", "Credentials"),
        ("+ [runbook](payroll-ledger.md) for on-call", "runbook"),
    ],
)
def test_bullet_lead(line: str, lead: str) -> None:
    assert _lead(line) == lead


def test_docs_rewrite_is_idempotent() -> None:
    source = DATASETS / "aws-terraform-payroll/repos/platform-ops/docs/architecture.md"
    edit = make(source.read_text(), SourceType.MARKDOWN, "docs/architecture.md")
    first = run(edit)
    assert first.action is Action.DOC_NOTE and first.text is not None
    assert first.text.count("decom: payroll_ledger retired") == 1
    assert run(make(first.text, SourceType.MARKDOWN, edit.path)).action is Action.NO_CHANGE


def test_note_goes_after_a_bom_when_there_is_no_heading() -> None:
    text = "\ufeffThe payroll_ledger database is read nightly.\n"
    edit = make(text, SourceType.MARKDOWN, "notes.md")
    result = run(edit)
    assert result.action is Action.DOC_NOTE and result.text is not None
    assert result.text.startswith("\ufeff> **Note** (decom: payroll_ledger retired)")
    assert result.text.endswith("\n\nThe payroll_ledger database is read nightly.\n")


def test_heading_in_a_code_block_is_not_a_section() -> None:
    text = "# Ops\n\n```sh\n# payroll_ledger backup\nrun\n```\n\n## Next\n\ntext\n"
    result = run(make(text, SourceType.MARKDOWN, "README.md"))
    assert result.action is Action.DOC_NOTE and result.text is not None
    assert "# payroll_ledger backup\nrun\n" in result.text


def test_front_matter_is_not_a_heading() -> None:
    text = "---\ntitle: x\ndb: payroll_ledger\n---\n\n# Notes\n\nAbout payroll_ledger.\n"
    edit = make(text, SourceType.MARKDOWN, "docs/notes.md")
    result = run(edit)
    assert result.action is Action.DOC_NOTE and result.text is not None
    assert result.text.startswith("---\ntitle: x\ndb: payroll_ledger\n---\n\n# Notes\n\n> ")
    assert_confined(edit, result)


def test_history_records_are_never_deleted() -> None:
    text = "# Runbook: Payroll Ledger DB (2019 incident)\n\nWe lost payroll_ledger.\n"
    result = run(make(text, SourceType.MARKDOWN, "postmortems/payroll-ledger.md"))
    assert result.action is Action.DOC_NOTE


# --- CODEOWNERS ---------------------------------------------------------------------------


def test_sole_database_owner_goes_to_a_human() -> None:
    text = "*  @acme/platform\n/tools/  @acme/payroll-ledger-db\n/db/payroll_ledger/  @acme/dba\n"
    edit = make(text, SourceType.CODEOWNERS, "CODEOWNERS")
    result = run(edit)
    assert result.action is Action.STRUCTURAL_EDIT
    assert result.needs_human == ("2: the database's team is the only owner of /tools/",)
    assert result.text == "*  @acme/platform\n/tools/  @acme/payroll-ledger-db\n"
    assert stray_changes(edit.text, result.text, result.touched) == []


def test_codeowners_decoys_are_no_change() -> None:
    text = "/datadog/monitors/payroll-ledger-service-latency.json @acme/payroll-app\n"
    assert run(make(text, SourceType.CODEOWNERS, "CODEOWNERS")).action is Action.NO_CHANGE


# --- every dataset file of these types keeps the invariants --------------------------------


def _dataset_files() -> list[tuple[Path, str, list[str], str, SourceType]]:
    """Every dataset file these rules handle, with its case's database and decoys."""
    found = []
    for labels in sorted(DATASETS.glob("*/labels.json")):
        spec = json.loads(labels.read_text())
        for path in sorted((labels.parent / "repos").rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(labels.parent / "repos").as_posix().split("/", 1)[1]
            source_type = classify(rel, path.read_bytes()[:4096])
            if source_type in MINE:
                found.append(
                    (path, spec["database"], spec.get("exclude_names", []), rel, source_type)
                )
    return found


DATASET_FILES = _dataset_files()


@pytest.mark.parametrize(
    ("path", "database", "excluded", "rel", "source_type"),
    DATASET_FILES,
    ids=[p.relative_to(DATASETS).as_posix() for p, *_ in DATASET_FILES],
)
def test_dataset_files_keep_invariants(
    path: Path, database: str, excluded: list[str], rel: str, source_type: SourceType
) -> None:
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8")
    edit = make(text, source_type, rel, database, tuple(excluded))
    result = run(edit)
    if result.text is None or result.action in (Action.NO_CHANGE, Action.NEEDS_HUMAN):
        assert result.action in (Action.NO_CHANGE, Action.NEEDS_HUMAN, Action.DELETE_FILE)
        assert result.action is Action.NO_CHANGE or result.reason
        return
    assert stray_changes(edit.text, result.text, result.touched) == []
    if check_parses(source_type, edit.text, rel) is None:
        assert check_parses(source_type, result.text, rel) is None
    # Nothing reported is silently dropped: each reference line is changed or flagged.
    touched = {n for a, b in result.touched for n in range(a, b + 1)}
    flagged = {int(h.split(":")[0]) for h in result.needs_human}
    if result.action is not Action.DOC_NOTE:
        assert edit.ref_lines <= touched | flagged
