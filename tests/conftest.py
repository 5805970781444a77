"""Shared fixtures: real folders and real git repositories in temporary directories."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DECOM = str(Path(sys.executable).parent / "decom")

MakeRepo = Callable[..., Path]


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    """Write ``files`` (relative path -> text or bytes) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")


def git(cwd: Path, *args: str) -> str:
    """Run git with a fixed identity; return stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """Create a repository folder from a dict of files; ``git=True`` also commits it."""

    def make(name: str, files: dict[str, str | bytes], *, git_init: bool = False) -> Path:
        root = tmp_path / name
        root.mkdir(parents=True)
        write_tree(root, files)
        if git_init:
            git(root, "init", "-q", "-b", "main")
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", "initial")
        return root

    return make


def run_decom(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``decom`` console script."""
    return subprocess.run(
        [DECOM, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
