"""Unit tests for the Terraform rule's parser, planner and renderer (fixtures cover the rest)."""

from __future__ import annotations

import pytest

from agent.discovery.models import Alias, AliasForm, SourceType
from agent.discovery.names import NameMatcher
from agent.qa.confinement import stray_changes
from agent.qa.parsing import check_parses
from agent.refactor.base import Action, FileEdit, Rewrite, Target, split_lines
from agent.refactor.rules import rule_for
from agent.refactor.rules.terraform import TerraformRule
from agent.refactor.rules.terraform_plan import Planner, address
from agent.refactor.rules.terraform_syntax import (
    COMMENT,
    HEREDOC,
    STRING,
    HclSyntaxError,
    Node,
    interpolations,
    parse,
    tokenize,
)
from tests.refactor.harness import all_fixtures, make_edit, run_fixture


def _target(aliases: tuple[str, ...] = ()) -> Target:
    matcher = NameMatcher("payroll_ledger", excluded=["payroll_ledger_archive"])
    return Target(
        "payroll_ledger",
        matcher,
        tuple(Alias(a, AliasForm.ADDRESS, None, "test") for a in aliases),
    )


def _rewrite(
    text: str,
    path: str = "main.tf",
    aliases: tuple[str, ...] = (),
    removed: tuple[str, ...] = (),
) -> Rewrite:
    edit = FileEdit(
        path, SourceType.TERRAFORM, text, frozenset(), _target(aliases), frozenset(removed)
    )
    result = TerraformRule().rewrite(edit)
    if result.text is not None:
        assert stray_changes(text, result.text, result.touched) == []
        assert check_parses(SourceType.TERRAFORM, result.text) is None
    return result


def _parse(text: str) -> Node:
    return parse(text, split_lines(text)).root


# -- tokenizer -----------------------------------------------------------------------------


def test_tokenize_keeps_templates_with_nested_quotes_and_braces_in_one_string() -> None:
    text = 'x = "a-${lookup(var.m, "k", "}")}-b" # note\n'
    kinds = [(t.kind, t.text) for t in tokenize(text)]
    assert (STRING, '"a-${lookup(var.m, "k", "}")}-b"') in kinds
    assert (COMMENT, "# note") in kinds


def test_tokenize_heredoc_spans_to_its_marker_and_records_the_body() -> None:
    text = "p = <<-EOT\n  {\n  }\n  EOT\ny = 1\n"
    heredoc = next(t for t in tokenize(text) if t.kind == HEREDOC)
    assert text[heredoc.start : heredoc.end] == "<<-EOT\n  {\n  }\n  EOT"
    assert text[heredoc.body_start : heredoc.body_end] == "  {\n  }\n"


def test_tokenize_comment_excludes_carriage_return() -> None:
    comment = next(t for t in tokenize("a = 1 // why\r\n") if t.kind == COMMENT)
    assert comment.text == "// why"


def test_tokenize_rejects_unterminated_string() -> None:
    with pytest.raises(HclSyntaxError):
        tokenize('a = "oops\n')


def test_interpolations_skip_escaped_dollar() -> None:
    text = '"$${not} ${var.a}"'
    assert [text[s:e] for s, e in interpolations(text, 0, len(text))] == ["${var.a}"]


# -- parser ----------------------------------------------------------------------------------


def test_parse_tuple_items_with_commas_and_object_entries_with_keys() -> None:
    text = 'resource "a" "b" {\n  l = [x.y, "s", ]\n  m = { k = 1, "q" = 2 }\n}\n'
    block = _parse(text).children[0]
    tuple_node = block.children[0].children[0]
    object_node = block.children[1].children[0]
    assert tuple_node.kind == "tuple"
    assert [text[i.start : i.end] for i in tuple_node.children] == ["x.y", '"s"']
    assert all(i.comma is not None for i in tuple_node.children)
    assert [i.name for i in object_node.children] == ["k", "q"]


def test_parse_index_after_a_value_is_not_a_tuple() -> None:
    text = "a = data.x.y.list[0].id\n"
    value = _parse(text).children[0].children[0]
    assert value.kind == "expr"
    assert all(child.kind != "tuple" for child in value.children)


def test_parse_for_expression_is_one_opaque_value() -> None:
    value = _parse("a = [for s in var.l : upper(s)]\n").children[0].children[0]
    assert value.kind == "expr"
    assert value.children == []


def test_parse_json_heredoc_has_a_tree_with_absolute_offsets() -> None:
    text = 'p = <<EOF\n{"Resource": ["a", "b"]}\nEOF\n'
    heredoc = _parse(text).children[0].children[0]
    assert heredoc.kind == "heredoc"
    resource = heredoc.children[0].children[0]
    assert resource.name == "Resource"
    assert [text[i.start : i.end] for i in resource.children[0].children] == ['"a"', '"b"']


def test_parse_non_json_heredoc_stays_opaque() -> None:
    heredoc = _parse("u = <<EOF\n#!/bin/bash\necho hi\nEOF\n").children[0].children[0]
    assert heredoc.kind == "heredoc"
    assert heredoc.children == []


def test_parse_rejects_unclosed_block() -> None:
    with pytest.raises(HclSyntaxError):
        _parse('resource "a" "b" {\n  x = 1\n')


def test_address_of_each_block_kind() -> None:
    text = (
        'resource "aws_db_instance" "main" {}\ndata "aws_vpc" "v" {}\nmodule "m" {}\n'
        'variable "x" {}\noutput "o" {}\nprovider "postgresql" {\n  alias = "ledger"\n}\n'
        "locals {}\n"
    )
    blocks = _parse(text).children
    assert [address(b, text) for b in blocks] == [
        "aws_db_instance.main",
        "data.aws_vpc.v",
        "module.m",
        "var.x",
        "output.o",
        "postgresql.ledger",
        None,
    ]


# -- planner ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("payroll_ledger_db", True),
        ("payroll_ledger_instance_class", True),
        ("payroll_ledger_cpu_high", True),
        ("payroll_ledger_archive_instance_class", False),
        ("payroll_ledger_service", False),
        ("payroll_ledger_service_cpu", False),
        ("orders_instance_class", False),
    ],
)
def test_names_database_allows_trailing_setting_words_only(name: str, expected: bool) -> None:
    source = parse("", [])
    planner = Planner(source, _target(), frozenset(), tfvars=False)
    assert planner.names_database(name) is expected


# -- the rule --------------------------------------------------------------------------------


def test_registry_routes_terraform_to_this_rule() -> None:
    rule = rule_for(SourceType.TERRAFORM)
    assert isinstance(rule, TerraformRule)
    assert rule.name == "terraform"


def test_safe_part_is_done_and_the_required_argument_goes_to_a_human() -> None:
    text = (
        'resource "aws_db_subnet_group" "payroll_ledger" {\n  name = "payroll-ledger"\n}\n\n'
        'resource "aws_db_instance" "orders" {\n'
        "  db_subnet_group_name = aws_db_subnet_group.payroll_ledger.name\n"
        "}\n"
    )
    result = _rewrite(text)
    assert result.action is Action.STRUCTURAL_EDIT
    assert result.removed_symbols == ("aws_db_subnet_group.payroll_ledger",)
    assert result.text == (
        'resource "aws_db_instance" "orders" {\n'
        "  db_subnet_group_name = aws_db_subnet_group.payroll_ledger.name\n"
        "}\n"
    )
    assert len(result.needs_human) == 1
    assert result.needs_human[0].startswith("6: db_subnet_group_name of aws_db_instance.orders")


def test_only_element_of_a_required_list_in_a_shared_resource_needs_a_human() -> None:
    text = (
        'resource "aws_db_instance" "orders" {\n'
        "  vpc_security_group_ids = [aws_security_group.payroll_ledger_db.id]\n"
        "}\n"
    )
    result = _rewrite(text)
    assert result.action is Action.NEEDS_HUMAN
    assert result.text is None
    assert result.needs_human[0].startswith("2: vpc_security_group_ids")


def test_partial_list_edit_is_undone_when_the_attribute_goes_to_a_human() -> None:
    text = (
        'module "monitoring" {\n'
        '  source  = "./m"\n'
        "  db_ids  = [aws_db_instance.main.id, local.ledger_id]\n"
        "}\n"
    )
    result = _rewrite(text, aliases=("aws_db_instance.main", "local.ledger_id"))
    assert result.action is Action.NEEDS_HUMAN
    assert [h.split(":")[0] for h in result.needs_human] == ["3"]


def test_terraform_and_provider_settings_are_never_guessed() -> None:
    text = (
        'terraform {\n  backend "s3" {\n    key = "payroll_ledger/terraform.tfstate"\n  }\n}\n\n'
        'provider "postgresql" {\n  host = aws_db_instance.main.address\n}\n'
    )
    result = _rewrite(text, aliases=("aws_db_instance.main",))
    assert result.action is Action.NEEDS_HUMAN
    assert [h.split(":")[0] for h in result.needs_human] == ["3", "8"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"orders|payroll_ledger"', '"orders"'),
        ('"payroll_ledger,orders"', '"orders"'),
        ('"CMK for (orders, payroll_ledger)"', '"CMK for (orders)"'),
        ('"jdbc:sqlserver://h;databaseName=payroll_ledger;encrypt=true"', None),
        ('"/prod/payroll-ledger/host"', None),
    ],
)
def test_only_whole_list_elements_are_cut_out_of_strings(value: str, expected: str | None) -> None:
    text = f'resource "aws_ssm_parameter" "p" {{\n  name  = "p"\n  value = {value}\n}}\n'
    result = _rewrite(text)
    if expected is None:  # not a list: the value as a whole dangles, and the parameter with it
        assert result.action is Action.DELETE_FILE
    else:
        assert result.text == text.replace(value, expected)


def test_description_that_is_not_a_list_is_left_for_a_human() -> None:
    text = 'resource "aws_kms_key" "k" {\n  description = "Key of the Payroll Ledger database"\n}\n'
    result = _rewrite(text)
    assert result.action is Action.NEEDS_HUMAN
    assert "reword" in result.needs_human[0]


def test_full_line_comment_in_kept_code_is_reported_not_deleted() -> None:
    text = '# payroll_ledger lives in rds.tf\nresource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
    result = _rewrite(text)
    assert result.action is Action.NEEDS_HUMAN
    assert result.needs_human == ("1: a comment still mentions it; reword or drop it",)


def test_unparsable_file_goes_to_a_human() -> None:
    result = _rewrite('resource "aws_db_instance" "payroll_ledger" {\n  identifier = "x"\n')
    assert result.action is Action.NEEDS_HUMAN
    assert result.text is None


def test_nothing_to_do_is_no_change() -> None:
    result = _rewrite('resource "aws_db_instance" "payroll_ledger_archive" {\n  port = 5432\n}\n')
    assert result.action is Action.NO_CHANGE
    assert result.text is None


def test_cascade_through_a_chain_of_locals_is_followed_to_the_end() -> None:
    text = (
        "locals {\n"
        "  a = aws_db_instance.main.id\n"
        "  b = local.a\n"
        "  c = local.b\n"
        "  d = local.c\n"
        "  keep = 1\n"
        "}\n\n"
        'output "d" {\n  value = local.d\n}\n'
    )
    result = _rewrite(text, removed=("aws_db_instance.main",))
    assert result.text == "locals {\n  keep = 1\n}\n"
    assert result.removed_symbols == ("local.a", "local.b", "local.c", "local.d", "output.d")


def test_module_whose_source_is_named_after_the_database_is_deleted() -> None:
    text = (
        'module "ledger" {\n  source = "./modules/payroll-ledger-db"\n  size = 2\n}\n\n'
        'module "orders" {\n  source = "./modules/orders-db"\n}\n'
    )
    result = _rewrite(text)
    assert result.text == 'module "orders" {\n  source = "./modules/orders-db"\n}\n'
    assert result.removed_symbols == ("module.ledger",)


def test_merge_keeps_a_multi_line_remaining_argument_as_a_call() -> None:
    text = (
        'resource "aws_s3_bucket" "b" {\n'
        '  tags = merge({\n    Team = "x"\n  }, { Database = "payroll_ledger" })\n'
        "}\n"
    )
    result = _rewrite(text)
    assert result.text == (
        'resource "aws_s3_bucket" "b" {\n  tags = merge({\n    Team = "x"\n  })\n}\n'
    )


def test_removed_symbols_of_tfvars_variables_remove_their_assignment() -> None:
    text = 'region = "eu-west-1"\nledger_size = 400\n'
    result = _rewrite(text, path="prod.tfvars", removed=("var.ledger_size",))
    assert result.text == 'region = "eu-west-1"\n'
    assert result.removed_symbols == ("var.ledger_size",)


def test_hcl_top_level_attribute_is_not_reported_as_a_variable() -> None:
    text = 'inputs = {\n  a = 1\n}\nledger = "payroll_ledger"\n'
    result = _rewrite(text, path="terragrunt.hcl")
    assert result.text == "inputs = {\n  a = 1\n}\n"
    assert result.removed_symbols == ()


def test_comment_only_file_left_is_deleted_without_notes() -> None:
    text = '# Header about payroll_ledger\n\nresource "random_password" "payroll_ledger" {}\n'
    result = _rewrite(text)
    assert result.action is Action.DELETE_FILE
    assert result.touched == ((1, 3),)
    assert result.needs_human == ()


def test_json_heredoc_last_element_removal_drops_the_comma_before_it() -> None:
    text = (
        'resource "aws_iam_policy" "p" {\n  policy = <<EOF\n'
        '{\n  "Resource": [\n    "a",\n    "${aws_db_instance.main.arn}"\n  ]\n}\nEOF\n}\n'
    )
    result = _rewrite(text, aliases=("aws_db_instance.main",))
    assert result.text is not None
    assert '    "a"\n  ]' in result.text


TERRAFORM_FIXTURES = [f for f in all_fixtures() if f.name.startswith("terraform/")]


def test_there_are_terraform_fixtures() -> None:
    assert len(TERRAFORM_FIXTURES) >= 30


@pytest.mark.parametrize("fixture", TERRAFORM_FIXTURES, ids=lambda f: f.name)
def test_rewriting_the_result_again_changes_nothing(fixture) -> None:  # type: ignore[no-untyped-def]
    first = run_fixture(fixture)
    if first.text is None:
        return
    edit = make_edit(fixture)
    again = TerraformRule().rewrite(
        FileEdit(
            edit.path,
            edit.source_type,
            first.text,
            frozenset(),
            edit.target,
            edit.removed_symbols | frozenset(first.removed_symbols),
        )
    )
    assert again.action in (Action.NO_CHANGE, Action.NEEDS_HUMAN)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "# only a comment about payroll_ledger\n",
        'x = "unterminated',
        "a = [1, 2\n",
        "}}}\n",
        'resource "x" "payroll_ledger" {\n  a = [\n',
        "a = <<EOF\nnever closed\n",
    ],
)
def test_odd_inputs_never_raise(text: str) -> None:
    result = _rewrite(text)
    assert result.action in (Action.NO_CHANGE, Action.NEEDS_HUMAN, Action.DELETE_FILE)
