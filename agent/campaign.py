"""A campaign: every repository the runs of one database covered, and its pull request today.

:func:`load_campaign` reads the ledger: per repository the latest final row and the latest row
that published a branch (a later run may have found nothing left to change, or failed, while
the pull request of an earlier run is still open). :func:`campaign_status` asks each forge
where that pull request stands: GitHub for ``owner/name`` targets (state, checks, reviews),
the repository itself and the PR record for local ones (is the branch there, is it merged).
:func:`close_repo` closes an open one and deletes its branch, but only a branch that still
holds exactly the commit decom recorded: a branch someone else pushed to is never deleted.
"""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from agent.batch.ledger import FINAL, RepoRow, open_ledger
from agent.errors import DecomError, InputError
from agent.forge.git import GitRepo
from agent.forge.github_ref import RepoRef, looks_like_repo_ref, parse_repo_ref, web_host
from agent.forge.records import branch_name

if TYPE_CHECKING:
    from agent.forge.github_api import CheckRun, CombinedStatus, GitHubApi, PullDetail, Review

#: Repositories whose forge is asked at once (each lookup is a few HTTP or git calls).
MAX_LOOKUPS_IN_FLIGHT = 8

#: What a remote repository reads when no GitHub credentials are configured.
NO_TOKEN = "GITHUB_TOKEN not set"

_FAILED_CONCLUSIONS = frozenset(
    {"failure", "timed_out", "cancelled", "action_required", "startup_failure"}
)
#: Review states that set (or, dismissed, withdraw) a reviewer's verdict; comments do not.
_DECISIVE_REVIEWS = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})


class PullState(StrEnum):
    """Where a repository's pull request stands (``unknown``: the forge could not be asked)."""

    OPEN = "open"
    DRAFT = "draft"
    MERGED = "merged"
    CLOSED = "closed"
    NONE = "none"
    UNKNOWN = "unknown"


class ChecksState(StrEnum):
    """Check runs and commit statuses of the pull request's head, combined."""

    SUCCESS = "success"
    FAILURE = "failure"
    PENDING = "pending"
    NONE = "none"
    NOT_APPLICABLE = "n/a"


class ReviewState(StrEnum):
    """The reviewers' verdict: the latest decisive review per reviewer, combined."""

    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REVIEW_REQUIRED = "review_required"
    NONE = "none"
    NOT_APPLICABLE = "n/a"


@dataclass(frozen=True)
class CampaignEntry:
    """One repository of a campaign, as the ledger recorded it.

    Attributes:
        latest: its latest final row (any run of the database).
        published: its latest row that left a branch (a commit was recorded), if any.
    """

    latest: RepoRow
    published: RepoRow | None

    @property
    def remote(self) -> bool:
        """Whether the target names a GitHub repository rather than a folder."""
        return looks_like_repo_ref(self.latest.repo)

    @property
    def name(self) -> str:
        """What to call it: ``owner/name`` for GitHub, the folder's name for local ones."""
        if self.remote:
            try:
                return parse_repo_ref(self.latest.repo).full_name
            except InputError:
                return self.latest.repo
        return self.latest.name


class CampaignRepo(BaseModel):
    """One row of ``decom status``."""

    repo: str
    name: str
    forge: Literal["github", "local"]
    run_id: str
    run_status: str
    pull: PullState
    url: str | None = None
    branch: str | None = None
    checks: ChecksState
    review: ReviewState
    needs_human: int
    note: str | None = None


class CampaignStatus(BaseModel):
    """``decom status DATABASE``: every repository of the campaign."""

    database: str
    repos: list[CampaignRepo]


class CloseAction(StrEnum):
    """What ``decom close`` did to one repository."""

    CLOSED = "closed"
    SKIPPED = "skipped"
    REFUSED = "refused"
    FAILED = "failed"


class CloseResult(BaseModel):
    """One line of ``decom close``."""

    repo: str
    name: str
    action: CloseAction
    detail: str


def load_campaign(
    state_dir: Path, database: str, database_url: str | None = None
) -> list[CampaignEntry]:
    """Every repository any run of ``database`` covered, sorted by name.

    Raises:
        InputError: no run of ``database`` is recorded there.
    """
    if database_url is None and not (state_dir / "ledger.sqlite").is_file():
        raise InputError(f"no run of {database} in {state_dir}: start one with `decom run`")
    with open_ledger(state_dir, database_url) as ledger:
        runs = ledger.runs(database)
        if not runs:
            raise InputError(f"no run of {database} in {ledger.where}: start one with `decom run`")
        published: dict[str, RepoRow] = {}
        for run in reversed(runs):
            for row in ledger.repos(run.run_id, FINAL):
                if row.outcome is not None and row.outcome.commit and row.branch:
                    published[row.repo] = row
        return [CampaignEntry(row, published.get(row.repo)) for row in ledger.campaign(database)]


def campaign_status(
    entries: list[CampaignEntry], database: str, api: GitHubApi | None
) -> CampaignStatus:
    """Ask each repository's forge where its pull request stands (a few at a time).

    ``api`` is None when no GitHub credentials are configured: remote repositories then read
    :data:`NO_TOKEN` instead of failing the whole report.
    """
    workers = max(1, min(MAX_LOOKUPS_IN_FLIGHT, len(entries)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        repos = list(pool.map(lambda entry: repo_status(entry, api), entries))
    return CampaignStatus(database=database, repos=repos)


def repo_status(entry: CampaignEntry, api: GitHubApi | None) -> CampaignRepo:
    """Where one repository's pull request stands; a forge error becomes its note."""
    row, published = entry.latest, entry.published
    remote = entry.remote
    report = CampaignRepo(
        repo=row.repo,
        name=entry.name,
        forge="github" if remote else "local",
        run_id=row.run_id,
        run_status=row.status,
        pull=PullState.NONE,
        url=published.pr_url if published else None,
        branch=published.branch if published else None,
        checks=ChecksState.NONE if remote else ChecksState.NOT_APPLICABLE,
        review=ReviewState.NONE if remote else ReviewState.NOT_APPLICABLE,
        needs_human=row.needs_human,
        note=_row_note(row),
    )
    if published is None:
        return report
    try:
        if not remote:
            state = local_pull_state(_local_target(published))
            return report.model_copy(update={"pull": state})
        if api is None:
            return report.model_copy(update={"pull": PullState.UNKNOWN, "note": NO_TOKEN})
        ref, number = _github_target(published, api)
        pull = api.get_pull(ref, number)
        if pull is None:
            note = f"pull request #{number} not found"
            return report.model_copy(update={"pull": PullState.UNKNOWN, "note": note})
        checks = combine_checks(
            api.combined_status(ref.owner, ref.name, pull.head.sha),
            api.check_runs(ref.owner, ref.name, pull.head.sha),
        )
        review = combine_reviews(pull, api.list_reviews(ref, number))
        update = {"pull": _github_pull_state(pull), "checks": checks, "review": review}
        return report.model_copy(update={**update, "url": pull.html_url})
    except (DecomError, ValueError) as exc:  # ValueError: a payload GitHub shaped otherwise
        note = (str(exc).splitlines() or [type(exc).__name__])[0]
        return report.model_copy(update={"pull": PullState.UNKNOWN, "note": note})


def close_repo(entry: CampaignEntry, database: str, api: GitHubApi | None) -> CloseResult:
    """Close the repository's open pull request and delete its branch, if decom's alone."""
    row, published = entry.latest, entry.published

    def result(action: CloseAction, detail: str) -> CloseResult:
        return CloseResult(repo=row.repo, name=entry.name, action=action, detail=detail)

    if published is None:
        return result(CloseAction.SKIPPED, "no pull request")
    try:
        if not entry.remote:
            action, detail = _close_local(_local_target(published))
        elif api is None:
            action, detail = CloseAction.FAILED, NO_TOKEN
        else:
            action, detail = _close_github(published, database, api)
    except (DecomError, ValueError) as exc:  # ValueError: a payload GitHub shaped otherwise
        action, detail = CloseAction.FAILED, (str(exc).splitlines() or [type(exc).__name__])[0]
    return result(action, detail)


def combine_checks(status: CombinedStatus, runs: list[CheckRun]) -> ChecksState:
    """One verdict from commit statuses and check runs: any failure, else any pending."""
    states = [s.state for s in status.statuses]
    if not states and not runs:
        return ChecksState.NONE
    if any(s in ("failure", "error") for s in states) or any(
        r.status == "completed" and r.conclusion in _FAILED_CONCLUSIONS for r in runs
    ):
        return ChecksState.FAILURE
    if "pending" in states or any(r.status != "completed" for r in runs):
        return ChecksState.PENDING
    return ChecksState.SUCCESS


def combine_reviews(pull: PullDetail, reviews: list[Review]) -> ReviewState:
    """Changes requested by anyone wins, then an approval; comments decide nothing."""
    latest: dict[str, str] = {}
    for review in reviews:
        if review.user is not None and review.state in _DECISIVE_REVIEWS:
            latest[review.user.login] = review.state
    verdicts = set(latest.values())
    if "CHANGES_REQUESTED" in verdicts:
        return ReviewState.CHANGES_REQUESTED
    if "APPROVED" in verdicts:
        return ReviewState.APPROVED
    if pull.requested_reviewers or pull.requested_teams:
        return ReviewState.REVIEW_REQUIRED
    return ReviewState.NONE


# -- local forge ------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalTarget:
    """A local repository's campaign branch as decom left it.

    Attributes:
        path: the repository folder.
        branch: the campaign branch.
        commit: the commit decom put on it.
        record: the PR record (JSON) decom wrote, if it is still there.
    """

    path: Path
    branch: str
    commit: str
    record: Path | None


def local_pull_state(target: LocalTarget) -> PullState:
    """Closed when the record says so; merged when the branch's commit is on the base branch.

    Open while the branch exists and is not merged; closed when it is gone without a merge.

    Raises:
        InputError: the folder is gone or no longer a git repository.
        GitError: git failed.
    """
    repo = _open_repo(target.path)
    record = _read_record(target.record)
    if record.get("state") == "closed":
        return PullState.CLOSED
    tip = repo.resolve(f"refs/heads/{target.branch}")
    base = _base_tip(repo, record)
    if base is not None and repo.is_ancestor(tip or target.commit, base):
        return PullState.MERGED
    return PullState.OPEN if tip is not None else PullState.CLOSED


def _close_local(target: LocalTarget) -> tuple[CloseAction, str]:
    state = local_pull_state(target)
    if state is not PullState.OPEN:
        return CloseAction.SKIPPED, f"already {state.value}"
    repo = _open_repo(target.path)
    branch = target.branch
    if f"branch refs/heads/{branch}\n" in repo.run("worktree", "list", "--porcelain") + "\n":
        return CloseAction.REFUSED, f"{branch} is checked out; switch to another branch first"
    tip = repo.resolve(f"refs/heads/{branch}")
    if tip != target.commit:
        return CloseAction.REFUSED, (
            f"{branch} is at {str(tip)[:12]}, not at decom's {target.commit[:12]}: it holds "
            "commits decom did not make; left alone"
        )
    repo.delete_branch(branch, target.commit)
    if target.record is not None and target.record.is_file():
        record = _read_record(target.record)
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        record.update(state="closed", closed_at=now, updated_at=now)
        target.record.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return CloseAction.CLOSED, f"deleted branch {branch}, record marked closed"


def _local_target(published: RepoRow) -> LocalTarget:
    outcome = published.outcome
    assert outcome is not None and outcome.commit is not None  # how published rows are chosen
    record = Path(published.pr_url) if published.pr_url else None
    branch = published.branch or outcome.branch or ""
    return LocalTarget(Path(outcome.path or published.repo), branch, outcome.commit, record)


def _open_repo(path: Path) -> GitRepo:
    if not path.is_dir():
        raise InputError(f"{path} is gone")
    repo = GitRepo.open(path)
    if repo is None:
        raise InputError(f"{path} is no longer a git repository")
    return repo


def _read_record(path: Path | None) -> dict[str, object]:
    """The PR record's fields, or nothing when it was removed or cannot be read."""
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _base_tip(repo: GitRepo, record: dict[str, object]) -> str | None:
    """The commit of the branch the pull request targets (the record's, else the default)."""
    named = record.get("base_branch")
    tip = repo.resolve(f"refs/heads/{named}") if isinstance(named, str) and named else None
    return tip or repo.resolve(f"refs/heads/{repo.default_branch()}")


# -- GitHub -----------------------------------------------------------------------------


def _github_target(published: RepoRow, api: GitHubApi) -> tuple[RepoRef, int]:
    """The repository and pull request number decom recorded.

    Raises:
        InputError: the repository is on another host than the API, or no number is known.
    """
    host = web_host(api.base_url)
    ref = parse_repo_ref(published.repo, host)
    if ref.host != host:
        raise InputError(f"{ref} is not on {host}: set GITHUB_API_URL to reach it")
    found = re.search(r"/pull/(\d+)$", published.pr_url or "")
    if found is None:
        raise InputError(f"no pull request recorded for {ref.full_name}")
    return ref, int(found.group(1))


def _github_pull_state(pull: PullDetail) -> PullState:
    if pull.merged:
        return PullState.MERGED
    if pull.state != "open":
        return PullState.CLOSED
    return PullState.DRAFT if pull.draft else PullState.OPEN


def _close_github(published: RepoRow, database: str, api: GitHubApi) -> tuple[CloseAction, str]:
    ref, number = _github_target(published, api)
    pull = api.get_pull(ref, number)
    if pull is None:
        return CloseAction.FAILED, f"pull request #{number} not found"
    if pull.state != "open":
        return CloseAction.SKIPPED, f"#{number} already {_github_pull_state(pull).value}"
    branch = pull.head.ref
    if branch != branch_name(database):
        return CloseAction.REFUSED, f"#{number} is from {branch}, not decom's branch; left open"
    # The branch lives where the head repository is: the repository itself or a fork.
    head = pull.head.repo
    owner, name = pull.head.label.split(":")[0], ref.name
    if head is not None:
        owner, name = head.owner.login, head.name
    recorded = published.outcome.commit if published.outcome else None
    tip = api.branch_sha(owner, name, branch)
    if tip is not None and tip != recorded:
        return CloseAction.REFUSED, (
            f"{owner}/{name} {branch} is at {tip[:12]}, not at decom's {str(recorded)[:12]}: "
            f"someone else pushed to it; #{number} left open"
        )
    api.update_pull(ref, number, state="closed")
    if tip is not None and api.delete_branch(owner, name, branch):
        return CloseAction.CLOSED, f"closed #{number}, deleted branch {branch}"
    return CloseAction.CLOSED, f"closed #{number} (branch {branch} was already gone)"


def _row_note(row: RepoRow) -> str | None:
    if row.status == "no_references":
        return "no references"
    if row.status == "failed" and row.error:
        return row.error.splitlines()[0]
    return None
