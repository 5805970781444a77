"""``--org`` targets: an account's repositories listed page by page from the fake GitHub."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.errors import InputError
from agent.forge.github_org import SkipReason, org_repositories
from tests.fake_github import FakeGitHub
from tests.github_support import TOKEN, github_rig


def test_every_page_of_a_large_organization_is_listed(tmp_path: Path) -> None:
    fake = FakeGitHub(tmp_path / "github", TOKEN)
    for i in range(230):
        fake.list_repo("acme", f"svc-{i:03d}")
    with github_rig(tmp_path, fake=fake) as rig:
        listing = org_repositories(rig.api, "acme", include=[], exclude=[])

    assert listing.account == "organization" and listing.skipped == []
    assert listing.repos == [f"acme/svc-{i:03d}" for i in range(230)]
    pages = rig.fake.calls("GET", r"^/orgs/acme/repos$")
    assert [(c.query["page"], c.query["per_page"], c.query["type"]) for c in pages] == [
        (["1"], ["100"], ["all"]),
        (["2"], ["100"], ["all"]),
        (["3"], ["100"], ["all"]),
    ]


def test_name_patterns_archived_forks_and_empty_repositories(tmp_path: Path) -> None:
    fake = FakeGitHub(tmp_path / "github", TOKEN)
    fake.list_repo("acme", "billing-api")
    fake.list_repo("acme", "billing-infra")
    fake.list_repo("acme", "billing-archive")
    fake.list_repo("acme", "billing-old", archived=True)
    fake.list_repo("acme", "billing-fork", fork=True)
    fake.list_repo("acme", "billing-new", size=0)
    fake.list_repo("acme", "billing-unpushed", pushed_at=None)
    fake.list_repo("acme", "website")
    with github_rig(tmp_path, fake=fake) as rig:
        listing = org_repositories(
            rig.api, "acme", include=[r"^billing-", "nothing"], exclude=[r"archive$"]
        )
        everything = org_repositories(
            rig.api, "acme", include=[], exclude=[], include_archived=True, include_forks=True
        )

    assert listing.repos == ["acme/billing-api", "acme/billing-infra"]
    reasons = {s.full_name: (s.reason, s.detail) for s in listing.skipped}
    assert reasons == {
        "acme/billing-archive": (SkipReason.EXCLUDED, "matches exclude pattern 'archive$'"),
        "acme/billing-old": (SkipReason.ARCHIVED, "archived (read-only)"),
        "acme/billing-fork": (SkipReason.FORK, "a fork"),
        "acme/billing-new": (SkipReason.EMPTY, "empty (nothing pushed)"),
        "acme/billing-unpushed": (SkipReason.EMPTY, "empty (nothing pushed)"),
        "acme/website": (SkipReason.NOT_INCLUDED, "matches no include pattern"),
    }
    assert "acme/billing-old" in everything.repos and "acme/billing-fork" in everything.repos
    assert {s.reason for s in everything.skipped} == {SkipReason.EMPTY}
    # The model is what the CLI prints with --json.
    assert listing.model_dump(mode="json")["skipped"][0] == {
        "full_name": "acme/billing-archive",
        "reason": "excluded",
        "detail": "matches exclude pattern 'archive$'",
    }


def test_a_user_account_is_listed_when_there_is_no_such_organization(tmp_path: Path) -> None:
    fake = FakeGitHub(tmp_path / "github", TOKEN)
    fake.accounts["alice"] = "User"
    fake.list_repo("alice", "dotfiles")
    with github_rig(tmp_path, fake=fake) as rig:
        listing = org_repositories(rig.api, "alice", include=[], exclude=[])
        with pytest.raises(InputError, match="no GitHub organization or user 'nobody'"):
            org_repositories(rig.api, "nobody", include=[], exclude=[])

    assert (listing.account, listing.repos) == ("user", ["alice/dotfiles"])
    assert [c.path for c in rig.fake.calls("GET", "/repos$")] == [
        "/orgs/alice/repos",
        "/users/alice/repos",
        "/orgs/nobody/repos",
        "/users/nobody/repos",
    ]


def test_a_bad_pattern_or_account_name_is_one_line_input_error_before_any_call(
    tmp_path: Path,
) -> None:
    with github_rig(tmp_path) as rig:
        with pytest.raises(InputError) as bad_include:
            org_repositories(rig.api, "acme", include=["billing-("], exclude=[])
        with pytest.raises(InputError, match=r"exclude pattern '\*x'"):
            org_repositories(rig.api, "acme", include=[], exclude=["*x"])
        with pytest.raises(InputError, match="not a GitHub organization or user name"):
            org_repositories(rig.api, "acme/billing", include=[], exclude=[])

    message = str(bad_include.value)
    assert message.startswith("include pattern 'billing-(' is not a valid regular expression")
    assert "\n" not in message
    assert rig.fake.requests == []


def test_a_server_error_is_retried_by_the_client_policy(tmp_path: Path) -> None:
    fake = FakeGitHub(tmp_path / "github", TOKEN)
    for i in range(120):
        fake.list_repo("acme", f"svc-{i:03d}")
    with github_rig(tmp_path, fake=fake) as rig:
        rig.fake.fail("GET", r"^/orgs/acme/repos$", 500, times=2)
        listing = org_repositories(rig.api, "acme", include=[], exclude=[])

    assert len(listing.repos) == 120
    assert len(rig.fake.calls("GET", r"^/orgs/acme/repos$")) == 4  # two 500s, then two pages
    assert len(rig.sleeps.waits) == 2
