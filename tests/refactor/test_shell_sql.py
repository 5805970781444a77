"""Unit tests for the shell and SQL rules' helpers (the fixtures cover whole files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.discovery.models import SourceType
from agent.discovery.names import NameMatcher
from agent.qa.parsing import check_parses
from agent.refactor.base import DECOM_MARK, Action, FileEdit, Rewrite, Target, split_lines
from agent.refactor.rules.script_edits import LinePlan, Refs, mark_comment
from agent.refactor.rules.shell import ShellRule
from agent.refactor.rules.shell_lex import blocks, lex
from agent.refactor.rules.shell_make import make_lines
from agent.refactor.rules.shell_pwsh import lex_pwsh
from agent.refactor.rules.shell_words import drop_elements, uses
from agent.refactor.rules.sql import SqlRule, is_migration
from agent.refactor.rules.sql_lex import split
from tests.refactor.harness import all_fixtures, make_edit

DATASETS = Path(__file__).parents[2] / "evals" / "datasets"


def edit_for(
    text: str,
    source_type: SourceType,
    path: str = "scripts/run.sh",
    database: str = "payroll_ledger",
    removed: frozenset[str] = frozenset(),
) -> FileEdit:
    target = Target(database, NameMatcher(database, excluded=[f"{database}_archive"]))
    refs = frozenset(n for n, line in enumerate(split_lines(text), 1) if target.mentions(line))
    return FileEdit(path, source_type, text, refs, target, removed)


def shell(text: str, path: str = "scripts/run.sh") -> Rewrite:
    return ShellRule().rewrite(edit_for(text, SourceType.SHELL, path))


def sql(text: str, path: str = "db/setup.sql") -> Rewrite:
    return SqlRule().rewrite(edit_for(text, SourceType.SQL, path))


# -- bash lexer ----------------------------------------------------------------------------


def test_lex_groups_continuations_heredocs_and_substitutions() -> None:
    text = (
        "pg_dump \\\n  --dbname x \\\n  --file y\n"  # 1-3: backslash continuation
        "make build &&\n  make test\n"  # 4-5: continued after &&
        "psql <<'SQL'\nselect 1;\n# not a comment\nSQL\n"  # 6-9: quoted here-document
        'X="$(aws rds token \\\n  --port 1)"\n'  # 10-11: continuation inside $(...)
        "ARR=(\n  a\n  b\n)\n"  # 12-15: compound array
        "echo done\n"  # 16
    )
    units = [(u.first + 1, u.last + 1) for u in lex(split_lines(text)) if u.kind == "code"]
    assert units == [(1, 3), (4, 5), (6, 9), (10, 11), (12, 15), (16, 16)]


def test_lex_knows_which_hashes_start_comments() -> None:
    text = "echo \"# no\" '#no' $# ${#arr[@]} # yes\nx=$(\n  # inner\n  date)\n"
    units = lex(split_lines(text))
    assert units[0].comments == {0: text.index("# yes")}
    assert units[1].comments == {2: 2}


def test_lex_tab_stripped_heredoc_ends_at_indented_terminator() -> None:
    text = "cat <<-EOF\n\tbody\n\tEOF\necho after\n"
    units = [u for u in lex(split_lines(text)) if u.kind == "code"]
    assert [(u.first, u.last) for u in units] == [(0, 2), (3, 3)]
    assert units[0].heredoc == {1, 2}


def test_blocks_find_if_else_case_arms_and_functions() -> None:
    text = (
        "if [[ $a == b ]]; then\n  x=1\nelse\n  x=2\nfi\n"  # units 0-4
        "case $1 in\n  a|b)\n    y=1\n    ;;\n  c) y=2 ;;\nesac\n"  # units 5-10
        "f()\n{\n  z=1\n}\n"  # units 11-14
    )
    found = {(b.kind, b.open, b.close) for b in blocks(lex(split_lines(text)))}
    assert ("if", 0, 4) in found
    assert ("case", 5, 10) in found
    assert ("arm", 6, 8) in found
    assert ("arm", 9, 9) in found  # one-line arm
    assert ("func", 11, 14) in found  # the header line belongs to the function
    by_kind = {b.kind: b for b in blocks(lex(split_lines(text)))}
    assert by_kind["if"].has_else
    assert [t.text for t in by_kind["case"].head] == ["$1"]


# -- shell words and decisions ----------------------------------------------------------------


def test_drop_elements_keeps_surrounding_quotes() -> None:
    assert drop_elements('X="a payroll_ledger"', [(5, 19)], " ") == 'X="a"'
    assert drop_elements("X=a,payroll_ledger,b", [(4, 18)], ",") == "X=a,b"
    assert drop_elements("X=payroll_ledger", [(2, 16)], ",") is None


def test_uses_ignores_expansions_that_tolerate_unset() -> None:
    assert uses('echo "$HOST"', {"HOST"})
    assert uses("echo ${HOST:?unset}", {"HOST"})
    assert uses("echo ${#HOSTS[@]}", {"HOSTS"})
    assert not uses("pg_dump ${EXTRA:-} db", {"EXTRA"})
    assert not uses("echo ${HOST:+x} $HOSTNAME", {"HOST"})


def test_emptying_an_if_branch_that_has_an_else_is_left_to_a_human() -> None:
    text = 'if [ "$ENV" = prod ]; then\n  psql -d payroll_ledger -c "select 1"\nelse\n  :\nfi\n'
    result = shell(text)
    assert result.action is Action.NEEDS_HUMAN
    assert result.needs_human == ("2: commenting this out would leave a block empty",)


def test_a_variable_defined_only_for_the_database_takes_its_uses_along() -> None:
    text = 'HOST=payroll-ledger-db\nping -c1 "$HOST"\necho "${HOST:-none}"\nping -c1 orders\n'
    result = shell(text)
    assert result.text is not None
    assert split_lines(result.text)[1].startswith(f"# {DECOM_MARK}")
    assert split_lines(result.text)[2:] == split_lines(text)[2:]


def test_filter_expressions_go_to_a_human_in_the_real_checkout_makefile() -> None:
    path = DATASETS / "python-node-orders/repos/checkout-api/Makefile"
    text = path.read_text()
    edit = edit_for(text, SourceType.MAKEFILE, "Makefile", database="order_history")
    result = ShellRule().rewrite(edit)
    # Its two targets that only concerned the database go (their recipes left nothing).
    assert result.action is Action.STRUCTURAL_EDIT
    assert set(result.removed_symbols) == {"test-integration", "dbshell-history"}
    assert result.needs_human == ("18: the database is part of a filter expression",)
    assert result.text is not None
    assert split_lines(result.text)[17] == split_lines(text)[17]


@pytest.mark.parametrize(
    "text",
    [
        'echo "unterminated payroll_ledger\n',
        "fi\ndone\npsql payroll_ledger\n}\n",
        "cat <<EOF\npayroll_ledger\n",
        "x=$(( 1 +\npsql payroll_ledger\n",
        "\x00\x01 payroll_ledger \\",
    ],
)
def test_broken_scripts_are_handled_without_the_safety_net(text: str) -> None:
    result = shell(text)
    assert not result.reason.startswith("could not analyse")
    if result.text is not None and check_parses(SourceType.SHELL, text) is None:
        assert check_parses(SourceType.SHELL, result.text) is None


def test_an_unforeseen_failure_becomes_needs_human(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: object) -> None:
        raise IndexError("unforeseen")

    monkeypatch.setattr("agent.refactor.rules.shell_bash.BashRewriter.decide", boom)
    result = shell("psql -d payroll_ledger\n")
    assert result.action is Action.NEEDS_HUMAN
    assert result.reason == "could not analyse this file safely (IndexError)"


def test_deleting_a_script_needs_its_path_to_name_the_database() -> None:
    text = "#!/bin/sh\nset -e\npg_dump -d payroll_ledger -f /tmp/l.dump\n"
    assert shell(text, "scripts/dump_payroll_ledger.sh").action is Action.DELETE_FILE
    assert shell(text, "scripts/dump.sh").action is Action.COMMENT_OUT
    # A live command that is not glue keeps the file even when its path names the database.
    kept = text + "curl -X POST https://hooks.example.net/done\n"
    assert shell(kept, "scripts/dump_payroll_ledger.sh").action is Action.COMMENT_OUT


def test_removed_symbols_count_as_references() -> None:
    text = "docker compose up -d api ledger-db\n"
    edit = edit_for(text, SourceType.SHELL, removed=frozenset({"ledger-db"}))
    result = ShellRule().rewrite(edit)
    assert result.text == "docker compose up -d api\n"


# -- PowerShell, Makefile, Dockerfile ---------------------------------------------------------


def test_pwsh_lexer_groups_here_strings_and_block_comments() -> None:
    text = '<#\n help\n#>\n$s = @"\n{ not a block\n"@\n$a = @(\n  1\n)\nif ($x) {\n}\n'
    units = [(u.first, u.last, u.kind) for u in lex_pwsh(split_lines(text))]
    assert units == [
        (0, 2, "comment"),
        (3, 5, "code"),
        (6, 8, "code"),
        (9, 9, "code"),
        (10, 10, "code"),
    ]


def test_pwsh_block_with_an_else_goes_to_a_human() -> None:
    text = "if ($db -eq 'payroll_ledger') {\n  $p = 1\n}\nelse {\n  $p = 2\n}\n"
    result = ShellRule().rewrite(edit_for(text, SourceType.POWERSHELL, "x.ps1"))
    assert result.action is Action.NEEDS_HUMAN


def test_make_lines_are_classified() -> None:
    text = (
        "X := 1\n# note\nall: x\n\techo $(X) \\\n\t  done\n\n\t@echo still recipe\n"
        "ifdef Y\nendif\ninclude other.mk\n"
    )
    kinds = [(m.first, m.last, m.kind) for m in make_lines(split_lines(text))]
    assert kinds == [
        (0, 0, "assign"),
        (1, 1, "comment"),
        (2, 2, "rule"),
        (3, 4, "recipe"),
        (5, 5, "blank"),
        (6, 6, "recipe"),
        (7, 7, "directive"),
        (8, 8, "directive"),
        (9, 9, "other"),
    ]


def test_make_conditional_on_the_database_goes_to_a_human() -> None:
    text = "ifdef PAYROLL_LEDGER_URL\nX = 1\nendif\n"
    result = ShellRule().rewrite(edit_for(text, SourceType.MAKEFILE, "Makefile"))
    assert result.action is Action.NEEDS_HUMAN
    assert result.needs_human[0].startswith("1: ")


def test_docker_run_whose_first_step_is_the_database_goes_to_a_human() -> None:
    text = "FROM alpine\nRUN psql -d payroll_ledger -f x.sql \\\n && echo ok\n"
    result = ShellRule().rewrite(edit_for(text, SourceType.DOCKERFILE, "Dockerfile"))
    assert result.action is Action.NEEDS_HUMAN


def test_docker_escape_directive_is_honoured() -> None:
    text = "# escape=`\nFROM mcr.microsoft.com/windows\nENV A=1 `\n    LEDGER=payroll_ledger\n"
    result = ShellRule().rewrite(edit_for(text, SourceType.DOCKERFILE, "Dockerfile"))
    assert result.text == "# escape=`\nFROM mcr.microsoft.com/windows\nENV A=1\n"


# -- line plan -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "col", "opener", "expected"),
    [
        ("# the ledger db\n", 0, "#", "# decom: db retired: the ledger db\n"),
        ("x:  ## help text", 4, "#", "x:  ## decom: db retired: help text"),
        ("#   indented\r\n", 0, "#", "# decom: db retired:   indented\r\n"),
        ("SELECT 1; --tail\n", 10, "-", "SELECT 1; -- decom: db retired: tail\n"),
        ("   inside a block\n", 3, "", "   decom: db retired: inside a block\n"),
    ],
)
def test_mark_comment(line: str, col: int, opener: str, expected: str) -> None:
    assert mark_comment(line, col, "db", opener) == expected


def test_render_keeps_a_missing_final_newline_and_reports_the_changed_line() -> None:
    plan = LinePlan(split_lines("a\nb\nc"), "db", "#")
    plan.delete([2])
    assert plan.render() == ("a\nb", ((2, 3),))


def test_absorb_blank_lines_leaves_one_blank_between_neighbours() -> None:
    plan = LinePlan(split_lines("a\n\nx\n\ny\n\nb\n"), "db", "#")
    plan.delete([2])
    plan.delete([4])
    plan.absorb_blank_lines()
    assert plan.render()[0] == "a\n\nb\n"


def test_lines_discovery_reported_but_the_rule_cannot_locate_go_to_a_human() -> None:
    text = "echo hello\n"
    edit = edit_for(text, SourceType.SHELL)
    plan = LinePlan(split_lines(text), "payroll_ledger", "#")
    plan.flag_leftovers(Refs(edit), [1])
    assert plan.human == {0: "names the database in a way this rule cannot rewrite safely"}


# -- SQL -------------------------------------------------------------------------------------


def test_split_respects_quotes_comments_dollar_bodies_and_meta_commands() -> None:
    text = (
        "SELECT 'a;b', E'c\\';d', \"e;f\"; -- x;y\n"
        "/* p; q */ CREATE FUNCTION f() AS $fn$ select 1; $fn$;\n"
        "\\c payroll_ledger\n"
        "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END //\nDELIMITER ;\n"
        "COPY t (a) FROM stdin;\n1;2\n\\.\n"
        "SELECT 2"
    )
    parsed = split(text)
    spans = [(s.first, s.last, s.meta) for s in parsed.statements]
    assert spans == [
        (0, 0, False),
        (1, 1, False),
        (2, 2, True),
        (3, 3, True),
        (4, 4, False),
        (5, 5, True),
        (6, 8, False),
        (9, 9, False),
    ]
    assert "x;y" not in parsed.statements[0].code
    assert parsed.comment_cols[0] == text.index("-- x;y")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("db/migrate/20230101_drop.sql", True),
        ("services/api/migrations/0003_ledger.sql", True),
        ("src/main/resources/db/migration/V12__x.sql", True),
        ("sql/V2_1__x.sql", True),
        ("sql/R__views.sql", True),
        ("alembic/versions/ab12_x.sql", True),
        ("db/000012_ledger.up.sql", True),
        ("db/bootstrap/payroll_ledger.sql", False),
        ("scripts/validate_migration_report.sql", False),
        ("docs/versions/2.0/setup.sql", False),
    ],
)
def test_is_migration(path: str, expected: bool) -> None:
    assert is_migration(path) is expected


def test_migrations_are_never_edited() -> None:
    result = sql("DROP DATABASE payroll_ledger;\n", "db/migrations/0007_drop.sql")
    assert result.action is Action.NEEDS_HUMAN
    assert result.text is None
    assert result.reason.startswith("migration history")


def test_a_role_other_statements_still_use_is_kept() -> None:
    text = (
        "CREATE ROLE reporting;\n"
        "GRANT CONNECT ON DATABASE payroll_ledger TO reporting;\n"
        "GRANT CONNECT ON DATABASE orders TO reporting;\n"
    )
    result = sql(text)
    assert result.text == "CREATE ROLE reporting;\nGRANT CONNECT ON DATABASE orders TO reporting;\n"


def test_a_role_only_the_database_uses_goes_with_it() -> None:
    text = (
        "CREATE ROLE ledger_bi;\n"
        "GRANT CONNECT ON DATABASE payroll_ledger TO ledger_bi;\n"
        "SELECT 1;\n"
    )
    assert sql(text).text == "SELECT 1;\n"


def test_a_list_left_empty_removes_the_statement_instead() -> None:
    text = "SELECT 1;\nSELECT * FROM pg_database WHERE datname IN ('payroll_ledger');\n"
    assert sql(text).text == "SELECT 1;\n"


def test_a_multi_line_statement_sharing_a_line_goes_to_a_human() -> None:
    text = "SELECT 1; CREATE DATABASE\n  payroll_ledger;\n"
    result = sql(text)
    assert result.action is Action.NEEDS_HUMAN
    assert result.needs_human[0] == "1: shares its lines with a statement that stays"


# -- every fixture of these rules is idempotent ------------------------------------------------

MINE = [f for f in all_fixtures() if f.name.split("/")[0] in ("shell", "sql") and f.after]


@pytest.mark.parametrize("fixture", MINE, ids=[f.name for f in MINE])
def test_rewriting_the_result_again_changes_nothing(fixture) -> None:  # type: ignore[no-untyped-def]
    edit = make_edit(fixture)
    assert fixture.after is not None
    # Discovery still reports the decom comments (they name the database): they are done.
    reported = frozenset(
        n for n, line in enumerate(split_lines(fixture.after), 1) if edit.target.mentions(line)
    )
    again = FileEdit(
        edit.path, edit.source_type, fixture.after, reported, edit.target, edit.removed_symbols
    )
    rule = ShellRule() if fixture.name.startswith("shell/") else SqlRule()
    assert rule.rewrite(again).action is Action.NO_CHANGE


def test_an_emptied_block_inside_a_kept_branch_settles() -> None:
    """The inner ``if`` empties, its parent's other branch keeps commands: this looped forever."""
    import threading

    text = (
        "#!/bin/sh\n"
        "if test $# = 0; then\n"
        "    if test -t 0; then\n"
        "        psql payroll_ledger -c 'select 1'\n"
        "    fi\n"
        "else\n"
        "    echo other\n"
        "fi\n"
    )
    target = Target("payroll_ledger", NameMatcher("payroll_ledger"))
    edit = FileEdit("x.sh", SourceType.SHELL, text, frozenset({4}), target)
    results: list[Rewrite] = []
    worker = threading.Thread(target=lambda: results.append(ShellRule().rewrite(edit)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert results, "the shell rule did not finish"
    (result,) = results
    # Commenting the inner block out would leave the outer branch empty: a person decides.
    assert result.action is Action.NEEDS_HUMAN and result.text is None
    assert any(note.startswith("3: ") and "empty" in note for note in result.needs_human)


def test_a_grant_that_also_covers_another_database_stays_for_a_person() -> None:
    text = (
        "CREATE ROLE payroll_ledger_ro NOLOGIN;\n"
        "GRANT CONNECT ON DATABASE payroll_ledger, payroll_ledger_archive TO payroll_ledger_ro;\n"
        "GRANT CONNECT ON DATABASE orders, payroll_ledger TO reporting;\n"
        "ALTER DATABASE payroll_ledger SET statement_timeout = '30s';\n"
    )
    result = sql(text)
    assert result.text is not None
    kept = split_lines(result.text)
    assert kept[:2] == split_lines(text)[:2]  # the archive's readers and their role stay
    assert kept[2] == "GRANT CONNECT ON DATABASE orders TO reporting;\n"
    assert len(kept) == 3
    assert [n.split(":")[0] for n in result.needs_human] == ["1", "2"]
