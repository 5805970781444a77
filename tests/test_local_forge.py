"""The local forge on real git repositories: the user's work is never touched."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from agent.errors import BranchConflictError
from agent.forge.local import LocalForge
from agent.pipeline.models import Changeset, FileChange
from agent.pipeline.workspace import prepare
from agent.refactor.base import Action
from tests.conftest import MakeRepo, git
from tests.forge_fixtures import FILES, changes


def snapshot_of_user_state(repo: Path) -> tuple[str, str, str, str]:
    return (
        git(repo, "status", "--porcelain"),
        git(repo, "rev-parse", "HEAD"),
        git(repo, "stash", "list"),
        (repo / ".git" / "index").read_bytes().hex(),
    )


def test_publish_creates_one_decom_commit_without_touching_the_user(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo("svc", FILES, git_init=True)
    (repo / "keep.txt").write_text("my uncommitted work\n")
    (repo / "scratch.txt").write_text("untracked\n")
    git(repo, "stash", "list")
    before = snapshot_of_user_state(repo)
    ctx = prepare(str(repo), None, tmp_path / "snaps")
    assert ctx.scan_root != str(repo)  # dirty tree: discovery reads a snapshot of main
    published = LocalForge(tmp_path / "state").publish(ctx, "payroll_ledger", changes(), None)
    assert snapshot_of_user_state(repo) == before
    assert (repo / "keep.txt").read_text() == "my uncommitted work\n"
    assert published.branch == "decommission/payroll_ledger"
    log = git(repo, "log", "--format=%an|%s", "main..decommission/payroll_ledger").splitlines()
    assert log == ["decom|Decommission the payroll_ledger database"]
    shown = git(repo, "show", "decommission/payroll_ledger:config.env")
    assert shown == "A=1\nB=2\n"
    files = git(repo, "ls-tree", "-r", "--name-only", "decommission/payroll_ledger").split()
    assert "runbook.md" not in files and "keep.txt" in files
    record = json.loads(Path(published.record or "").read_text())
    assert record["branch"] == "decommission/payroll_ledger"
    assert record["commit"] == published.commit
    assert Path(published.record or "").with_suffix(".md").read_text().startswith("# Decommission")


def test_rerun_is_idempotent_and_follows_a_moved_base(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo("svc", FILES, git_init=True)
    forge = LocalForge(tmp_path / "state")
    ctx = prepare(str(repo), None, tmp_path / "snaps")
    first = forge.publish(ctx, "payroll_ledger", changes(), None)
    again = forge.publish(ctx, "payroll_ledger", changes(), None)
    assert again.commit == first.commit and again.unchanged
    (repo / "new.txt").write_text("x\n")
    git(repo, "add", "new.txt")
    git(repo, "commit", "-qm", "more work")
    moved = prepare(str(repo), None, tmp_path / "snaps")
    third = forge.publish(moved, "payroll_ledger", changes(), None)
    assert third.commit != first.commit
    assert git(repo, "rev-parse", "decommission/payroll_ledger^").strip() == moved.base
    assert len(git(repo, "log", "--format=%H", "main..decommission/payroll_ledger").split()) == 1


def test_foreign_commits_on_the_branch_are_never_overwritten(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo("svc", FILES, git_init=True)
    forge = LocalForge(tmp_path / "state")
    ctx = prepare(str(repo), None, tmp_path / "snaps")
    forge.publish(ctx, "payroll_ledger", changes(), None)
    git(repo, "checkout", "-q", "decommission/payroll_ledger")
    (repo / "fix.txt").write_text("human fix\n")
    git(repo, "add", "fix.txt")
    git(repo, "commit", "-qm", "human fix")
    git(repo, "checkout", "-q", "main")
    tip = git(repo, "rev-parse", "decommission/payroll_ledger")
    with pytest.raises(BranchConflictError, match="did not make"):
        forge.publish(
            prepare(str(repo), None, tmp_path / "snaps"), "payroll_ledger", changes(), None
        )
    assert git(repo, "rev-parse", "decommission/payroll_ledger") == tip


def test_checked_out_campaign_branch_is_refused(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo("svc", FILES, git_init=True)
    forge = LocalForge(tmp_path / "state")
    forge.publish(prepare(str(repo), None, tmp_path / "s"), "payroll_ledger", changes(), None)
    git(repo, "checkout", "-q", "decommission/payroll_ledger")
    with pytest.raises(BranchConflictError, match="checked out"):
        forge.publish(
            prepare(str(repo), "main", tmp_path / "s"), "payroll_ledger", changes("A=1\n"), None
        )


def test_campaign_branch_checked_out_before_its_first_commit_is_refused(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo("svc", FILES, git_init=True)
    git(repo, "checkout", "-q", "--orphan", "decommission/payroll_ledger")
    index = (repo / ".git" / "index").read_bytes()
    with pytest.raises(BranchConflictError, match="checked out"):
        LocalForge(tmp_path / "state").publish(
            prepare(str(repo), None, tmp_path / "s"), "payroll_ledger", changes(), None
        )
    assert (repo / ".git" / "index").read_bytes() == index
    assert git(repo, "for-each-ref", "--format=%(refname)").split() == ["refs/heads/main"]


def test_non_git_folder_and_dry_run_get_a_patch(make_repo: MakeRepo, tmp_path: Path) -> None:
    plain = make_repo("plain", FILES)
    published = LocalForge(tmp_path / "state").publish(
        prepare(str(plain), None, tmp_path / "s"), "payroll_ledger", changes(), None
    )
    assert published.branch is None and published.patch is not None
    patch = Path(published.patch).read_text()
    assert "-PAYROLL_LEDGER_URL=postgres://h/payroll_ledger" in patch
    assert "+++ /dev/null" in patch
    repo = make_repo("svc", FILES, git_init=True)
    dry = LocalForge(tmp_path / "state").publish(
        prepare(str(repo), None, tmp_path / "s"), "payroll_ledger", changes(), None, dry_run=True
    )
    assert dry.branch is None and dry.patch is not None
    assert git(repo, "branch", "--list", "decommission/*") == ""


def test_crlf_bom_and_mode_survive_the_commit(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo(
        "win", {"run.sh": b"\xef\xbb\xbfA=1\r\nPAYROLL_LEDGER_HOST=x\r\nB=2\r\n"}, git_init=True
    )
    (repo / "run.sh").chmod(0o755)
    git(repo, "add", "run.sh")
    git(repo, "commit", "-qm", "exec")
    edit = Changeset(
        changes=[
            FileChange(
                path="run.sh", source_type="shell", action=Action.STRUCTURAL_EDIT, rule="t",
                reason="r", new_text="A=1\r\nB=2\r\n", touched=[(2, 2)],
            )
        ]
    )  # fmt: skip
    LocalForge(tmp_path / "state").publish(
        prepare(str(repo), None, tmp_path / "s"), "payroll_ledger", edit, None
    )
    blob = git(repo, "ls-tree", "decommission/payroll_ledger", "run.sh").split()
    assert blob[0] == "100755"
    raw = subprocess.run(
        ["git", "cat-file", "-p", blob[2]], cwd=repo, capture_output=True, check=True
    ).stdout
    assert raw == b"\xef\xbb\xbfA=1\r\nB=2\r\n"


def test_latin1_file_change_is_committed_and_recorded(make_repo: MakeRepo, tmp_path: Path) -> None:
    original = "-- r\xe9sum\xe9 des commandes\nUSE payroll_ledger;\nSELECT 1;\n".encode("latin-1")
    repo = make_repo("legacy", {"legacy.sql": original}, git_init=True)
    edit = Changeset(
        changes=[
            FileChange(
                path="legacy.sql", source_type="sql", action=Action.STRUCTURAL_EDIT, rule="t",
                reason="r", new_text="-- r\xe9sum\xe9 des commandes\nSELECT 1;\n", touched=[(2, 2)],
            )
        ]
    )  # fmt: skip
    published = LocalForge(tmp_path / "state").publish(
        prepare(str(repo), None, tmp_path / "s"), "payroll_ledger", edit, None
    )
    blob = subprocess.run(
        ["git", "show", "decommission/payroll_ledger:legacy.sql"], cwd=repo, capture_output=True
    ).stdout
    assert blob == "-- r\xe9sum\xe9 des commandes\nSELECT 1;\n".encode("latin-1")
    assert Path(published.record or "").with_suffix(".md").is_file()


def test_commit_files_handles_any_path_and_leaves_no_scratch_ref(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    odd = ['with space.env', 'quote"d.env', "back\\slash.env", '"leading.env', "tab\there.env",
           "new\nline.env", "üñí/çødé.env", "deep/a/b/c.env"]  # fmt: skip
    repo = make_repo("odd", {name: f"X={i}\n" for i, name in enumerate(odd)}, git_init=True)
    from agent.forge.git import GitRepo

    git_repo = GitRepo(repo)
    base = git(repo, "rev-parse", "HEAD").strip()
    index_before = (repo / ".git" / "index").read_bytes()
    changes: dict[str, bytes | None] = {name: f"Y={i}\n".encode() for i, name in enumerate(odd)}
    changes["deep/a/b/c.env"] = None
    changes["never-existed.env"] = None
    commit = git_repo.commit_files(base, changes, "subject\n\nbody\n")
    listing = subprocess.run(
        ["git", "ls-tree", "-r", "-z", "--name-only", commit],
        cwd=repo, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    assert sorted(p for p in listing if p) == sorted(n for n in odd if n != "deep/a/b/c.env")
    for i, name in enumerate(odd[:-1]):
        shown = subprocess.run(
            ["git", "cat-file", "blob", f"{commit}:{name}"], cwd=repo, capture_output=True
        ).stdout
        assert shown == f"Y={i}\n".encode(), name
    assert git(repo, "log", "-1", "--format=%P|%an|%ce|%B", commit).strip() == (
        f"{base}|decom|decom@noreply.invalid|subject\n\nbody"
    )
    assert git(repo, "for-each-ref", "--format=%(refname)").split() == ["refs/heads/main"]
    assert (repo / ".git" / "index").read_bytes() == index_before
    again = git_repo.commit_files(base, changes, "other message\n")
    assert git_repo.same_change(again, commit, base) is True
    assert git_repo.same_change(again, commit, commit) is False  # another base
    other = git_repo.commit_files(base, {"with space.env": b"Z\n"}, "other change\n")
    assert git_repo.same_change(other, commit, base) is False


def _sha256_repo(tmp_path: Path) -> tuple[Path, str]:
    """A SHA-256 repository with one commit of ``a.env``; its path and that commit."""
    repo = tmp_path / "sha256"
    subprocess.run(
        ["git", "init", "-q", "--object-format=sha256", "-b", "main", str(repo)], check=True
    )
    (repo / "a.env").write_text("X=1\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo, git(repo, "rev-parse", "HEAD").strip()


def test_commit_files_in_a_sha256_repository(tmp_path: Path) -> None:
    from agent.forge.git import GitRepo

    repo, base = _sha256_repo(tmp_path)
    assert len(base) == 64
    commit = GitRepo(repo).commit_files(base, {"a.env": b"X=2\n"}, "change\n")
    assert len(commit) == 64
    assert git(repo, "cat-file", "blob", f"{commit}:a.env") == "X=2\n"
    assert git(repo, "for-each-ref", "--format=%(refname)").split() == ["refs/heads/main"]


def test_a_sha256_repository_gets_its_branch(tmp_path: Path) -> None:
    from agent.forge.git import GitRepo

    repo, base = _sha256_repo(tmp_path)
    git_repo = GitRepo(repo)
    first = git_repo.commit_files(base, {"a.env": b"X=2\n"}, "change\n")
    git_repo.set_branch("decommission/x", first, None)
    assert git(repo, "rev-parse", "decommission/x").strip() == first
    second = git_repo.commit_files(base, {"a.env": b"X=3\n"}, "change\n")
    git_repo.set_branch("decommission/x", second, first)
    assert git(repo, "rev-parse", "decommission/x").strip() == second
