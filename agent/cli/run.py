"""``decom run``: the full decommission over one or more repositories."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.batch.driver import Progress, group_failures
from agent.batch.progress import progress_display
from agent.errors import DecomError, InputError
from agent.models import DecommissioningSummary, RepoOutcome
from agent.notify import ConsoleNotifier, FanoutNotifier, JsonlNotifier, Notifier
from agent.pipeline.request import RunRequest
from agent.settings import Settings

if TYPE_CHECKING:
    from agent.forge.github import GitHubForge
    from agent.llm.session import LlmSession


def outcome_json(outcome: RepoOutcome) -> dict[str, Any]:
    """One repository in the documented ``--json`` shape."""
    return {
        "repo": outcome.repo,
        "status": outcome.status.value,
        "branch": outcome.branch,
        "commit": outcome.commit,
        "files_changed": outcome.files_changed,
        "files_deleted": outcome.files_deleted,
        "needs_human": outcome.needs_human,
        "qa": outcome.qa.model_dump(mode="json") if outcome.qa else None,
        "pr_record": outcome.pr_record,
        "patch": outcome.patch,
        "error": outcome.error,
        "files": [f.model_dump(mode="json") for f in outcome.files],
    }


def summary_json(summary: DecommissioningSummary) -> dict[str, Any]:
    """The whole run in the documented ``--json`` shape."""
    return {
        "run_id": summary.run_id,
        "database": summary.database,
        "repos": [outcome_json(o) for o in summary.repos],
        "summary": {
            "counts": summary.counts(),
            "success_rate": summary.success_rate,
            "seconds": round(summary.seconds, 3),
            "dry_run": summary.dry_run,
            "tokens": summary.tokens,
            "not_started": summary.not_started,
        },
        "failures": [
            {"error": error, "repos": repos}
            for error, repos in group_failures(summary.repos).items()
        ],
    }


def _targets(repos: list[str], settings: Settings) -> list[str]:
    """Repository folders (absolute) and GitHub repositories (``owner/name`` or URLs).

    Raises:
        InputError: no repository, a missing folder that is no GitHub repository either,
            or GitHub repositories without a token.
    """
    from agent.discovery.repos import repositories_from_paths
    from agent.forge.github_ref import looks_like_repo_ref, parse_repo_ref, web_host

    if not repos:
        raise InputError("no repository given: pass one or more repository folders")
    targets = []
    for repo in repos:
        if Path(repo).exists() or not looks_like_repo_ref(repo):
            targets.append(str(repositories_from_paths([repo])[0].root))
            continue
        ref = parse_repo_ref(repo, web_host(settings.github_base_url))
        if settings.github_token is None and settings.github_app_id is None:
            raise InputError(f"{repo} is a GitHub repository: set GITHUB_TOKEN to work on it")
        targets.append(str(ref))
    return targets


def org_targets(
    org: str,
    include: list[str],
    exclude: list[str],
    *,
    state_dir: str | None,
    include_archived: bool = False,
    include_forks: bool = False,
) -> list[str]:
    """The ``owner/name`` of every repository of ``org`` to run on; skips said on stderr.

    Raises:
        InputError: no GitHub token, a bad regular expression, no such organization.
        ForgeError: GitHub refused the listing.
    """
    from agent.forge.github_api import GitHubApi
    from agent.forge.github_org import org_repositories
    from agent.settings import load_settings

    settings = load_settings(state_dir=state_dir)
    if settings.github_token is None and settings.github_app_id is None:
        raise InputError("--org lists repositories on GitHub: set GITHUB_TOKEN")
    api = GitHubApi(settings)
    try:
        listing = org_repositories(
            api, org, include=include, exclude=exclude,
            include_archived=include_archived, include_forks=include_forks,
        )  # fmt: skip
    finally:
        api.close()
    reasons: dict[str, int] = {}
    for skip in listing.skipped:
        reasons[skip.reason.value] = reasons.get(skip.reason.value, 0) + 1
    said = ", ".join(f"{n} {why}" for why, n in sorted(reasons.items()))
    sys.stderr.write(
        f"decom: {org}: {len(listing.repos)} repositories"
        + (f" (skipped: {said})" if said else "")
        + "\n"
    )
    return listing.repos


def _github_forge(settings: Settings, request: RunRequest) -> GitHubForge | None:
    """The GitHub forge when any repository is on GitHub (needs a token)."""
    if all(Path(r).is_dir() for r in request.repos):
        return None
    from agent.forge.github import GitHubForge, PullRequestOptions
    from agent.forge.github_api import GitHubApi

    options = PullRequestOptions(
        cache_dir=Path(request.state_dir) / "clones",
        fork_owner=settings.fork_owner,
        labels=tuple(settings.pr_labels),
        reviewers=tuple(settings.pr_reviewers),
        team_reviewers=tuple(settings.pr_team_reviewers),
    )
    return GitHubForge(GitHubApi(settings), Path(request.state_dir), options)


def _llm_session(settings: Settings) -> LlmSession | None:
    """The LLM roles when a model is configured; None keeps decom deterministic.

    Raises:
        InputError: a configured model cannot be set up (unknown provider, no key...).
    """
    if not any(settings.model_for(role) for role in ("discovery", "refactor", "critic", "writer")):
        return None
    from agent.llm.session import LlmSession

    session = LlmSession(settings)
    session.check_models()
    return session


def _load_request(settings: Settings, state: Path, run_id: str) -> RunRequest:
    """The request of run ``run_id``: from its folder, else from the shared ledger.

    A distributed run can be continued from another machine than the one that started it:
    the PostgreSQL ledger holds every run's request too.

    Raises:
        InputError: no such run in the state directory or the ledger.
    """
    from graph import runner

    try:
        return runner.load_request(state, run_id)
    except InputError:
        if settings.database_url is None:
            raise
    from agent.batch.ledger import open_ledger

    with open_ledger(state, settings.ledger_url()) as ledger:
        request = RunRequest.model_validate_json(ledger.request_json(run_id))
    # Records and notifications of this machine go to its own state directory.
    request = request.model_copy(update={"state_dir": str(state)})
    runner.save_request(request, run_id)
    return request


def _execute(
    request: RunRequest,
    run_id: str,
    notifier: Notifier,
    settings: Settings,
    *,
    executor: str,
    resume: str | None,
    only_failed: str | None,
    fail_fast: bool,
    github: GitHubForge | None,
    llm: LlmSession | None,
    progress: Progress | None,
) -> DecommissioningSummary:
    """Run on this machine, or hand the repositories to Celery workers and follow them."""
    if executor == "celery":
        from graph.distributed import execute_distributed

        return execute_distributed(
            request, run_id, notifier, settings=settings, only_failed=bool(only_failed),
            fail_fast=fail_fast, progress=progress,
        )  # fmt: skip
    from graph import runner

    return runner.execute(
        request,
        run_id,
        notifier,
        resume=bool(resume),
        only_failed=bool(only_failed),
        fail_fast=fail_fast,
        max_concurrency=settings.max_concurrent_repos,
        github=github,
        llm=llm,
        settings=settings,
        progress=progress,
    )


def run_command(
    database: str,
    repos: list[str],
    *,
    aliases: list[str],
    exclude_names: list[str],
    affixes: list[str],
    dry_run: bool,
    base: str | None,
    resume: str | None,
    state_dir: str | None,
    as_json: bool,
    max_qa_iterations: int,
    only_failed: str | None = None,
    fail_fast: bool = False,
    executor: str = "local",
    bounds: dict[str, int | None] | None = None,
) -> int:
    """Validate, run (or resume) the graph, print the result; return the exit code."""
    from agent.discovery.names import validate_database_name
    from agent.notify import Notification
    from agent.settings import load_settings
    from graph import runner

    try:
        settings = load_settings(state_dir=state_dir, **(bounds or {}))
    except DecomError as exc:
        sys.stderr.write(f"decom run: {exc}\n")
        return exc.exit_code
    state = settings.state_dir.resolve()
    if executor == "celery" and (settings.broker_url is None or settings.database_url is None):
        missing = [
            name
            for name, value in (
                ("DECOM_BROKER_URL", settings.broker_url),
                ("DECOM_DATABASE_URL", settings.database_url),
            )
            if value is None
        ]
        sys.stderr.write(
            f"decom run: --executor celery needs {' and '.join(missing)} "
            "(a Redis broker and the PostgreSQL ledger the workers share)\n"
        )
        return 2
    try:
        continued = resume or only_failed
        if continued:
            request = _load_request(settings, state, continued)
            run_id = continued
        else:
            name = validate_database_name(database)
            for value in [*aliases, *exclude_names]:
                validate_database_name(value)
            targets = _targets(repos, settings)
            request = RunRequest(
                database=name,
                repos=targets,
                aliases=aliases,
                exclude_names=exclude_names,
                extra_affixes=affixes,
                base=base,
                dry_run=dry_run,
                state_dir=str(state),
                max_qa_iterations=max_qa_iterations,
                max_file_bytes=settings.max_file_bytes,
            )
            run_id = runner.new_run_id(name)
            runner.save_request(request, run_id)
        run_dir = request.run_dir(run_id)

        def warn(message: str) -> None:
            sys.stderr.write(f"decom: notification failed: {message}\n")

        notifiers: list[Notifier] = [
            ConsoleNotifier(),
            JsonlNotifier(run_dir / "notifications.jsonl"),
        ]
        if settings.slack_bot_token is not None or settings.slack_webhook_url is not None:
            # slack_sdk is imported only when Slack may be on (~0.15 s of start-up).
            from agent.notify_slack import slack_notifier_from_settings

            slack = slack_notifier_from_settings(settings, on_error=warn)
            if slack is not None:
                notifiers.append(slack)
        notifier = FanoutNotifier(notifiers, on_error=warn)
        if not continued:
            notifier.notify(
                Notification(
                    "run_started",
                    run_id,
                    request.database,
                    f"run {run_id}: retiring {request.database} from "
                    f"{len(request.repos)} repositories",
                    {"repos": [Path(r).name for r in request.repos], "dry_run": request.dry_run},
                )
            )
        if not as_json:
            sys.stderr.write(f"decom: run {run_id} ({len(request.repos)} repositories)\n")
        github = _github_forge(settings, request)
        llm = _llm_session(settings)
        try:
            display = nullcontext(None) if as_json else progress_display(sys.stderr)
            with display as progress:
                summary = _execute(
                    request, run_id, notifier, settings, executor=executor, resume=resume,
                    only_failed=only_failed, fail_fast=fail_fast, github=github, llm=llm,
                    progress=progress,
                )  # fmt: skip
        finally:
            if github is not None:
                github.api.close()
    except DecomError as exc:
        sys.stderr.write(f"decom run: {exc}\n")
        return exc.exit_code
    (run_dir / "summary.json").write_text(json.dumps(summary_json(summary), indent=2) + "\n")
    from subprocess import SubprocessError

    from agent.report import write_reports

    try:  # a report that cannot be written must not fail a finished run
        write_reports(summary, run_dir)
        if not as_json:
            sys.stderr.write(f"decom: reports: {run_dir / 'report.html'} (.md, .json)\n")
    except (OSError, SubprocessError) as exc:
        sys.stderr.write(f"decom: warning: reports not written: {exc}\n")
    except Exception as exc:  # noqa: BLE001 - a report bug must not fail a finished run
        sys.stderr.write(
            f"decom: warning: reports not written ({type(exc).__name__}: {exc}); "
            f"the run's results are in {run_dir / 'summary.json'}\n"
        )
    if as_json:
        sys.stdout.write(json.dumps(summary_json(summary)) + "\n")
    else:
        from agent.cli.render import print_run

        print_run(summary, show_diffs=request.dry_run)
    failed = any(o.status.value == "failed" for o in summary.repos)
    return 1 if failed or summary.not_started else 0


__all__ = ["InputError", "run_command"]
