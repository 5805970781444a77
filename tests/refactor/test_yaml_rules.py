"""Unit tests of the YAML rules' helpers, plus rule-level cases fixtures cannot express."""

from __future__ import annotations

import pytest

from agent.discovery.models import Alias, AliasForm, SourceType
from agent.discovery.names import NameMatcher
from agent.qa.confinement import stray_changes
from agent.qa.parsing import check_parses
from agent.refactor.base import Action, FileEdit, Rewrite, Target, split_lines
from agent.refactor.rules import yaml_docs
from agent.refactor.rules.yaml_docs import HelmTemplateRule, YamlRule
from agent.refactor.rules.yaml_lines import (
    LineKind,
    NodeKind,
    OutlineError,
    Style,
    comment_start,
    outline,
)
from agent.refactor.rules.yaml_ops import script_targets
from agent.refactor.rules.yaml_text import (
    Refs,
    clean_comment,
    edit_flow_sequence,
    edit_scalar_list,
    scan_matchers,
    split_elements,
)
from tests.refactor.harness import all_fixtures, make_edit

DB = "payroll_ledger"


def target(*aliases: tuple[str, AliasForm]) -> Target:
    return Target(
        DB,
        NameMatcher(DB, excluded=["payroll_ledger_archive"]),
        tuple(Alias(n, f, None, "test") for n, f in aliases),
    )


def refs(local: tuple[str, ...] = (), symbols: tuple[str, ...] = ()) -> Refs:
    return Refs.build(target(), symbols, (), local)


def rewrite(
    text: str,
    source_type: SourceType = SourceType.YAML_CONFIG,
    path: str = "config/app.yml",
    symbols: frozenset[str] = frozenset(),
) -> Rewrite:
    edit = FileEdit(path, source_type, text, frozenset(), target(), symbols)
    rule = HelmTemplateRule() if source_type is SourceType.HELM_TEMPLATE else YamlRule()
    return rule.rewrite(edit)


# -- outline ---------------------------------------------------------------------------


def test_block_scalar_lines_are_continuations_even_with_hashes() -> None:
    shape = outline("run: |\n  # not a comment\n  echo hi\n\nnext: 1\n")
    assert shape.kinds == [
        LineKind.CONTENT,
        LineKind.CONTINUATION,
        LineKind.CONTINUATION,
        LineKind.BLANK,
        LineKind.CONTENT,
    ]
    run = shape.documents[0].root.children[0]
    assert (run.style, run.start, run.last) == (Style.BLOCK, 0, 2)


def test_compact_sequence_belongs_to_its_key() -> None:
    shape = outline("key:\n- a\n- b\nother: 1\n")
    key, other = shape.documents[0].root.children
    assert [i.value for i in key.items()] == ["a", "b"]
    assert other.key == "other" and not other.children


def test_item_with_inline_key_holds_the_following_keys() -> None:
    shape = outline("env:\n  - name: A\n    value: x\n  - name: B\n")
    env = shape.documents[0].root.children[0]
    first, second = env.items()
    assert [c.key for c in first.children] == ["name", "value"]
    assert first.end == 2 and second.start == 3
    assert first.children[1].path() == ("env", "-", "value")


def test_multiline_flow_and_quoted_values_are_one_node() -> None:
    shape = outline('a: [x,\n  y]\nb: "one\n  two"\nc: 3\n')
    a, b, c = shape.documents[0].root.children
    assert (a.style, a.last) == (Style.FLOW_SEQ, 1)
    assert (b.style, b.last) == (Style.QUOTED, 3)
    assert c.start == 4


def test_anchor_alone_opens_a_block() -> None:
    shape = outline("base: &base\n  host: x\nuse: *base\n")
    base, use = shape.documents[0].root.children
    assert base.style is Style.NONE and [c.key for c in base.children] == ["host"]
    assert use.style is Style.ALIAS


def test_documents_are_split_on_separators() -> None:
    shape = outline("# header\n---\na: 1\n---\nb: 2\n")
    assert [(d.separator, d.first) for d in shape.documents] == [(None, 0), (1, 2), (3, 4)]
    assert not shape.documents[0].root.children


def test_template_control_lines_stay_out_of_the_structure() -> None:
    text = (
        "spec:\n  {{- if .Values.x }}\n  a: 1\n  {{- end }}\n"
        '  labels:\n    {{- include "l" . | nindent 4 }}\n'
    )
    shape = outline(text, templated=True)
    assert shape.kinds[1] is LineKind.CONTROL and shape.kinds[3] is LineKind.CONTROL
    spec = shape.documents[0].root.children[0]
    labels = spec.child("labels")
    assert labels is not None and labels.children[0].kind is NodeKind.TEMPLATE


@pytest.mark.parametrize("text", ["a:\n\tb: 1\n", "? complex\n: value\n"])
def test_unsupported_yaml_is_refused(text: str) -> None:
    with pytest.raises(OutlineError):
        outline(text)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ('a: "x # y" # z', 11),
        ("a: x#y", 6),
        ("a: {{ .x # y }} # z", 16),
        ("a: don't # z", 9),
    ],
)
def test_comment_start(text: str, start: int) -> None:
    assert comment_start(text, 0) == start


# -- line edits ------------------------------------------------------------------------


def test_split_elements_ignores_nested_separators() -> None:
    text = 'a, "b, c", f(d, e), g'
    assert [text[a:b] for a, b in split_elements(text, ",") or []] == [
        "a",
        '"b, c"',
        "f(d, e)",
        "g",
    ]
    assert split_elements("single", ",") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[payroll, payroll_ledger, timesheets]", "[payroll, timesheets]"),
        ("[payroll_ledger, payroll]", "[payroll]"),
        ('["payroll_ledger_archive", "payroll-ledger"]', '["payroll_ledger_archive"]'),
        ("[payroll_ledger]", ""),
    ],
)
def test_edit_flow_sequence(value: str, expected: str) -> None:
    assert edit_flow_sequence(value, refs()) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"orders-creds,payroll-ledger-creds"', '"orders-creds"'),
        ("payroll|payroll_ledger|timesheets", "payroll|timesheets"),
        ("payroll_ledger", None),
        ("Nightly payroll_ledger backup, see logs", None),
        ("payroll_ledger,payroll-ledger-db", ""),
    ],
)
def test_edit_scalar_list(value: str, expected: str | None) -> None:
    assert edit_scalar_list(value, refs()) == expected


def test_scan_matchers() -> None:
    only = scan_matchers('pg_up{datname="payroll_ledger"} == 0', refs())
    assert only.selects_only
    regex_only = scan_matchers('up{job=~"payroll-ledger-exporter"}', refs())
    assert regex_only.selects_only
    mixed = scan_matchers('x{datname=~"payroll|payroll_ledger|orders", job="a"}', refs())
    assert not mixed.selects_only and mixed.text == 'x{datname=~"payroll|orders", job="a"}'
    negative = scan_matchers('x{datname!="payroll_ledger"}', refs())
    assert negative.unresolved and not negative.selects_only
    decoy = scan_matchers('x{datname="payroll_ledger_archive"}', refs())
    assert not decoy.selects_only and not decoy.unresolved


def test_clean_comment() -> None:
    text = "  #   payroll-ledger-db (ExternalName + Secret), profiles-cache (Redis)"
    assert clean_comment(text, 2, refs()) == "  #   profiles-cache (Redis)"
    command = "# docker compose up -d orders-db payroll-ledger-db kafka"
    assert clean_comment(command, 0, refs()) == "# docker compose up -d orders-db kafka"
    assert clean_comment("# the payroll_ledger database, read only", 0, refs()) is None


def test_local_names_match_only_whole_values_elements_and_hosts() -> None:
    local = refs(local=("db",))
    assert local.hit("db") and local.hit("[orders, db]") and local.hit('["db", "x"]')
    assert local.hit("postgres://u:p@db:5432/x") and local.hit("db:5432")
    assert not local.hit("./db/init.sql:/docker-entrypoint-initdb.d")
    assert not local.hit("the db is slow") and not local.key_hit("db")


def test_generic_removed_symbols_are_ignored() -> None:
    built = refs(symbols=("db", "history-db", ".Values.ledger"))
    assert not built.hit("db: 1")
    assert built.hit("host: history-db") and built.hit("{{ .Values.ledger.host }}")


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("scripts/backup.sh payroll_ledger", True),
        (
            "latest=$(aws rds describe --id payroll-ledger-prod \\\n  --output text)\n"
            'echo "$latest" >> "$GITHUB_STEP_SUMMARY"',
            True,
        ),
        (
            "cat <<EOT | curl --data-binary @- http://pg/payroll_ledger\nmetric 1\nEOT",
            True,
        ),
        ("pytest\npsql payroll_ledger -c 'select 1'", False),
        ("echo payroll_ledger", False),
    ],
)
def test_script_targets(script: str, expected: bool) -> None:
    assert script_targets(script, refs()) is expected


# -- rule behaviour --------------------------------------------------------------------


def test_item_keeps_its_dash_when_its_first_key_goes() -> None:
    text = (
        "jobs:\n  build:\n    steps:\n"
        "      - env:\n          LEDGER_DSN: postgres://payroll-ledger-db/payroll_ledger\n"
        "        run: make build\n"
    )
    result = rewrite(text, SourceType.CI_GITHUB_ACTIONS, ".github/workflows/build.yml")
    assert result.action is Action.STRUCTURAL_EDIT
    assert result.text == "jobs:\n  build:\n    steps:\n      - run: make build\n"
    assert stray_changes(text, result.text, result.touched) == []


def test_touched_covers_lines_a_diff_pairs_differently() -> None:
    block = "    type: object\n    properties:\n      a:\n        type: string\n"
    text = f"defs:\n  payroll_ledger:\n{block}\n  other:\n{block}"
    result = rewrite(text)
    assert result.text == f"defs:\n  other:\n{block}"
    assert stray_changes(text, result.text, result.touched) == []


def test_crlf_survives_a_line_edit() -> None:
    text = "vacuum:\r\n  databases: [payroll, payroll_ledger]\r\n  window: night\r\n"
    result = rewrite(text)
    assert result.text == "vacuum:\r\n  databases: [payroll]\r\n  window: night\r\n"
    assert result.touched == ((2, 2),)


def test_safe_part_done_and_the_rest_left_for_a_person() -> None:
    text = (
        "services:\n  app:\n    image: app:1\n"
        '    command: ["sh", "-c", "migrate --db payroll_ledger && serve"]\n'
        "    environment:\n      PAYROLL_LEDGER_URL: postgres://payroll-ledger-db/x\n"
        "      LOG_LEVEL: info\n"
    )
    result = rewrite(text, SourceType.DOCKER_COMPOSE, "docker-compose.yml")
    assert result.action is Action.STRUCTURAL_EDIT
    assert result.text is not None and "PAYROLL_LEDGER_URL" not in result.text
    assert "payroll_ledger && serve" in result.text
    assert [n.split(":")[0] for n in result.needs_human] == ["4"]


def test_edit_that_would_not_parse_goes_to_a_person(monkeypatch: pytest.MonkeyPatch) -> None:
    original = "a: 1\npayroll_ledger: 2\n"

    def broken(source_type: SourceType, text: str, path: str = "") -> str | None:
        return None if text == original else "invalid YAML: test"

    monkeypatch.setattr(yaml_docs, "check_parses", broken)
    result = rewrite(original)
    assert result.action is Action.NEEDS_HUMAN and result.text is None
    assert "would not parse" in result.reason


@pytest.mark.parametrize(
    ("source_type", "path"),
    [
        (SourceType.CI_OTHER, "Jenkinsfile"),
        (SourceType.ALERTING_OTHER, "alerts/ledger.json"),
        (SourceType.HELM_TEMPLATE, "charts/x/templates/_helpers.tpl"),
    ],
)
def test_files_that_are_not_yaml_go_to_a_person(source_type: SourceType, path: str) -> None:
    result = rewrite('db = "payroll_ledger"\n', source_type, path)
    assert result.action is Action.NEEDS_HUMAN


def test_unsupported_yaml_goes_to_a_person() -> None:
    result = rewrite("a:\n\tpayroll_ledger: 1\n")
    assert result.action is Action.NEEDS_HUMAN and "tab" in result.reason


def test_values_file_drops_keys_removed_elsewhere_and_reports_paths() -> None:
    text = "database:\n  host: ledger.internal\n  port: 5432\nimage-pull: x\nreplicas: 2\n"
    result = rewrite(
        text,
        SourceType.HELM_VALUES,
        "charts/app/values.yaml",
        frozenset({".Values.database"}),
    )
    assert result.text == "image-pull: x\nreplicas: 2\n"
    assert set(result.removed_symbols) == {
        ".Values.database",
        ".Values.database.host",
        ".Values.database.port",
    }


def test_template_condition_on_a_removed_value_alone_removes_the_block() -> None:
    text = (
        "data:\n  A: {{ .Values.a }}\n"
        "  {{- if .Values.ledger.enabled }}\n  LEDGER: {{ .Values.ledger.host }}\n  {{- end }}\n"
    )
    result = rewrite(
        text, SourceType.HELM_TEMPLATE, "charts/x/templates/cm.yaml", frozenset({".Values.ledger"})
    )
    assert result.text == "data:\n  A: {{ .Values.a }}\n"
    assert check_parses(SourceType.HELM_TEMPLATE, result.text) is None


def test_compound_template_condition_is_left_for_a_person() -> None:
    text = (
        "data:\n  A: {{ .Values.a }}\n"
        "  {{- if and .Values.ledger.enabled .Values.b }}\n  B: {{ .Values.b }}\n  {{- end }}\n"
    )
    result = rewrite(
        text, SourceType.HELM_TEMPLATE, "charts/x/templates/cm.yaml", frozenset({".Values.ledger"})
    )
    assert result.action is Action.NEEDS_HUMAN
    assert result.needs_human and result.needs_human[0].startswith("3:")


def test_multiline_values() -> None:
    only = rewrite("a: 1\ndbs: [\n  payroll_ledger,\n]\n")
    assert only.text == "a: 1\n"
    mixed = rewrite("a: 1\ndbs: [\n  payroll, payroll_ledger,\n]\n")
    assert mixed.action is Action.NEEDS_HUMAN
    assert mixed.needs_human and mixed.needs_human[0].startswith("2:")


def test_reported_lines_the_rule_does_not_recognise_are_noted() -> None:
    text = "a: 1\nb: 2\n"
    edit = FileEdit("config/x.yml", SourceType.YAML_CONFIG, text, frozenset({2}), target())
    result = YamlRule().rewrite(edit)
    assert result.action is Action.NEEDS_HUMAN
    assert [n.split(":")[0] for n in result.needs_human] == ["2"]


def test_rules_declare_their_types() -> None:
    assert YamlRule.name == "yaml" and HelmTemplateRule.name == "helm_template"
    assert SourceType.DOCKER_COMPOSE in YamlRule.source_types
    assert HelmTemplateRule.source_types == frozenset({SourceType.HELM_TEMPLATE})


_OWN = [
    f
    for f in all_fixtures()
    if f.name.split("/")[0] in ("yaml", "helm_template") and f.after is not None
]


@pytest.mark.parametrize("fixture", _OWN, ids=[f.name for f in _OWN])
def test_rewriting_the_result_again_changes_nothing(fixture) -> None:  # type: ignore[no-untyped-def]
    edit = make_edit(fixture)
    again = FileEdit(
        edit.path, edit.source_type, fixture.after, frozenset(), edit.target, edit.removed_symbols
    )
    rule = HelmTemplateRule() if edit.source_type is SourceType.HELM_TEMPLATE else YamlRule()
    result = rule.rewrite(again)
    assert result.action in (Action.NO_CHANGE, Action.NEEDS_HUMAN), result.reason
    assert split_lines(fixture.after)  # the fixture has content


def test_a_task_that_runs_for_it_and_others_stays_whole_for_a_person() -> None:
    text = (
        "- name: Grant audit readers\n"
        "  community.postgresql.postgresql_privs:\n"
        "    db: '{{ item }}'\n"
        "    roles: payroll_ledger_ro\n"
        "  loop: '{{ dbs }}'\n"
        "  when: item == 'payroll_ledger' or item == 'payroll_ledger_archive'\n"
        "- name: Vacuum\n"
        "  ansible.builtin.command: vacuumdb -d payroll_ledger\n"
    )
    result = rewrite(text)
    assert result.text is not None
    assert split_lines(result.text)[:6] == split_lines(text)[:6]  # the shared task, whole
    assert "1: a task or step runs for it and others; edit it by hand" in result.needs_human
