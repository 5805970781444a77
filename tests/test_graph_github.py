"""The whole graph on a GitHub repository: cloned, rewritten, pushed, draft PR opened."""

from __future__ import annotations

from pathlib import Path

from agent.models import RepoStatus
from agent.notify import FanoutNotifier
from agent.pipeline.request import RunRequest
from graph import runner
from tests.conftest import git
from tests.github_support import github_rig

FILES = {
    "config/app.env": "LOG_LEVEL=info\nPAYROLL_LEDGER_URL=postgres://h/payroll_ledger\n",
    "README.md": "# billing\n",
}


def test_run_on_owner_name_clones_pushes_and_opens_a_draft(tmp_path: Path) -> None:
    with github_rig(tmp_path) as rig:
        remote = rig.fake.add_repo("acme", "billing", FILES)
        request = RunRequest(
            database="payroll_ledger", repos=["acme/billing"], state_dir=str(tmp_path / "state")
        )
        summary = runner.execute(request, "gh1", FanoutNotifier([]), github=rig.forge)
        again = runner.execute(request, "gh2", FanoutNotifier([]), github=rig.forge)
    (outcome,) = summary.repos
    assert outcome.status is RepoStatus.CHANGED, outcome.error
    assert outcome.pr_record == "https://github.com/acme/billing/pull/1"
    branch = "decommission/payroll_ledger"
    assert remote.branch_sha(branch) == outcome.commit
    shown = git(remote.bare, "show", f"{branch}:config/app.env")
    assert shown.startswith("LOG_LEVEL=info\n")
    assert "# decom: payroll_ledger retired: PAYROLL_LEDGER_URL=" in shown
    assert len(rig.fake.pulls) == 1 and rig.fake.pulls[0].draft
    (second,) = again.repos
    assert second.commit == outcome.commit and len(rig.fake.pulls) == 1
