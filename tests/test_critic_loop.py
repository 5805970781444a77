"""The QA critic on rewritten files, and the refactor ladder that answers it."""

from __future__ import annotations

from agent.discovery.models import SourceType
from agent.discovery.names import NameMatcher
from agent.models import CheckStatus
from agent.pipeline import apply
from agent.pipeline.models import Plan, PlannedFile
from agent.qa import critic
from agent.refactor.base import Action, Target

ORIGINALS = {
    "app.env": "A=1\nPAYROLL_LEDGER_URL=postgres://h/payroll_ledger\nB=2\n",
    "dash.json": '{"dbs": ["orders", "payroll_ledger"]}\n',
    "main.tf": 'resource "aws_db_instance" "main" {\n  identifier = "payroll-ledger"\n}\n',
    "outputs.tf": 'output "x" {\n  value = aws_db_instance.main.id\n}\n',
}


def read(path: str) -> str | None:
    return ORIGINALS.get(path)


def target_for(path: str, source_type: SourceType) -> Target:
    return Target("payroll_ledger", NameMatcher("payroll_ledger"))


def nothing_else(symbols: list[str]) -> list[tuple[str, int, str]]:
    return []


TOUCHED = {"app.env": [(2, 2)], "dash.json": [(1, 1)], "main.tf": [(1, 3)]}


def planned(path: str, source_type: str, new_text: str | None, **extra: object) -> PlannedFile:
    return PlannedFile(
        path=path, source_type=source_type, action=Action.STRUCTURAL_EDIT, rule="test",
        reason="test edit", ref_lines=[2], new_text=new_text, touched=TOUCHED[path], **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def test_checks_read_the_rewritten_files() -> None:
    plan = Plan(
        files=[
            planned("app.env", "env_file", "A=1\nB=2\n"),
            planned("dash.json", "json_config", '{"dbs": ["orders"]}\n'),
        ]
    )
    verdict = critic.review(plan, apply.first_changeset(plan), read, target_for, nothing_else)
    assert verdict.overall_status is CheckStatus.PASSED
    assert verdict.database_reference_check.checked == 2
    assert verdict.findings == []


def test_each_check_finds_its_own_problem() -> None:
    plan = Plan(
        files=[
            # leaves the reference in place
            planned(
                "app.env", "env_file", "A=1\nPAYROLL_LEDGER_URL=postgres://h/payroll_ledger\nB=3\n"
            ),
            # breaks the JSON
            planned("dash.json", "json_config", '{"dbs": ["orders",]}\n'),
            # removes a resource that outputs.tf still uses
            planned("main.tf", "terraform", "", removed_symbols=["aws_db_instance.main"]),
        ]
    )
    verdict = critic.review(plan, apply.first_changeset(plan), read, target_for, nothing_else)
    assert verdict.overall_status is CheckStatus.FAILED
    refs = verdict.database_reference_check.findings
    assert [(f.path, f.line) for f in refs] == [("app.env", 2)]
    stray = verdict.rule_compliance_check.findings
    assert [(f.path, f.line) for f in stray] == [("app.env", 3)]
    assert any(f.path == "dash.json" for f in verdict.service_integrity_check.findings)
    unchanged_use = critic.review(
        plan, apply.first_changeset(plan), read, target_for,
        lambda symbols: [("outputs.tf", 2, s) for s in symbols],
    )  # fmt: skip
    assert any(
        f.path == "outputs.tf" and "aws_db_instance.main" in f.message
        for f in unchanged_use.service_integrity_check.findings
    )
    assert verdict.recommendations


def test_the_ladder_falls_back_then_restores_and_never_commits_a_broken_file() -> None:
    plan = Plan(
        files=[
            planned("app.env", "env_file", "A=1\nB=3\n"),  # a stray change
            planned("dash.json", "json_config", '{"dbs": ["orders",]}\n'),  # broken JSON
        ]
    )
    changes = apply.first_changeset(plan)
    iterations = 0
    for _ in range(5):
        iterations += 1
        verdict = critic.review(plan, changes, read, target_for, nothing_else)
        if verdict.overall_status is CheckStatus.PASSED:
            break
        changes = apply.next_changeset(
            plan, changes, verdict.findings, read, target_for, final=changes.iteration >= 3
        )
    assert verdict.overall_status is CheckStatus.PASSED
    assert iterations <= 4
    by_path = changes.by_path()
    env = by_path["app.env"]
    assert env.strategy == 1 and env.action is Action.COMMENT_OUT
    assert (
        env.new_text is not None
        and "# decom: payroll_ledger retired: PAYROLL_LEDGER_URL" in env.new_text
    )
    assert env.new_text.endswith("B=2\n")
    dash = by_path["dash.json"]
    assert dash.strategy == 2 and dash.action is Action.NEEDS_HUMAN and dash.new_text is None
    assert any("invalid JSON" in item for item in dash.needs_human)


def test_a_here_document_is_never_commented_into() -> None:
    """'#' inside a here-document is data (SQL for psql): the script goes back whole."""
    script = (
        "#!/bin/bash\n"
        "DATABASES=(orders payroll_ledger)\n"
        "psql -d postgres <<'SQL'\n"
        "\\connect payroll_ledger\n"
        "VACUUM ANALYZE;\n"
        "SQL\n"
    )
    originals = {"vacuum.sh": script}
    edited = script.replace("(orders payroll_ledger)", "(orders)")
    plan = Plan(
        files=[
            PlannedFile(
                path="vacuum.sh", source_type="shell", action=Action.STRUCTURAL_EDIT,
                rule="test", reason="test edit", ref_lines=[2, 4], new_text=edited,
                touched=[(2, 2)], needs_human=["4: a here-document names the database"],
            )
        ]
    )  # fmt: skip
    changes = apply.first_changeset(plan)
    verdict = critic.review(plan, changes, originals.get, target_for, nothing_else)
    assert verdict.overall_status is CheckStatus.FAILED  # line 4 still names it
    changes = apply.next_changeset(
        plan, changes, verdict.findings, originals.get, target_for, final=False
    )
    (change,) = changes.changes
    assert change.action is Action.NEEDS_HUMAN and change.new_text is None


def test_a_yaml_condition_is_never_commented_out() -> None:
    """Without its ``when:`` a task runs for every other database: the file goes back whole."""
    playbook = (
        "- name: Reindex\n"
        "  ansible.builtin.command: reindexdb -d {{ item }}\n"
        "  loop: '{{ dbs }}'\n"
        "  when: item == 'payroll_ledger' or window | bool\n"
    )
    originals = {"site.yml": playbook}
    plan = Plan(
        files=[
            PlannedFile(
                path="site.yml", source_type="yaml_config", action=Action.STRUCTURAL_EDIT,
                rule="test", reason="test edit", ref_lines=[4], new_text=playbook,
                touched=[], needs_human=["4: a condition names the database; edit it by hand"],
            )
        ]
    )  # fmt: skip
    changes = apply.first_changeset(plan)
    verdict = critic.review(plan, changes, originals.get, target_for, nothing_else)
    changes = apply.next_changeset(
        plan, changes, verdict.findings, originals.get, target_for, final=False
    )
    (change,) = changes.changes
    assert change.action is Action.NEEDS_HUMAN and change.new_text is None


TF = {
    "locals.tf": 'locals {\n  common = "x"\n  ledger_name = "payroll_ledger"\n}\n',
    "main.tf": 'module "reports" {\n  db_name = local.ledger_name\n}\n',
}


def _tf_plan(main_text: str) -> Plan:
    return Plan(
        files=[
            PlannedFile(
                path="locals.tf", source_type="terraform", action=Action.STRUCTURAL_EDIT,
                rule="test", reason="test edit", ref_lines=[3],
                new_text='locals {\n  common = "x"\n}\n', touched=[(3, 3)],
                removed_symbols=["local.ledger_name"],
            ),
            PlannedFile(
                path="main.tf", source_type="terraform", action=Action.STRUCTURAL_EDIT,
                rule="test", reason="test edit", ref_lines=[2], new_text=main_text,
                touched=[(1, 3)],
            ),
        ]
    )  # fmt: skip


def test_a_restored_file_still_using_a_removed_name_is_a_finding() -> None:
    plan = _tf_plan("")
    changes = apply.first_changeset(plan)
    restored = changes.model_copy(
        update={
            "changes": [
                changes.changes[0],
                changes.changes[1].model_copy(
                    update={"action": Action.NEEDS_HUMAN, "new_text": None, "strategy": 2}
                ),
            ]
        }
    )

    def uses(symbols: list[str]) -> list[tuple[str, int, str]]:
        return [("main.tf", 2, s) for s in symbols if s in TF["main.tf"]]

    verdict = critic.review(plan, restored, TF.get, target_for, uses)
    assert [(f.path, f.line) for f in verdict.service_integrity_check.findings] == [("main.tf", 2)]


def test_the_last_iteration_restores_what_a_restored_file_needs() -> None:
    plan = _tf_plan('module "reports" {\n  db_name = \n}\n')  # broken HCL: restored
    changes = apply.first_changeset(plan)
    verdict = critic.review(plan, changes, TF.get, target_for, nothing_else)
    assert verdict.service_integrity_check.findings  # main.tf does not parse
    final = apply.next_changeset(plan, changes, verdict.findings, TF.get, target_for, final=True)
    by_path = final.by_path()
    assert by_path["main.tf"].strategy == 2
    assert by_path["locals.tf"].strategy == 2 and by_path["locals.tf"].new_text is None


def test_a_use_its_file_already_hands_to_a_person_is_not_a_finding() -> None:
    """The rule listed the line (a live block needs a value): the checklist says it already."""
    plan = _tf_plan("")
    changes = apply.first_changeset(plan)
    flagged = changes.changes[1].model_copy(
        update={
            "action": Action.NEEDS_HUMAN,
            "new_text": None,
            "needs_human": ["2: db_name needs a value: db_name = local.ledger_name"],
        }
    )
    changes = changes.model_copy(update={"changes": [changes.changes[0], flagged]})

    def uses(symbols: list[str]) -> list[tuple[str, int, str]]:
        return [("main.tf", 2, s) for s in symbols if s in TF["main.tf"]]

    verdict = critic.review(plan, changes, TF.get, target_for, uses)
    assert verdict.service_integrity_check.findings == []


def test_a_restored_files_checklist_is_numbered_as_the_file_that_stays() -> None:
    original = "A=1\nB=2\nURL=postgres://h/payroll_ledger\n"
    plan = Plan(
        files=[
            PlannedFile(
                path="app.env", source_type="env_file", action=Action.STRUCTURAL_EDIT,
                rule="test", reason="test edit", ref_lines=[3],
                new_text="B=2\nURL=postgres://h/payroll_ledger\n", touched=[(3, 3)],
            )
        ]
    )  # fmt: skip
    originals = {"app.env": original}
    changes = apply.first_changeset(plan)
    verdict = critic.review(plan, changes, originals.get, target_for, nothing_else)
    assert {f.line for f in verdict.findings} == {1, 2}  # in the rewrite
    final = apply.next_changeset(
        plan, changes, verdict.findings, originals.get, target_for, final=True
    )
    (change,) = final.changes
    assert sorted(int(n.split(":")[0]) for n in change.needs_human) == [1, 3]
