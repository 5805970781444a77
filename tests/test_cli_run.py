"""`decom run` as users run it: the installed console script on real git repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import MakeRepo, git, run_decom

REPO = {
    "config/app.env": "LOG_LEVEL=info\nPAYROLL_LEDGER_URL=postgres://h/payroll_ledger\n",
    "runbooks/payroll-ledger.md": "# Payroll Ledger\n\nRestore from the nightly snapshot.\n",
    "README.md": "# svc\n",
}


def run_json(*args: str) -> dict:  # type: ignore[type-arg]
    done = run_decom("run", *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_run_json_shape_branch_and_idempotent_rerun(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo("svc", REPO, git_init=True)
    clean = make_repo("site", {"index.html": "<p>hi</p>\n"}, git_init=True)
    state = str(tmp_path / "state")
    first = run_json("payroll_ledger", str(repo), str(clean), "--state-dir", state)
    assert set(first) == {"run_id", "database", "repos", "summary", "failures"}
    by_repo = {r["repo"]: r for r in first["repos"]}
    svc = by_repo["svc"]
    assert svc["status"] == "changed" and svc["branch"] == "decommission/payroll_ledger"
    assert svc["files_deleted"] == 1 and svc["files_changed"] == 1
    assert Path(svc["pr_record"]).is_file()
    assert svc["qa"]["overall_status"] == "passed"
    assert by_repo["site"]["status"] == "no_references" and by_repo["site"]["branch"] is None
    assert git(repo, "status", "--porcelain") == ""
    commit = svc["commit"]
    second = run_json("payroll_ledger", str(repo), str(clean), "--state-dir", state)
    assert {r["repo"]: r for r in second["repos"]}["svc"]["commit"] == commit
    log = git(repo, "log", "--format=%H", "main..decommission/payroll_ledger").split()
    assert log == [commit]
    run_dir = Path(state) / "runs" / second["run_id"]
    events = [json.loads(line) for line in (run_dir / "decom.log.jsonl").read_text().splitlines()]
    assert {e["event"] for e in events} >= {"step_start", "step_end"}
    assert all("seconds" in e for e in events if e["event"] == "step_end")
    notes = (run_dir / "notifications.jsonl").read_text().splitlines()
    assert any(json.loads(n)["event"] == "run_done" for n in notes)


def test_dry_run_prints_diff_and_creates_no_branch(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo("svc", REPO, git_init=True)
    done = run_decom("run", "payroll_ledger", str(repo), "--dry-run", "--state-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "PAYROLL_LEDGER_URL" in done.stdout
    assert git(repo, "branch", "--list", "decommission/*") == ""
    assert list((tmp_path / "patches").rglob("svc.patch"))


def test_non_git_folder_gets_a_patch(make_repo: MakeRepo, tmp_path: Path) -> None:
    plain = make_repo("plain", REPO)
    result = run_json("payroll_ledger", str(plain), "--state-dir", str(tmp_path))
    (repo,) = result["repos"]
    assert repo["branch"] is None and repo["patch"].endswith("plain.patch")
    assert (plain / "runbooks" / "payroll-ledger.md").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "{repo}"], "database name is empty"),
        (["payroll_ledger", "{repo}/nope"], "does not exist"),
        (["payroll_ledger"], "at least one REPO"),
        (["--resume", "no-such-run"], "no run"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    make_repo: MakeRepo, tmp_path: Path, args: list[str], message: str
) -> None:
    repo = make_repo("r", {"a.txt": "x\n"}, git_init=True)
    done = run_decom("run", *[a.format(repo=repo) for a in args], "--state-dir", str(tmp_path))
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_an_ssh_address_is_refused_as_a_repository_not_a_folder(tmp_path: Path) -> None:
    done = run_decom("run", "payroll_ledger", "git@github.com:acme/billing.git")
    assert done.returncode == 2
    assert "not a GitHub repository" in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0
