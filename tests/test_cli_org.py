"""``decom run --org``: the targets an organization yields, and the CLI's one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.cli.run import org_targets
from tests.conftest import run_decom
from tests.fake_github import FakeGitHub
from tests.github_support import TOKEN


def test_org_targets_lists_filters_and_says_what_it_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeGitHub(tmp_path / "github", TOKEN)
    for name in ("billing-api", "billing-infra", "website"):
        fake.list_repo("acme", name)
    fake.list_repo("acme", "billing-old", archived=True)
    fake.list_repo("acme", "billing-fork", fork=True)
    with fake.serving() as url:
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("GITHUB_API_URL", url)
        targets = org_targets("acme", [r"^billing-"], [r"infra"], state_dir=str(tmp_path / "s"))
    assert targets == ["acme/billing-api"]
    said = capsys.readouterr().err
    assert "acme: 1 repositories (skipped: 1 archived, 1 excluded, 1 fork, 1 not_included)" in said
    assert TOKEN not in said


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--org", "acme"], {}, "--org lists repositories on GitHub: set GITHUB_TOKEN"),
        (["--include", "x", "/tmp"], {}, "--include/--exclude filter --org"),
        (["--org", "acme", "--include", "("], {"GITHUB_TOKEN": TOKEN}, "include"),
    ],
)
def test_org_errors_are_one_line(
    args: list[str], env: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    done = run_decom("run", "payroll_ledger", *args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
