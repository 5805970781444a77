"""Where HEAD is, and which base a run starts from, on real repositories (``GitRepo.inspect``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from agent.errors import GitError, InputError
from agent.forge.git import GitRepo
from agent.pipeline import workspace
from tests.conftest import MakeRepo, git


def _commit(repo: Path, name: str) -> str:
    (repo / name).write_text(name + "\n")
    git(repo, "add", name)
    git(repo, "commit", "-q", "-m", name)
    return git(repo, "rev-parse", "HEAD").strip()


def test_a_local_repository_starts_from_its_checked_out_branch(make_repo: MakeRepo) -> None:
    repo = make_repo("svc", {"a.txt": "a\n"})
    git(repo, "init", "-q", "-b", "trunk")
    tip = _commit(repo, "b.txt")
    checkout = GitRepo.inspect(repo)
    assert checkout is not None
    assert (checkout.head, checkout.head_commit, checkout.origin_default) == ("trunk", tip, None)
    assert checkout.default_base() == ("trunk", tip)
    assert checkout.repo.default_branch() == "trunk"


def test_a_clone_starts_from_origins_default_branch_even_on_another_branch(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    upstream = make_repo("upstream", {"a.txt": "a\n"}, git_init=True)
    main_tip = git(upstream, "rev-parse", "HEAD").strip()
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(upstream), str(clone)], check=True)
    git(clone, "checkout", "-q", "-b", "feature")
    feature_tip = _commit(clone, "f.txt")
    checkout = GitRepo.inspect(clone)
    assert checkout is not None
    assert checkout.origin_default == "main" and checkout.head == "feature"
    assert checkout.head_commit == feature_tip
    assert checkout.default_base() == ("main", main_tip)
    ctx = workspace.start(str(clone), None, tmp_path / "snapshots")
    assert ctx.base == main_tip and ctx.scan_root != str(clone)  # HEAD is not at the base


def test_a_detached_head_at_the_base_reads_the_repository_itself(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo("svc", {"a.txt": "a\n"}, git_init=True)
    tip = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "--detach")
    checkout = GitRepo.inspect(repo)
    assert checkout is not None and checkout.head is None and checkout.head_commit == tip
    assert checkout.default_base() == ("main", tip)
    ctx = workspace.start(str(repo), None, tmp_path / "snapshots")
    assert ctx.scan_root == str(repo) and ctx.unconfirmed


def test_a_repository_without_commits_has_no_base(make_repo: MakeRepo) -> None:
    repo = make_repo("empty", {"a.txt": "a\n"})
    git(repo, "init", "-q", "-b", "main")
    checkout = GitRepo.inspect(repo)
    assert checkout is not None and checkout.head_commit is None and checkout.head is None
    with pytest.raises(GitError, match="pass --base"):
        checkout.default_base()


def test_a_branch_means_the_branch_even_when_a_tag_has_its_name(make_repo: MakeRepo) -> None:
    repo = make_repo("svc", {"a.txt": "a\n"}, git_init=True)
    first = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "tag", "main", first)
    tip = _commit(repo, "b.txt")
    checkout = GitRepo.inspect(repo)
    assert checkout is not None and checkout.default_base() == ("main", tip)


def test_not_a_repository_and_a_subfolder(make_repo: MakeRepo, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert GitRepo.inspect(plain) is None
    repo = make_repo("svc", {"sub/a.txt": "a\n"}, git_init=True)
    with pytest.raises(InputError, match="pass the repository's top folder"):
        GitRepo.inspect(repo / "sub")
