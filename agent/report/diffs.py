"""A repository's diff for the reports: from git (base..commit) or from a dry run's patch.

Reading a diff never raises: whatever goes wrong (no git, a missing commit, an unreadable
patch, a timeout) becomes ``unavailable`` text in the report, because a report that crashes
hides the run it was meant to describe.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from pydantic import BaseModel, Field

from agent.models import RepoOutcome

#: Bytes of diff kept per repository in the reports; the rest is cut at a line boundary.
MAX_DIFF_BYTES = 200_000

#: Seconds one ``git diff`` may take before the report gives up on it.
GIT_DIFF_TIMEOUT = 30.0


class RepoDiff(BaseModel):
    """The change made to one repository, as unified diff text."""

    source: str = Field(description="'git' (base..commit), 'patch' (dry run) or 'none'")
    text: str = Field("", description="the diff, at most MAX_DIFF_BYTES of it")
    bytes: int = Field(0, ge=0, description="size of the whole diff in bytes")
    truncated: bool = Field(False, description="text holds only the first MAX_DIFF_BYTES")
    unavailable: str | None = Field(
        None, description="'diff unavailable: <reason>' when it could not be read"
    )


def repo_diff(outcome: RepoOutcome, limit: int = MAX_DIFF_BYTES) -> RepoDiff:
    """The diff of one repository's outcome, capped at ``limit`` bytes."""
    if outcome.commit and outcome.base:
        return _git_diff(Path(outcome.path), outcome.base, outcome.commit, limit)
    if outcome.patch:
        return _patch_diff(Path(outcome.patch), limit)
    return RepoDiff(source="none")


def _git_diff(repo: Path, base: str, commit: str, limit: int) -> RepoDiff:
    if not (repo / ".git").exists():
        return _unavailable("git", f"{repo} is not a git repository")
    # Repository content is untrusted: no external diff drivers or textconv filters run.
    command = [
        "git", "-C", str(repo), "diff", "--no-color", "--no-ext-diff", "--no-textconv",
        base, commit, "--",
    ]  # fmt: skip
    env = {**os.environ, "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=GIT_DIFF_TIMEOUT, check=False, env=env
        )
    except subprocess.TimeoutExpired:
        return _unavailable("git", f"git diff took longer than {GIT_DIFF_TIMEOUT:.0f}s")
    except OSError as exc:
        return _unavailable("git", f"cannot run git: {exc.strerror or exc}")
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[0] if message else f"git diff exited with {done.returncode}"
        return _unavailable("git", reason)
    return _capped("git", done.stdout, limit)


def _patch_diff(patch: Path, limit: int) -> RepoDiff:
    try:
        size = patch.stat().st_size
        with patch.open("rb") as handle:
            head = handle.read(limit + 1)
    except OSError as exc:
        return _unavailable("patch", f"cannot read {patch}: {exc.strerror or exc}")
    diff = _capped("patch", head, limit)
    return diff.model_copy(update={"bytes": size, "truncated": size > limit})


def _capped(source: str, data: bytes, limit: int) -> RepoDiff:
    """``data`` as text, cut at the last line boundary before ``limit`` bytes."""
    truncated = len(data) > limit
    kept = data
    if truncated:
        kept = data[:limit]
        newline = kept.rfind(b"\n")
        kept = kept[: newline + 1]  # never half a line (nothing if not one whole line fits)
    text = kept.decode("utf-8", "replace")
    return RepoDiff(source=source, text=text, bytes=len(data), truncated=truncated)


def _unavailable(source: str, reason: str) -> RepoDiff:
    return RepoDiff(source=source, unavailable=f"diff unavailable: {reason}")


_HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")


def diff_lines(text: str) -> list[tuple[str, str]]:
    """Each line of a unified diff with its kind: ``add``, ``del``, ``hunk``, ``meta``, ``ctx``.

    Hunk headers give the number of lines in each hunk, so a removed line that starts with
    ``--`` is still a removal and a file header is never mistaken for one.
    """
    kinds: list[tuple[str, str]] = []
    old = new = 0
    for line in text.splitlines():
        if old > 0 or new > 0:
            mark = line[:1]
            if mark == "+":
                new -= 1
                kinds.append(("add", line))
                continue
            if mark == "-":
                old -= 1
                kinds.append(("del", line))
                continue
            if mark == " " or line == "":
                old, new = old - 1, new - 1
                kinds.append(("ctx", line))
                continue
            if mark == "\\":
                kinds.append(("meta", line))
                continue
            old = new = 0
        header = _HUNK.match(line)
        if header:
            old = int(header.group(1) if header.group(1) is not None else 1)
            new = int(header.group(2) if header.group(2) is not None else 1)
            kinds.append(("hunk", line))
        else:
            kinds.append(("meta", line))
    return kinds


def diff_stat(text: str) -> tuple[int, int]:
    """Lines added and removed in a unified diff."""
    kinds = [kind for kind, _ in diff_lines(text)]
    return kinds.count("add"), kinds.count("del")
