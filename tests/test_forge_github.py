"""The GitHub forge against a fake GitHub REST API on 127.0.0.1 and real bare repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from agent.errors import BranchConflictError, CircuitOpenError, ForgeError, InputError
from agent.forge.github_api import GitHubApi
from agent.forge.github_ref import RepoRef, parse_repo_ref
from agent.forge.ratelimit import RetryPolicy
from agent.pipeline.models import Changeset
from agent.settings import Settings
from tests.conftest import git
from tests.fake_github import FakeGitHub
from tests.forge_fixtures import FILES, changes
from tests.github_support import github_rig

BRANCH = "decommission/payroll_ledger"


def test_fresh_publish_pushes_one_decom_commit_and_opens_a_draft_pull_request(
    tmp_path: Path,
) -> None:
    with github_rig(
        tmp_path, labels=("decommission",), reviewers=("alice",), team_reviewers=("dba",)
    ) as rig:
        repo = rig.fake.add_repo("acme", "billing", FILES)
        ctx = rig.ctx()
        published = rig.forge.publish(ctx, "payroll_ledger", changes(), None)

    assert published.branch == BRANCH
    assert repo.branch_sha(BRANCH) == published.commit
    log = git(repo.bare, "log", "--format=%an <%ae>|%s", f"main..{BRANCH}").splitlines()
    assert log == ["decom <decom@noreply.invalid>|Decommission the payroll_ledger database"]
    assert git(repo.bare, "show", f"{BRANCH}:config.env") == "A=1\nB=2\n"
    assert "runbook.md" not in git(repo.bare, "ls-tree", "--name-only", BRANCH).split()
    (pull,) = rig.fake.pulls
    assert published.record == "https://github.com/acme/billing/pull/1"
    assert (pull.draft, pull.state, pull.base, pull.head_owner) == (True, "open", "main", "acme")
    assert pull.title == "Decommission the payroll_ledger database"
    assert "| `config.env` | edited | removed the setting |" in pull.body
    assert pull.labels == ["decommission"]
    assert (pull.reviewers, pull.teams) == (["alice"], ["dba"])
    (create,) = rig.fake.calls("POST", r"/pulls$")
    assert create.body["head"] == f"acme:{BRANCH}" and create.body["draft"] is True
    assert "--- a/config.env" in published.diff
    # The local record is written the same way the local forge writes it.
    record = json.loads(
        (tmp_path / "state/prs/billing/decommission__payroll_ledger.json").read_text()
    )
    assert record["commit"] == published.commit


def test_rerun_updates_the_same_pull_request_and_pushes_only_a_new_change(tmp_path: Path) -> None:
    with github_rig(tmp_path, labels=("decommission",)) as rig:
        repo = rig.fake.add_repo("acme", "billing", FILES)
        first = rig.forge.publish(rig.ctx(), "payroll_ledger", changes(), None)
        pushed = repo.branch_sha(BRANCH)
        again = rig.forge.publish(rig.ctx(), "payroll_ledger", changes(), None)
        assert (again.unchanged, again.commit, repo.branch_sha(BRANCH)) == (
            True,
            first.commit,
            pushed,
        )
        assert rig.fake.calls("PATCH") == [] and len(rig.fake.calls("POST", "/labels$")) == 1

        only_config = Changeset(changes=changes("A=1\n").changes[:1])
        changed = rig.forge.publish(rig.ctx(), "payroll_ledger", only_config, None)

    assert len(rig.fake.pulls) == 1 and len(rig.fake.calls("POST", r"/pulls$")) == 1
    assert changed.commit != first.commit and repo.branch_sha(BRANCH) == changed.commit
    assert git(repo.bare, "show", f"{BRANCH}:config.env") == "A=1\n"
    assert "runbook.md" in git(repo.bare, "ls-tree", "--name-only", BRANCH).split()
    assert git(repo.bare, "rev-list", "--count", f"main..{BRANCH}").strip() == "1"
    (update,) = rig.fake.calls("PATCH", r"/pulls/1$")
    assert "state" not in update.body and "deleted" not in update.body["body"]


def test_a_closed_unmerged_pull_request_is_reopened_not_recreated(tmp_path: Path) -> None:
    with github_rig(tmp_path) as rig:
        rig.fake.add_repo("acme", "billing", FILES)
        rig.forge.publish(rig.ctx(), "payroll_ledger", changes(), None)
        rig.fake.pulls[0].state = "closed"
        published = rig.forge.publish(rig.ctx(), "payroll_ledger", changes(), None)

    assert [p.state for p in rig.fake.pulls] == ["open"]
    assert published.record is not None and published.record.endswith("/pull/1")
    assert rig.fake.calls("PATCH", r"/pulls/1$")[-1].body["state"] == "open"


def test_a_pull_request_github_will_not_reopen_is_replaced_by_a_new_one(tmp_path: Path) -> None:
    with github_rig(tmp_path) as rig:
        rig.fake.add_repo("acme", "billing", FILES)
        rig.forge.publish(rig.ctx(), "payroll_ledger", changes(), None)
        rig.fake.pulls[0].state = "closed"
        refusal = {
            "message": "Validation Failed",
            "errors": [{"resource": "PullRequest", "code": "custom", "message": "state cannot be "
                        "changed. The decommission/payroll_ledger branch was force-pushed or "
                        "recreated."}],
        }  # fmt: skip
        rig.fake.fail("PATCH", r"/pulls/1$", 422, body=refusal)
        published = rig.forge.publish(rig.ctx(), "payroll_ledger", changes("A=1\n"), None)

    assert [(p.number, p.state) for p in rig.fake.pulls] == [(1, "closed"), (2, "open")]
    assert published.record is not None and published.record.endswith("/pull/2")


def test_a_merged_pull_request_is_left_alone_and_a_new_one_opened(tmp_path: Path) -> None:
    with github_rig(tmp_path) as rig:
        rig.fake.add_repo("acme", "billing", FILES)
        rig.forge.publish(rig.ctx(), "payroll_ledger", changes(), None)
        rig.fake.pulls[0].state, rig.fake.pulls[0].merged = "closed", True
        rig.forge.publish(rig.ctx(), "payroll_ledger", changes("A=1\n"), None)

    assert [(p.number, p.state) for p in rig.fake.pulls] == [(1, "closed"), (2, "open")]
    assert rig.fake.calls("PATCH") == []


def test_already_exists_from_github_counts_as_success(tmp_path: Path) -> None:
    with github_rig(tmp_path) as rig:
        rig.fake.add_repo("acme", "billing", FILES)
        ctx = rig.ctx()
        # A pull request the list does not show yet (GitHub's lists lag behind writes).
        rig.fake.fail("GET", r"/pulls$", 200, body=[], times=1)
        rig.forge.publish(ctx, "payroll_ledger", changes(), None)
        rig.fake.fail("GET", r"/pulls$", 200, body=[], times=1)
        published = rig.forge.publish(ctx, "payroll_ledger", changes("A=1\n"), None)

    assert len(rig.fake.pulls) == 1
    assert len(rig.fake.calls("POST", r"/pulls$")) == 2  # the second answered 422 "already exists"
    assert published.record is not None and published.record.endswith("/pull/1")


def test_a_foreign_commit_on_the_remote_branch_is_refused(tmp_path: Path) -> None:
    with github_rig(tmp_path) as rig:
        repo = rig.fake.add_repo("acme", "billing", FILES)
        rig.forge.publish(rig.ctx(), "payroll_ledger", changes(), None)
        work = tmp_path / "colleague"
        git(tmp_path, "clone", "-q", "-b", BRANCH, str(repo.bare), str(work))
        (work / "keep.txt").write_text("a colleague's fix\n")
        git(work, "commit", "-qam", "fix by hand")
        git(work, "push", "-q", "origin", BRANCH)
        theirs = repo.branch_sha(BRANCH)
        with pytest.raises(BranchConflictError, match="commit\\(s\\) decom did not make"):
            rig.forge.publish(rig.ctx(), "payroll_ledger", changes("A=1\n"), None)
        with pytest.raises(BranchConflictError):
            rig.forge.publish(rig.ctx(), "payroll_ledger", Changeset(), None)

    assert repo.branch_sha(BRANCH) == theirs
    assert [p.state for p in rig.fake.pulls] == ["open"]
    assert rig.fake.calls("DELETE") == []


def test_no_diff_any_more_closes_the_pull_request_and_deletes_the_branch(tmp_path: Path) -> None:
    with github_rig(tmp_path) as rig:
        repo = rig.fake.add_repo("acme", "billing", FILES)
        rig.forge.publish(rig.ctx(), "payroll_ledger", changes(), None)
        ctx = rig.ctx()
        published = rig.forge.publish(ctx, "payroll_ledger", Changeset(), None)

    assert (published.branch, published.commit, published.unchanged) == (None, None, True)
    assert [p.state for p in rig.fake.pulls] == ["closed"]
    assert repo.branch_sha(BRANCH) is None
    assert [c.path for c in rig.fake.calls("DELETE")] == [
        f"/repos/acme/billing/git/refs/heads/{BRANCH}"
    ]
    assert git(Path(ctx.path), "branch", "--list", BRANCH) == ""


def test_without_push_access_the_branch_goes_to_a_fork(tmp_path: Path) -> None:
    with github_rig(tmp_path, fork_owner="decom-bot") as rig:
        upstream = rig.fake.add_repo("acme", "billing", FILES, can_push=False)
        published = rig.forge.publish(rig.ctx(), "payroll_ledger", changes(), None)

    fork = rig.fake.repos["decom-bot/billing"]
    assert upstream.branch_sha(BRANCH) is None
    assert fork.branch_sha(BRANCH) == published.commit
    (pull,) = rig.fake.pulls
    assert (pull.repo, pull.head_owner, pull.base) == ("acme/billing", "decom-bot", "main")
    (fork_call,) = rig.fake.calls("POST", "/forks$")
    assert "organization" not in fork_call.body  # decom-bot is a user, not an organization
    assert rig.fake.calls("GET", r"/pulls$")[0].query["head"] == [f"decom-bot:{BRANCH}"]


def test_a_repository_on_another_host_than_the_api_is_refused(tmp_path: Path) -> None:
    with github_rig(tmp_path) as rig:
        rig.fake.add_repo("acme", "billing", FILES)
        with pytest.raises(InputError, match="set GITHUB_API_URL"):
            rig.forge.checkout(RepoRef("github.example.org", "acme", "billing"))
    assert not (tmp_path / "cache").exists()


def test_without_push_access_and_no_fork_owner_the_error_says_what_to_do(tmp_path: Path) -> None:
    with github_rig(tmp_path) as rig:
        rig.fake.add_repo("acme", "billing", FILES, can_push=False)
        with pytest.raises(ForgeError, match="may not push.*fork owner"):
            rig.forge.publish(rig.ctx(), "payroll_ledger", changes(), None)
    assert rig.fake.calls("POST") == []


def test_dry_run_writes_a_patch_and_calls_nothing(tmp_path: Path) -> None:
    with github_rig(tmp_path) as rig:
        rig.fake.add_repo("acme", "billing", FILES)
        ctx = rig.ctx()
        before = len(rig.fake.requests)
        published = rig.forge.publish(ctx, "payroll_ledger", changes(), None, dry_run=True)
    assert published.patch is not None and Path(published.patch).read_text().startswith(
        "diff --git"
    )
    assert len(rig.fake.requests) == before and rig.fake.pulls == []


def test_a_reviewer_github_refuses_does_not_fail_the_pull_request(tmp_path: Path) -> None:
    with github_rig(tmp_path, reviewers=("outsider",)) as rig:
        rig.fake.add_repo("acme", "billing", FILES)
        rig.fake.non_collaborators.add("outsider")
        published = rig.forge.publish(rig.ctx(), "payroll_ledger", changes(), None)
    assert published.record is not None and rig.fake.pulls[0].reviewers == []


def test_circuit_breaker_stops_calling_and_names_the_repositories_left(tmp_path: Path) -> None:
    policy = RetryPolicy(max_attempts=3, failure_threshold=4, min_write_interval=0.0)
    with github_rig(tmp_path, policy=policy) as rig:
        for name in ("billing", "ledger", "payments"):
            rig.fake.add_repo("acme", name, FILES)
        contexts = {name: rig.ctx("acme", name) for name in ("billing", "ledger", "payments")}
        rig.fake.fail("GET", r"^/repos/acme/[a-z]+$", 500, times=100)
        failed: dict[str, str] = {}
        not_processed: list[str] = []
        for name, ctx in contexts.items():
            try:
                rig.forge.publish(ctx, "payroll_ledger", changes(), None)
            except CircuitOpenError:
                not_processed.append(name)
            except ForgeError as exc:
                failed[name] = str(exc)

    assert list(failed) == ["billing"] and "HTTP 500" in failed["billing"]
    assert not_processed == ["ledger", "payments"]
    assert len(rig.fake.calls("GET", r"^/repos/acme/[a-z]+$")) == 4  # 3 + 1, then no more
    assert rig.fake.pulls == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("acme/billing", RepoRef("github.com", "acme", "billing")),
        ("https://github.com/acme/billing.git", RepoRef("github.com", "acme", "billing")),
        (
            "https://ghe.example.com/team-a/svc.api/",
            RepoRef("ghe.example.com", "team-a", "svc.api"),
        ),
    ],
)
def test_repository_references_parse(text: str, expected: RepoRef) -> None:
    assert parse_repo_ref(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "billing",
        "acme/billing/extra",
        "http://github.com/acme/billing",
        "git@github.com:acme/billing.git",
        "https://x-access-token:ghp_secret@github.com/acme/billing",
        "-acme/billing",
        "acme/..",
    ],
)
def test_anything_else_is_refused_in_one_line_without_secrets(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_repo_ref(text)
    assert "\n" not in str(caught.value) and "ghp_secret" not in str(caught.value)


def test_forking_into_an_organization_names_it(tmp_path: Path) -> None:
    with github_rig(tmp_path, fork_owner="acme-forks") as rig:
        rig.fake.accounts["acme-forks"] = "Organization"
        rig.fake.add_repo("acme", "billing", FILES, can_push=False)
        rig.forge.publish(rig.ctx(), "payroll_ledger", changes(), None)
    (fork_call,) = rig.fake.calls("POST", "/forks$")
    assert fork_call.body == {"organization": "acme-forks", "default_branch_only": True}
    assert rig.fake.pulls[0].head_owner == "acme-forks"


def test_a_github_app_installation_token_is_minted_once_and_used(tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    fake = FakeGitHub(tmp_path / "github", "ghs_" + "Installation0Token" * 2)
    fake.app_public_key = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    fake.add_repo("acme", "billing", FILES)
    with fake.serving() as url:
        app_settings = Settings(
            github_base_url=url, github_app_id="12345", github_app_private_key=pem,
            github_app_installation_id=678,
        )  # fmt: skip
        api = GitHubApi(app_settings, policy=RetryPolicy(min_write_interval=0.0))
        try:
            assert api.get_repo("acme", "billing") is not None  # as the installation
            assert api.git_token().get_secret_value() == fake.token
            assert api.git_token().get_secret_value() == fake.token
        finally:
            api.close()
    minted = fake.calls("POST", r"^/app/installations/678/access_tokens$")
    assert len(minted) == 2  # one for githubkit's API calls, one for git; reused after that
    assert set(fake.app_jwt_issuers) == {"12345"}
    assert all(r.authorized for r in fake.calls("GET"))
