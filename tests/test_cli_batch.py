"""Batch runs as users run them: the installed ``decom`` on many real git repositories.

Killed with SIGKILL and resumed, failures rerun, fail-fast, ``decom runs``, progress lines.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import DECOM, MakeRepo, git, run_decom

REPO = {
    "config/app.env": "LOG_LEVEL=info\nPAYROLL_LEDGER_URL=postgres://h/payroll_ledger\n",
    "runbooks/payroll-ledger.md": "# Payroll Ledger\n\nRestore from the nightly snapshot.\n",
    "README.md": "# svc\n",
}


def many_files(i: int) -> dict[str, str | bytes]:
    """A repository with some weight: a reference or two among many ordinary files."""
    files: dict[str, str | bytes] = dict(REPO)
    for n in range(120):
        files[f"src/mod{n}.py"] = f"def f{n}(x):\n    return x + {n}  # svc {i}\n"
    return files


def ledger_rows(state: Path) -> list[tuple[str, str, str, int]]:
    """(run_id, repo, status, attempts) from the ledger, read while the run may be live."""
    path = state / "ledger.sqlite"
    if not path.exists():
        return []
    conn = sqlite3.connect(path, timeout=5)
    try:
        return list(conn.execute("SELECT run_id, repo, status, attempts FROM decom_repos"))
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


def decom_commits(repo: Path, branch: str = "decommission/payroll_ledger") -> int:
    return int(git(repo, "rev-list", "--count", f"main..{branch}").strip())


def test_resume_after_kill_9_finishes_every_repository_once(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repos = [make_repo(f"svc{i:02d}", many_files(i), git_init=True) for i in range(10)]
    state = tmp_path / "state"
    args = ["run", "payroll_ledger", *map(str, repos), "--state-dir", str(state)]
    proc = subprocess.Popen(
        [DECOM, *args, "--max-concurrency", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            rows = ledger_rows(state)
            finished = [r for r in rows if r[2] == "changed"]
            if len(finished) >= 3 and any(r[2] == "running" for r in rows):
                proc.send_signal(signal.SIGKILL)
                break
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.01)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    rows = ledger_rows(state)
    killed = [r[1] for r in rows if r[2] == "running"]
    assert len(killed) == 1
    run_id = rows[0][0]

    done = run_decom("run", "--resume", run_id, "--state-dir", str(state), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert {r["status"] for r in summary["repos"]} == {"changed"}
    assert len(summary["repos"]) == 10
    attempts = {r[1]: r[3] for r in ledger_rows(state)}
    assert attempts[killed[0]] == 2
    assert sorted(attempts.values()) == [1] * 9 + [2]
    for repo in repos:  # one commit per repository: nothing duplicated by the redo
        assert decom_commits(repo) == 1
    assert len(list((state / "prs").glob("*/*.json"))) == 10

    again = run_decom("run", "--resume", run_id, "--state-dir", str(state), "--json")
    assert again.returncode == 0, again.stderr
    assert {r[3] for r in ledger_rows(state) if r[1] != killed[0]} == {1}


def test_only_failed_reruns_the_failures_and_nothing_else(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    good = make_repo("good", REPO, git_init=True)
    blocked = make_repo("blocked", REPO, git_init=True)
    # Someone else's commit on the campaign branch: decom refuses to overwrite it.
    git(blocked, "checkout", "-q", "-b", "decommission/payroll_ledger")
    (blocked / "NOTES.md").write_text("mine\n")
    git(blocked, "add", "NOTES.md")
    git(blocked, "commit", "-qm", "a colleague's commit")
    git(blocked, "checkout", "-q", "main")
    state = str(tmp_path / "state")
    first = run_decom("run", "payroll_ledger", str(good), str(blocked), "--state-dir", state)
    assert first.returncode == 1
    assert "Failures (1), by error:" in first.stdout
    assert "decom run --only-failed" in first.stdout
    run_id = first.stderr.split("decom: run ", 1)[1].split()[0]

    git(blocked, "branch", "-D", "decommission/payroll_ledger")
    again = run_decom("run", "--only-failed", run_id, "--state-dir", state, "--json")
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert {r["repo"]: r["status"] for r in summary["repos"]} == {
        "good": "changed",
        "blocked": "changed",
    }
    attempts = {Path(r[1]).name: r[3] for r in ledger_rows(Path(state))}
    assert attempts == {"good": 1, "blocked": 2}
    assert decom_commits(good) == 1 and decom_commits(blocked) == 1


def test_fail_fast_leaves_the_rest_pending_for_resume(make_repo: MakeRepo, tmp_path: Path) -> None:
    first = make_repo("a-broken", REPO, git_init=True)
    git(first, "checkout", "-q", "-b", "decommission/payroll_ledger")
    (first / "x.txt").write_text("x\n")
    git(first, "add", "x.txt")
    git(first, "commit", "-qm", "foreign")
    git(first, "checkout", "-q", "main")
    rest = [make_repo(f"b{i}", REPO, git_init=True) for i in range(3)]
    state = str(tmp_path / "state")
    args = [str(first), *map(str, rest), "--state-dir", state, "--max-concurrency", "1"]
    done = run_decom("run", "payroll_ledger", *args, "--fail-fast", "--json")
    assert done.returncode == 1
    summary = json.loads(done.stdout)
    assert [r["status"] for r in summary["repos"]] == ["failed"]
    assert len(summary["summary"]["not_started"]) == 3
    assert summary["failures"][0]["repos"] == ["a-broken"]

    listed = run_decom("runs", "--state-dir", state, "--json")
    assert listed.returncode == 0, listed.stderr
    (run,) = json.loads(listed.stdout)["runs"]
    assert run["status"] == "stopped" and run["counts"] == {"failed": 1, "pending": 3}
    table = run_decom("runs", "payroll_ledger", "--state-dir", state)
    assert summary["run_id"] in table.stdout and "stopped" in table.stdout

    resumed = run_decom("run", "--resume", summary["run_id"], "--state-dir", state, "--json")
    statuses = sorted(r["status"] for r in json.loads(resumed.stdout)["repos"])
    assert statuses == ["changed", "changed", "changed", "failed"]


def test_resume_and_only_failed_are_exclusive_and_runs_handles_an_empty_state(
    tmp_path: Path,
) -> None:
    done = run_decom("run", "--resume", "a", "--only-failed", "b")
    assert done.returncode == 2 and "exclusive" in done.stderr
    empty = run_decom("runs", "--state-dir", str(tmp_path / "nothing"))
    assert empty.returncode == 0 and "no runs" in empty.stdout
    assert "Traceback" not in empty.stderr


def test_plain_progress_lines_when_not_a_terminal(make_repo: MakeRepo, tmp_path: Path) -> None:
    repos = [make_repo(f"p{i}", REPO, git_init=True) for i in range(2)]
    done = run_decom("run", "payroll_ledger", *map(str, repos), "--state-dir", str(tmp_path / "s"))
    assert done.returncode == 0, done.stderr
    assert "[decom] 2 repositories to process" in done.stderr
    assert "[2/2]" in done.stderr and "2 changed, 0 no references" in done.stderr


@pytest.mark.parametrize(
    "args",
    [["runs"], ["run", "payroll_ledger", "."], ["doctor"], ["status", "payroll_ledger"]],
)
def test_an_invalid_setting_is_one_line_for_every_command(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DECOM_MAX_CONCURRENT_REPOS", "0")
    done = run_decom(*args, cwd=tmp_path)
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"decom {args[0]}: invalid settings: ") and "Traceback" not in line
