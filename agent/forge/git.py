"""Git, driven so that the user's working tree, index and stash are never touched.

Commits are built with plumbing: one ``fast-import`` writes the blobs, the trees along the
changed paths and the commit, and the branch is moved with ``update-ref`` guarded by its
expected old value. Nothing here runs
checkout, reset, stash or add on the user's repository.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from agent.errors import GitError, InputError, ToolMissingError

#: The identity decom commits as; rerun safety relies on it (see :meth:`GitRepo.foreign_commits`).
DECOM_NAME = "decom"
DECOM_EMAIL = "decom@noreply.invalid"
_ORIGIN = "refs/remotes/origin/"
_OBJECT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """A file in a commit."""

    mode: str
    blob: str


@dataclass(frozen=True, slots=True)
class Checkout:
    """A repository and where its HEAD is (see :meth:`GitRepo.inspect`)."""

    repo: GitRepo
    #: HEAD's commit (None: no commit yet).
    head_commit: str | None
    #: The branch HEAD is on (None: detached, or no commit yet).
    head: str | None
    #: The branch ``origin/HEAD`` names (None: not set, or it names no branch here).
    origin_default: str | None

    def default_base(self) -> tuple[str, str | None]:
        """Origin's default branch if known, else HEAD's branch, else main/master; its commit.

        The commit is None when origin's default has no commit here.

        Raises:
            GitError: none of them exists.
        """
        if self.origin_default is not None:
            return self.origin_default, self.commit_of(self.origin_default)
        for candidate in (self.head, "main", "master"):
            if candidate is not None and (commit := self.commit_of(candidate)) is not None:
                return candidate, commit
        raise GitError("cannot tell the default branch: pass --base")

    def commit_of(self, branch: str) -> str | None:
        """The commit of ``branch`` (HEAD's is known already; others are asked of git)."""
        if branch == self.head:
            return self.head_commit
        return self.repo.resolve(branch)


class GitRepo:
    """A local git repository."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @staticmethod
    def open(path: Path) -> GitRepo | None:
        """The repository whose top level is ``path``, or None if ``path`` is not one."""
        checkout = GitRepo.inspect(path)
        return checkout.repo if checkout is not None else None

    @staticmethod
    def inspect(path: Path) -> Checkout | None:
        """Where HEAD is in the repository whose top level is ``path`` (None: not a repository).

        One ``rev-parse`` answers what used to take four git processes (top level, HEAD's
        branch, origin's default branch, HEAD's commit). ``--revs-only`` drops what does not
        exist (no commit yet, no ``origin/HEAD``) instead of failing, and each answer has its
        own shape: an object id, ``refs/heads/...``, ``refs/remotes/origin/...``, or ``HEAD``
        when detached.

        Raises:
            InputError: ``path`` is a folder inside a repository, not its top.
        """
        if shutil.which("git") is None:
            raise ToolMissingError("git is not installed: install git 2.30 or newer")
        done = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "--show-toplevel", "--revs-only",
             "HEAD^{commit}", "--symbolic-full-name", "HEAD", f"{_ORIGIN}HEAD"],
            capture_output=True,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )  # fmt: skip
        if done.returncode != 0:
            return None
        top_line, *answers = done.stdout.decode("utf-8", "surrogateescape").splitlines()
        top = Path(top_line).resolve()
        if top != path.resolve():
            raise InputError(
                f"{path} is inside the git repository {top}: pass the repository's top folder"
            )
        commit = head = origin = None
        for answer in answers:
            if answer.startswith(_ORIGIN):
                origin = answer.removeprefix(_ORIGIN)
            elif answer.startswith("refs/heads/"):
                head = answer.removeprefix("refs/heads/")
            elif _OBJECT_ID.fullmatch(answer):
                commit = answer
        return Checkout(GitRepo(top), commit, head, origin)

    def run(
        self, *args: str, stdin: bytes | None = None, env: Mapping[str, str] | None = None
    ) -> str:
        """Run git in the repository; return stdout (text). Raises GitError on failure."""
        return self.run_bytes(*args, stdin=stdin, env=env).decode("utf-8", "surrogateescape")

    def run_bytes(
        self, *args: str, stdin: bytes | None = None, env: Mapping[str, str] | None = None
    ) -> bytes:
        """Run git; return raw stdout."""
        return self.start(*args, stdin=stdin, env=env)()

    def start(
        self, *args: str, stdin: bytes | None = None, env: Mapping[str, str] | None = None
    ) -> Callable[[], bytes]:
        """Start git in the background; the function returned waits and gives raw stdout.

        Raises (when called): GitError if git failed.
        """
        full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})}
        process = subprocess.Popen(
            ["git", "-C", str(self.root), *args],
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=full_env,
        )

        def output() -> bytes:
            out, err = process.communicate(stdin)
            if process.returncode != 0:
                message = err.decode(errors="replace").strip().splitlines()
                code = message[-1] if message else process.returncode
                command = args[2] if args[0] == "-c" else args[0]
                raise GitError(f"git {command} failed: {code}")
            return out

        return output

    def resolve(self, rev: str) -> str | None:
        """The commit id of ``rev``, or None if it does not exist."""
        return self.start_resolve(rev)()

    def start_resolve(self, rev: str) -> Callable[[], str | None]:
        """:meth:`resolve` in the background."""
        return _or_none(self.start("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"))

    def start_head_branch(self) -> Callable[[], str | None]:
        """Start asking which branch HEAD names; the function returned waits for the answer.

        The branch may have no commit yet; the answer is None when HEAD is detached.
        """
        return _or_none(self.start("symbolic-ref", "--quiet", "--short", "HEAD"))

    def default_branch(self) -> str:
        """Origin's default branch if known, else the checked-out branch, else main/master."""
        checkout = GitRepo.inspect(self.root)
        if checkout is None:
            raise GitError(f"{self.root} is not a git repository")
        return checkout.default_base()[0]

    def start_is_clean(self) -> Callable[[], bool]:
        """Start asking whether the working tree and index match HEAD; wait with the result.

        Untracked files count as dirty.

        ``GIT_OPTIONAL_LOCKS=0``: the status does not refresh (write) the user's index.
        """
        status = self.start(
            "status", "--porcelain", "--untracked-files=normal", env={"GIT_OPTIONAL_LOCKS": "0"}
        )
        return lambda: not status().strip()

    def tree(self, commit: str, paths: Sequence[str] | None = None) -> dict[str, TreeEntry]:
        """Files of ``commit`` (only ``paths`` when given): path -> mode and blob."""
        return self.start_tree(commit, paths)()

    def start_tree(
        self, commit: str, paths: Sequence[str] | None = None
    ) -> Callable[[], dict[str, TreeEntry]]:
        """:meth:`tree` in the background."""
        if paths is not None and not paths:
            return dict
        selection = ["--", *paths] if paths is not None else []
        listing = self.start("ls-tree", "-r", "-z", "--full-tree", commit, *selection)

        def entries() -> dict[str, TreeEntry]:
            found: dict[str, TreeEntry] = {}
            for record in listing().split(b"\0"):
                if not record:
                    continue
                meta, _, path = record.partition(b"\t")
                mode, _kind, blob = meta.decode().split(" ")
                found[path.decode("utf-8", "surrogateescape")] = TreeEntry(mode, blob)
            return found

        return entries

    def read_blob(self, blob: str) -> bytes:
        """The content of a blob."""
        return self.run_bytes("cat-file", "blob", blob)

    def commit_files(
        self,
        base: str,
        changes: Mapping[str, bytes | None],
        message: str,
        tree: Callable[[], Mapping[str, TreeEntry]] | None = None,
    ) -> str:
        """A new commit on ``base`` with ``changes`` (path -> content, None to delete).

        File modes of changed files are kept. Returns the commit id; moves no branch.

        One ``git fast-import`` writes the blobs, only the trees along the changed paths and
        the commit (an index of the whole base tree costs ~10x more on a large repository).
        fast-import needs a ref to commit to: a scratch ref, which the same stream resets to
        the null id, so fast-import never writes it.
        """
        written = sorted((p, c) for p, c in changes.items() if c is not None)
        modes = (tree or self.start_modes(base, changes))()
        scratch = f"refs/decom-scratch/{os.getpid()}-{secrets.token_hex(6)}"
        when = f"{int(time.time())} +0000"
        who = f"{DECOM_NAME} <{DECOM_EMAIL}> {when}".encode()
        body = message.encode()
        stream = [
            f"commit {scratch}\nmark :1\n".encode(),
            b"author " + who + b"\ncommitter " + who + b"\n",
            f"data {len(body)}\n".encode() + body + b"\n",
            f"from {base}\n".encode(),
        ]
        for path in sorted(p for p, c in changes.items() if c is None):
            stream.append(b"D " + _quoted(path) + b"\n")
        for path, content in written:
            mode = modes[path].mode if path in modes else "100644"
            stream.append(f"M {mode} inline ".encode() + _quoted(path) + b"\n")
            stream.append(f"data {len(content)}\n".encode() + content + b"\n")
        # A branch reset to the null id is removed (base's length: SHA-1 or SHA-256 ids).
        null = "0" * (64 if len(base) == 64 else 40)
        stream.append(f"\nget-mark :1\nreset {scratch}\nfrom {null}\n\ndone\n".encode())
        # The objects stay in fast-import's pack: unpacking a small import into loose objects
        # (its default under 100 objects) writes and syncs a file per object, ~3x slower.
        out = self.run(
            "-c", "fastimport.unpackLimit=0", "fast-import", "--quiet", "--done",
            stdin=b"".join(stream),
        )  # fmt: skip
        return out.split()[-1]

    def start_modes(
        self, base: str, changes: Mapping[str, bytes | None]
    ) -> Callable[[], dict[str, TreeEntry]]:
        """The entries in ``base`` of the files ``changes`` writes (their modes are kept)."""
        # Only the changed files are needed; listing a 10,000-file tree costs more.
        paths = sorted(p for p, c in changes.items() if c is not None)
        return self.start_tree(base, paths if len(paths) <= 500 else None)

    def same_change(self, existing: str, new: str, base: str | None) -> bool:
        """``existing`` is one commit on ``base`` holding exactly the tree of ``new``."""
        try:
            out = self.run("rev-parse", f"{existing}^", f"{existing}^{{tree}}", f"{new}^{{tree}}")
        except GitError:
            return False
        parent, old_tree, new_tree = out.split()
        return parent == base and old_tree == new_tree

    def foreign_commits(self, base: str, branch_tip: str) -> list[str]:
        """Commits on the branch (not on ``base``) that decom did not make."""
        out = self.run("log", "--format=%H %ae %ce", f"{base}..{branch_tip}")
        foreign = []
        for line in out.splitlines():
            sha, author, committer = line.split(" ")
            if author != DECOM_EMAIL or committer != DECOM_EMAIL:
                foreign.append(sha)
        return foreign

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        """Whether ``ancestor`` is reachable from ``descendant``."""
        try:
            self.run("merge-base", "--is-ancestor", ancestor, descendant)
        except GitError:
            return False
        return True

    def set_branch(self, name: str, commit: str, expected: str | None) -> None:
        """Point ``refs/heads/<name>`` at ``commit`` if it still points at ``expected``."""
        # A new branch: the null id, as long as the repository's ids (SHA-1 or SHA-256).
        old = expected if expected is not None else "0" * len(commit)
        self.run("update-ref", "-m", "decom", f"refs/heads/{name}", commit, old)

    def delete_branch(self, name: str, expected: str) -> None:
        """Delete ``refs/heads/<name>`` if it still points at ``expected``."""
        self.run("update-ref", "-d", f"refs/heads/{name}", expected)

    def diff(self, old: str, new: str) -> str:
        """Unified diff between two commits, for people (undecodable bytes shown as U+FFFD)."""
        return self.start_diff(old, new)()

    def start_diff(self, old: str, new: str) -> Callable[[], str]:
        """:meth:`diff` in the background."""
        raw = self.start("diff", "--no-color", "--no-ext-diff", old, new)
        return lambda: raw().decode("utf-8", "replace")

    @contextmanager
    def snapshot(self, commit: str) -> Iterator[Path]:
        """A temporary checkout of ``commit`` (a detached worktree), removed afterwards."""
        scratch = Path(tempfile.mkdtemp(prefix="decom-snapshot-"))
        target = scratch / self.root.name
        self.run("worktree", "add", "--detach", "--quiet", str(target), commit)
        try:
            yield target
        finally:
            try:
                self.run("worktree", "remove", "--force", str(target))
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
                self.run("worktree", "prune")


def _quoted(path: str) -> bytes:
    """``path`` as a C-style quoted fast-import path (any byte is safe in it)."""
    out = bytearray(b'"')
    for byte in path.encode("utf-8", "surrogateescape"):
        if byte in (0x22, 0x5C):
            out += b"\\" + bytes([byte])
        elif byte < 0x20 or byte == 0x7F:
            out += f"\\{byte:03o}".encode()
        else:
            out.append(byte)
    return bytes(out + b'"')


def _or_none(output: Callable[[], bytes]) -> Callable[[], str | None]:
    """The stripped text of a git command, or None when it failed."""

    def text() -> str | None:
        try:
            return output().decode("utf-8", "surrogateescape").strip()
        except GitError:
            return None

    return text
