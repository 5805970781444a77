"""Aliases one repository of a run defines are searched for in the others."""

from __future__ import annotations

import json
from pathlib import Path

from agent.notify import FanoutNotifier
from agent.pipeline.request import RunRequest
from graph import runner
from tests.conftest import MakeRepo

INFRA = {
    "rds.tf": (
        'resource "aws_db_instance" "payroll_ledger" {\n'
        '  identifier     = "pl-prod-01"\n'
        '  instance_class = "db.r6g.large"\n'
        "}\n"
    ),
}
APP = {
    "config/app.env": "LOG_LEVEL=info\nLEDGER_HOST=pl-prod-01.abc.eu-west-1.rds.amazonaws.com\n",
    "README.md": "# reports\n",
}


def test_an_identifier_declared_in_the_infra_repository_is_found_in_the_app(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    infra = make_repo("infra", INFRA, git_init=True)
    app = make_repo("reports", APP, git_init=True)
    request = RunRequest(
        database="payroll_ledger", repos=[str(infra), str(app)], state_dir=str(tmp_path / "s")
    )
    runner.save_request(request, "c1")
    summary = runner.execute(request, "c1", FanoutNotifier([]))
    outcomes = {o.repo: o for o in summary.repos}
    assert outcomes["reports"].status.value == "changed"
    (changed,) = outcomes["reports"].files
    assert changed.path == "config/app.env" and changed.references == 1
    saved = json.loads((tmp_path / "s" / "runs" / "c1" / "run.json").read_text())
    assert [a["name"] for a in saved["campaign_aliases"]] == ["pl-prod-01"]
    assert saved["campaign_aliases"][0]["repo"] == "infra"


def test_alone_the_app_repository_has_no_reference(make_repo: MakeRepo, tmp_path: Path) -> None:
    app = make_repo("reports", APP, git_init=True)
    request = RunRequest(database="payroll_ledger", repos=[str(app)], state_dir=str(tmp_path))
    runner.save_request(request, "c2")
    (outcome,) = runner.execute(request, "c2", FanoutNotifier([])).repos
    assert outcome.status.value == "no_references"
