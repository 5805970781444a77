"""The run ledger (real SQLite) and the concurrent driver (real threads, real asyncio)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.batch.driver import group_failures, run_batch
from agent.batch.ledger import Ledger, redact_url, sqlite_ledger
from agent.models import RepoOutcome, RepoStatus


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return sqlite_ledger(tmp_path / "state")


def outcome(
    repo: str, status: RepoStatus = RepoStatus.CHANGED, error: str | None = None
) -> RepoOutcome:
    return RepoOutcome(repo=repo, path=f"/srv/{repo}", status=status, error=error, branch="b")


def test_create_run_is_idempotent_and_lists_counts(ledger: Ledger) -> None:
    ledger.create_run("r1", "payroll_ledger", "{}", ["/srv/a", "/srv/b"], "local")
    ledger.create_run("r1", "payroll_ledger", "{}", ["/srv/a", "/srv/b"], "local")
    assert [r.repo for r in ledger.repos("r1")] == ["/srv/a", "/srv/b"]
    assert [r.name for r in ledger.repos("r1")] == ["a", "b"]
    (run,) = ledger.runs()
    assert run.counts == {"pending": 2} and run.status == "running"


def test_a_claim_is_exclusive_until_its_lease_expires(ledger: Ledger) -> None:
    ledger.create_run("r1", "db", "{}", ["x"], "celery")
    assert ledger.claim("r1", "x", "w1", lease_seconds=60)
    assert not ledger.claim("r1", "x", "w2", lease_seconds=60)
    ledger.create_run("r2", "db", "{}", ["y"], "celery")
    assert ledger.claim("r2", "y", "w1", lease_seconds=-1)  # already expired: w1 "died"
    assert ledger.claim("r2", "y", "w2", lease_seconds=60)
    row = ledger.repo("r2", "y")
    assert row is not None and row.attempts == 2 and row.worker == "w2"


def test_a_finished_repository_is_never_claimed_again(ledger: Ledger) -> None:
    ledger.create_run("r1", "db", "{}", ["x"], "local")
    assert ledger.claim("r1", "x", "w1", lease_seconds=60)
    ledger.finish("r1", "x", outcome("x"), tokens=12, cost_usd=0.5)
    assert not ledger.claim("r1", "x", "w2", lease_seconds=60, steal_running=True)
    row = ledger.repo("r1", "x")
    assert row is not None and row.done and row.tokens == 12 and row.outcome is not None
    assert row.outcome.branch == "b" and row.seconds is not None and row.seconds >= 0


def test_only_failed_claims_failures(ledger: Ledger) -> None:
    ledger.create_run("r1", "db", "{}", ["x", "y"], "local")
    for repo, status in (("x", RepoStatus.FAILED), ("y", RepoStatus.CHANGED)):
        ledger.claim("r1", repo, "w", lease_seconds=60)
        ledger.finish("r1", repo, outcome(repo, status, "boom" if status == "failed" else None))
    assert [r.repo for r in ledger.repos("r1", ("failed",))] == ["x"]
    assert ledger.claim("r1", "x", "w", lease_seconds=60, statuses=("failed",))
    assert not ledger.claim("r1", "y", "w", lease_seconds=60, statuses=("failed",))


def test_campaign_keeps_the_latest_final_row_per_repository(ledger: Ledger) -> None:
    for run_id, status in (("r1", RepoStatus.FAILED), ("r2", RepoStatus.CHANGED)):
        ledger.create_run(run_id, "db", "{}", ["x"], "local")
        ledger.claim(run_id, "x", "w", lease_seconds=60)
        ledger.finish(run_id, "x", outcome("x", status))
        time.sleep(0.01)
    (row,) = ledger.campaign("db")
    assert row.run_id == "r2" and row.status == "changed"
    assert ledger.campaign("other") == []


def test_a_killed_process_leaves_a_ledger_that_reopens(tmp_path: Path) -> None:
    first = sqlite_ledger(tmp_path)
    first.create_run("r1", "db", '{"a": 1}', ["x"], "local")
    first.claim("r1", "x", "w", lease_seconds=60)
    first.close()
    again = sqlite_ledger(tmp_path)
    assert again.request_json("r1") == '{"a": 1}'
    row = again.repo("r1", "x")
    assert row is not None and row.status == "running"


def test_redact_url_hides_passwords() -> None:
    assert redact_url("postgresql://decom:s3cret@db:5432/x") == "postgresql://decom:***@db:5432/x"
    assert redact_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


class Meter:
    """Counts how many calls are in flight at once (real threads)."""

    def __init__(self) -> None:
        self.now = 0
        self.peak = 0
        self.lock = threading.Lock()

    def work(
        self, fail: set[str] | None = None, seconds: float = 0.05
    ) -> Callable[[str, Callable[[str, str], None]], RepoOutcome]:
        def run(repo: str, on_step: Callable[[str, str], None]) -> RepoOutcome:
            with self.lock:
                self.now += 1
                self.peak = max(self.peak, self.now)
            time.sleep(seconds)
            on_step(repo, "discover")
            with self.lock:
                self.now -= 1
            if fail and repo in fail:
                raise RuntimeError(f"cannot reach {repo}: connection refused")
            return outcome(repo)

        return run


def test_repositories_in_flight_are_bounded(ledger: Ledger) -> None:
    repos = [f"r{i}" for i in range(10)]
    ledger.create_run("run", "db", "{}", repos, "local")
    meter = Meter()
    result = asyncio.run(run_batch(ledger, "run", repos, meter.work(), concurrency=3))
    assert meter.peak == 3
    assert len(result.outcomes) == 10
    assert all(r.status == "changed" for r in ledger.repos("run"))


def test_one_failure_never_stops_the_others_and_failures_are_grouped(ledger: Ledger) -> None:
    repos = ["a", "b", "c", "d"]
    ledger.create_run("run", "db", "{}", repos, "local")
    result = asyncio.run(
        run_batch(ledger, "run", repos, Meter().work(fail={"b", "d"}), concurrency=2)
    )
    statuses = {r.repo: r.status for r in ledger.repos("run")}
    assert statuses == {"a": "changed", "b": "failed", "c": "changed", "d": "failed"}
    groups = group_failures(list(result.outcomes.values()))
    assert groups == {"RuntimeError: cannot reach <repo>: connection refused": ["b", "d"]}


def test_fail_fast_starts_nothing_after_a_failure(ledger: Ledger) -> None:
    repos = ["a", "b", "c", "d"]
    ledger.create_run("run", "db", "{}", repos, "local")
    result = asyncio.run(
        run_batch(ledger, "run", repos, Meter().work(fail={"b"}), concurrency=1, fail_fast=True)
    )
    assert result.stopped and result.not_started == ["c", "d"]
    statuses = {r.repo: r.status for r in ledger.repos("run")}
    assert statuses == {"a": "changed", "b": "failed", "c": "pending", "d": "pending"}


def test_steps_reach_the_progress_display(ledger: Ledger) -> None:
    seen: list[str] = []

    class Shown:
        def begin(self, total: int) -> None:
            seen.append(f"begin:{total}")

        def started(self, repo: str) -> None:
            seen.append(f"start:{repo}")

        def step(self, repo: str, step: str) -> None:
            seen.append(f"{step}:{repo}")

        def finished(self, repo: str, outcome: RepoOutcome) -> None:
            seen.append(f"done:{repo}:{outcome.status.value}")

    ledger.create_run("run", "db", "{}", ["a"], "local")
    asyncio.run(run_batch(ledger, "run", ["a"], Meter().work(), concurrency=1, progress=Shown()))
    assert seen == ["begin:1", "start:a", "discover:a", "done:a:changed"]


def test_the_terminal_display_shows_bars_steps_and_counts() -> None:
    import io

    from agent.batch.progress import RichProgress

    shown = RichProgress(io.StringIO())
    with shown.bars:
        shown.begin(2)
        shown.started("/srv/alpha")
        shown.step("/srv/alpha", "plan")
        assert shown.bars.tasks[1].completed == 2 and shown.bars.tasks[1].fields["detail"] == "plan"
        shown.finished("/srv/alpha", outcome("alpha"))
        shown.started("/srv/beta")
        shown.finished("/srv/beta", outcome("beta", RepoStatus.FAILED, "boom"))
        overall = shown.bars.tasks[0]
        assert overall.completed == 2 and overall.total == 2
        assert overall.fields["detail"] == "1 changed, 0 no references, 0 needs a person, 1 failed"
        assert len(shown.bars.tasks) == 1  # the per-repository bars are gone once finished


@pytest.mark.parametrize(
    ("target", "name"),
    [
        ("/srv/repos/billing", "billing"),
        ("acme/billing", "acme/billing"),
        ("https://github.com/acme/billing.git", "acme/billing"),
        ("git@github.com:acme/billing.git", "acme/billing"),
    ],
)
def test_ledger_names_local_and_remote_targets(ledger: Ledger, target: str, name: str) -> None:
    ledger.create_run("r", "db", "{}", [target], "local")
    (row,) = ledger.repos("r")
    assert row.name == name
