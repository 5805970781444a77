"""Human-readable output of decom's commands (rich)."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict

from rich.console import Console
from rich.markup import escape
from rich.syntax import Syntax
from rich.table import Table

from agent.discovery.models import Reference, ScanResult
from agent.models import DecommissioningSummary


def print_scan(result: ScanResult, console: Console | None = None) -> None:
    """Print a scan: per repository, per file with type and count, the lines; then totals."""
    out = console or _console()
    by_repo: dict[str, dict[str, list[Reference]]] = defaultdict(lambda: defaultdict(list))
    for ref in result.references:
        by_repo[ref.repo][ref.path].append(ref)
    out.print(f"[bold]References to {escape(result.database)}[/bold]")
    for repo, files in by_repo.items():
        count = sum(len(refs) for refs in files.values())
        out.print(
            f"\n[bold cyan]{escape(repo)}[/bold cyan]  {count} references in {len(files)} files"
        )
        for path, refs in files.items():
            out.print(
                f"  [green]{escape(path)}[/green]  [dim]{refs[0].source_type}[/dim]  ({len(refs)})"
            )
            for ref in refs:
                why = f"  [dim]via {escape(ref.via.alias)}[/dim]" if ref.via else ""
                out.print(f"    {ref.line:>5}: {escape(ref.text.strip()[:160])}{why}")
    table = Table(title="Totals", show_edge=False)
    table.add_column("kind")
    table.add_column("references", justify="right")
    for kind, n in Counter(r.kind.value for r in result.references).most_common():
        table.add_row(kind, str(n))
    out.print()
    if result.references:
        out.print(table)
    repos_with = len(by_repo)
    out.print(
        f"{len(result.references)} references in {sum(len(f) for f in by_repo.values())} files "
        f"of {repos_with} repositories; {result.stats.files_scanned} files scanned "
        f"in {result.stats.seconds:.2f}s"
    )
    if result.skipped:
        reasons = Counter(s.reason.split(" (")[0].split(":")[0] for s in result.skipped)
        summary = ", ".join(f"{n} {reason}" for reason, n in reasons.most_common())
        out.print(f"[yellow]skipped:[/yellow] {summary}")


#: Longest list of records printed (the report has them all).
MAX_LISTED = 20


def print_run(summary: DecommissioningSummary, show_diffs: bool = False) -> None:
    """Print a run: one row per repository, then where to look."""
    from pathlib import Path

    out = _console()
    if show_diffs:
        for outcome in summary.repos:
            if outcome.patch:
                out.print(f"[bold]{escape(outcome.repo)}[/bold] ({escape(outcome.patch)})")
                out.print(Syntax(Path(outcome.patch).read_text(), "diff", word_wrap=True))
    table = Table(title=f"decom run {summary.run_id}: {summary.database}", show_edge=False)
    for column in ("repository", "status", "changed", "deleted", "needs a person", "where"):
        table.add_column(column)
    for outcome in summary.repos:
        where = outcome.branch or outcome.patch or outcome.error or ""
        table.add_row(
            outcome.repo,
            outcome.status.value,
            str(outcome.files_changed),
            str(outcome.files_deleted),
            str(len(outcome.needs_human)),
            escape(where),
        )
    out.print(table)
    counts = ", ".join(f"{n} {s}" for s, n in summary.counts().items() if n)
    out.print(f"{counts}; success rate {summary.success_rate:.0%}; {summary.seconds:.1f}s")
    from agent.batch.driver import group_failures

    groups = group_failures(summary.repos)
    if groups:
        out.print(f"[red]Failures[/red] ({sum(len(r) for r in groups.values())}), by error:")
        for error, repos in groups.items():
            shown = ", ".join(repos[:8]) + (f" and {len(repos) - 8} more" if len(repos) > 8 else "")
            out.print(f"  {len(repos)} x {escape(error)}\n      {escape(shown)}")
        out.print(f"Rerun them with: decom run --only-failed {summary.run_id}")
    if summary.not_started:
        out.print(
            f"[yellow]Stopped at the first failure[/yellow]: {len(summary.not_started)} "
            f"repositories not started; continue with: decom run --resume {summary.run_id}"
        )
    records = [o.pr_record for o in summary.repos if o.pr_record]
    if records:
        out.print("Pull-request records (JSON and Markdown beside them):")
        for record in records[:MAX_LISTED]:
            out.print(f"  {escape(record)}")
        if len(records) > MAX_LISTED:
            out.print(f"  ... and {len(records) - MAX_LISTED} more (see the run's report)")
    branches = sorted({o.branch for o in summary.repos if o.branch})
    if branches:
        out.print(f"Review with: git log -p {branches[0]} (in each changed repository)")


def _console() -> Console:
    """A console; when output is not a terminal, wide enough not to fold paths."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)
