"""Discovery over real folders: what is read, what is skipped, and line numbers."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from agent.discovery.api import find_references
from tests.conftest import MakeRepo


def lines_of(result, path: str) -> list[int]:  # type: ignore[no-untyped-def]
    return [r.line for r in result.references if r.path == path]


def test_gitignored_files_and_git_dir_are_not_scanned(make_repo: MakeRepo) -> None:
    repo = make_repo(
        "svc",
        {
            ".gitignore": "local.env\nbuild/\n",
            "config.env": "PAYROLL_LEDGER_HOST=a\n",
            "local.env": "PAYROLL_LEDGER_HOST=b\n",
            "build/out.txt": "payroll_ledger\n",
        },
        git_init=True,
    )
    (repo / ".git" / "payroll_ledger.txt").write_text("payroll_ledger\n")
    result = find_references("payroll_ledger", [repo])
    assert {r.path for r in result.references} == {"config.env"}


def test_hidden_files_are_scanned(make_repo: MakeRepo) -> None:
    repo = make_repo(
        "svc",
        {".env": "PAYROLL_LEDGER_URL=x\n", ".github/workflows/ci.yml": "db: payroll_ledger\n"},
    )
    result = find_references("payroll_ledger", [repo])
    assert {r.path for r in result.references} == {".env", ".github/workflows/ci.yml"}


def test_vendored_trees_are_skipped_and_counted(make_repo: MakeRepo) -> None:
    repo = make_repo(
        "web",
        {
            "app.js": "const db = 'payroll_ledger'\n",
            "node_modules/pg/index.js": "payroll_ledger\n",
            "node_modules/pg/lib/a.js": "payroll_ledger\n",
            "vendor/x/y.go": "payroll_ledger\n",
        },
    )
    result = find_references("payroll_ledger", [repo])
    assert [r.path for r in result.references] == ["app.js"]
    skipped = {s.path: s.reason for s in result.skipped}
    assert skipped["node_modules"] == "vendored (2 files)"
    assert skipped["vendor"] == "vendored (1 files)"


def test_binary_and_large_files_are_skipped_and_reported(make_repo: MakeRepo) -> None:
    repo = make_repo(
        "data",
        {
            "logo.png": b"\x89PNG payroll_ledger \x00\x00",
            "blob.dat": b"payroll_ledger\x00\x01\x02",
            "big.sql": "-- payroll_ledger\n" + "x" * 5000,
            "small.sql": "CREATE DATABASE payroll_ledger;\n",
        },
    )
    result = find_references("payroll_ledger", [repo], max_file_bytes=4096)
    assert [r.path for r in result.references] == ["small.sql"]
    reasons = {s.path: s.reason for s in result.skipped}
    assert reasons["logo.png"] == "binary"
    assert reasons["big.sql"] == "larger than the size limit (5018 bytes)"
    assert reasons["blob.dat"].startswith("binary")


def test_encodings_and_crlf_line_numbers(make_repo: MakeRepo) -> None:
    repo = make_repo(
        "enc",
        {
            "bom.py": codecs.BOM_UTF8 + b"x = 1\nDB = 'payroll_ledger'\n",
            "win.sql": codecs.BOM_UTF16_LE
            + "-- a\r\n-- b\r\nUSE payroll_ledger;\r\n".encode("utf-16-le"),
            "latin.txt": "caf\xe9\nthe Payroll Ledger database\n".encode("latin-1"),
            "crlf.properties": b"a=1\r\nb=2\r\nledger.url=jdbc:postgresql://h/payroll_ledger\r\n",
            "cr_only.ini": b"a=1\r\n\r\n\r\n\r\nhost=payroll-ledger-db\r\n",
        },
    )
    result = find_references("payroll_ledger", [repo])
    assert lines_of(result, "bom.py") == [2]
    assert lines_of(result, "win.sql") == [3]
    assert lines_of(result, "latin.txt") == [2]
    assert lines_of(result, "crlf.properties") == [3]
    assert lines_of(result, "cr_only.ini") == [5]
    for ref in result.references:
        assert "\r" not in ref.text


def test_symlinks_are_not_followed_and_loops_do_not_hang(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.env").write_text("PAYROLL_LEDGER_PASSWORD=x\n")
    repo = make_repo("links", {"real.yaml": "db: payroll_ledger\n"})
    os.symlink(outside, repo / "escape")
    os.symlink(repo, repo / "loop")
    os.symlink(repo / "real.yaml", repo / "alias.yaml")
    result = find_references("payroll_ledger", [repo])
    assert [r.path for r in result.references] == ["real.yaml"]


def test_multiple_repositories_are_named_by_folder(make_repo: MakeRepo) -> None:
    a = make_repo("a/api", {"x.py": "DB = 'payroll_ledger'\n"})
    b = make_repo("b/ops", {"y.sh": "psql payroll_ledger\n", "z.md": "nothing here\n"})
    result = find_references("payroll_ledger", [a, b])
    assert {(r.repo, r.path) for r in result.references} == {("api", "x.py"), ("ops", "y.sh")}
    assert result.stats.files_scanned == 3
    assert result.stats.bytes_scanned > 0


def test_column_is_one_based_and_first_match(make_repo: MakeRepo) -> None:
    repo = make_repo("c", {"a.txt": "archive: payroll_ledger_archive, live: payroll_ledger\n"})
    result = find_references("payroll_ledger", [repo], exclude_names=["payroll_ledger_archive"])
    (ref,) = result.references
    assert ref.column == ref.text.rindex("payroll_ledger") + 1
