"""`decom scan` run as users run it: the installed console script, real folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import MakeRepo, run_decom

FILES = {
    "infra/rds.tf": 'resource "aws_db_instance" "payroll_ledger" {\n  identifier = "x"\n}\n',
    "app/.env": "PAYROLL_LEDGER_URL=postgres://h/payroll_ledger\nORDERS_URL=postgres://h/orders\n",
    "docs/README.md": "The Payroll Ledger database is retired.\n",
    "node_modules/x/index.js": "payroll_ledger\n",
}


def test_json_output_has_the_documented_shape(make_repo: MakeRepo) -> None:
    repo = make_repo("billing", FILES, git_init=True)
    done = run_decom("scan", "payroll_ledger", str(repo), "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert set(payload) == {"database", "references", "skipped", "stats"}
    assert payload["database"] == "payroll_ledger"
    assert set(payload["stats"]) == {"files_scanned", "bytes_scanned", "seconds"}
    first = payload["references"][0]
    assert set(first) == {
        "repo", "path", "line", "column", "source_type", "kind", "text", "via",
    }  # fmt: skip
    found = {(r["path"], r["line"]) for r in payload["references"]}
    assert found == {("app/.env", 1), ("docs/README.md", 1), ("infra/rds.tf", 1)}
    assert all(r["repo"] == "billing" for r in payload["references"])
    by_path = {r["path"]: r for r in payload["references"]}
    assert by_path["app/.env"]["kind"] == "connection_string"
    assert by_path["infra/rds.tf"]["source_type"] == "terraform"
    assert payload["skipped"] == [
        {"repo": "billing", "path": "node_modules", "reason": "vendored (1 files)"}
    ]


def test_output_file_and_human_summary(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo("billing", FILES)
    out = tmp_path / "scan.json"
    done = run_decom("scan", "payroll_ledger", str(repo), "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert "infra/rds.tf" in done.stdout and "terraform" in done.stdout
    assert "3 references in 3 files" in done.stdout
    assert "vendored" in done.stdout
    assert len(json.loads(out.read_text())["references"]) == 3


def test_no_references_is_success(make_repo: MakeRepo) -> None:
    repo = make_repo("clean", {"a.py": "print('hello')\n"})
    done = run_decom("scan", "payroll_ledger", str(repo), "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["references"] == []


def test_exclude_name_and_alias_flags(make_repo: MakeRepo) -> None:
    repo = make_repo("x", {"a.txt": "payroll_ledger_replica\npl_main_db\n"})
    done = run_decom(
        "scan", "payroll_ledger", str(repo), "--json",
        "--exclude-name", "payroll_ledger_replica", "--alias", "pl_main",
    )  # fmt: skip
    lines = [r["line"] for r in json.loads(done.stdout)["references"]]
    assert lines == [2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "{repo}"], "database name is empty"),
        (["   ", "{repo}"], "database name is empty"),
        (["pay;roll", "{repo}"], "is not a database name"),
        (["payroll_ledger", "{repo}/missing"], "does not exist"),
        (["payroll_ledger", "{repo}/a.py"], "is not a folder"),
        (["payroll_ledger"], "REPO"),
        (["payroll_ledger", "{repo}", "--max-file-bytes", "lots"], "invalid int"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    make_repo: MakeRepo, args: list[str], message: str
) -> None:
    repo = make_repo("r", {"a.py": "x = 1\n"})
    done = run_decom("scan", *[a.format(repo=repo) for a in args])
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_help_lists_scan_and_scan_help_works() -> None:
    top = run_decom("--help")
    assert top.returncode == 0 and "scan" in top.stdout
    scan = run_decom("scan", "--help")
    assert scan.returncode == 0 and "--exclude-name" in scan.stdout
