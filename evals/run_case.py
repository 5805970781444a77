"""Run the whole pipeline on a labelled case (on copies) and measure what it left behind.

Metrics (all computed from the committed branches, never from decom's own report):

- ``residual``: lines on the branch that still refer to the database, outside comments,
  decom notes, documents that carry a decommission note, and files left to a person.
- ``damaged_decoys``: labelled decoy lines (live databases, look-alikes) that are gone or
  changed in a file that still exists.
- ``broken``: changed files of a parseable type that no longer parse.
- ``untouched_changed``: repositories without references that got a branch or a changed file.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from agent.discovery.api import find_references
from agent.discovery.sourcetypes import classify
from agent.forge.records import branch_name
from agent.formats.textfile import BinaryFileError, decode
from agent.models import DecommissioningSummary, RepoStatus
from agent.notify import FanoutNotifier
from agent.pipeline.request import RunRequest
from agent.qa.parsing import check_parses
from agent.refactor.base import DECOM_MARK, Action
from evals.labels import Case

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "eval",
    "GIT_AUTHOR_EMAIL": "eval@example.invalid",
    "GIT_COMMITTER_NAME": "eval",
    "GIT_COMMITTER_EMAIL": "eval@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
COMMENT_PREFIXES = ("#", "//", "--", "/*", "*", ";", "<!--", "{{/*")


@dataclass
class RunMetrics:
    """What a run on one case left behind (see the module docstring)."""

    summary: DecommissioningSummary
    residual: list[str] = field(default_factory=list)
    damaged_decoys: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    untouched_changed: list[str] = field(default_factory=list)


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` with a fixed identity; its stdout."""
    done = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **_GIT_ENV}, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8", "surrogateescape")


def materialize(case: Case, work: Path) -> list[Path]:
    """Copy the case's repositories into ``work`` as git repositories with one commit."""
    repos = []
    for name in case.repos:
        target = work / name
        shutil.copytree(case.root / "repos" / name, target, symlinks=True)
        git(target, "init", "-q", "-b", "main")
        git(target, "add", "-A")
        git(target, "commit", "-q", "-m", "initial")
        repos.append(target)
    return repos


def run_case(case: Case, work: Path, *, dry_run: bool = False) -> RunMetrics:
    """Run decom on copies of the case and measure the result."""
    from graph import runner

    repos = materialize(case, work)
    request = RunRequest(
        database=case.database,
        repos=[str(r) for r in repos],
        aliases=list(case.aliases),
        exclude_names=list(case.exclude_names),
        state_dir=str(work / ".decom"),
        dry_run=dry_run,
    )
    summary = runner.execute(request, f"eval-{case.name}", FanoutNotifier([]))
    metrics = RunMetrics(summary=summary)
    branch = branch_name(case.database)
    for outcome, repo in zip(
        sorted(summary.repos, key=lambda o: o.repo), sorted(repos), strict=True
    ):
        has_branch = bool(git(repo, "branch", "--list", branch).strip())
        if outcome.status is RepoStatus.NO_REFERENCES:
            if has_branch or git(repo, "status", "--porcelain"):
                metrics.untouched_changed.append(repo.name)
            continue
        if not has_branch:
            continue
        _measure(case, repo, branch, outcome, metrics)
    return metrics


def _measure(case: Case, repo: Path, branch: str, outcome, metrics: RunMetrics) -> None:  # type: ignore[no-untyped-def]
    after = repo.parent / f"{repo.name}.after"
    after.mkdir()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", branch], cwd=repo, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(after)], input=archive, check=True)
    human = {f.path for f in outcome.files if f.action is Action.NEEDS_HUMAN}
    noted = {f.path for f in outcome.files if f.action is Action.DOC_NOTE}
    changed = {
        f.path for f in outcome.files if f.action not in (Action.NEEDS_HUMAN, Action.NO_CHANGE)
    }
    scan = find_references(
        case.database, [after], aliases=case.aliases, exclude_names=case.exclude_names
    )
    for ref in scan.references:
        if ref.path in human or ref.path in noted:
            continue
        text = ref.text.lstrip()
        if DECOM_MARK in ref.text or text.startswith(COMMENT_PREFIXES):
            continue
        metrics.residual.append(f"{repo.name}/{ref.path}:{ref.line}: {ref.text.strip()[:100]}")
    refs_by_file: dict[str, set[int]] = {}
    for label in case.labels:
        if label.ref and label.repo == repo.name:
            refs_by_file.setdefault(label.path, set()).add(label.line)
    for label in case.labels:
        if label.ref or label.repo != repo.name:
            continue
        new_path = after / label.path
        if not new_path.exists():
            continue
        old_lines = read_lines(case.root / "repos" / label.repo / label.path)
        new_lines = read_lines(new_path)
        if old_lines is None or new_lines is None or label.line > len(old_lines):
            continue
        if decoy_damaged(old_lines, new_lines, label.line, refs_by_file.get(label.path, set())):
            metrics.damaged_decoys.append(f"{repo.name}/{label.path}:{label.line}")
    for path in sorted(changed):
        new_path = after / path
        original = case.root / "repos" / repo.name / path
        if not new_path.exists() or not original.exists():
            continue
        source_type = classify(path, original.read_bytes()[:4096])
        new_text, old_text = read_text(new_path), read_text(original)
        if new_text is None or old_text is None:
            continue
        if check_parses(source_type, old_text, path) is None:
            error = check_parses(source_type, new_text, path)
            if error is not None:
                metrics.broken.append(f"{repo.name}/{path}: {error}")


def decoy_damaged(old: list[str], new: list[str], line: int, refs: set[int]) -> bool:
    """A decoy line is damaged when it changed or went away on its own.

    Removing it is fine only as part of a removed stretch of lines that holds a reference
    (a block, list item or section that existed for the database); a decom comment that keeps
    the line's text (a multi-line command commented out as a whole) is a considered edit.
    """
    text = old[line - 1]
    if text in new or any(DECOM_MARK in n and text.strip() in n for n in new):
        return False
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if op in ("delete", "replace") and i1 < line <= i2:
            return not any(i1 < r <= i2 for r in refs)
    return True


def read_text(path: Path) -> str | None:
    """A file's text in whatever encoding it has, or None if it is gone or binary."""
    try:
        return decode(path.read_bytes()).text
    except (OSError, BinaryFileError):
        return None


def read_lines(path: Path) -> list[str] | None:
    """A file's lines without their endings, or None if it is gone or binary."""
    text = read_text(path)
    return None if text is None else [line.rstrip("\r") for line in text.split("\n")]
