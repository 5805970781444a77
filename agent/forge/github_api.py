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
