"""``decom status`` and ``decom close``: a campaign's pull requests, reported or closed."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.campaign import (
    CampaignEntry,
    CampaignStatus,
    CloseAction,
    PullState,
    campaign_status,
    close_repo,
    load_campaign,
)
from agent.errors import DecomError, InputError
from agent.settings import Settings, load_settings

if TYPE_CHECKING:
    from agent.forge.github_api import GitHubApi

_STYLE = {
    PullState.OPEN: "green",
    PullState.DRAFT: "green",
    PullState.MERGED: "magenta",
    PullState.CLOSED: "red",
    PullState.UNKNOWN: "yellow",
}


def status_command(database: str, *, state_dir: str | None, as_json: bool) -> int:
    """Print where every pull request of the campaign stands; the exit code."""
    try:
        settings, entries = _campaign("status", database, state_dir)
    except _Stop as stop:
        return stop.code
    api = _github_api(settings, entries)
    try:
        status = campaign_status(entries, database, api)
    finally:
        if api is not None:
            api.close()
    if as_json:
        typer.echo(json.dumps(status.model_dump(mode="json")))
    else:
        print_status(status)
    return 0


def close_command(database: str, *, state_dir: str | None, yes: bool) -> int:
    """Close every open pull request of the campaign and delete its branch; the exit code."""
    try:
        settings, entries = _campaign("close", database, state_dir)
    except _Stop as stop:
        return stop.code
    if not yes and not sys.stdin.isatty():
        typer.echo(
            "decom close: stdin is not a terminal, so decom cannot ask: pass --yes to close",
            err=True,
        )
        return 2
    api = _github_api(settings, entries)
    try:
        return _close(database, entries, api, yes)
    finally:
        if api is not None:
            api.close()


def _close(database: str, entries: list[CampaignEntry], api: GitHubApi | None, yes: bool) -> int:
    status = campaign_status(entries, database, api)
    by_repo = {entry.latest.repo: entry for entry in entries}
    to_close = [r for r in status.repos if r.pull in (PullState.OPEN, PullState.DRAFT)]
    unknown = [r for r in status.repos if r.pull is PullState.UNKNOWN]
    if to_close:
        typer.echo(f"decom close {database} will close {len(to_close)} pull request(s):")
        for repo in to_close:
            typer.echo(f"  {repo.name}  {repo.url or repo.branch}  ({repo.pull.value})")
        if not yes and not typer.confirm("Proceed?", default=False):
            typer.echo("nothing closed")
            return 0
    elif not unknown:
        typer.echo(f"nothing to close: no open pull request in the {database} campaign")
        return 0
    failed = False
    for repo in to_close:
        result = close_repo(by_repo[repo.repo], database, api)
        failed |= result.action in (CloseAction.REFUSED, CloseAction.FAILED)
        typer.echo(f"{result.action.value:<8} {result.name}: {result.detail}")
    for repo in unknown:
        failed = True
        typer.echo(f"{CloseAction.FAILED.value:<8} {repo.name}: {repo.note}")
    return 1 if failed else 0


def print_status(status: CampaignStatus, console: Console | None = None) -> None:
    """A table: one row per repository of the campaign, then counts per PR state."""
    out = console or Console(highlight=False, width=None if sys.stdout.isatty() else 200)
    table = Table(title=f"decom status: {status.database}", show_edge=False)
    for column in ("repository", "last run", "PR", "checks", "review", "needs a person", "where"):
        table.add_column(column)
    for repo in status.repos:
        style = _STYLE.get(repo.pull, "")
        pull = f"[{style}]{repo.pull.value}[/{style}]" if style else repo.pull.value
        table.add_row(
            escape(repo.name),
            repo.run_status,
            pull,
            repo.checks.value,
            repo.review.value,
            str(repo.needs_human),
            escape(repo.note or repo.url or ""),
        )
    out.print(table)
    counts = Counter(r.pull.value for r in status.repos)
    out.print(", ".join(f"{n} {state}" for state, n in sorted(counts.items())))


class _Stop(Exception):
    """The command ends here with ``code`` (the message was printed)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _campaign(
    command: str, database: str, state_dir: str | None
) -> tuple[Settings, list[CampaignEntry]]:
    """The settings and the campaign's repositories, or a one-line message and :class:`_Stop`."""
    try:
        settings = load_settings(state_dir=state_dir)
        return settings, load_campaign(settings.state_dir, database, settings.ledger_url())
    except DecomError as exc:
        typer.echo(f"decom {command}: {exc}", err=True)
        raise _Stop(exc.exit_code) from None


def _github_api(settings: Settings, entries: list[CampaignEntry]) -> GitHubApi | None:
    """A GitHub client when a repository is remote and credentials are configured."""
    if not any(entry.remote for entry in entries):
        return None
    from agent.forge.github_api import GitHubApi

    try:
        return GitHubApi(settings)
    except InputError:
        return None
