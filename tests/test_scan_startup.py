"""`decom scan` starts ripgrep before importing anything heavy.

The light start-up part (`agent.discovery.launch`) behaves as the subprocess/pathlib code it
replaced.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from agent.discovery import launch, ripgrep
from agent.discovery.repos import repositories_from_paths
from agent.errors import InputError, ToolMissingError
from tests.conftest import ROOT, MakeRepo

#: Modules that must not be imported before ripgrep runs (each costs milliseconds).
HEAVY = (
    "re",
    "enum",
    "typing",
    "dataclasses",
    "pathlib",
    "subprocess",
    "json",
    "tempfile",
    "shutil",
    "inspect",
    "agent.discovery.names",
    "agent.discovery.engine",
)

#: Runs `decom scan` in a fresh interpreter and prints what was imported when rg started, and
#: whether typing was imported at all (a scan printing JSON needs none of it: ~3 ms).
PROBE = """
import sys
loaded = []
def hook(event, args):
    if event in ("os.posix_spawn", "subprocess.Popen") and not loaded:
        loaded.append(sorted(sys.modules))
sys.addaudithook(hook)
from agent.cli.scan import scan_main
code = scan_main(sys.argv[1:])
typing = "typing" in sys.modules
sys.stderr.write(repr({"code": code, "loaded": loaded[0] if loaded else None, "typing": typing}))
"""


def probe(*args: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = ast.literal_eval(done.stderr)
    assert "--json" not in args or not report["typing"]
    return report["code"], set(report["loaded"])


@pytest.mark.parametrize(
    "extra", [["--json"], ["--alias", "pl_main", "--affix", "ledgerdb", "--max-file-bytes", "9"]]
)
def test_ripgrep_starts_before_heavy_imports(make_repo: MakeRepo, extra: list[str]) -> None:
    repo = make_repo("r", {"a.env": "PAYROLL_LEDGER_URL=x\n"})
    code, loaded = probe("payroll_ledger", str(repo), *extra)
    assert code == 0
    assert sorted(m for m in HEAVY if m in loaded) == []
    assert "argparse" not in loaded  # a plain command line is read without it


def argparse_result(argv: list[str]) -> tuple[object, ...]:
    """What argparse alone makes of ``argv``: the values, or the exit code and messages."""
    from agent.cli.scan import ScanArgs, build_parser

    err, out = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            parsed = build_parser().parse_args(argv, namespace=ScanArgs())
    except SystemExit as exc:
        return ("exit", exc.code, err.getvalue(), out.getvalue())
    return ("ok", sorted(vars(parsed).items()))


def parse_result(argv: list[str]) -> tuple[object, ...]:
    """What ``decom scan`` makes of ``argv`` (plain reading first, argparse otherwise)."""
    from agent.cli.scan import parse_args

    err, out = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            parsed = parse_args(argv)
    except SystemExit as exc:
        return ("exit", exc.code, err.getvalue(), out.getvalue())
    return ("ok", sorted(vars(parsed).items()))


@pytest.mark.parametrize(
    "argv",
    [
        ["db", "r", "--json"],
        ["--json", "db", "r", "r2"],
        ["db", "r", "--alias", "a", "--alias", "b", "--affix", "X", "--output", "o.json"],
        ["db", "r", "--max-file-bytes", "10", "--max-file-bytes", " 1_2 ", "--json", "--json"],
        ["", "r"],
        ["db", "r", "--max-file-bytes", "lots"],
        ["db", "r", "--max-file-bytes", "-5"],
        ["db", "--json", "r"],
        ["db", "r", "--json", "r2"],
        ["--alias", "db", "r"],
        ["db", "r", "--alias"],
        ["db", "r", "--js"],
        ["db", "r", "--alias=a"],
        ["db", "--", "r"],
        ["-", "r"],
        ["db"],
        [],
    ],
)
def test_command_line_reads_as_argparse_reads_it(argv: list[str]) -> None:
    assert parse_result(argv) == argparse_result(argv)


def test_random_command_lines_read_as_argparse_reads_them() -> None:
    words = ["db", "r", "", "-", "--", "--json", "--alias", "--affix", "--exclude-name"]
    words += ["--output", "--max-file-bytes", "7", "-3", "x y", "--js", "--alias=q", "-h", "x"]
    pick = random.Random(7)
    for _ in range(1500):
        argv = [pick.choice(words) for _ in range(pick.randint(0, 7))]
        assert parse_result(argv) == argparse_result(argv), argv


def test_folders_are_checked_as_before(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo("billing", {"a.py": "x\n", "sub/b.py": "y\n"})
    monkeypatch.chdir(repo)
    assert launch.checked_folders([""]) == [("billing", str(repo.resolve()))]
    assert launch.checked_folders(["sub/", "./sub/."]) == [
        ("sub", str(repo / "sub")),
        ("sub-2", str(repo / "sub")),
    ]
    assert repositories_from_paths(["sub"])[0].root == (repo / "sub").resolve()
    with pytest.raises(InputError, match="is not a folder: a.py/"):
        launch.checked_folders(["a.py/"])
    with pytest.raises(InputError, match="does not exist: missing"):
        launch.checked_folders(["missing"])
    with pytest.raises(InputError, match="no repository given"):
        launch.checked_folders([])


def test_find_rg_prefers_the_binary_beside_python() -> None:
    beside = Path(sys.executable).parent / "rg"
    if beside.is_file():
        assert launch.find_rg() == str(beside)
    assert ripgrep.find_rg is launch.find_rg


def _search(tmp_path: Path) -> ripgrep.Search:
    (tmp_path / "a.txt").write_text("payroll_ledger\nother\n", encoding="utf-8")
    walk = ripgrep.Walk(1024)
    return ripgrep.finish_search(ripgrep.start_search(walk, "payroll", [str(tmp_path)]), walk)


def test_search_with_posix_spawn(tmp_path: Path) -> None:
    running = ripgrep.start_search(ripgrep.Walk(1024), "x", [str(tmp_path)])
    if hasattr(os, "posix_spawn"):
        assert isinstance(running.process, launch.SpawnedProcess)
    assert running.process.wait() == 1  # nothing found
    assert running.process.poll() == 1
    running.process.kill()  # ended already: nothing to do
    assert _search(tmp_path).lines == {str(tmp_path / "a.txt"): [(1, "payroll_ledger")]}


def test_search_without_posix_spawn_or_memfd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(os, "posix_spawn", raising=False)
    monkeypatch.delattr(os, "memfd_create", raising=False)
    running = ripgrep.start_search(ripgrep.Walk(1024), "x", [str(tmp_path)])
    assert isinstance(running.process, subprocess.Popen)
    running.process.wait()
    assert _search(tmp_path).lines == {str(tmp_path / "a.txt"): [(1, "payroll_ledger")]}


@pytest.mark.skipif(not hasattr(os, "posix_spawn"), reason="no os.posix_spawn")
def test_spawned_process_can_be_killed() -> None:
    pid = os.posix_spawn("/bin/sleep", ["sleep", "30"], os.environ)
    process = launch.SpawnedProcess(["sleep", "30"], pid)
    assert process.poll() is None
    process.kill()
    assert process.wait() == -9


def test_unrunnable_ripgrep_is_a_tool_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launch, "find_rg", lambda: "/nonexistent/rg")
    with pytest.raises(ToolMissingError, match="cannot run ripgrep"):
        launch.spawn_search(launch.walk_flags(), "x", ["."])
