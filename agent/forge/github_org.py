"""``--org`` targets: every repository of a GitHub organization (or user), filtered.

:func:`org_repositories` lists the account's repositories (every page), keeps the names the
include patterns match and no exclude pattern matches, and skips archived repositories, forks
and empty repositories unless asked otherwise. What was skipped is returned with why, so the
caller can say so instead of leaving repositories out silently.

Example::

    api = GitHubApi(load_settings())
    listing = org_repositories(api, "acme", include=[r"^billing-"], exclude=[r"-archive$"])
    targets = listing.repos  # ["acme/billing-api", "acme/billing-infra"]
    for skipped in listing.skipped:
        print(skipped.full_name, skipped.reason.value, skipped.detail)
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from agent.errors import InputError
from agent.forge.github_api import GitHubApi, ListedRepo

#: GitHub's rule for account names: alphanumeric with single inner hyphens, 39 at most.
_ACCOUNT = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}")


class SkipReason(StrEnum):
    """Why a repository of the account is not a target."""

    NOT_INCLUDED = "not_included"
    EXCLUDED = "excluded"
    ARCHIVED = "archived"
    FORK = "fork"
    EMPTY = "empty"


class SkippedRepo(BaseModel):
    """A repository left out, and why."""

    model_config = ConfigDict(frozen=True)

    full_name: str
    reason: SkipReason
    detail: str


class OrgListing(BaseModel):
    """The repositories of one account that decom should work on.

    Attributes:
        owner: the organization or user as given.
        account: whether it answered as an organization or as a user.
        repos: the kept repositories as ``owner/name``, sorted.
        skipped: the others with their reason, sorted by name.
    """

    model_config = ConfigDict(frozen=True)

    owner: str
    account: Literal["organization", "user"]
    repos: list[str]
    skipped: list[SkippedRepo]


def org_repositories(
    api: GitHubApi,
    org: str,
    *,
    include: list[str],
    exclude: list[str],
    include_archived: bool = False,
    include_forks: bool = False,
) -> OrgListing:
    """The repositories of organization (or user) ``org`` to run on.

    Args:
        api: the GitHub client.
        org: the organization; a user account works too (its own repositories).
        include: regular expressions searched in each repository name; none keeps every name.
        exclude: regular expressions; a name any of them matches is left out.
        include_archived: keep archived repositories (read-only: no pull request can open).
        include_forks: keep forks.

    Returns:
        The kept ``owner/name`` list and the skipped repositories with their reason.

    Raises:
        InputError: a pattern is not a valid regular expression, ``org`` is not an account
            name, or no organization or user of that name is visible to the token.
        ForgeError: GitHub refused the listing (after the retry policy gave up).
    """
    included = _compile(include, "include")
    excluded = _compile(exclude, "exclude")
    if len(org) > 39 or not _ACCOUNT.fullmatch(org):
        raise InputError(f"not a GitHub organization or user name: {org!r}")
    account: Literal["organization", "user"] = "organization"
    listed = api.list_account_repos(org, organization=True)
    if listed is None:
        account = "user"
        listed = api.list_account_repos(org, organization=False)
    if listed is None:
        raise InputError(f"no GitHub organization or user {org!r} (or the token cannot see it)")
    repos: list[str] = []
    skipped: list[SkippedRepo] = []
    for repo in sorted(listed, key=lambda r: r.full_name.lower()):
        why = _skip_reason(repo, included, excluded, include_archived, include_forks)
        if why is None:
            repos.append(repo.full_name)
        else:
            skipped.append(SkippedRepo(full_name=repo.full_name, reason=why[0], detail=why[1]))
    return OrgListing(owner=org, account=account, repos=repos, skipped=skipped)


def _compile(patterns: list[str], kind: str) -> list[re.Pattern[str]]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise InputError(
                f"{kind} pattern {pattern!r} is not a valid regular expression: {exc}"
            ) from None
    return compiled


def _skip_reason(
    repo: ListedRepo,
    included: list[re.Pattern[str]],
    excluded: list[re.Pattern[str]],
    include_archived: bool,
    include_forks: bool,
) -> tuple[SkipReason, str] | None:
    """Why ``repo`` is left out, or None to keep it. Name filters speak first."""
    if included and not any(p.search(repo.name) for p in included):
        return SkipReason.NOT_INCLUDED, "matches no include pattern"
    hit = next((p for p in excluded if p.search(repo.name)), None)
    if hit is not None:
        return SkipReason.EXCLUDED, f"matches exclude pattern {hit.pattern!r}"
    if repo.archived and not include_archived:
        return SkipReason.ARCHIVED, "archived (read-only)"
    if repo.fork and not include_forks:
        return SkipReason.FORK, "a fork"
    if repo.size == 0 or not repo.default_branch or repo.pushed_at is None:
        return SkipReason.EMPTY, "empty (nothing pushed)"
    return None
