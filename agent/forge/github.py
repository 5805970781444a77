"""The GitHub forge: the local forge's commit, pushed to GitHub, behind a draft pull request.

:meth:`GitHubForge.publish` works on a cached clone (:func:`clone_or_fetch`, reached through
:meth:`GitHubForge.checkout`). The commit is made by :class:`LocalForge` itself, so a change
looks the same whichever forge publishes it. Then:

- with push access the branch goes to origin, without it to a fork (``fork_owner``), or the
  repository fails with a clear error;
- a remote branch holding commits decom did not make is refused (:class:`BranchConflictError`);
  otherwise the push is guarded by ``--force-with-lease`` on the tip that was checked;
- the draft pull request is found by its head branch and updated (reopened when closed and
  not merged) rather than opened twice;
- when the changeset no longer changes anything, the pull request is closed and the remote
  branch deleted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import structlog

from agent.errors import BranchConflictError, ForgeError, InputError
from agent.forge.git import GitRepo
from agent.forge.github_api import GitHubApi, PullInfo, RepoInfo
from agent.forge.github_push import (
    GitCredentials,
    clone_or_fetch,
    default_remote_url,
    fetch_remote_branch,
    push_branch,
    remote_reachable,
    set_remote,
)
from agent.forge.github_ref import RepoRef, web_host
from agent.forge.local import LocalForge, Published
from agent.forge.records import branch_name, pr_body, pr_title
from agent.models import QualityAssuranceResult
from agent.pipeline.models import Changeset, RepoContext

log = structlog.get_logger("decom.github")

#: GitHub refuses pull request bodies longer than this many characters.
MAX_BODY_CHARS = 65_536
_TRUNCATED = (
    "\n\n_The description was cut to GitHub's size limit; "
    "the full text is in the run's PR record._\n"
)


@dataclass(frozen=True)
class PullRequestOptions:
    """How pull requests are opened.

    Attributes:
        cache_dir: where clones are kept (``<cache_dir>/<host>/<owner>/<name>``).
        fork_owner: user or organization to fork into when decom may not push to a
            repository; None fails such repositories instead.
        labels: labels added to every pull request.
        reviewers: user logins asked to review a new or reopened pull request.
        team_reviewers: team slugs asked to review a new or reopened pull request.
        git_base_url: clone from ``<git_base_url><owner>/<name>.git`` instead of
            ``https://<host>/`` (a mirror, or a local stand-in in tests).
        fork_ready_attempts: how often to look for a new fork before giving up.
    """

    cache_dir: Path
    fork_owner: str | None = None
    labels: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    team_reviewers: tuple[str, ...] = ()
    git_base_url: str | None = None
    fork_ready_attempts: int = 6


@dataclass(frozen=True)
class _PushTarget:
    """Where the branch goes: the repository itself or a fork of it."""

    remote: str
    owner: str
    name: str


class GitHubForge:
    """Branches pushed to GitHub, draft pull requests opened and kept up to date."""

    def __init__(
        self,
        api: GitHubApi,
        state_dir: Path,
        options: PullRequestOptions,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api = api
        self.options = options
        self.local = LocalForge(state_dir)
        self._sleep = sleep
        self._clones: dict[Path, RepoRef] = {}

    def checkout(self, ref: RepoRef) -> Path:
        """Clone or fetch ``ref`` into the cache; the folder to run decom on.

        Raises:
            InputError: ``ref`` is on another host than the API decom is set up for (the token
                is never offered to a host it was not made for).
        """
        api_host = web_host(self.api.base_url)
        if ref.host != api_host:
            raise InputError(
                f"{ref}: decom talks to the GitHub API of {api_host}; set GITHUB_API_URL to "
                f"the API of {ref.host} to work there"
            )
        url = default_remote_url(ref)
        if self.options.git_base_url is not None:
            url = f"{self.options.git_base_url.rstrip('/')}/{ref.owner}/{ref.name}.git"
        path = clone_or_fetch(
            ref, self.options.cache_dir, self.api.settings,
            token=self.api.git_token(), remote_url=url,
        )  # fmt: skip
        self._clones[path.resolve()] = ref
        return path

    def ref_for(self, ctx: RepoContext) -> RepoRef:
        """The repository a prepared clone belongs to (by its place in the cache)."""
        path = Path(ctx.path).resolve()
        if path in self._clones:
            return self._clones[path]
        try:
            host, owner, name = path.relative_to(self.options.cache_dir.resolve()).parts
        except ValueError:
            raise InputError(f"{ctx.name}: not a clone in {self.options.cache_dir}") from None
        return RepoRef(host, owner, name)

    def publish(
        self,
        ctx: RepoContext,
        database: str,
        changeset: Changeset,
        qa: QualityAssuranceResult | None,
        *,
        dry_run: bool = False,
        ref: RepoRef | None = None,
        text: tuple[str, str] | None = None,
    ) -> Published:
        """Push the campaign branch and open or update its draft pull request; return where.

        Raises:
            BranchConflictError: the remote branch carries commits decom did not make.
            ForgeError: GitHub refused a call (no push access and no fork owner, ...).
            CircuitOpenError: GitHub failed too often in a row; nothing more is tried.
        """
        local = self.local.publish(ctx, database, changeset, qa, dry_run=dry_run, text=text)
        if dry_run or local.patch is not None:
            return local
        ref = ref or self.ref_for(ctx)
        if local.commit is None:
            self._withdraw(ctx, ref, database)
            return local
        repo = GitRepo(Path(ctx.path))
        info = self._repo_info(ref)
        target = self._push_target(repo, ref, info)
        branch = branch_name(database)
        credentials = GitCredentials(self.api.git_token())
        tip = self._checked_tip(repo, ctx, target, branch, credentials)
        commit, unchanged = local.commit, False
        if tip is not None and repo.same_change(tip, local.commit, ctx.base):
            commit, unchanged = tip, True
        else:
            push_branch(repo.root, target.remote, branch, tip, credentials)
        base_branch = self._base_branch(repo, ctx, info)
        pull = self._sync_pull(
            ref,
            head=f"{target.owner}:{branch}",
            base=base_branch,
            title=text[0] if text else pr_title(database),
            body=_fit(text[1] if text else pr_body(database, ctx.name, changeset, qa)),
        )
        log.info("pull_request", repo=str(ref), number=pull.number, commit=commit[:12])
        return Published(branch, commit, pull.html_url, None, local.diff, unchanged)

    def _repo_info(self, ref: RepoRef) -> RepoInfo:
        info = self.api.get_repo(ref.owner, ref.name)
        if info is None:
            raise ForgeError(f"{ref}: repository not found, or the token cannot see it")
        return info

    def _push_target(self, repo: GitRepo, ref: RepoRef, info: RepoInfo) -> _PushTarget:
        if info.can_push:
            return _PushTarget("origin", ref.owner, ref.name)
        owner = self.options.fork_owner
        if owner is None:
            raise ForgeError(
                f"{ref}: the token may not push to {ref.full_name}; set a fork owner so decom "
                "pushes to a fork instead"
            )
        kind = self.api.account_type(owner)
        fork = self.api.create_fork(ref, owner if kind == "Organization" else None)
        remote = f"fork-{fork.owner.login}"
        set_remote(repo.root, remote, fork.clone_url)
        self._wait_for_fork(repo, remote)
        if not self.api.merge_upstream(fork.owner.login, fork.name, info.default_branch):
            log.warning("fork_not_synced", repo=str(ref), fork=fork.full_name)
        return _PushTarget(remote, fork.owner.login, fork.name)

    def _wait_for_fork(self, repo: GitRepo, remote: str) -> None:
        """GitHub creates forks in the background: wait until git can read it (bounded)."""
        credentials = GitCredentials(self.api.git_token())
        for attempt in range(1, self.options.fork_ready_attempts + 1):
            if remote_reachable(repo.root, remote, credentials):
                return
            if attempt < self.options.fork_ready_attempts:
                self._sleep(2.0 * attempt)
        raise ForgeError(f"{remote}: the fork is still not readable after creating it")

    def _checked_tip(
        self,
        repo: GitRepo,
        ctx: RepoContext,
        target: _PushTarget,
        branch: str,
        credentials: GitCredentials,
    ) -> str | None:
        """The remote branch's tip, fetched and checked: every commit on it must be decom's."""
        tip = fetch_remote_branch(repo.root, target.remote, branch, credentials)
        if tip is None:
            return None
        # A commit counts as foreign only if neither the run's base nor origin's base branch
        # (which may have moved on since) contains it.
        bases = [ctx.base, repo.resolve(f"refs/remotes/origin/{ctx.base_branch}")]
        found = [set(repo.foreign_commits(base, tip)) for base in bases if base is not None]
        foreign = set.intersection(*found) if found else set()
        if foreign:
            raise BranchConflictError(
                f"{target.owner}/{target.name}: branch {branch} has {len(foreign)} commit(s) "
                f"decom did not make ({sorted(foreign)[0][:12]}); decom will not overwrite it"
            )
        return tip

    def _base_branch(self, repo: GitRepo, ctx: RepoContext, info: RepoInfo) -> str:
        name = ctx.base_branch
        if name and repo.resolve(f"refs/remotes/origin/{name}") is not None:
            return name
        return info.default_branch

    def _sync_pull(self, ref: RepoRef, *, head: str, base: str, title: str, body: str) -> PullInfo:
        """Update the pull request from ``head``, reopen it, or open a new draft."""
        pulls = self.api.find_pulls(ref, head)
        pull = next((p for p in pulls if p.state == "open"), None)
        fresh = False
        if pull is not None:
            if (pull.title, pull.body or "") != (title, body):
                pull = self.api.update_pull(ref, pull.number, title=title, body=body) or pull
        else:
            latest = pulls[0] if pulls else None
            if latest is not None and not latest.merged:
                pull = self.api.update_pull(
                    ref, latest.number, title=title, body=body, state="open"
                )
            if pull is None:
                pull = self._create_pull(ref, head=head, base=base, title=title, body=body)
            fresh = True
        self._decorate(ref, pull, fresh)
        return pull

    def _create_pull(
        self, ref: RepoRef, *, head: str, base: str, title: str, body: str
    ) -> PullInfo:
        created = self.api.create_pull(
            ref, head=head, base=base, title=title, body=body, draft=True
        )
        if created is not None:
            return created
        # "A pull request already exists": someone (or a crashed run) opened it meanwhile.
        existing = next((p for p in self.api.find_pulls(ref, head) if p.state == "open"), None)
        if existing is None:
            raise ForgeError(f"{ref}: GitHub reports a pull request from {head} but lists none")
        return self.api.update_pull(ref, existing.number, title=title, body=body) or existing

    def _decorate(self, ref: RepoRef, pull: PullInfo, fresh: bool) -> None:
        """Labels and reviewers: a failure here is logged, the pull request stands."""
        present = {label.name for label in pull.labels}
        missing = [name for name in self.options.labels if name not in present]
        reviewers, teams = self.options.reviewers, self.options.team_reviewers
        try:
            if missing:
                self.api.add_labels(ref, pull.number, missing)
            if fresh and (reviewers or teams):
                self.api.request_reviewers(ref, pull.number, reviewers, teams)
        except ForgeError as exc:
            log.warning("pull_request_decoration_failed", repo=str(ref), error=str(exc))

    def _withdraw(self, ctx: RepoContext, ref: RepoRef, database: str) -> None:
        """Nothing to change any more: close the pull request and delete the remote branch."""
        info = self._repo_info(ref)
        owner, name, remote = ref.owner, ref.name, "origin"
        repo = GitRepo(Path(ctx.path))
        if not info.can_push:
            if self.options.fork_owner is None:
                return
            fork = self.api.get_repo(self.options.fork_owner, ref.name)
            if fork is None:
                return
            owner, name, remote = fork.owner.login, fork.name, f"fork-{fork.owner.login}"
            set_remote(repo.root, remote, fork.clone_url)
        branch = branch_name(database)
        target = _PushTarget(remote, owner, name)
        tip = self._checked_tip(repo, ctx, target, branch, GitCredentials(self.api.git_token()))
        for pull in self.api.find_pulls(ref, f"{owner}:{branch}"):
            if pull.state == "open":
                self.api.update_pull(ref, pull.number, state="closed")
                log.info("pull_request_closed", repo=str(ref), number=pull.number)
        if tip is not None:
            self.api.delete_branch(owner, name, branch)
        local_tip = repo.resolve(f"refs/heads/{branch}")
        if local_tip is not None:
            repo.delete_branch(branch, local_tip)


def _fit(body: str) -> str:
    """``body`` cut to GitHub's limit, saying so."""
    if len(body) <= MAX_BODY_CHARS:
        return body
    return body[: MAX_BODY_CHARS - len(_TRUNCATED)] + _TRUNCATED
