"""The code rule: partial rewrites of realistic files, the fail-fast helpers, and its parts."""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tree_sitter import Node

from agent.discovery.models import SourceType
from agent.discovery.names import NameMatcher
from agent.qa.confinement import stray_changes
from agent.qa.parsing import check_parses
from agent.refactor.base import DECOM_MARK, Action, FileEdit, Rewrite, Target, split_lines
from agent.refactor.rules.code import CodeRule, _settle
from agent.refactor.rules.code_core import Edits, Refs, Source, walk
from agent.refactor.rules.code_failfast import _go_zero
from agent.refactor.rules.code_lang import container_kind, family, is_opener
from agent.refactor.rules.code_passes import _BANNER, Ctx, attached_start, index_comments
from tests.refactor.harness import Fixture, all_fixtures, make_edit

CODE_FIXTURES = Path(__file__).parent / "fixtures" / "code"
PARTIAL = sorted(CODE_FIXTURES.glob("partial/*/case.json"))


def _partial(spec_path: Path) -> Fixture:
    folder = spec_path.parent
    return Fixture(f"code/partial/{folder.name}", folder, json.loads(spec_path.read_text()))


def _edit(
    text: str,
    source_type: SourceType,
    database: str = "payroll_ledger",
    removed_symbols: frozenset[str] = frozenset(),
) -> FileEdit:
    target = Target(database, NameMatcher(database))
    refs = frozenset(n for n, line in enumerate(split_lines(text), 1) if target.mentions(line))
    return FileEdit("x", source_type, text, refs, target, removed_symbols)


def _run(text: str, source_type: SourceType = SourceType.PYTHON) -> Rewrite:
    return CodeRule().rewrite(_edit(text, source_type))


def _line_numbers(result: Rewrite) -> list[int]:
    return [int(note.split(":", 1)[0]) for note in result.needs_human]


# --- Realistic files the rule can only partly rewrite --------------------------------------


@pytest.mark.parametrize("spec_path", PARTIAL, ids=[p.parent.name for p in PARTIAL])
def test_partial_rewrite(spec_path: Path) -> None:
    """The safe part is done exactly; every remaining reference is listed for a human."""
    fixture = _partial(spec_path)
    edit = make_edit(fixture)
    result = CodeRule().rewrite(edit)
    assert result.action is Action(str(fixture.spec["action"])), result.reason
    assert result.text is not None
    assert result.text == fixture.after
    assert stray_changes(edit.text, result.text, result.touched) == []
    assert check_parses(edit.source_type, result.text, edit.path) is None
    assert _line_numbers(result) == fixture.spec["needs_human_lines"]
    # Every line that still names the database is an untouched original line with a note.
    old, new = split_lines(edit.text), split_lines(result.text)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, _i2, j1, j2 in matcher.get_opcodes():
        for offset, line in enumerate(new[j1:j2]):
            if DECOM_MARK in line or not edit.target.mentions(line):
                continue
            assert op == "equal", f"the rewrite wrote a new reference: {line!r}"
            assert i1 + offset + 1 in _line_numbers(result)


def test_partial_fixtures_are_hidden_from_the_generic_harness() -> None:
    """They keep references by design, which the generic invariant forbids."""
    assert PARTIAL
    assert not [f for f in all_fixtures() if "partial" in str(f.folder)]


@pytest.mark.parametrize(
    "fixture",
    [f for f in all_fixtures() if f.name.startswith("code/")] + [_partial(p) for p in PARTIAL],
    ids=lambda f: str(f.name),
)
def test_rewriting_twice_changes_nothing(fixture: Fixture) -> None:
    """The fail-fast messages carry the decom mark, so a second run leaves them alone."""
    text = fixture.after if fixture.after is not None else fixture.before
    edit = make_edit(fixture)
    again = CodeRule().rewrite(
        FileEdit(edit.path, edit.source_type, text, frozenset(), edit.target, edit.removed_symbols)
    )
    assert again.action in (Action.NO_CHANGE, Action.NEEDS_HUMAN), again.reason
    assert again.text is None


# --- The fail-fast helpers really fail fast ------------------------------------------------


def test_python_stand_in_raises_on_use_and_keeps_the_module_importable() -> None:
    text = 'import os\n\nLEDGER = create_engine(os.environ["PAYROLL_LEDGER_URL"])\n'
    result = _run(text)
    assert result.action is Action.FAIL_FAST
    assert result.text is not None
    namespace: dict[str, Any] = {}
    exec(compile(result.text, "<rewrite>", "exec"), namespace)  # imports stay importable
    ledger = namespace["LEDGER"]
    error = namespace["DatabaseDecommissionedError"]
    with pytest.raises(error, match="payroll_ledger was decommissioned"):
        ledger.connect()
    with pytest.raises(error):
        ledger()
    with pytest.raises(error):
        with ledger:
            pass
    assert not hasattr(ledger, "__deepcopy__")  # introspection still sees a plain object


def test_python_return_becomes_raise() -> None:
    text = (
        "from sqlalchemy import create_engine\n\n\n"
        "def engine():\n"
        '    return create_engine("postgresql://payroll-ledger-db/payroll_ledger")\n'
    )
    result = _run(text)
    assert result.text is not None
    assert "import" not in result.text  # create_engine is used nowhere else: it goes
    namespace: dict[str, Any] = {}
    exec(compile(result.text, "<rewrite>", "exec"), namespace)
    with pytest.raises(namespace["DatabaseDecommissionedError"]):
        namespace["engine"]()


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_javascript_proxy_throws_a_named_error(tmp_path: Path) -> None:
    text = (
        "const { Pool } = require('pg')\n"
        "const pool = new Pool({ connectionString: process.env.PAYROLL_LEDGER_URL })\n"
        "module.exports = { pool }\n"
    )
    result = _run(text, SourceType.JAVASCRIPT)
    assert result.text is not None
    script = result.text.replace("require('pg')", "{ Pool: class {} }") + (
        "try { pool.query('select 1') } catch (e) { console.log(e.name + ': ' + e.message) }\n"
    )
    (tmp_path / "t.js").write_text(script)
    done = subprocess.run(["node", str(tmp_path / "t.js")], capture_output=True, text=True)
    assert done.stdout.strip().startswith("DatabaseDecommissionedError: payroll_ledger was")


# --- Things the rule must not do -----------------------------------------------------------


def test_no_reference_is_no_change() -> None:
    assert _run("import os\nX = 1\n").action is Action.NO_CHANGE


def test_unparseable_file_goes_to_a_human() -> None:
    result = _run('LEDGER = create_engine("payroll_ledger"\n')
    assert result.action is Action.NEEDS_HUMAN
    assert result.text is None
    assert _line_numbers(result) == [1]


def test_set_in_a_comparison_keeps_its_element() -> None:
    """Removing "payroll_ledger" from ``== {...}`` would invert the check."""
    text = 'def same(a, b):\n    return {a, b} == {"orders", "payroll_ledger"}\n'
    result = _run(text)
    assert result.action is Action.NEEDS_HUMAN
    assert _line_numbers(result) == [2]


def test_decorator_arguments_are_not_connections() -> None:
    text = (
        '@pytest.mark.django_db(databases=["default", "payroll_ledger"])\ndef test_x():\n    pass\n'
    )
    assert _run(text).action is Action.NEEDS_HUMAN


def test_module_level_connect_call_is_left_for_a_human() -> None:
    """Raising at import time would break every importer."""
    text = 'import mongoengine\n\nmongoengine.connect("payroll_ledger")\n'
    result = _run(text)
    assert result.action is Action.NEEDS_HUMAN
    assert _line_numbers(result) == [3]


def test_constant_still_used_in_business_logic_stays() -> None:
    text = (
        'import os\n\nLEDGER_URL = os.environ["PAYROLL_LEDGER_URL"]\n\n\n'
        "def banner():\n    return LEDGER_URL\n"
    )
    result = _run(text)
    assert result.action is Action.NEEDS_HUMAN
    assert _line_numbers(result) == [3]


def test_pytest_marker_is_not_a_connection_setting() -> None:
    result = _run("import pytest\n\npytestmark = pytest.mark.payroll_ledger_db\n")
    assert result.action is Action.NEEDS_HUMAN


def test_go_open_without_error_check_is_left_for_a_human() -> None:
    text = (
        'package main\n\nimport (\n\t"database/sql"\n\t"os"\n)\n\n'
        'func main() {\n\tdb, _ := sql.Open("postgres", os.Getenv("PAYROLL_LEDGER_DSN"))\n'
        "\tdb.Ping()\n}\n"
    )
    result = _run(text, SourceType.GO)
    assert result.action is Action.NEEDS_HUMAN
    assert _line_numbers(result) == [9]


def test_import_unused_before_the_edit_stays() -> None:
    text = "import os\nimport sys\n\nLEDGER_DSN = os.environ['PAYROLL_LEDGER_DSN']\n"
    result = _run(text)
    assert result.text == "import sys\n"  # os went with its only use; sys was never ours


def test_python_tuple_of_one_keeps_its_comma() -> None:
    result = _run('for db in ("payroll_ledger", "orders"):\n    print(db)\n')
    assert result.text == 'for db in ("orders",):\n    print(db)\n'


def test_java_bean_used_in_the_file_throws_instead_of_going() -> None:
    text = (
        "class C {\n"
        "    @Bean\n"
        "    public DataSource ledgerDataSource() {\n"
        '        return build("payroll_ledger");\n'
        "    }\n\n"
        "    @Bean\n"
        "    public JdbcTemplate jdbc() {\n"
        "        return new JdbcTemplate(ledgerDataSource());\n"
        "    }\n"
        "}\n"
    )
    result = _run(text, SourceType.JAVA)
    assert result.action is Action.FAIL_FAST
    assert result.text is not None
    assert 'throw new IllegalStateException("payroll_ledger was decommissioned' in result.text
    assert "ledgerDataSource() {" in result.text
    assert any("still used in this file" in note for note in result.needs_human)


# --- Parts ----------------------------------------------------------------------------------


def test_refs_are_byte_offsets() -> None:
    text = 'NOTE = "é"; URL = "payroll_ledger"\n'
    source = Source(text, "python")
    refs = Refs(source, Target("payroll_ledger", NameMatcher("payroll_ledger")), (), ())
    start, end = refs.spans[0]
    assert source.data[start:end] == b"payroll_ledger"


def test_refs_skip_decom_lines() -> None:
    text = 'X = f("payroll_ledger was decommissioned by decom: remove this code path")\n'
    source = Source(text, "python")
    refs = Refs(source, Target("payroll_ledger", NameMatcher("payroll_ledger")), (), ())
    assert refs.spans == []


def test_build_keeps_a_missing_final_newline_missing() -> None:
    source = Source("a = 1\nb = 2\nc = 3", "python")
    edits = Edits(source)
    edits.delete_lines(3, 3)
    text, touched = edits.build()
    assert text == "a = 1\nb = 2"
    assert touched == ((2, 3),)


def test_insertion_reports_a_neighbour() -> None:
    source = Source("import os\n\nx = 1\n", "python")
    edits = Edits(source)
    edits.insert(2, "y = 2\n")
    text, touched = edits.build()
    assert text == "import os\ny = 2\n\nx = 1\n"
    assert stray_changes(source.text, text, touched) == []


def test_tidy_drops_doubled_blank_lines() -> None:
    source = Source("a = 1\n\nb = 2\n\nc = 3\n", "python")
    edits = Edits(source)
    edits.delete_lines(3, 3)
    edits.tidy_blank_lines()
    text, touched = edits.build()
    assert text == "a = 1\n\nc = 3\n"
    assert stray_changes(source.text, text, touched) == []


def test_tidy_drops_blank_line_left_before_a_closing_brace() -> None:
    source = Source("class A {\n    int a;\n\n    int b;\n}\n", "java")
    edits = Edits(source)
    edits.delete_lines(4, 4)
    edits.tidy_blank_lines()
    assert edits.build()[0] == "class A {\n    int a;\n}\n"


def test_settle_widens_to_an_identical_neighbour() -> None:
    # Deleting the first "}" reads, to a line diff, like deleting the last one.
    original, text = "}\n}\n}\n", "}\n}\n"
    assert stray_changes(original, text, ((1, 1),)) != []
    settled = _settle(original, text, ((1, 1),))
    assert stray_changes(original, text, settled) == []
    assert settled == ((1, 3),)


@pytest.mark.parametrize(
    ("name", "qualified", "lang", "expected"),
    [
        ("create_engine", "create_engine", "python", True),
        ("Pool", "Pool", "js", True),
        ("getConnection", "DriverManager.getConnection", "java", True),
        ("knex", "knex", "js", True),
        ("getLogger", "logging.getLogger", "python", False),
        ("open", "open", "python", False),
        ("django_db", "pytest.mark.django_db", "python", False),
        ("Open", "sql.Open", "go", True),
        ("Open", "os.Open", "go", False),
    ],
)
def test_is_opener(name: str, qualified: str, lang: str, expected: bool) -> None:
    assert is_opener(name, qualified, lang) is expected


def test_family_and_container_kind() -> None:
    assert family("tsx") == family("javascript") == "js"
    source = Source('var m = map[string]int{"a": 1}\nvar s = []string{"a"}\n', "go")
    kinds = []
    for node in _walk_types(source, "literal_value"):
        kinds.append(container_kind(node, "go", source.data))
    assert kinds == ["map", "list"]


def _walk_types(source: Source, kind: str) -> list[Node]:
    return [n for n in walk(source.root) if n.type == kind]


@pytest.mark.parametrize(
    ("text", "banner"),
    [
        ("# --- Databases ---", True),
        ("// =====", True),
        ("/** Order History database. */", False),
        ("/**\n * Pool.\n */", False),
        ("# order_history primary", False),
    ],
)
def test_banner(text: str, banner: bool) -> None:
    assert bool(_BANNER.match(text)) is banner


def test_comment_naming_something_that_stays_is_kept() -> None:
    text = "// `orders` and `payroll_ledger` connections.\nconst a = 1;\n"
    source = Source(text, "tsx")
    target = Target("payroll_ledger", NameMatcher("payroll_ledger"))
    ctx = Ctx(source, "js", Refs(source, target, (), ()), Edits(source), "payroll_ledger", '"')
    index_comments(ctx)
    statement = source.root.named_children[-1]
    assert attached_start(ctx, statement) == 2


@pytest.mark.parametrize(
    ("kind", "zero"),
    [
        ("*sql.DB", "nil"),
        ("string", '""'),
        ("int64", "0"),
        ("bool", "false"),
        ("Config", "Config{}"),
    ],
)
def test_go_zero_values(kind: str, zero: str) -> None:
    source = Source(f"package p\n\nfunc f() ({kind}, error) {{ return }}\n", "go")
    results = _walk_types(source, "parameter_declaration")
    node = results[0].child_by_field_name("type")
    assert node is not None
    target = Target("x", NameMatcher("x"))
    ctx = Ctx(source, "go", Refs(source, target, (), ()), Edits(source), "x", '"')
    assert _go_zero(ctx, node) == zero


def test_last_statement_of_a_python_block_stays() -> None:
    """Removing it would leave an empty block; the connection still fails fast."""
    text = (
        "import os\n\n\ndef url(debug):\n    if debug:\n"
        '        dsn = os.environ["PAYROLL_LEDGER_DSN"]\n'
        "    return psycopg2.connect(dsn)\n"
    )
    result = _run(text)
    assert result.text is not None
    assert 'dsn = os.environ["PAYROLL_LEDGER_DSN"]' in result.text
    assert "raise DatabaseDecommissionedError(" in result.text
    assert check_parses(SourceType.PYTHON, result.text) is None


def test_class_attributes_are_structure_not_settings() -> None:
    text = 'class Db(enum.Enum):\n    ORDERS = "orders"\n    PAYROLL_LEDGER = "payroll_ledger"\n'
    assert _run(text).action is Action.NEEDS_HUMAN


def test_dunder_all_loses_only_names_this_edit_removed() -> None:
    text = (
        "import os\n\n"
        '__all__ = ["LEDGER_ENGINE", "PAYROLL_LEDGER_URL", "ORDERS_URL"]\n\n'
        'ORDERS_URL = os.environ["ORDERS_URL"]\n'
        'PAYROLL_LEDGER_URL = os.environ["PAYROLL_LEDGER_URL"]\n'
        "LEDGER_ENGINE = create_engine(PAYROLL_LEDGER_URL)\n"
    )
    result = _run(text)
    assert result.text is not None
    assert '__all__ = ["LEDGER_ENGINE", "ORDERS_URL"]' in result.text  # the handle stays
    assert "PAYROLL_LEDGER_URL =" not in result.text
    assert "PAYROLL_LEDGER_URL" in result.removed_symbols


@pytest.mark.parametrize(
    ("value", "setting"),
    [
        ('"postgres://app@payroll-ledger-db:5432/payroll_ledger"', True),
        ('"payroll-ledger-db.internal:5432"', True),
        ('"host=payroll-ledger-db dbname=payroll_ledger"', True),
        ('"payroll_ledger"', True),
        ('"metrics.payroll_ledger.rows"', False),
        ('"SELECT * FROM payroll_ledger.public.entries"', False),
    ],
)
def test_what_counts_as_a_connection_string(value: str, setting: bool) -> None:
    result = _run(f"SOURCE = {value}\n")
    assert (result.text == "") is setting


def test_returned_tuple_is_a_record_not_a_list() -> None:
    text = 'def pair():\n    return ("orders", "payroll_ledger")\n'
    assert _run(text).action is Action.NEEDS_HUMAN


def test_exported_handle_keeps_its_export() -> None:
    text = (
        "const { Pool } = require('pg')\n"
        "const payrollLedgerPool = new Pool({ connectionString: process.env.PAYROLL_LEDGER_URL })\n"
        "module.exports = { payrollLedgerPool }\n"
    )
    result = _run(text, SourceType.JAVASCRIPT)
    assert result.text is not None
    assert result.text.endswith("module.exports = { payrollLedgerPool }\n")


def test_kotlin_primary_bean_with_expression_body_throws() -> None:
    text = (
        "class DataSources {\n"
        "    @Bean\n"
        "    @Primary\n"
        "    fun ledgerDataSource(): DataSource =\n"
        '        DataSourceBuilder.create().url(System.getenv("PAYROLL_LEDGER_URL")).build()\n'
        "}\n"
    )
    result = _run(text, SourceType.KOTLIN)
    assert result.action is Action.FAIL_FAST
    assert result.text == (
        "class DataSources {\n"
        "    @Bean\n"
        "    @Primary\n"
        "    fun ledgerDataSource(): DataSource =\n"
        '        throw IllegalStateException("payroll_ledger was decommissioned by decom: '
        'remove this code path")\n'
        "}\n"
    )
    assert _line_numbers(result) == [4]
