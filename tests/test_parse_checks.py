"""Checks that run a program (bash -n) are started early and run once per text."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

from agent.discovery.models import SourceType
from agent.qa.parsing import check_parses, prefetch


@pytest.fixture
def bash_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put a ``bash`` first on PATH that logs each call, then runs the real bash."""
    real = shutil.which("bash")
    assert real is not None
    log = tmp_path / "calls.log"
    shim = tmp_path / "bin" / "bash"
    shim.parent.mkdir()
    shim.write_text(f'#!{real}\nprintf "%s\\n" "$*" >> {log}\nexec {real} "$@"\n')
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", f"{shim.parent}{os.pathsep}{os.environ['PATH']}")
    return log


def test_a_prefetched_check_is_the_answer_and_runs_bash_once(bash_calls: Path) -> None:
    unique = uuid.uuid4().hex  # texts never checked before in this process
    good = f"#!/bin/bash\nDBS=(orders)\necho {unique}\n"
    broken = f"#!/bin/bash\nif true; then\n  echo {unique}\n"
    prefetch(SourceType.SHELL, good, "a.sh")
    prefetch(SourceType.SHELL, broken, "b.sh")
    assert check_parses(SourceType.SHELL, good, "a.sh") is None
    error = check_parses(SourceType.SHELL, broken, "b.sh")
    assert error is not None and error.startswith("invalid shell:")
    assert check_parses(SourceType.SHELL, broken, "b.sh") == error
    assert bash_calls.read_text().splitlines() == ["-n", "-n"]


def test_prefetch_ignores_checks_that_run_no_program(bash_calls: Path) -> None:
    prefetch(SourceType.PYTHON, "x = (\n", "a.py")
    prefetch(SourceType.ENV_FILE, "A=1\n", ".env")
    assert check_parses(SourceType.PYTHON, "x = (\n", "a.py") is not None
    assert not bash_calls.exists()
