"""``--repos-file``: the repository list of a batch run, parsed and used by ``decom run``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.errors import InputError
from agent.repos_file import read_repos_file
from tests.conftest import MakeRepo, git, run_decom


def test_lines_comments_relative_paths_and_duplicates(tmp_path: Path) -> None:
    listing = tmp_path / "lists" / "repos.txt"
    listing.parent.mkdir()
    listing.write_text(
        "\ufeff# payments estate\n\n"
        "../svc   # the API\n"
        "acme/billing\n"
        "  https://github.com/acme/ledger-ui.git  \n"
        "/abs/path/repo\n"
        "../svc\n"
        "\t# indented comment\n",
        encoding="utf-8",
    )
    assert read_repos_file(listing) == [
        str(tmp_path / "svc"),
        "acme/billing",
        "https://github.com/acme/ledger-ui.git",
        "/abs/path/repo",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"# nothing here\n\n", "lists no repository"),
        (b"\xff\xfe\x00r\x00e\x00p\x00o", "not UTF-8"),
        (b"repo\x00\x01", "binary file"),
    ],
)
def test_bad_files_give_one_line_errors(tmp_path: Path, content: bytes, message: str) -> None:
    listing = tmp_path / "repos.txt"
    listing.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_repos_file(listing)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_repos_file(tmp_path / "absent.txt")


def test_run_takes_repositories_from_the_file(make_repo: MakeRepo, tmp_path: Path) -> None:
    svc = make_repo(
        "svc", {"app.env": "PAYROLL_LEDGER_URL=postgres://h/payroll_ledger\n"}, git_init=True
    )
    site = make_repo("site", {"index.html": "<p>hi</p>\n"}, git_init=True)
    listing = tmp_path / "repos.txt"
    listing.write_text("# estate\nsvc\nsite  # static\n", encoding="utf-8")
    done = run_decom(
        "run",
        "payroll_ledger",
        "--repos-file",
        str(listing),
        "--state-dir",
        str(tmp_path / "state"),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    status = {r["repo"]: r["status"] for r in json.loads(done.stdout)["repos"]}
    assert status == {"svc": "changed", "site": "no_references"}
    assert git(svc, "branch", "--list", "decommission/payroll_ledger").strip()
    assert git(site, "branch", "--list", "decommission/*") == ""


def test_run_with_an_empty_repos_file_fails_in_one_line(tmp_path: Path) -> None:
    listing = tmp_path / "repos.txt"
    listing.write_text("# none yet\n", encoding="utf-8")
    done = run_decom("run", "payroll_ledger", "--repos-file", str(listing))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "lists no repository" in done.stderr
    assert "Traceback" not in done.stderr
