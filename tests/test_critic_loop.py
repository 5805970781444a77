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
