"""The local forge: a branch in the repository itself and a pull-request record on disk.

For each repository with changes, :meth:`LocalForge.publish` builds one commit on the base
(plumbing, see :mod:`agent.forge.git`), moves ``decommission/<database>`` to it, and writes a
record (JSON and Markdown) under ``<state>/prs/``. Rerunning moves the same branch to a fresh
commit on the current base and updates the record; a branch holding commits decom did not
make is refused. Folders that are not git repositories, and dry runs, get a patch file.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from pydantic_core import to_json

from agent.errors import BranchConflictError
from agent.forge.git import GitRepo
from agent.forge.records import branch_name, pr_body, pr_title, unified_diff
from agent.formats.textfile import decode, read_file
from agent.models import QualityAssuranceResult
from agent.pipeline.models import Changeset, RepoContext
from agent.refactor.base import Action


@dataclass(frozen=True)
class Published:
    """Where a repository's change went."""

    branch: str | None
    commit: str | None
    record: str | None
    patch: str | None
    diff: str
    unchanged: bool = False


class LocalForge:
    """Branches in local repositories, pull-request records in the state directory."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir

    def publish(
        self,
        ctx: RepoContext,
        database: str,
        changeset: Changeset,
        qa: QualityAssuranceResult | None,
        *,
        dry_run: bool = False,
        text: tuple[str, str] | None = None,
    ) -> Published:
        """Commit the changeset to the campaign branch (or write a patch); return where.

        ``text`` is the pull request's (title, body) when the PR writer wrote them; decom's own
        title and body otherwise.
        """
        files = _committable(ctx, changeset)
        if not files:
            return Published(None, None, None, None, "", unchanged=True)
        if dry_run or not ctx.is_git or ctx.base is None:
            diff = unified_diff(
                (path, _read_text(ctx, path), None if data is None else decode(data).text)
                for path, data in sorted(files.items())
            )
            patch = self._write_patch(ctx.name, database, diff)
            return Published(None, None, None, str(patch), diff)
        repo = GitRepo(Path(ctx.path))
        branch = branch_name(database)
        title, body = text or (pr_title(database), pr_body(database, ctx.name, changeset, qa))
        message = (
            f"{pr_title(database)}\n\n{_commit_summary(changeset)}\nDecom-Campaign: {database}\n"
        )
        # Independent questions to git run side by side.
        head, tip, modes = (
            repo.start_head_branch(),
            repo.start_resolve(branch),
            repo.start_modes(ctx.base, files),
        )
        existing = tip()
        try:
            _check_branch(repo, ctx, branch, head(), existing)
        except BranchConflictError:
            modes()  # reap the listing; the conflict is the error to report
            raise
        commit = repo.commit_files(ctx.base, files, message, modes)
        diff_of = repo.start_diff(ctx.base, commit)
        unchanged = False
        if existing is not None and repo.same_change(existing, commit, ctx.base):
            commit, unchanged = existing, True
        else:
            repo.set_branch(branch, commit, existing)
        git_diff = diff_of()
        record = self._write_record(ctx, title, branch, commit, body, changeset, qa, git_diff)
        return Published(branch, commit, str(record), None, git_diff, unchanged)

    def _write_patch(self, repo: str, database: str, diff: str) -> Path:
        folder = self.state_dir / "patches" / branch_name(database).replace("/", "__")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{repo}.patch"
        path.write_text(diff, encoding="utf-8")
        return path

    def _write_record(
        self,
        ctx: RepoContext,
        title: str,
        branch: str,
        commit: str,
        body: str,
        changeset: Changeset,
        qa: QualityAssuranceResult | None,
        diff: str,
    ) -> Path:
        folder = self.state_dir / "prs" / ctx.name
        folder.mkdir(parents=True, exist_ok=True)
        stem = branch.replace("/", "__")
        json_path = folder / f"{stem}.json"
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        created = now
        if json_path.is_file():
            created = json.loads(json_path.read_text()).get("created_at", now)
        record = {
            "repo": ctx.name,
            "path": ctx.path,
            "state": "open",
            "draft": True,
            "title": title,
            "branch": branch,
            "base_branch": ctx.base_branch,
            "base": ctx.base,
            "commit": commit,
            "body": body,
            "files": [c.model_dump(mode="json", exclude={"new_text"}) for c in changeset.changes],
            "qa": qa.model_dump(mode="json") if qa else None,
            "created_at": created,
            "updated_at": now,
        }
        # pydantic-core's encoder: json.dumps with an indent runs in pure Python (~10 ms here).
        json_path.write_bytes(to_json(record, indent=2) + b"\n")
        markdown = f"# {record['title']}\n\n`{branch}` -> `{ctx.base_branch}`\n\n{body}\n"
        markdown += f"## Diff\n\n```diff\n{diff}```\n"
        (folder / f"{stem}.md").write_text(markdown, encoding="utf-8")
        return json_path


def _check_branch(
    repo: GitRepo, ctx: RepoContext, branch: str, head: str | None, existing: str | None
) -> None:
    """Refuse a campaign branch that is checked out or carries commits decom did not make."""
    if head == branch:
        raise BranchConflictError(
            f"{ctx.name}: {branch} is checked out; switch to another branch so decom can "
            "update it without touching your working tree"
        )
    if existing is not None and ctx.base is not None:
        foreign = repo.foreign_commits(ctx.base, existing)
        if foreign:
            raise BranchConflictError(
                f"{ctx.name}: branch {branch} has {len(foreign)} commit(s) decom did not make "
                f"({foreign[0][:12]}); decom will not overwrite it"
            )


def _committable(ctx: RepoContext, changeset: Changeset) -> dict[str, bytes | None]:
    """Path -> new bytes (None = delete) for every file the changeset really changes."""
    files: dict[str, bytes | None] = {}
    root = Path(ctx.scan_root)
    for change in changeset.changes:
        if change.action is Action.DELETE_FILE:
            files[change.path] = None
        elif change.new_text is not None and change.action not in (
            Action.NEEDS_HUMAN,
            Action.NO_CHANGE,
        ):
            original = (root / change.path).read_bytes()
            new = decode(original).encode(change.new_text)
            if new != original:
                files[change.path] = new
    return files


def _read_text(ctx: RepoContext, path: str) -> str | None:
    try:
        return read_file(ctx.scan_root, path).text
    except (OSError, ValueError):
        return None


def _commit_summary(changeset: Changeset) -> str:
    lines = []
    for change in sorted(changeset.changes, key=lambda c: c.path):
        if change.action not in (Action.NEEDS_HUMAN, Action.NO_CHANGE):
            lines.append(f"- {change.path}: {change.action.value}")
    return "\n".join(lines) + "\n"
