"""The run ledger: per run and per repository, what happened.

SQLite under the state directory by default, PostgreSQL for distributed workers. One table
of runs and one of repositories. A repository row moves ``pending`` -> ``running``
(``claim``: attempts + 1, a lease) -> a final status (``finish``) or back to ``pending``
(``release``). Claims are single atomic ``UPDATE`` statements, so two workers handed the same
repository never both run it, and a finished repository is never claimed again.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, Field

from agent.errors import InputError
from agent.models import RepoOutcome

#: Statuses a repository can end a run in (``failed`` included: ``--only-failed`` reruns it).
FINAL = ("changed", "no_references", "needs_human", "failed", "aborted")

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS decom_runs (
        run_id TEXT PRIMARY KEY,
        database_name TEXT NOT NULL,
        created DOUBLE PRECISION NOT NULL,
        finished DOUBLE PRECISION,
        status TEXT NOT NULL,
        executor TEXT NOT NULL,
        request TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS decom_repos (
        run_id TEXT NOT NULL,
        repo TEXT NOT NULL,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        branch TEXT,
        pr_url TEXT,
        needs_human INTEGER NOT NULL DEFAULT 0,
        started DOUBLE PRECISION,
        finished DOUBLE PRECISION,
        seconds DOUBLE PRECISION,
        tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
        worker TEXT,
        lease_until DOUBLE PRECISION,
        outcome TEXT,
        PRIMARY KEY (run_id, repo)
    )""",
    "CREATE INDEX IF NOT EXISTS decom_repos_status ON decom_repos (run_id, status)",
)


class RunRow(BaseModel):
    """One run as the ledger knows it."""

    run_id: str
    database: str
    created: float
    finished: float | None
    status: str
    executor: str
    counts: dict[str, int] = Field(default_factory=dict)


class RepoRow(BaseModel):
    """One repository of one run."""

    run_id: str
    repo: str
    position: int
    name: str
    status: str
    attempts: int
    error: str | None
    branch: str | None
    pr_url: str | None
    needs_human: int
    started: float | None
    finished: float | None
    seconds: float | None
    tokens: int
    cost_usd: float
    worker: str | None
    outcome: RepoOutcome | None

    @property
    def done(self) -> bool:
        """The repository reached a final status in this run."""
        return self.status in FINAL


class _Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...

    def close(self) -> None: ...


class Ledger:
    """Reads and writes the ledger over one connection (thread-safe)."""

    def __init__(self, conn: _Connection, *, placeholder: str = "?", where: str = "") -> None:
        self._conn = conn
        self._placeholder = placeholder
        self._lock = threading.Lock()
        #: Where it lives, for messages (a path, or a URL without its password).
        self.where = where
        for statement in _SCHEMA:
            self._exec(statement)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self._placeholder != "?":
            sql = sql.replace("?", self._placeholder)
        with self._lock:
            cursor = self._conn.execute(sql, tuple(params))
            rows = cursor.fetchall() if cursor.description is not None else []
            return [tuple(r) for r in rows]

    # -- runs ---------------------------------------------------------------------------

    def create_run(
        self, run_id: str, database: str, request_json: str, repos: Sequence[str], executor: str
    ) -> None:
        """Record a new run and its repositories as pending (a second call changes nothing)."""
        self._exec(
            "INSERT INTO decom_runs (run_id, database_name, created, status, executor, request)"
            " VALUES (?, ?, ?, 'running', ?, ?) ON CONFLICT (run_id) DO NOTHING",
            (run_id, database, time.time(), executor, request_json),
        )
        for position, repo in enumerate(repos):
            self._exec(
                "INSERT INTO decom_repos (run_id, repo, position, name, status)"
                " VALUES (?, ?, ?, ?, 'pending') ON CONFLICT (run_id, repo) DO NOTHING",
                (run_id, repo, position, _display_name(repo)),
            )

    def request_json(self, run_id: str) -> str:
        """The run's request as it was saved.

        Raises:
            InputError: no such run.
        """
        rows = self._exec("SELECT request FROM decom_runs WHERE run_id = ?", (run_id,))
        if not rows:
            raise InputError(f"no run {run_id!r} in {self.where}: `decom runs` lists them")
        return str(rows[0][0])

    def set_run_status(self, run_id: str, status: str) -> None:
        """Mark the run ``running``, ``done``, ``stopped`` (fail-fast) or ``interrupted``."""
        finished = None if status == "running" else time.time()
        self._exec(
            "UPDATE decom_runs SET status = ?, finished = ? WHERE run_id = ?",
            (status, finished, run_id),
        )

    def runs(self, database: str | None = None) -> list[RunRow]:
        """Every run, newest first, with repository counts per status."""
        sql = "SELECT run_id, database_name, created, finished, status, executor FROM decom_runs"
        params: tuple[Any, ...] = ()
        if database is not None:
            sql += " WHERE database_name = ?"
            params = (database,)
        found = [
            RunRow(
                run_id=r[0],
                database=r[1],
                created=r[2],
                finished=r[3],
                status=r[4],
                executor=r[5],
            )  # fmt: skip
            for r in self._exec(sql + " ORDER BY created DESC, run_id DESC", params)
        ]
        for run in found:
            rows = self._exec(
                "SELECT status, COUNT(*) FROM decom_repos WHERE run_id = ? GROUP BY status",
                (run.run_id,),
            )
            run.counts = {str(s): int(n) for s, n in rows}
        return found

    # -- repositories -------------------------------------------------------------------

    def repos(self, run_id: str, statuses: Sequence[str] | None = None) -> list[RepoRow]:
        """The run's repositories in the order they were given (optionally some statuses)."""
        sql = f"SELECT {_REPO_COLUMNS} FROM decom_repos WHERE run_id = ?"
        params: list[Any] = [run_id]
        if statuses is not None:
            sql += f" AND status IN ({', '.join('?' for _ in statuses)})"
            params += list(statuses)
        return [_repo_row(r) for r in self._exec(sql + " ORDER BY position", params)]

    def repo(self, run_id: str, repo: str) -> RepoRow | None:
        """One repository of one run."""
        rows = self._exec(
            f"SELECT {_REPO_COLUMNS} FROM decom_repos WHERE run_id = ? AND repo = ?",
            (run_id, repo),
        )
        return _repo_row(rows[0]) if rows else None

    def claim(
        self,
        run_id: str,
        repo: str,
        worker: str,
        *,
        lease_seconds: float,
        statuses: Sequence[str] = ("pending",),
        steal_running: bool = False,
    ) -> bool:
        """Take ``repo`` for ``worker``: True if this caller now owns it.

        A repository is claimable in one of ``statuses``, or ``running`` under an expired
        lease (its worker died), or ``running`` at all when ``steal_running`` (a local resume,
        where the run's lock proves no other process holds it).
        """
        now = time.time()
        marks = ", ".join("?" for _ in statuses)
        sql = (
            "UPDATE decom_repos SET status = 'running', attempts = attempts + 1, started = ?,"
            " finished = NULL, error = NULL, worker = ?, lease_until = ?"
            f" WHERE run_id = ? AND repo = ? AND (status IN ({marks})"
            " OR (status = 'running' AND (lease_until < ? OR ? = 1)))"
            " RETURNING repo"
        )
        rows = self._exec(
            sql,
            (now, worker, now + lease_seconds, run_id, repo, *statuses, now, int(steal_running)),
        )
        return bool(rows)

    def renew(self, run_id: str, repo: str, worker: str, lease_seconds: float) -> None:
        """Extend ``worker``'s lease on a repository it is still working on."""
        self._exec(
            "UPDATE decom_repos SET lease_until = ? WHERE run_id = ? AND repo = ? AND worker = ?"
            " AND status = 'running'",
            (time.time() + lease_seconds, run_id, repo, worker),
        )

    def finish(
        self,
        run_id: str,
        repo: str,
        outcome: RepoOutcome,
        *,
        tokens: int = 0,
        cost_usd: float = 0.0,
    ) -> None:
        """Record a repository's final outcome."""
        now = time.time()
        self._exec(
            "UPDATE decom_repos SET status = ?, error = ?, branch = ?, pr_url = ?,"
            " needs_human = ?, finished = ?, seconds = ? - COALESCE(started, ?), tokens = ?,"
            " cost_usd = ?, lease_until = NULL, outcome = ?, name = ?"
            " WHERE run_id = ? AND repo = ?",
            (
                outcome.status.value,
                outcome.error,
                outcome.branch,
                outcome.pr_record,
                len(outcome.needs_human),
                now,
                now,
                now,
                tokens,
                cost_usd,
                outcome.model_dump_json(),
                outcome.repo,
                run_id,
                repo,
            ),
        )

    def release(self, run_id: str, repo: str) -> None:
        """Put a repository back to ``pending`` (it was claimed but not worked on)."""
        self._exec(
            "UPDATE decom_repos SET status = 'pending', worker = NULL, lease_until = NULL,"
            " attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END"
            " WHERE run_id = ? AND repo = ? AND status = 'running'",
            (run_id, repo),
        )

    def campaign(self, database: str) -> list[RepoRow]:
        """For every repository any run of ``database`` covered, its latest final row."""
        latest: dict[str, RepoRow] = {}
        for run in reversed(self.runs(database)):
            for row in self.repos(run.run_id, FINAL):
                latest[row.repo] = row
        return sorted(latest.values(), key=lambda r: r.name)


_REPO_COLUMNS = (
    "run_id, repo, position, name, status, attempts, error, branch, pr_url, needs_human,"
    " started, finished, seconds, tokens, cost_usd, worker, outcome"
)


def _repo_row(r: tuple[Any, ...]) -> RepoRow:
    outcome = RepoOutcome.model_validate(json.loads(r[16])) if r[16] else None
    return RepoRow(
        run_id=r[0], repo=r[1], position=r[2], name=r[3], status=r[4], attempts=r[5],
        error=r[6], branch=r[7], pr_url=r[8], needs_human=r[9], started=r[10], finished=r[11],
        seconds=r[12], tokens=r[13], cost_usd=r[14], worker=r[15], outcome=outcome,
    )  # fmt: skip


def _display_name(repo: str) -> str:
    """``owner/name`` for remote targets, the folder name for local ones."""
    text = repo.rstrip("/")
    if text.startswith("/") or Path(text).is_absolute():
        return Path(text).name
    text = text.removesuffix(".git")
    if "://" in text:  # https://host/owner/name
        return text.split("://", 1)[1].split("/", 1)[-1]
    if text.startswith("git@"):  # git@host:owner/name
        return text.partition(":")[2]
    return text  # owner/name


def sqlite_ledger(state_dir: Path) -> Ledger:
    """The ledger in ``<state_dir>/ledger.sqlite`` (WAL: survives a killed process)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / "ledger.sqlite"
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return Ledger(conn, where=str(path))


def postgres_ledger(url: str) -> Ledger:
    """The ledger in a PostgreSQL database (shared by distributed workers).

    Raises:
        InputError: the database cannot be reached.
    """
    import psycopg

    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise InputError(
            f"cannot reach the ledger database {redact_url(url)}: {str(exc).splitlines()[0]}"
        ) from None
    return Ledger(conn, placeholder="%s", where=redact_url(url))


def redact_url(url: str) -> str:
    """``url`` without a password (for messages)."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.partition(":")[0]
    return f"{scheme}://{user}:***@{host}" if ":" in creds else f"{scheme}://{user}@{host}"


@contextmanager
def open_ledger(state_dir: Path, database_url: str | None = None) -> Iterator[Ledger]:
    """The configured ledger: PostgreSQL when ``database_url`` is set, else SQLite."""
    ledger = postgres_ledger(database_url) if database_url else sqlite_ledger(state_dir)
    try:
        yield ledger
    finally:
        ledger.close()
