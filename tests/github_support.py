"""Shared set-up for the GitHub forge tests: a fake GitHub, settings and a forge."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from agent.forge.github import GitHubForge, PullRequestOptions
from agent.forge.github_api import GitHubApi
from agent.forge.github_ref import RepoRef, web_host
from agent.forge.ratelimit import RetryPolicy
from agent.pipeline.models import RepoContext
from agent.pipeline.workspace import prepare
from agent.settings import Settings
from tests.fake_github import FakeGitHub

TOKEN = "ghp_" + "T0kenForTests" * 3


@dataclass
class Sleeps:
    """A sleep that records instead of waiting, and a clock it advances."""

    waits: list[float] = field(default_factory=list)
    now: float = 1_800_000_000.0

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@dataclass
class Rig:
    fake: FakeGitHub
    api: GitHubApi
    forge: GitHubForge
    sleeps: Sleeps
    tmp: Path

    def ref(self, owner: str = "acme", name: str = "billing") -> RepoRef:
        return RepoRef(web_host(self.api.base_url), owner, name)

    def ctx(self, owner: str = "acme", name: str = "billing") -> RepoContext:
        path = self.forge.checkout(self.ref(owner, name))
        return prepare(str(path), None, self.tmp / "snapshots")


def settings(api_url: str, token: str = TOKEN) -> Settings:
    return Settings(github_token=token, github_base_url=api_url, state_dir=Path(".decom"))


@contextmanager
def github_rig(
    tmp: Path,
    *,
    policy: RetryPolicy | None = None,
    git_base_url: str | None = None,
    fake: FakeGitHub | None = None,
    **options: object,
) -> Iterator[Rig]:
    """A fake GitHub served on 127.0.0.1 and a forge talking to it (sleeps recorded)."""
    fake = fake or FakeGitHub(tmp / "github", TOKEN)
    sleeps = Sleeps()
    policy = policy or RetryPolicy(min_write_interval=0.0)
    with fake.serving() as url:
        api = GitHubApi(
            settings(url), policy=policy, sleep=sleeps.sleep, clock=sleeps.clock,
            rng=random.Random(7),
        )  # fmt: skip
        opts = PullRequestOptions(
            cache_dir=tmp / "cache", git_base_url=git_base_url or fake.git_base_url,
            **options,  # type: ignore[arg-type]
        )  # fmt: skip
        forge = GitHubForge(api, tmp / "state", opts, sleep=sleeps.sleep)
        try:
            yield Rig(fake, api, forge, sleeps, tmp)
        finally:
            api.close()
