"""Prepare a repository for a run: resolve the base commit and the folder discovery reads.

decom never reads the user's uncommitted work as if it were the base: when the working tree
is dirty or checked out elsewhere, discovery runs on a snapshot of the base commit extracted
under the state directory (``git archive``; the user's repository is only read).
"""

from __future__ import annotations

import io
import shutil
import tarfile
from collections.abc import Callable
from pathlib import Path

from agent.discovery.repos import repositories_from_paths
from agent.errors import GitError, InputError
from agent.forge.git import GitRepo
from agent.pipeline.models import RepoContext


def prepare(path: str, base: str | None, snapshots: Path) -> RepoContext:
    """Resolve ``path`` into a :class:`RepoContext` whose scan root is safe to read.

    Args:
        path: the repository folder.
        base: branch or commit the change starts from (default: the default branch).
        snapshots: folder where snapshots of dirty repositories are extracted.

    Raises:
        InputError: the folder is missing, or the base does not exist.
    """
    ctx = start(path, base, snapshots)
    confirm = start_confirm(ctx, snapshots)
    return confirm() if confirm is not None else ctx


def start(path: str, base: str | None, snapshots: Path) -> RepoContext:
    """:func:`prepare`, optimistically: the working tree may be read before it is known clean.

    When the checkout is at the base, the context reads the repository itself and says it is
    ``unconfirmed``: :func:`start_confirm` must then run before anything read is trusted.
    Otherwise it reads a snapshot of the base.
    """
    (repo_ref,) = repositories_from_paths([path])
    checkout = GitRepo.inspect(repo_ref.root)
    if checkout is None:
        return RepoContext(
            name=repo_ref.name, path=str(repo_ref.root), is_git=False, scan_root=str(repo_ref.root)
        )
    repo = checkout.repo
    base_branch, commit = (
        checkout.default_base() if base is None else (base, checkout.commit_of(base))
    )
    if commit is None:
        raise InputError(f"{repo_ref.name}: base {base_branch!r} does not exist")
    ctx = RepoContext(
        name=repo_ref.name,
        path=str(repo_ref.root),
        is_git=True,
        base=commit,
        base_branch=base_branch,
        scan_root=str(repo_ref.root),
        unconfirmed=True,
    )
    # HEAD elsewhere than the base: the working tree is not what the change starts from.
    if checkout.head_commit != commit:
        return _on_snapshot(repo, ctx, snapshots)
    return ctx


def start_confirm(ctx: RepoContext, snapshots: Path) -> Callable[[], RepoContext] | None:
    """Start ``git status`` for an unconfirmed context (None when there is nothing to confirm).

    The function returned waits for it and gives the context to use: the same one, confirmed,
    if the working tree was clean, else one reading a snapshot of the base (everything read
    from the working tree must then be read again).
    """
    if not ctx.unconfirmed:
        return None
    repo = GitRepo(Path(ctx.path))
    is_clean = repo.start_is_clean()

    def confirm() -> RepoContext:
        if is_clean():
            return ctx.model_copy(update={"unconfirmed": False})
        return _on_snapshot(repo, ctx, snapshots)

    return confirm


def _on_snapshot(repo: GitRepo, ctx: RepoContext, snapshots: Path) -> RepoContext:
    assert ctx.base is not None
    folder = _snapshot(repo, ctx.base, snapshots / ctx.name)
    return ctx.model_copy(update={"scan_root": str(folder), "unconfirmed": False})


def _snapshot(repo: GitRepo, commit: str, folder: Path) -> Path:
    """Extract ``commit`` into ``folder`` (reused when it already holds that commit)."""
    marker = folder / ".decom-snapshot"
    if marker.is_file() and marker.read_text() == commit:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    try:
        archive = repo.run_bytes("archive", "--format=tar", commit)
    except GitError as exc:
        raise GitError(f"cannot snapshot {commit[:12]}: {exc}") from exc
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="tar")
    marker.write_text(commit)
    return folder


def release(ctx: RepoContext) -> None:
    """Remove a snapshot once the repository is done (the repository itself is never removed)."""
    snapshot = Path(ctx.scan_root)
    if snapshot != Path(ctx.path) and (snapshot / ".decom-snapshot").is_file():
        shutil.rmtree(snapshot, ignore_errors=True)
