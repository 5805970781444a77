"""The GitHub REST calls decom makes, through githubkit, with typed answers and one error type.

Requests go through githubkit's typed endpoint methods; answers are read into the small
models below (only the fields decom uses), so a field GitHub adds or drops elsewhere in a
payload never breaks a run. Every request passes a :class:`ResilientTransport` (retries, write
spacing, circuit breaker); githubkit's own retrying is switched off so there is one policy.
Failures become :class:`ForgeError` with GitHub's message; an open circuit stays a
:class:`CircuitOpenError`.
"""

from __future__ import annotations

import random
import threading
import time
import urllib.request
from collections.abc import Callable, Collection
from datetime import datetime
from functools import partial
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
from githubkit import AppInstallationAuthStrategy, GitHub, TokenAuthStrategy
from githubkit.auth import BaseAuthStrategy
from githubkit.exception import RequestError, RequestFailed
from githubkit.response import Response
from githubkit.utils import UNSET
from pydantic import BaseModel, ConfigDict, SecretStr

from agent.errors import DecomError, ForgeError, InputError
from agent.forge.github_ref import RepoRef
from agent.forge.ratelimit import CircuitBreaker, ResilientTransport, RetryPolicy
from agent.logs import redact
from agent.settings import Settings

#: Seconds before an installation token's expiry at which a new one is minted for git.
_TOKEN_MARGIN_SECONDS = 300.0


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Account(_Payload):
    """A user or organization."""

    login: str
    type: str = "User"


class Permissions(_Payload):
    """What the caller may do in a repository."""

    push: bool = False


class RepoInfo(_Payload):
    """A repository (``GET /repos/{owner}/{repo}``, ``POST .../forks``)."""

    name: str
    full_name: str
    owner: Account
    default_branch: str
    clone_url: str
    html_url: str
    fork: bool = False
    permissions: Permissions | None = None

    @property
    def can_push(self) -> bool:
        """Whether the caller may push; assumed when GitHub omits permissions (App tokens)."""
        return self.permissions is None or self.permissions.push


class Label(_Payload):
    """A label on an issue or pull request."""

    name: str


class PullHead(_Payload):
    """The head of a pull request."""

    ref: str
    label: str
    sha: str


class PullInfo(_Payload):
    """A pull request (``pulls`` list, create, update)."""

    number: int
    state: str
    title: str
    body: str | None = None
    html_url: str
    draft: bool = False
    merged_at: str | None = None
    head: PullHead
    labels: list[Label] = []

    @property
    def merged(self) -> bool:
        """Whether it was merged (closed pull requests may or may not be)."""
        return self.merged_at is not None


class InstallationToken(_Payload):
    """A GitHub App installation token (``POST /app/installations/{id}/access_tokens``)."""

    token: SecretStr
    expires_at: datetime


class Team(_Payload):
    """A team asked to review."""

    slug: str


class HeadRepo(_Payload):
    """The repository a pull request's head branch lives in (the base or a fork)."""

    name: str
    full_name: str
    owner: Account


class PullDetailHead(PullHead):
    """The head of a pull request read on its own (``GET .../pulls/{number}``)."""

    repo: HeadRepo | None = None


class PullDetail(PullInfo):
    """A pull request with what ``status`` reports: head repository, reviewers asked."""

    head: PullDetailHead
    requested_reviewers: list[Account] = []
    requested_teams: list[Team] = []


class Review(_Payload):
    """A review of a pull request (``GET .../pulls/{number}/reviews``)."""

    user: Account | None = None
    state: str
    submitted_at: str | None = None


class CommitStatus(_Payload):
    """One context of a commit's combined status."""

    context: str = ""
    state: str


class CombinedStatus(_Payload):
    """A commit's combined status (``GET .../commits/{sha}/status``)."""

    state: str
    total_count: int = 0
    statuses: list[CommitStatus] = []


class CheckRun(_Payload):
    """A check run on a commit (``GET .../commits/{sha}/check-runs``)."""

    name: str = ""
    status: str
    conclusion: str | None = None


class ListedRepo(_Payload):
    """A repository in an account's list (``GET /orgs/{org}/repos``, ``/users/{user}/repos``)."""

    name: str
    full_name: str
    owner: Account
    archived: bool = False
    fork: bool = False
    size: int = 0
    default_branch: str | None = None
    pushed_at: str | None = None


#: Most pages read from one list endpoint (100 items each) before giving up loudly.
MAX_PAGES = 200


def build_auth(settings: Settings) -> TokenAuthStrategy | AppInstallationAuthStrategy:
    """githubkit's auth: ``GITHUB_TOKEN``, else the GitHub App installation settings.

    Raises:
        InputError: neither is configured.
    """
    if settings.github_token is not None:
        return TokenAuthStrategy(settings.github_token.get_secret_value())
    app_id, key = settings.github_app_id, settings.github_app_private_key
    installation = settings.github_app_installation_id
    if app_id and key is not None and installation is not None:
        return AppInstallationAuthStrategy(app_id, key.get_secret_value(), installation)
    raise InputError(
        "no GitHub credentials: set GITHUB_TOKEN, or DECOM_GITHUB_APP_ID, "
        "DECOM_GITHUB_APP_PRIVATE_KEY and DECOM_GITHUB_APP_INSTALLATION_ID"
    )


def _environment_proxy(base_url: str) -> str | None:
    """The proxy the environment sets for ``base_url`` (httpx's own lookup is bypassed)."""
    host = urlsplit(base_url).hostname or ""
    if urllib.request.proxy_bypass(host):
        return None
    return urllib.request.getproxies().get(urlsplit(base_url).scheme)


class GitHubApi:
    """The REST calls of the GitHub forge, for one API root and one set of credentials."""

    def __init__(
        self,
        settings: Settings,
        *,
        policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        """Build the client.

        Args:
            settings: decom's settings (``github_base_url`` and credentials).
            policy: retries, write spacing and the breaker threshold.
            transport: the raw HTTP transport (default: httpx's, via the environment's proxy).
            sleep: how to wait (tests pass a recorder).
            clock: wall-clock time, for ``x-ratelimit-reset``.
            rng: the jitter source.
        """
        self.settings = settings
        self.base_url = settings.github_base_url
        self.breaker = CircuitBreaker(
            f"GitHub API at {urlsplit(self.base_url).netloc}",
            (policy or RetryPolicy()).failure_threshold,
        )
        inner = transport or httpx.HTTPTransport(proxy=_environment_proxy(self.base_url))
        self.transport = ResilientTransport(
            inner, policy=policy, breaker=self.breaker, sleep=sleep, clock=clock, rng=rng
        )
        self._auth = build_auth(settings)
        self._github = self._client(self._auth)
        self._clock = clock
        self._token_lock = threading.Lock()
        self._git_token: tuple[SecretStr, float] | None = None

    def _client(self, auth: BaseAuthStrategy) -> GitHub[Any]:
        return GitHub(
            auth,
            base_url=self.base_url,
            user_agent="decom",
            transport=self.transport,
            trust_env=False,
            http_cache=False,
            auto_retry=False,
            timeout=30.0,
        )

    def close(self) -> None:
        """Release connections."""
        self.transport.shutdown()

    def git_token(self) -> SecretStr:
        """The token git pushes with: ``GITHUB_TOKEN``, or a fresh installation token."""
        if isinstance(self._auth, TokenAuthStrategy):
            return SecretStr(self._auth.token)
        installation = self._auth
        with self._token_lock:
            if self._git_token is not None and self._git_token[1] > self._clock():
                return self._git_token[0]
            app = self._client(installation.as_app())
            response = self._call(
                "create an installation token",
                lambda: app.rest.apps.create_installation_access_token(
                    installation.installation_id
                ),
            )
            minted = InstallationToken.model_validate(response.json())
            expiry = minted.expires_at.timestamp() - _TOKEN_MARGIN_SECONDS
            self._git_token = (minted.token, expiry)
            return minted.token

    def get_repo(self, owner: str, name: str) -> RepoInfo | None:
        """A repository, or None when it does not exist (or is not visible)."""
        response = self._call(
            f"read {owner}/{name}", lambda: self._github.rest.repos.get(owner, name), allow={404}
        )
        return None if response.status_code == 404 else RepoInfo.model_validate(response.json())

    def account_type(self, login: str) -> str:
        """``User`` or ``Organization``."""
        response = self._call(
            f"read account {login}", lambda: self._github.rest.users.get_by_username(login)
        )
        return Account.model_validate(response.json()).type

    def create_fork(self, ref: RepoRef, organization: str | None) -> RepoInfo:
        """Fork ``ref`` (GitHub answers with the existing fork when there is one)."""

        def create() -> Response[Any]:
            if organization is None:
                return self._github.rest.repos.create_fork(
                    ref.owner, ref.name, default_branch_only=True
                )
            return self._github.rest.repos.create_fork(
                ref.owner, ref.name, organization=organization, default_branch_only=True
            )

        return RepoInfo.model_validate(self._call(f"fork {ref.full_name}", create).json())

    def merge_upstream(self, owner: str, name: str, branch: str) -> bool:
        """Bring a fork's ``branch`` up to its upstream; False when GitHub cannot (409, 422)."""
        response = self._call(
            f"sync the fork {owner}/{name}",
            lambda: self._github.rest.repos.merge_upstream(owner, name, branch=branch),
            allow={409, 422},
        )
        return response.status_code < 400

    def find_pulls(self, ref: RepoRef, head: str) -> list[PullInfo]:
        """Pull requests of ``ref`` from ``head`` (``owner:branch``), any state, newest first."""
        response = self._call(
            f"list pull requests of {ref.full_name}",
            lambda: self._github.rest.pulls.list(
                ref.owner, ref.name, head=head, state="all", per_page=100
            ),
        )
        pulls = [PullInfo.model_validate(item) for item in response.json()]
        return sorted(pulls, key=lambda pull: pull.number, reverse=True)

    def create_pull(
        self, ref: RepoRef, *, head: str, base: str, title: str, body: str, draft: bool
    ) -> PullInfo | None:
        """Open a pull request; None when GitHub says one already exists for ``head``."""
        response = self._call(
            f"open a pull request on {ref.full_name}",
            lambda: self._github.rest.pulls.create(
                ref.owner, ref.name, head=head, base=base, title=title, body=body, draft=draft
            ),
            allow={422},
        )  # fmt: skip
        if response.status_code == 422:
            message = error_message(response)
            if "already exists" in message:
                return None
            if draft and "draft" in message.lower():
                return self.create_pull(
                    ref, head=head, base=base, title=title, body=body, draft=False
                )
            raise ForgeError(f"GitHub: open a pull request on {ref.full_name} failed: {message}")
        return PullInfo.model_validate(response.json())

    def update_pull(
        self,
        ref: RepoRef,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        state: Literal["open", "closed"] | None = None,
    ) -> PullInfo | None:
        """Change a pull request; None when GitHub refuses a reopen (422)."""
        response = self._call(
            f"update pull request #{number} of {ref.full_name}",
            lambda: self._github.rest.pulls.update(
                ref.owner,
                ref.name,
                number,
                title=UNSET if title is None else title,
                body=UNSET if body is None else body,
                state=UNSET if state is None else state,
            ),
            allow={422} if state == "open" else (),
        )
        return None if response.status_code == 422 else PullInfo.model_validate(response.json())

    def add_labels(self, ref: RepoRef, number: int, labels: Collection[str]) -> None:
        """Add labels to a pull request (GitHub creates labels that do not exist yet)."""
        self._call(
            f"label #{number} of {ref.full_name}",
            lambda: self._github.rest.issues.add_labels(
                ref.owner, ref.name, number, labels=list(labels)
            ),
        )

    def request_reviewers(
        self, ref: RepoRef, number: int, reviewers: Collection[str], teams: Collection[str]
    ) -> None:
        """Ask people and teams (slugs) to review a pull request."""
        self._call(
            f"request reviewers on #{number} of {ref.full_name}",
            lambda: self._github.rest.pulls.request_reviewers(
                ref.owner, ref.name, number, reviewers=list(reviewers), team_reviewers=list(teams)
            ),
        )

    def delete_branch(self, owner: str, name: str, branch: str) -> bool:
        """Delete ``branch``; False when it was already gone."""
        response = self._call(
            f"delete branch {branch} of {owner}/{name}",
            lambda: self._github.rest.git.delete_ref(owner, name, f"heads/{branch}"),
            allow={404, 422},
        )
        return response.status_code < 400

    def get_pull(self, ref: RepoRef, number: int) -> PullDetail | None:
        """Pull request ``number`` of ``ref``, or None when it does not exist."""
        response = self._call(
            f"read pull request #{number} of {ref.full_name}",
            lambda: self._github.rest.pulls.get(ref.owner, ref.name, number),
            allow={404},
        )
        return None if response.status_code == 404 else PullDetail.model_validate(response.json())

    def list_reviews(self, ref: RepoRef, number: int) -> list[Review]:
        """The reviews of pull request ``number``, oldest first (every page)."""
        pages = self._pages(
            f"list reviews of #{number} of {ref.full_name}",
            lambda page: self._github.rest.pulls.list_reviews(
                ref.owner, ref.name, number, per_page=100, page=page
            ),
        )
        return [Review.model_validate(item) for page in pages for item in page.json()]

    def combined_status(self, owner: str, name: str, sha: str) -> CombinedStatus:
        """The combined commit status of ``sha`` (the latest status per context)."""
        response = self._call(
            f"read the status of {sha[:12]} in {owner}/{name}",
            lambda: self._github.rest.repos.get_combined_status_for_ref(
                owner, name, sha, per_page=100
            ),
        )
        return CombinedStatus.model_validate(response.json())

    def check_runs(self, owner: str, name: str, sha: str) -> list[CheckRun]:
        """The latest check run per check name on ``sha`` (every page)."""
        pages = self._pages(
            f"list check runs of {sha[:12]} in {owner}/{name}",
            lambda page: self._github.rest.checks.list_for_ref(
                owner, name, sha, per_page=100, page=page
            ),
        )
        return [CheckRun.model_validate(run) for p in pages for run in p.json()["check_runs"]]

    def branch_sha(self, owner: str, name: str, branch: str) -> str | None:
        """The commit ``branch`` points at, or None when there is no such branch."""
        response = self._call(
            f"read branch {branch} of {owner}/{name}",
            lambda: self._github.rest.git.get_ref(owner, name, f"heads/{branch}"),
            allow={404},
        )
        if response.status_code == 404:
            return None
        data = response.json()
        # A missing ref makes GitHub answer with the refs it starts (a list): not this branch.
        if not isinstance(data, dict) or data.get("ref") != f"refs/heads/{branch}":
            return None
        return str(data["object"]["sha"])

    def list_account_repos(self, login: str, *, organization: bool) -> list[ListedRepo] | None:
        """Every repository of an organization (or a user's own), None when there is none."""
        if organization:
            pages = self._pages(
                f"list the repositories of {login}",
                lambda page: self._github.rest.repos.list_for_org(
                    login, type="all", per_page=100, page=page
                ),
                allow={404},
            )
        else:
            pages = self._pages(
                f"list the repositories of {login}",
                lambda page: self._github.rest.repos.list_for_user(
                    login, type="owner", per_page=100, page=page
                ),
                allow={404},
            )
        if pages[0].status_code == 404:
            return None
        return [ListedRepo.model_validate(item) for page in pages for item in page.json()]

    def _pages(
        self,
        what: str,
        request: Callable[[int], Response[Any]],
        *,
        allow: Collection[int] = (),
    ) -> list[httpx.Response]:
        """Every page of a list endpoint, following GitHub's ``Link: rel="next"`` header.

        An ``allow``-ed error status on the first page is handed back as the only page.

        Raises:
            ForgeError: more than :data:`MAX_PAGES` pages (rather than a silently cut list).
        """
        pages: list[httpx.Response] = []
        for number in range(1, MAX_PAGES + 1):
            response = self._call(
                what, partial(request, number), allow=allow if number == 1 else ()
            )
            pages.append(response)
            if response.status_code >= 400 or "next" not in response.links:
                return pages
        raise ForgeError(f"GitHub: {what}: more than {MAX_PAGES} pages; narrow the request")

    def _call(
        self, what: str, request: Callable[[], Response[Any]], *, allow: Collection[int] = ()
    ) -> httpx.Response:
        """Run one githubkit call; its raw answer, also for the ``allow``-ed error statuses."""
        try:
            return request().raw_response
        except RequestFailed as exc:
            raw = exc.response.raw_response
            if raw.status_code in allow:
                return raw
            raise ForgeError(
                f"GitHub: {what} failed: HTTP {raw.status_code}: {error_message(raw)}"
            ) from None
        except RequestError as exc:
            if isinstance(exc.exc, DecomError):
                raise exc.exc from None
            detail = redact(str(exc.exc)) or type(exc.exc).__name__
            raise ForgeError(f"GitHub: {what} failed: {detail}") from None


def error_message(response: httpx.Response) -> str:
    """GitHub's error message with the messages of its ``errors`` list, on one line."""
    try:
        data = response.json()
    except ValueError:
        return response.reason_phrase or f"HTTP {response.status_code}"
    if not isinstance(data, dict):
        return f"HTTP {response.status_code}"
    parts = [str(data.get("message") or f"HTTP {response.status_code}")]
    for error in data.get("errors") or []:
        if isinstance(error, dict) and error.get("message"):
            parts.append(str(error["message"]))
        elif isinstance(error, dict) and error.get("code"):
            parts.append(f"{error.get('field', '')} {error['code']}".strip())
    return redact(": ".join(parts).replace("\n", " "))
