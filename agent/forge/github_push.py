"""Git against a GitHub host: cached partial clones, remote branch tips, guarded pushes.

The token reaches git only through a credential helper that reads it from an environment
variable set for that one git process. The helper is given with ``-c`` (never written to a
config file), scoped to the remote's ``scheme://host``, and placed after an empty
``credential.helper`` that clears the user's own helpers, so the token is neither offered to
another host nor stored by a helper such as ``store``. Remote URLs never carry credentials.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import SecretStr

from agent.errors import BranchConflictError, GitError, InputError
from agent.forge.github_ref import RepoRef
from agent.logs import redact
from agent.settings import Settings

#: Environment variables the credential helper reads; set only for the git process.
TOKEN_ENV = "DECOM_GIT_TOKEN"
USERNAME_ENV = "DECOM_GIT_USERNAME"
#: Answers git's ``get`` with the variables above; ignores ``store`` and ``erase``.
_HELPER = (
    '!f() { test "$1" = get || return 0; '
    f'printf "username=%s\\npassword=%s\\n" "${USERNAME_ENV}" "${TOKEN_ENV}"; }}; f'
)
#: Marks a folder under the cache as decom's own clone (safe to reset and clean).
_CLONE_MARK = "decom.cacheclone"
#: Longest a single git network command may run.
_GIT_TIMEOUT_SECONDS = 900


@dataclass(frozen=True)
class GitCredentials:
    """A token for one remote host.

    Attributes:
        token: the token (an installation token or a personal access token).
        username: the user name sent with it (GitHub accepts ``x-access-token`` for both).
    """

    token: SecretStr
    username: str = "x-access-token"


def run_git(
    root: Path | None,
    *args: str,
    credentials: GitCredentials | None = None,
    remote_url: str | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run git (in ``root`` when given); never raises for a non-zero exit.

    Args:
        root: the repository, or None (``git clone``).
        args: the git command line after ``git``.
        credentials: offered to the host of ``remote_url`` through the helper.
        remote_url: the remote this command talks to (decides the helper's scope).
    """
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GCM_INTERACTIVE": "never"}
    config: list[str] = []
    if credentials is not None and remote_url is not None:
        scope = _origin_of(remote_url)
        if scope is not None:
            config = ["-c", "credential.helper=", "-c", f"credential.{scope}.helper={_HELPER}"]
            env[TOKEN_ENV] = credentials.token.get_secret_value()
            env[USERNAME_ENV] = credentials.username
    where = ["-C", str(root)] if root is not None else []
    try:
        return subprocess.run(
            ["git", *where, *config, *args],
            capture_output=True,
            env=env,
            check=False,
            timeout=_GIT_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {args[0]} took longer than {_GIT_TIMEOUT_SECONDS}s") from exc


def checked_git(
    root: Path | None,
    *args: str,
    credentials: GitCredentials | None = None,
    remote_url: str | None = None,
) -> str:
    """Run git; return stdout, raise :class:`GitError` (with the token scrubbed) on failure."""
    done = run_git(root, *args, credentials=credentials, remote_url=remote_url)
    if done.returncode != 0:
        raise GitError(f"git {args[0]} failed: {_last_line(done.stderr, credentials)}")
    return done.stdout.decode("utf-8", "replace")


def _last_line(stderr: bytes, credentials: GitCredentials | None) -> str:
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    text = lines[-1].strip() if lines else "no message"
    if credentials is not None:
        text = text.replace(credentials.token.get_secret_value(), "***")
    return redact(text)


def _origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL, None for other transports (file, ssh)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def default_remote_url(ref: RepoRef) -> str:
    """The HTTPS clone URL of ``ref``."""
    return f"https://{ref.host}/{ref.owner}/{ref.name}.git"


def check_remote_url(url: str) -> str:
    """``url`` if it carries no credentials; raises :class:`InputError` otherwise."""
    if "@" in urlsplit(url).netloc:
        raise InputError("a remote URL must not carry credentials: decom passes the token itself")
    return url


def clone_or_fetch(
    ref: RepoRef,
    cache_dir: Path,
    settings: Settings,
    *,
    token: SecretStr | None = None,
    remote_url: str | None = None,
) -> Path:
    """A partial clone of ``ref`` under ``cache_dir``, fetched up to date and checked out.

    The first call clones with ``--filter=blob:none`` into ``cache_dir/<host>/<owner>/<name>``;
    later calls fetch into the same clone. Either way the default branch is then checked out
    at origin's tip with a clean working tree, ready for :func:`agent.pipeline.workspace.prepare`.

    Args:
        ref: the repository.
        cache_dir: where clones are kept between runs.
        settings: decom's settings (``github_token`` unless ``token`` is given).
        token: the token to fetch with (e.g. a GitHub App installation token).
        remote_url: clone from here instead of ``https://<host>/<owner>/<name>.git``.

    Raises:
        GitError: cloning or fetching failed (the message never holds the token).
        InputError: the cache folder is taken by something that is not decom's clone.
    """
    url = check_remote_url(remote_url or default_remote_url(ref))
    secret = token if token is not None else settings.github_token
    credentials = GitCredentials(secret) if secret is not None else None
    dest = cache_dir / ref.host / ref.owner / ref.name
    if dest.exists():
        _require_own_clone(dest)
        checked_git(dest, "remote", "set-url", "origin", url)
        checked_git(
            dest, "fetch", "--prune", "--no-tags", "origin",
            credentials=credentials, remote_url=url,
        )  # fmt: skip
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(f".{dest.name}.cloning")
        shutil.rmtree(partial, ignore_errors=True)
        try:
            checked_git(
                None, "clone", "--quiet", "--filter=blob:none", "--no-checkout", "--no-tags",
                "--origin", "origin", url, str(partial),
                credentials=credentials, remote_url=url,
            )  # fmt: skip
            checked_git(partial, "config", _CLONE_MARK, "true")
        except GitError:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        partial.rename(dest)
    checked_git(
        dest, "remote", "set-head", "origin", "--auto", credentials=credentials, remote_url=url
    )
    head = checked_git(dest, "symbolic-ref", "--short", "refs/remotes/origin/HEAD").strip()
    branch = head.removeprefix("origin/")
    checked_git(
        dest, "checkout", "--quiet", "--force", "-B", branch, f"refs/remotes/origin/{branch}",
        credentials=credentials, remote_url=url,
    )  # fmt: skip
    checked_git(dest, "clean", "-ffdxq")
    return dest


def _require_own_clone(dest: Path) -> None:
    done = run_git(dest, "config", "--local", "--get", _CLONE_MARK)
    if done.returncode != 0 or done.stdout.strip() != b"true":
        raise InputError(
            f"{dest} exists and is not a clone decom made: move it or pick another cache folder"
        )


def set_remote(root: Path, name: str, url: str) -> None:
    """Point remote ``name`` of ``root`` at ``url`` (added when missing)."""
    check_remote_url(url)
    if run_git(root, "remote", "get-url", name).returncode == 0:
        checked_git(root, "remote", "set-url", name, url)
    else:
        checked_git(root, "remote", "add", name, url)


def remote_url_of(root: Path, remote: str) -> str:
    """The URL of a remote of ``root``."""
    return checked_git(root, "remote", "get-url", remote).strip()


def remote_reachable(root: Path, remote: str, credentials: GitCredentials | None) -> bool:
    """Whether git can list the branches of ``remote``."""
    url = remote_url_of(root, remote)
    done = run_git(root, "ls-remote", "--heads", remote, credentials=credentials, remote_url=url)
    return done.returncode == 0


def fetch_remote_branch(
    root: Path, remote: str, branch: str, credentials: GitCredentials | None
) -> str | None:
    """Fetch ``branch`` of ``remote`` into ``refs/remotes/<remote>/<branch>``; its tip or None."""
    url = remote_url_of(root, remote)
    listed = checked_git(
        root, "ls-remote", remote, f"refs/heads/{branch}", credentials=credentials, remote_url=url
    )
    tip = next((line.split()[0] for line in listed.splitlines() if line.strip()), None)
    if tip is None:
        return None
    checked_git(
        root, "fetch", "--quiet", "--no-tags", remote,
        f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}",
        credentials=credentials, remote_url=url,
    )  # fmt: skip
    return tip


def push_branch(
    root: Path,
    remote: str,
    branch: str,
    expected: str | None,
    credentials: GitCredentials | None,
) -> None:
    """Push local ``branch`` to ``remote`` only if the remote branch is still at ``expected``.

    ``expected`` None means the remote branch must not exist. The lease makes a push that
    raced with someone else's fail instead of overwriting their work.

    Raises:
        BranchConflictError: the remote branch moved since it was checked.
        GitError: the push failed for another reason.
    """
    url = remote_url_of(root, remote)
    ref = f"refs/heads/{branch}"
    done = run_git(
        root, "push", "--porcelain", "--no-verify", f"--force-with-lease={ref}:{expected or ''}",
        remote, f"{ref}:{ref}",
        credentials=credentials, remote_url=url,
    )  # fmt: skip
    if done.returncode == 0:
        return
    if b"stale info" in done.stdout or b"stale info" in done.stderr:
        raise BranchConflictError(
            f"{branch} changed on {remote} while decom was pushing; rerun to check it again"
        )
    raise GitError(f"git push failed: {_last_line(done.stderr, credentials)}")
