"""The GitHub forge against real GitHub: runs only with GITHUB_TOKEN and DECOM_TEST_GITHUB_REPO.

DECOM_TEST_GITHUB_REPO names a scratch repository (``owner/name`` or an https URL) the token
may push to. The test opens a draft pull request on a branch named for this run, reruns it,
then withdraws it (pull request closed, branch deleted), leaving the repository as it was.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from agent.forge.github import GitHubForge, PullRequestOptions
from agent.forge.github_api import GitHubApi
from agent.forge.github_ref import parse_repo_ref, web_host
from agent.pipeline.models import Changeset, FileChange
from agent.pipeline.workspace import prepare
from agent.refactor.base import Action
from agent.settings import Settings

pytestmark = pytest.mark.skipif(
    not (os.environ.get("GITHUB_TOKEN") and os.environ.get("DECOM_TEST_GITHUB_REPO")),
    reason="live GitHub test: set GITHUB_TOKEN and DECOM_TEST_GITHUB_REPO (a scratch repository)",
)


def test_live_publish_rerun_and_withdraw(tmp_path: Path) -> None:
    settings = Settings()
    ref = parse_repo_ref(os.environ["DECOM_TEST_GITHUB_REPO"], web_host(settings.github_base_url))
    api = GitHubApi(settings)
    forge = GitHubForge(api, tmp_path / "state", PullRequestOptions(cache_dir=tmp_path / "cache"))
    database = f"decom_live_test_{int(time.time())}"
    try:
        ctx = prepare(str(forge.checkout(ref)), None, tmp_path / "snapshots")
        target = next(p for p in sorted(Path(ctx.scan_root).iterdir()) if p.is_file())
        text = target.read_text(encoding="utf-8", errors="replace")
        change = Changeset(
            changes=[
                FileChange(
                    path=target.name, source_type="text", action=Action.DOC_NOTE,
                    rule="live-test", reason="decom live test",
                    new_text=text + "\ndecom live test\n",
                )
            ]
        )  # fmt: skip
        published = forge.publish(ctx, database, change, None)
        assert published.record is not None and "/pull/" in published.record
        again = forge.publish(ctx, database, change, None)
        assert (again.record, again.unchanged) == (published.record, True)
    finally:
        ctx = prepare(str(forge.checkout(ref)), None, tmp_path / "snapshots")
        forge.publish(ctx, database, Changeset(), None)
        pulls = api.find_pulls(ref, f"{ref.owner}:decommission/{database}")
        api.close()
    assert [p.state for p in pulls] == ["closed"]
