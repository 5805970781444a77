"""``decom runs``: the runs recorded in the ledger, newest first."""

from __future__ import annotations

import json
import sys
import time

from agent.errors import DecomError


def runs_command(database: str | None, *, state_dir: str | None, as_json: bool) -> int:
    """Print the runs (a table, or ``--json``); the exit code."""
    from agent.batch.ledger import open_ledger
    from agent.settings import load_settings

    try:
        settings = load_settings(state_dir=state_dir)
        with open_ledger(settings.state_dir.resolve(), settings.ledger_url()) as ledger:
            found = ledger.runs(database)
    except DecomError as exc:
        sys.stderr.write(f"decom runs: {exc}\n")
        return exc.exit_code
    if as_json:
        sys.stdout.write(json.dumps({"runs": [r.model_dump(mode="json") for r in found]}) + "\n")
        return 0
    if not found:
        where = settings.state_dir
        sys.stdout.write(f"no runs in {where}" + (f" for {database}" if database else "") + "\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(show_edge=False)
    for column in ("run", "database", "started", "status"):
        table.add_column(column, no_wrap=True)
    table.add_column("repositories")
    for run in found:
        counts = ", ".join(f"{n} {status}" for status, n in sorted(run.counts.items()) if n)
        started = time.strftime("%Y-%m-%d %H:%M", time.localtime(run.created))
        table.add_row(run.run_id, run.database, started, run.status, counts or "none")
    Console(file=sys.stdout, width=None if sys.stdout.isatty() else 200).print(table)
    return 0
