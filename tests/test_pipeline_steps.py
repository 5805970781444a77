"""Pipeline steps on real repositories: what discovery reads, what the critic reuses."""

from __future__ import annotations

from pathlib import Path

from agent.pipeline import steps
from agent.pipeline.models import NameSearch
from agent.pipeline.request import RunRequest
from tests.conftest import MakeRepo

TREE = {
    "infra/db.tf": (
        'resource "aws_db_instance" "payroll_ledger" {\n  engine = "postgres"\n}\n\n'
        'locals {\n  ledger_host = aws_db_instance.payroll_ledger.address\n  team = "pay"\n}\n'
    ),
    "infra/app.tf": (
        'resource "aws_ssm_parameter" "host" {\n  name  = "/app/host"\n'
        "  value = local.ledger_host\n}\n\n"
        'resource "aws_ssm_parameter" "team" {\n  name  = "/app/team"\n  value = local.team\n}\n'
    ),
}


def test_critic_answers_from_the_plans_search_of_the_same_names(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo("svc", TREE, git_init=True)
    request = RunRequest(database="payroll_ledger", repos=[str(repo)], state_dir=str(tmp_path))
    ctx, scan = steps.discover(request, "r1", str(repo))
    plan = steps.plan(request, ctx, scan)
    # app.tf loses the parameter that held the database's host (found through the alias
    # local.ledger_host); the cascade then searched for uses of the removed parameter.
    (search,) = [s for s in plan.searches if "aws_ssm_parameter.host" in s.symbols]
    assert search.hits == {}
    changes = steps.refactor(request, ctx, scan, plan, None, None)
    review = steps.review(request, ctx, scan, plan, changes)
    assert review.overall_status.value == "passed"

    # A use the plan's search saw (in a file the change does not touch) is reported by the
    # critic without a second walk: this file exists only in the recorded hits.
    seen = {"infra/notes.tf": [(3, "  host = aws_ssm_parameter.host.value")]}
    recorded = plan.model_copy(update={"searches": [search.model_copy(update={"hits": seen})]})
    findings = steps.review(request, ctx, scan, recorded, changes).findings
    assert [(f.path, f.line) for f in findings] == [("infra/notes.tf", 3)]
    # Without a covering search the critic walks the tree itself (where no such file is).
    fresh = plan.model_copy(update={"searches": [NameSearch(symbols=["x"], origins=[])]})
    assert steps.review(request, ctx, scan, fresh, changes).findings == []


def test_discovery_reads_the_base_commit_when_the_tree_turns_out_dirty(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo("svc", TREE, git_init=True)
    request = RunRequest(database="payroll_ledger", repos=[str(repo)], state_dir=str(tmp_path))
    ctx, clean_scan = steps.discover(request, "r1", str(repo))
    # Clean and at the base: the repository itself is read, confirmed while the plan is made.
    assert ctx.scan_root == str(repo) and ctx.unconfirmed
    confirmed, _, _ = steps.plan_confirmed(request, "r1", ctx, clean_scan)
    assert confirmed.scan_root == str(repo) and not confirmed.unconfirmed
    base_refs = [(r.repo, r.path, r.line) for r in clean_scan.references]

    # Uncommitted work: a reference removed by hand and a new untracked file naming it.
    (repo / "infra" / "db.tf").write_text('resource "null_resource" "x" {}\n')
    (repo / "notes.md").write_text("payroll_ledger goes away\n")
    ctx, dirty_scan = steps.discover(request, "r2", str(repo))
    assert ctx.unconfirmed and {r.path for r in dirty_scan.references} != {
        p for _, p, _ in base_refs
    }
    ctx, scan, plan = steps.plan_confirmed(request, "r2", ctx, dirty_scan)
    assert ctx.scan_root != str(repo) and ctx.name == "svc" and not ctx.unconfirmed
    assert [(r.repo, r.path, r.line) for r in scan.references] == base_refs
    assert {f.path for f in plan.files} >= {"infra/db.tf", "infra/app.tf"}
    assert "notes.md" not in {f.path for f in plan.files}

    # Asked to (a model will read what was found), or nothing found: confirmed at once.
    ctx, scan = steps.discover(request, "r3", str(repo), confirm=True)
    assert (
        ctx.scan_root != str(repo)
        and [(r.repo, r.path, r.line) for r in scan.references] == base_refs
    )
    (repo / "notes.md").unlink()
    (repo / "infra" / "app.tf").write_text("# nothing here\n")
    ctx, scan = steps.discover(request, "r4", str(repo))
    assert (
        ctx.scan_root != str(repo)
        and [(r.repo, r.path, r.line) for r in scan.references] == base_refs
    )


def test_terraform_names_are_searched_in_their_module_folder_only(tmp_path: Path) -> None:
    from agent.pipeline.plan import files_using
    from tests.conftest import write_tree

    write_tree(
        tmp_path,
        {
            "infra/db.tf": "locals {\n  host = aws_db_instance.x.address\n}\n",
            "infra/app.tf": "x = local.host\n",
            "infra/modules/other/main.tf": "y = local.host\n",  # another module's own local
            "docs/notes.md": "local.host and DB_HOST\n",
        },
    )
    found = files_using(tmp_path, ["DB_HOST", "local.host"], ["infra/db.tf"])
    assert sorted(found) == ["docs/notes.md", "infra/app.tf"]


def test_discovery_reads_the_base_when_head_is_elsewhere_and_refuses_a_subfolder(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    import pytest

    from agent.errors import InputError
    from tests.conftest import git

    repo = make_repo("svc", TREE, git_init=True)
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "infra" / "db.tf").write_text('resource "null_resource" "x" {}\n')
    git(repo, "commit", "-qam", "drop the database on a branch")
    request = RunRequest(
        database="payroll_ledger", repos=[str(repo)], state_dir=str(tmp_path), base="main"
    )
    ctx, scan = steps.discover(request, "r1", str(repo))
    assert ctx.scan_root != str(repo) and ctx.base_branch == "main"
    assert {r.path for r in scan.references} == {"infra/db.tf", "infra/app.tf"}
    assert {r.repo for r in scan.references} == {"svc"}
    with pytest.raises(InputError, match="inside the git repository"):
        steps.discover(request, "r2", str(repo / "infra"))


def test_a_removed_output_is_never_searched_for(make_repo: MakeRepo, tmp_path: Path) -> None:
    from agent.pipeline.plan import uses_of

    repo = make_repo(
        "svc",
        {
            "infra/db.tf": (
                'resource "aws_db_instance" "payroll_ledger" {\n  engine = "postgres"\n}\n\n'
                'output "ledger_host" {\n  value = aws_db_instance.payroll_ledger.address\n}\n'
            ),
            # Text that spells the recorded address is not Terraform reading the output.
            "infra/notes.tf": "# see output.ledger_host in the console\n",
        },
        git_init=True,
    )
    request = RunRequest(database="payroll_ledger", repos=[str(repo)], state_dir=str(tmp_path))
    ctx, scan = steps.discover(request, "r1", str(repo))
    plan = steps.plan(request, ctx, scan)
    (db,) = [f for f in plan.files if f.path == "infra/db.tf"]
    assert "output.ledger_host" in db.removed_symbols and db.action.value == "delete_file"
    # The database's own address was found by discovery; the output's is not code: no search.
    assert plan.searches == []
    origins = {"output.ledger_host": ["infra/db.tf"]}
    assert uses_of(repo, ["output.ledger_host"], origins, []) == {}
    changes = steps.refactor(request, ctx, scan, plan, None, None)
    assert steps.review(request, ctx, scan, plan, changes).overall_status.value == "passed"


def test_named_after_it_is_not_always_dedicated(make_repo: MakeRepo, tmp_path: Path) -> None:
    """Code other code extends, and the record of a decision, are not deleted with it."""
    repo = make_repo(
        "svc",
        {
            "app/models/payroll_ledger_record.rb": (
                "class PayrollLedgerRecord < ApplicationRecord\n"
                "  connects_to database: { writing: :payroll_ledger }\nend\n"
            ),
            "app/models/entry.rb": "class Entry < PayrollLedgerRecord\nend\n",
            "docs/adr/0007-add-payroll-ledger.md": (
                "# 7. Add the payroll_ledger database\n\nStatus: Accepted\n"
            ),
            "docs/runbooks/payroll-ledger.md": "# payroll_ledger\n\nRestore from snapshot.\n",
        },
        git_init=True,
    )
    request = RunRequest(database="payroll_ledger", repos=[str(repo)], state_dir=str(tmp_path))
    ctx, scan = steps.discover(request, "r1", str(repo))
    actions = {f.path: f.action.value for f in steps.plan(request, ctx, scan).files}
    assert actions["app/models/payroll_ledger_record.rb"] == "needs_human"
    assert actions["docs/adr/0007-add-payroll-ledger.md"] == "doc_note"
    assert actions["docs/runbooks/payroll-ledger.md"] == "delete_file"


def test_a_deleted_manifest_leaves_its_kustomization(make_repo: MakeRepo, tmp_path: Path) -> None:
    sealed = (
        "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: {}-db\n"
        "spec:\n  encryptedData:\n    pw: Ag\n"
    )
    repo = make_repo(
        "gitops",
        {
            "secrets/kustomization.yaml": (
                "kind: Kustomization\nresources:\n  - sealed-orders.yaml\n"
                "  - sealed-payroll-ledger.yaml\n"
            ),
            "secrets/sealed-payroll-ledger.yaml": sealed.format("payroll-ledger"),
            "secrets/sealed-orders.yaml": sealed.format("orders"),
            "other/kustomization.yaml": "resources:\n  - sealed-payroll-ledger.yaml\n",
        },
        git_init=True,
    )
    request = RunRequest(database="payroll_ledger", repos=[str(repo)], state_dir=str(tmp_path))
    ctx, scan = steps.discover(request, "r1", str(repo))
    plan = steps.plan(request, ctx, scan)
    by_path = plan.by_path()
    assert by_path["secrets/sealed-payroll-ledger.yaml"].action.value == "delete_file"
    kustomization = by_path["secrets/kustomization.yaml"]
    assert kustomization.new_text == "kind: Kustomization\nresources:\n  - sealed-orders.yaml\n"
    assert "other/kustomization.yaml" not in by_path  # another folder's file of that name
    changes = steps.refactor(request, ctx, scan, plan, None, None)
    assert steps.review(request, ctx, scan, plan, changes).overall_status.value == "passed"
