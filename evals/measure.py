"""Measure what a run left in a case's repositories (never from decom's own report).

- **residual**: a re-scan of the result finds the database outside comments, decom notes,
  documents that carry a decommission note and files handed to a person (as
  :mod:`evals.run_case` does), *plus* labelled reference lines left unchanged under the same
  exclusions: the re-scan shares discovery's blind spots, the labels do not.
- **damaged decoys**: labelled decoy lines changed or removed on their own (the rule of
  :func:`evals.run_case.decoy_damaged`, shared so the two tiers agree).
- **broken**: changed files of a type with a parser that parsed before and no longer do.
- **snapshots**: branches, commit counts, working tree and pull-request records, compared
  before and after a second run (idempotency) and before and after the run for repositories
  with nothing to change.
"""

from __future__ import annotations

import difflib
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from agent.discovery.api import find_references
from agent.discovery.sourcetypes import classify
from agent.models import RepoOutcome
from agent.qa.parsing import CHECKERS, check_parses
from agent.refactor.base import DECOM_MARK, Action
from evals.labels import Case, Label
from evals.run_case import COMMENT_PREFIXES, decoy_damaged, git, read_lines, read_text


@dataclass
class Findings:
    """What one repository's result holds (see the module docstring)."""

    residual: dict[tuple[str, str, str], str] = field(default_factory=dict)
    damaged_decoys: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    changed_parseable: int = 0


def extract(repo: Path, treeish: str, target: Path) -> Path:
    """Write the tree of ``treeish`` (a branch or HEAD) into ``target``; ``target``."""
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", treeish], cwd=repo, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def measure_tree(case: Case, name: str, after: Path, outcome: RepoOutcome | None) -> Findings:
    """Compare the result tree ``after`` of repository ``name`` with the case's original."""
    files = outcome.files if outcome is not None else []
    human = {f.path for f in files if f.action is Action.NEEDS_HUMAN}
    noted = {f.path for f in files if f.action is Action.DOC_NOTE}
    changed = {f.path for f in files if f.action not in (Action.NEEDS_HUMAN, Action.NO_CHANGE)}
    original = case.root / "repos" / name
    labels = [lab for lab in case.labels if lab.repo == name]
    findings = Findings()
    scan = find_references(
        case.database, [after], aliases=case.aliases, exclude_names=case.exclude_names
    )
    for ref in scan.references:
        if ref.path in human or ref.path in noted or _is_comment(ref.text):
            continue
        key = (name, ref.path, ref.text.strip())
        findings.residual[key] = f"{name}/{ref.path}:{ref.line}: {ref.text.strip()[:100]}"
    for label in labels:
        if label.ref and label.path not in human and label.path not in noted:
            _labelled_residual(original, after, name, label, findings)
    refs_by_file: dict[str, set[int]] = {}
    for label in labels:
        if label.ref:
            refs_by_file.setdefault(label.path, set()).add(label.line)
    for label in labels:
        if label.ref or not (after / label.path).exists():
            continue
        old_lines, new_lines = read_lines(original / label.path), read_lines(after / label.path)
        if old_lines is None or new_lines is None or label.line > len(old_lines):
            continue
        if decoy_damaged(old_lines, new_lines, label.line, refs_by_file.get(label.path, set())):
            findings.damaged_decoys.append(f"{name}/{label.path}:{label.line}")
    for path in sorted(changed):
        _check_parses(original, after, path, f"{name}/{path}", findings)
    return findings


def _is_comment(text: str) -> bool:
    return DECOM_MARK in text or text.lstrip().startswith(COMMENT_PREFIXES)


def _labelled_residual(original: Path, after: Path, name: str, label: Label, out: Findings) -> None:
    """Record a labelled reference line that survived the run unchanged (and is not a comment)."""
    old_lines, new_lines = read_lines(original / label.path), read_lines(after / label.path)
    if old_lines is None or new_lines is None or label.line > len(old_lines):
        return
    text = old_lines[label.line - 1]
    if _is_comment(text) or not _survived(old_lines, new_lines, label.line):
        return
    key = (name, label.path, text.strip())
    out.residual.setdefault(
        key, f"{name}/{label.path}:{label.line}: {text.strip()[:100]} (labelled, left unchanged)"
    )


def _survived(old: list[str], new: list[str], line: int) -> bool:
    """Whether 1-based ``line`` of ``old`` is still in ``new``, unchanged and in place."""
    if old == new:
        return True
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return any(op == "equal" and i1 < line <= i2 for op, i1, i2, _j1, _j2 in matcher.get_opcodes())


def _check_parses(before: Path, after: Path, path: str, where: str, out: Findings) -> None:
    """Count a changed parseable file and record it when it no longer parses."""
    original, new = before / path, after / path
    if not new.exists() or not original.exists():
        return  # deleted or created: nothing to compare
    source_type = classify(path, original.read_bytes()[:4096])
    if source_type not in CHECKERS:
        return
    old_text, new_text = read_text(original), read_text(new)
    if old_text is None or new_text is None or check_parses(source_type, old_text, where):
        return  # binary, or did not parse before the run either
    out.changed_parseable += 1
    error = check_parses(source_type, new_text, where)
    if error is not None:
        out.broken.append(f"{where}: {error}")


@dataclass(frozen=True)
class Snapshot:
    """What a repository and its pull-request records look like at one moment."""

    refs: dict[str, str]
    commits: int
    head: str
    status: str
    records: dict[str, str]


def snapshot(repo: Path, state_dir: Path) -> Snapshot:
    """Branches, commit count, HEAD, working tree status and PR records of ``repo``."""
    refs = {}
    for line in git(repo, "for-each-ref", "--format=%(refname) %(objectname)").splitlines():
        ref, _, sha = line.partition(" ")
        refs[ref] = sha
    records = {}
    folder = state_dir / "prs" / repo.name
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        data = json.loads(path.read_text(encoding="utf-8"))
        records[path.name] = str(data.get("commit"))
    return Snapshot(
        refs=refs,
        commits=int(git(repo, "rev-list", "--all", "--count").strip() or 0),
        head=git(repo, "rev-parse", "HEAD").strip(),
        status=git(repo, "status", "--porcelain", "--untracked-files=all"),
        records=records,
    )


def differences(before: Snapshot, after: Snapshot) -> list[str]:
    """What changed between two snapshots of one repository, one phrase each."""
    found = []
    for ref in sorted(after.refs.keys() - before.refs.keys()):
        found.append(f"new {ref}")
    for ref in sorted(before.refs.keys() - after.refs.keys()):
        found.append(f"deleted {ref}")
    for ref in sorted(before.refs.keys() & after.refs.keys()):
        if before.refs[ref] != after.refs[ref]:
            found.append(f"{ref} moved {before.refs[ref][:10]} -> {after.refs[ref][:10]}")
    if after.commits != before.commits:
        found.append(f"{after.commits - before.commits:+d} commit(s)")
    if after.head != before.head:
        found.append("HEAD moved")
    if after.status != before.status:
        found.append("working tree changed")
    for name in sorted(after.records.keys() - before.records.keys()):
        found.append(f"new pull-request record {name}")
    for name in sorted(before.records.keys() & after.records.keys()):
        if before.records[name] != after.records[name]:
            found.append(f"pull-request record {name} points at another commit")
    return found
