"""Cached partial clones and the token: over a real git smart-HTTP server that wants it."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog

from agent.errors import BranchConflictError, GitError, InputError
from agent.forge.github_push import clone_or_fetch, push_branch
from agent.forge.github_ref import RepoRef
from tests.conftest import git
from tests.fake_git_http import GitHttpServer
from tests.fake_github import FakeGitHub
from tests.forge_fixtures import FILES, changes
from tests.github_support import TOKEN, github_rig, settings

REF = RepoRef("github.com", "acme", "billing")


@pytest.fixture
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME and global git config in tmp, and a ``git`` on PATH that logs its command lines.

    The global config has a ``store`` helper that would keep any token offered to it.
    """
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[credential]\n\thelper = store\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    real_git = subprocess.run(["which", "git"], capture_output=True, text=True).stdout.strip()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "git"
    argv_log = tmp_path / "argv.log"
    wrapper.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{argv_log}"\nexec "{real_git}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return argv_log


@pytest.fixture
def http_remotes(tmp_path: Path) -> Iterator[tuple[FakeGitHub, GitHttpServer, str]]:
    """Bare repositories behind a token-checking smart-HTTP server."""
    fake = FakeGitHub(tmp_path / "github", TOKEN)
    server = GitHttpServer(tmp_path / "github" / "remotes", TOKEN)
    with server.serving() as url:
        yield fake, server, url


def test_first_call_makes_a_partial_clone_later_calls_fetch(
    tmp_path: Path, http_remotes: tuple[FakeGitHub, GitHttpServer, str]
) -> None:
    fake, server, url = http_remotes
    repo = fake.add_repo("acme", "billing", FILES)
    remote = f"{url}acme/billing.git"
    cfg = settings("http://127.0.0.1:9/")
    path = clone_or_fetch(REF, tmp_path / "cache", cfg, remote_url=remote)

    assert path == tmp_path / "cache/github.com/acme/billing"
    assert git(path, "config", "remote.origin.partialclonefilter").strip() == "blob:none"
    assert git(path, "status", "--porcelain") == "" and (path / "keep.txt").is_file()
    sentinel = path / ".git" / "decom-test-sentinel"
    sentinel.write_text("same clone\n")

    work = tmp_path / "upstream-work"
    git(tmp_path, "clone", "-q", str(repo.bare), str(work))
    (work / "new.txt").write_text("new upstream file\n")
    git(work, "add", "new.txt")
    git(work, "commit", "-qm", "upstream moved")
    git(work, "push", "-q", "origin", "main")
    (path / "stray.txt").write_text("left by a crashed run\n")

    again = clone_or_fetch(REF, tmp_path / "cache", cfg, remote_url=remote)
    assert again == path and sentinel.is_file()  # fetched, not cloned again
    assert git(path, "rev-parse", "HEAD").strip() == repo.branch_sha("main")
    assert (path / "new.txt").read_text() == "new upstream file\n"
    assert not (path / "stray.txt").exists()
    assert all(authorized for _, _, authorized in server.requests[-1:])


def test_a_folder_decom_did_not_clone_is_never_reset(tmp_path: Path) -> None:
    taken = tmp_path / "cache/github.com/acme/billing"
    taken.mkdir(parents=True)
    git(taken, "init", "-q")
    (taken / "mine.txt").write_text("precious\n")
    with pytest.raises(InputError, match="not a clone decom made"):
        clone_or_fetch(REF, tmp_path / "cache", settings("http://127.0.0.1:9/"))
    assert (taken / "mine.txt").read_text() == "precious\n"


def test_the_token_never_shows_in_urls_argv_config_logs_or_errors(
    tmp_path: Path,
    isolated_git: Path,
    http_remotes: tuple[FakeGitHub, GitHttpServer, str],
    capfd: pytest.CaptureFixture[str],
) -> None:
    fake, server, url = http_remotes
    with (
        structlog.testing.capture_logs() as logs,
        github_rig(tmp_path, fake=fake, git_base_url=url, fork_owner="decom-bot") as rig,
    ):
        fake.add_repo("acme", "billing", FILES)
        fake.add_repo("acme", "ledger", FILES, can_push=False)
        clones = {}
        for name in ("billing", "ledger"):
            ctx = rig.ctx("acme", name)
            clones[name] = Path(ctx.path)
            published = rig.forge.publish(ctx, "payroll_ledger", changes(), None)
            assert published.commit is not None
        fork_url = fake.repos["decom-bot/ledger"].bare.as_uri()
        # A wrong token fails with a message that does not repeat it.
        wrong = "ghp_" + "WrongTokenValue" * 3
        with pytest.raises(GitError) as failed:
            clone_or_fetch(
                RepoRef("github.com", "acme", "payments"), tmp_path / "cache2",
                settings("http://127.0.0.1:9/", token=wrong),
                remote_url=f"{url}acme/billing.git",
            )  # fmt: skip

    # The token did reach the server, through the credential helper only.
    assert any(authorized for _, _, authorized in server.requests)
    assert any(not authorized for _, _, authorized in server.requests)  # the 401 challenge
    assert fake.repos["acme/billing"].branch_sha("decommission/payroll_ledger") is not None
    assert fake.repos["decom-bot/ledger"].branch_sha("decommission/payroll_ledger") is not None
    out, err = capfd.readouterr()
    places = {
        "argv": isolated_git.read_text(),
        "git config": git(clones["billing"], "config", "--list", "--show-origin"),
        "remotes": git(clones["billing"], "remote", "-v") + git(clones["ledger"], "remote", "-v"),
        "server URLs": repr(server.requests) + repr([(r.path, r.query) for r in fake.requests]),
        "logs": repr(logs),
        "output": out + err,
        "error": str(failed.value),
        "records": "".join(p.read_text() for p in (tmp_path / "state").rglob("*") if p.is_file()),
    }
    for place, text in places.items():
        assert TOKEN not in text, place
        assert wrong not in text, place
    assert "clone" in places["argv"] and "push" in places["argv"]
    assert f"{url}acme/billing.git" in places["remotes"] and fork_url in places["remotes"]
    assert not (tmp_path / "home" / ".git-credentials").exists()


def test_a_push_that_raced_with_someone_else_is_refused(tmp_path: Path) -> None:
    fake = FakeGitHub(tmp_path / "github", TOKEN)
    repo = fake.add_repo("acme", "billing", FILES)
    clone = clone_or_fetch(
        REF, tmp_path / "cache", settings("http://127.0.0.1:9/"),
        remote_url=repo.bare.as_uri(),
    )  # fmt: skip
    seen = repo.branch_sha("main")
    work = tmp_path / "colleague"
    git(tmp_path, "clone", "-q", str(repo.bare), str(work))
    (work / "keep.txt").write_text("moved meanwhile\n")
    git(work, "commit", "-qam", "meanwhile")
    git(work, "push", "-q", "origin", "main")
    theirs = repo.branch_sha("main")
    git(work, "push", "-q", "origin", "main:topic")  # a branch decom has not seen yet
    git(clone, "branch", "-f", "topic", "HEAD")
    with pytest.raises(BranchConflictError, match="changed on origin"):
        push_branch(clone, "origin", "main", seen, None)
    assert repo.branch_sha("main") == theirs
    with pytest.raises(BranchConflictError):
        push_branch(clone, "origin", "topic", None, None)  # expected absent, but it exists
    assert repo.branch_sha("topic") == theirs
