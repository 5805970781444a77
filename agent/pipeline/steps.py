"""The steps of one repository's decommission, as plain functions the graph nodes call."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from agent.discovery.api import PendingScan, find_references, start_scan
from agent.discovery.models import ScanResult
from agent.discovery.names import NameMatcher
from agent.discovery.repos import repositories_from_paths
from agent.discovery.ripgrep import find_rg
from agent.errors import InputError, ToolMissingError
from agent.forge.local import LocalForge
from agent.formats.textfile import BinaryFileError, read_file
from agent.models import (
    CheckStatus,
    FileProcessingResult,
    QualityAssuranceResult,
    RepoOutcome,
    RepoStatus,
)
from agent.pipeline import apply, workspace
from agent.pipeline.models import Changeset, Plan, RepoContext
from agent.pipeline.plan import Planner, in_scope, uses_of
from agent.pipeline.request import CampaignAlias, RunRequest
from agent.qa import critic
from agent.refactor.base import Action
from agent.settings import Settings

if TYPE_CHECKING:
    from agent.forge.github import GitHubForge


def validate_environment(
    request: RunRequest, settings: Settings | None = None, *, integrations: bool = True
) -> list[str]:
    """Check what is really configured (the doctor's checks); one line each.

    Integrations that are not configured read "off". Only what every run needs (git,
    ripgrep, a writable state directory) stops the run, with the doctor's fix.
    ``integrations=False`` checks only that: a caller that does not show the other lines
    saves their cost (``repomix --version`` starts Node, ~0.2 s; a configured model is
    called; GitHub and Slack are asked over the network).

    Raises:
        ToolMissingError: git or ripgrep is missing.
        InputError: the state directory cannot be written.
    """
    if shutil.which("git") is None:
        raise ToolMissingError("git is not installed: install git 2.30 or newer")
    find_rg()
    state = Path(request.state_dir)
    try:
        state.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the state directory {state}: {exc.strerror}") from exc
    if settings is None:
        return ["integrations not checked (no settings given)"]
    from agent.doctor import REQUIRED, Status, run_checks

    checks = run_checks(
        settings.model_copy(update={"state_dir": state}), None if integrations else REQUIRED
    )
    for check in checks:
        if check.required and check.status is Status.FAIL:
            raise InputError(f"{check.name}: {check.detail}")
    return [f"{c.status.value} {c.name}: {c.detail}" for c in checks]


def locate(repo: str, github: GitHubForge | None) -> str:
    """A folder for ``repo``: itself if it is one, else a clone of ``owner/name`` or a URL.

    Raises:
        InputError: neither a folder nor a GitHub repository decom can reach.
    """
    if Path(repo).is_dir():
        return repo
    if github is None:
        raise InputError(f"{repo} is not a folder; set GITHUB_TOKEN to work on GitHub repositories")
    from agent.forge.github_ref import parse_repo_ref, web_host

    ref = parse_repo_ref(repo, web_host(github.api.base_url))
    return str(github.checkout(ref))


def discover(
    request: RunRequest,
    run_id: str,
    repo: str,
    github: GitHubForge | None = None,
    *,
    confirm: bool = False,
) -> tuple[RepoContext, ScanResult]:
    """Prepare the repository (cloning it from GitHub if needed) and find every reference.

    When the checkout is at the base, discovery reads it before git has said it is clean
    (``ctx.unconfirmed``): the check costs as much CPU as the search, which keeps both cores
    busy, so :func:`plan_confirmed` runs it beside the planning instead. It runs here when
    nothing was found (the working tree may lack what the base has) and when ``confirm`` asks
    (before anything read is shown to a model).
    """
    folder = locate(repo, github)
    (checked,) = repositories_from_paths([folder])
    snapshots = request.run_dir(run_id) / "snapshots"
    # Optimistically, the folder itself is what discovery reads: ripgrep starts on it while
    # git resolves the base.
    pending = _start_scan(request, str(checked.root), checked.name)
    try:
        ctx = workspace.start(folder, request.base, snapshots)
        if ctx.scan_root != ctx.path:
            pending.cancel()  # HEAD is not at the base: the base's snapshot is read
            return ctx, _finish(_start_scan(request, ctx.scan_root, ctx.name), ctx)
        scan = _finish(pending, ctx)
    except BaseException:
        pending.cancel()
        raise
    if confirm or not scan.references:
        check = workspace.start_confirm(ctx, snapshots)
        if check is not None:
            return _rescanned(request, ctx, scan, check())
    return ctx, scan


def plan_confirmed(
    request: RunRequest,
    run_id: str,
    ctx: RepoContext,
    scan: ScanResult,
    review_scan: Callable[[RepoContext, ScanResult], ScanResult] = lambda _ctx, scan: scan,
) -> tuple[RepoContext, ScanResult, Plan]:
    """:func:`plan`, confirming meanwhile that an unconfirmed checkout is clean.

    ``git status`` runs on the core the planning leaves idle. A dirty working tree means
    discovery (then ``review_scan``, what the discover step does to a scan after the search)
    and planning start again from a snapshot of the base.
    """
    confirm = workspace.start_confirm(ctx, request.run_dir(run_id) / "snapshots")
    the_plan = plan(request, ctx, scan)
    if confirm is None:
        return ctx, scan, the_plan
    confirmed = confirm()
    if confirmed.scan_root == ctx.scan_root:
        return confirmed, scan, the_plan
    ctx, scan = _rescanned(request, ctx, scan, confirmed)
    scan = review_scan(ctx, scan)
    return ctx, scan, plan(request, ctx, scan)


def _rescanned(
    request: RunRequest, ctx: RepoContext, scan: ScanResult, confirmed: RepoContext
) -> tuple[RepoContext, ScanResult]:
    """The confirmed context, and its scan (read again when it moved to a snapshot)."""
    if confirmed.scan_root == ctx.scan_root:
        return confirmed, scan
    return confirmed, _finish(_start_scan(request, confirmed.scan_root, confirmed.name), confirmed)


def _start_scan(request: RunRequest, folder: str, repo_name: str) -> PendingScan:
    options = request.scan_options()
    return start_scan(
        options.database,
        [folder],
        aliases=options.aliases,
        exclude_names=options.exclude_names,
        max_file_bytes=options.max_file_bytes,
        affixes=options.affixes,
        # What the other repositories define (this one's own aliases are learned here, with
        # the lines that define them).
        seed_aliases=tuple(a.to_alias() for a in request.campaign_aliases if a.repo != repo_name),
    )


def _finish(pending: PendingScan, ctx: RepoContext) -> ScanResult:
    scan = pending.finish()
    if ctx.scan_root != ctx.path:
        scan = _renamed(scan, Path(ctx.scan_root).name, ctx.name)
    return scan


def with_campaign_aliases(request: RunRequest) -> RunRequest:
    """``request`` with the aliases its local repositories define for one another.

    One scan over every local repository together learns the aliases that hold everywhere
    (an instance identifier, a secret name, a hostname); each repository's own discovery then
    searches for them too. Remote repositories are cloned later, one at a time, so only what
    the local ones define reaches them.
    """
    local = [r for r in request.repos if Path(r).is_dir()]
    if len(local) < 2 or request.campaign_aliases:
        return request
    options = request.scan_options()
    joint = find_references(
        options.database,
        local,
        aliases=options.aliases,
        exclude_names=options.exclude_names,
        max_file_bytes=options.max_file_bytes,
        affixes=options.affixes,
    )
    shared = [
        CampaignAlias.from_alias(a)
        for a in joint.aliases
        if a.repo is None and a.directory is None and a.path is None and a.defined_at
    ]
    return request.model_copy(update={"campaign_aliases": shared}) if shared else request


def _renamed(scan: ScanResult, old: str, new: str) -> ScanResult:
    """A scan of a snapshot folder, reported under the repository's own name."""
    from dataclasses import replace

    refs = tuple(replace(r, repo=new) if r.repo == old else r for r in scan.references)
    aliases = tuple(replace(a, repo=new) if a.repo == old else a for a in scan.aliases)
    return replace(scan, references=refs, aliases=aliases)


def planner(request: RunRequest, ctx: RepoContext, scan: ScanResult) -> Planner:
    """The planner for one repository (also gives targets and file reads to the critic)."""
    return Planner(ctx, scan, request.scan_options())


def plan(request: RunRequest, ctx: RepoContext, scan: ScanResult) -> Plan:
    """Decide per file what retires the database there."""
    return planner(request, ctx, scan).plan()


def refactor(
    request: RunRequest,
    ctx: RepoContext,
    scan: ScanResult,
    the_plan: Plan,
    previous: Changeset | None,
    qa: QualityAssuranceResult | None,
) -> Changeset:
    """The changeset for this iteration: the plan first, then answers to the critic."""
    if previous is None or qa is None:
        return apply.first_changeset(the_plan)
    p = planner(request, ctx, scan)
    final = previous.iteration >= request.max_qa_iterations
    return apply.next_changeset(
        the_plan, previous, qa.findings, _reader(ctx), p.target, final=final
    )


def review(
    request: RunRequest, ctx: RepoContext, scan: ScanResult, the_plan: Plan, changes: Changeset
) -> QualityAssuranceResult:
    """The critic's verdict on the rewritten files."""
    p = planner(request, ctx, scan)
    still_used = _still_used(ctx, the_plan, p.matcher())
    return critic.review(the_plan, changes, _reader(ctx), p.target, still_used)


def reader(ctx: RepoContext) -> critic.Reader:
    """Reads a file's original text from the repository's scan root."""
    return _reader(ctx)


def _reader(ctx: RepoContext) -> critic.Reader:
    root = ctx.scan_root

    def read(path: str) -> str | None:
        try:
            return read_file(root, path).text
        except (OSError, BinaryFileError):
            return None

    return read


def _still_used(
    ctx: RepoContext, the_plan: Plan, planner_matcher: NameMatcher
) -> Callable[[list[str]], list[tuple[str, int, str]]]:
    origins: dict[str, list[str]] = {}
    for planned in the_plan.files:
        for symbol in planned.removed_symbols:
            origins.setdefault(symbol, []).append(planned.path)

    def still_used(symbols: list[str]) -> list[tuple[str, int, str]]:
        # Names spelling the database are the reference check's job; search the others.
        matcher = planner_matcher
        symbols = [s for s in symbols if not matcher.matches(s)]
        if not symbols:
            return []
        found = []
        hits = uses_of(Path(ctx.scan_root), symbols, origins, the_plan.searches)
        for path, lines in hits.items():
            for number, text in lines:
                for symbol in symbols:
                    if not re.search(rf"(?<![\w.-]){re.escape(symbol)}(?![\w-])", text):
                        continue
                    if any(in_scope(symbol, origin, path) for origin in origins.get(symbol, [])):
                        found.append((path, number, symbol))
        return found

    return still_used


def publish(
    request: RunRequest,
    run_id: str,
    ctx: RepoContext,
    scan: ScanResult,
    changes: Changeset | None,
    qa: QualityAssuranceResult | None,
    github: GitHubForge | None = None,
    text: tuple[str, str] | None = None,
) -> RepoOutcome:
    """Commit to the campaign branch and open the pull request (or write a patch)."""
    files = _file_results(scan, changes)
    if not scan.references:
        return RepoOutcome(repo=ctx.name, path=ctx.path, status=RepoStatus.NO_REFERENCES, files=[])
    assert changes is not None
    cloned = github is not None and _is_clone(github, ctx)
    forge: LocalForge | GitHubForge = (
        github if cloned and github is not None else LocalForge(Path(request.state_dir))
    )
    published = forge.publish(
        ctx, request.database, changes, qa, dry_run=request.dry_run, text=text
    )
    human = any(f.action is Action.NEEDS_HUMAN or f.needs_human for f in files)
    status = RepoStatus.CHANGED if published.commit or published.patch else RepoStatus.NEEDS_HUMAN
    if human and not (published.commit or published.patch):
        status = RepoStatus.NEEDS_HUMAN
    if qa is not None and qa.overall_status is CheckStatus.FAILED and not published.commit:
        status = RepoStatus.NEEDS_HUMAN
    return RepoOutcome(
        repo=ctx.name,
        path=ctx.path,
        status=status,
        branch=published.branch,
        commit=published.commit,
        base=ctx.base,
        files=files,
        qa=qa,
        pr_record=published.record,
        patch=published.patch,
    )


def _is_clone(github: GitHubForge, ctx: RepoContext) -> bool:
    return Path(ctx.path).resolve().is_relative_to(github.options.cache_dir.resolve())


def _file_results(scan: ScanResult, changes: Changeset | None) -> list[FileProcessingResult]:
    if changes is None:
        return []
    counts: dict[str, int] = {}
    for ref in scan.references:
        counts[ref.path] = counts.get(ref.path, 0) + 1
    return [
        FileProcessingResult(
            path=c.path,
            source_type=c.source_type,
            action=c.action,
            rule=c.rule,
            reason=c.reason,
            references=counts.get(c.path, 0),
            needs_human=c.needs_human,
            strategy=c.strategy,
        )
        for c in sorted(changes.changes, key=lambda c: c.path)
    ]


def release(ctx: RepoContext) -> None:
    """Clean up the repository's snapshot, if one was made."""
    workspace.release(ctx)
