"""Distributed runs: `decom worker` subprocesses on a real Redis broker and PostgreSQL ledger.

Two workers serve the whole module (starting one costs seconds of imports), each test on a
Celery queue of its own and with run ids of its own, so tests (and other test sessions on the
same services) never take each other's tasks. Workers run with ``--pool solo``: the task runs
in the worker's own process, whose pid is the one the ledger records, so a test can SIGKILL
it. Their lease (2 s) and visibility timeout (3 s) are short, so a killed worker's repository
is taken over within seconds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import redis

from agent.batch.ledger import Ledger, RepoRow, postgres_ledger
from agent.errors import InputError
from agent.models import DecommissioningSummary
from agent.notify import FanoutNotifier
from agent.pipeline.request import RunRequest
from agent.settings import Settings
from graph.celery_app import TASK_NAME, build_app, open_stores
from graph.distributed import execute_distributed
from graph.runner import new_run_id
from tests.conftest import DECOM, MakeRepo, git

if TYPE_CHECKING:
    from tests.services import Services

# The services fixture, and the skip reason at the end of a -q run (imported by pytest only,
# so that its assertions are rewritten).
pytest_plugins = ["tests.services"]

LEDGER_REPO = {
    "docs/payroll-ledger.md": "# Payroll Ledger runbook\n\nRestore from snapshot.\n",
    "config/app.env": "LOG_LEVEL=info\nPAYROLL_LEDGER_URL=postgres://h/payroll_ledger\n",
    "README.md": "# Billing\n\nNothing about databases here.\n",
}
BRANCH = "decommission/payroll_ledger"
WORKER_ENV = {"DECOM_LEASE_SECONDS": "2", "DECOM_CELERY_VISIBILITY_TIMEOUT": "3"}


def decom_env(found: Services, queue: str) -> dict[str, str]:
    """The environment of a decom process of the tests (none of the developer's DECOM_*)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DECOM_")}
    return {
        **base,
        "DECOM_BROKER_URL": found.redis_url,
        "DECOM_DATABASE_URL": found.database_url,
        "DECOM_CELERY_QUEUE": queue,
    }


class Workers:
    """The module's ``decom worker`` processes, each on every test's queue."""

    def __init__(self, found: Services, root: Path, queues: dict[str, str]) -> None:
        self.services = found
        self.root = root
        #: Test name -> its queue.
        self.queues = queues
        self.procs: list[subprocess.Popen[bytes]] = []

    def ensure(self, count: int) -> None:
        """Start workers until ``count`` are alive (a test may have killed one)."""
        while sum(p.poll() is None for p in self.procs) < count:
            n = len(self.procs)
            args = [DECOM, "worker", "--pool", "solo", "--state-dir", str(self.state(n))]
            for queue in self.queues.values():
                args += ["--queue", queue]
            env = {**decom_env(self.services, "unused"), **WORKER_ENV}
            with self.log(n).open("wb") as out:
                self.procs.append(
                    subprocess.Popen(
                        args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=self.root
                    )
                )

    def state(self, n: int) -> Path:
        """The state directory of worker ``n`` (as if each were on its own machine)."""
        return self.root / f"worker{n}-state"

    def log(self, n: int) -> Path:
        """What worker ``n`` printed."""
        return self.root / f"worker{n}.log"

    def output(self) -> str:
        """Every worker's output (for assertion messages)."""
        return "\n".join(
            f"--- worker{n}\n{self.log(n).read_text(errors='replace')[-4000:]}"
            for n in range(len(self.procs))
        )

    def logged(self, text: str) -> bool:
        """Whether any worker printed ``text``."""
        return any(text in self.log(n).read_text(errors="replace") for n in range(len(self.procs)))

    def stop(self) -> None:
        """Terminate every worker (warm shutdown), killing any that does not stop."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def workers(
    services: Services, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workers]:
    """Two workers for the module, listening on one queue per test that asks for a cluster."""
    prefix = f"decom-test-{uuid.uuid4().hex[:10]}"
    tests = [
        item.name
        for item in request.session.items
        if getattr(item, "module", None) is request.module
        and "cluster" in getattr(item, "fixturenames", ())
    ]
    pool = Workers(services, tmp_path_factory.mktemp("workers"), {
        name: f"{prefix}-{i}" for i, name in enumerate(tests)
    })  # fmt: skip
    pool.ensure(2)
    try:
        yield pool
    finally:
        pool.stop()


class Cluster:
    """One test's queue and runs on the module's workers; forgotten after the test."""

    def __init__(self, found: Services, pool: Workers, queue: str, tmp_path: Path) -> None:
        self.services = found
        self.workers = pool
        self.queue = queue
        self.tmp = tmp_path
        self.run_ids: list[str] = []
        self.ledger: Ledger = postgres_ledger(found.database_url)

    def env(self) -> dict[str, str]:
        """The environment of this test's coordinator."""
        return decom_env(self.services, self.queue)

    def settings(self) -> Settings:
        """The coordinator's settings."""
        return Settings(
            broker_url=self.services.redis_url,  # type: ignore[arg-type]
            database_url=self.services.database_url,  # type: ignore[arg-type]
            celery_queue=self.queue,
            state_dir=self.tmp / "coordinator",
        )

    def request(self, repos: list[Path]) -> RunRequest:
        """A request for ``repos`` with the coordinator's state directory."""
        return RunRequest(
            database="payroll_ledger",
            repos=[str(r) for r in repos],
            state_dir=str(self.tmp / "coordinator"),
        )

    def new_run(self) -> str:
        """A fresh run id, forgotten after the test."""
        run_id = new_run_id("payroll_ledger")
        self.run_ids.append(run_id)
        return run_id

    def coordinate(self, request: RunRequest, run_id: str, **flags: Any) -> DecommissioningSummary:
        """``decom run --executor celery`` in this process."""
        return execute_distributed(
            request, run_id, FanoutNotifier([]), settings=self.settings(), **flags
        )

    def rows(self, run_id: str) -> dict[str, RepoRow]:
        """The run's ledger rows by repository folder name."""
        return {Path(r.repo).name: r for r in self.ledger.repos(run_id)}

    def wait_for(self, what: str, check: Callable[[], bool], timeout: float = 45.0) -> None:
        """Poll ``check`` until it holds; fail with the workers' output after ``timeout``."""
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}\n{self.workers.output()}")
            time.sleep(0.05)

    def close(self) -> None:
        """Forget the test's queue (messages, bindings) and runs (ledger rows, checkpoints)."""
        client = redis.Redis.from_url(self.services.redis_url)
        try:
            for key in client.scan_iter(match=f"*{self.queue}*"):
                client.delete(key)
            for tag, raw in client.hscan_iter("unacked"):
                if json.loads(raw)[2] == self.queue:
                    client.hdel("unacked", tag)
                    client.zrem("unacked_index", tag)
        finally:
            client.close()
        with open_stores(self.services.database_url) as stores:
            for run_id in self.run_ids:
                for row in stores.ledger.repos(run_id):
                    stores.saver.delete_thread(f"{run_id}:{row.repo}")
                stores.conn.execute("DELETE FROM decom_repos WHERE run_id = %s", (run_id,))
                stores.conn.execute("DELETE FROM decom_runs WHERE run_id = %s", (run_id,))
        self.ledger.close()


@pytest.fixture
def cluster(
    services: Services, workers: Workers, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Cluster]:
    """This test's queue on two live workers; its runs and messages forgotten afterwards."""
    workers.ensure(2)
    found = Cluster(services, workers, workers.queues[request.node.name], tmp_path)
    try:
        yield found
    finally:
        found.close()


def decom_commits(repo: Path) -> list[str]:
    """Commits on the campaign branch on top of main."""
    return git(repo, "log", "--format=%H", f"main..{BRANCH}").split()


def pr_records(cluster: Cluster, name: str) -> list[Path]:
    """The local PR records of repository ``name`` in every worker's state directory."""
    found: list[Path] = []
    for n in range(len(cluster.workers.procs)):
        found += (cluster.workers.state(n) / "prs" / name).glob("*.json")
    return found


def repo_done_events(cluster: Cluster, run_id: str, name: str) -> int:
    """How many ``repo_done`` notifications the workers sent for ``name``."""
    count = 0
    for n in range(len(cluster.workers.procs)):
        path = cluster.workers.state(n) / "runs" / run_id / "notifications.jsonl"
        if path.is_file():
            for line in path.read_text().splitlines():
                note = json.loads(line)
                count += note["event"] == "repo_done" and note.get("repo") == name
    return count


def test_a_batch_through_two_workers_ends_with_every_repository_processed_once(
    cluster: Cluster, make_repo: MakeRepo, tmp_path: Path
) -> None:
    changed = [make_repo(f"batch-svc{i}", LEDGER_REPO, git_init=True) for i in range(4)]
    clean = make_repo("batch-site", {"index.html": "<h1>hi</h1>\n"}, git_init=True)
    broken = make_repo("batch-broken", LEDGER_REPO, git_init=True)
    git(broken, "checkout", "-q", "-b", BRANCH)  # refused: the campaign branch is checked out
    done = subprocess.run(
        [DECOM, "run", "payroll_ledger", *map(str, [*changed, clean, broken]),
         "--executor", "celery", "--json", "--state-dir", str(tmp_path / "coordinator")],
        env=cluster.env(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1 and done.stdout, done.stderr + cluster.workers.output()
    summary = json.loads(done.stdout)
    cluster.run_ids.append(summary["run_id"])
    statuses = {r["repo"]: r["status"] for r in summary["repos"]}
    assert statuses == {
        **{f"batch-svc{i}": "changed" for i in range(4)},
        "batch-site": "no_references",
        "batch-broken": "failed",
    }
    rows = cluster.rows(summary["run_id"])
    assert {name: row.attempts for name, row in rows.items()} == {name: 1 for name in statuses}
    pids = {str(p.pid) for p in cluster.workers.procs}
    assert {row.worker.rpartition(":")[2] for row in rows.values() if row.worker} <= pids
    for repo in changed:
        assert len(decom_commits(repo)) == 1
        assert len(pr_records(cluster, repo.name)) == 1
    assert git(clean, "branch", "--list", "decommission/*") == ""
    run = next(r for r in cluster.ledger.runs("payroll_ledger") if r.run_id == summary["run_id"])
    assert (run.status, run.executor) == ("done", "celery")
    notes = tmp_path / "coordinator" / "runs" / summary["run_id"] / "notifications.jsonl"
    assert json.loads(notes.read_text().splitlines()[-1])["event"] == "run_done"


def test_a_worker_killed_mid_repository_is_replaced_and_the_repository_done_once(
    cluster: Cluster, make_repo: MakeRepo
) -> None:
    # A big repository is slow for a real reason: thousands of files to scan and rewrite.
    big = {f"svc{i}/app.env": LEDGER_REPO["config/app.env"] for i in range(2500)}
    slow = make_repo("kill-slow", {**big, "README.md": "# big\n"}, git_init=True)
    quick = [make_repo(f"kill-quick{i}", LEDGER_REPO, git_init=True) for i in range(3)]
    run_id = cluster.new_run()
    request = cluster.request([slow, *quick])
    result: list[DecommissioningSummary] = []
    coordinator = threading.Thread(
        target=lambda: result.append(cluster.coordinate(request, run_id))
    )
    coordinator.start()

    def slow_claimed() -> bool:
        row = cluster.ledger.repo(run_id, str(slow))
        return row is not None and row.status == "running"

    cluster.wait_for("a worker to claim the slow repository", slow_claimed)
    row = cluster.ledger.repo(run_id, str(slow))
    assert row is not None and row.worker is not None
    victim = next(p for p in cluster.workers.procs if row.worker.endswith(f":{p.pid}"))
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    assert cluster.ledger.repo(run_id, str(slow)).status == "running"  # type: ignore[union-attr]

    coordinator.join(timeout=90)
    assert not coordinator.is_alive(), cluster.workers.output()
    rows = cluster.rows(run_id)
    assert {name: r.status for name, r in rows.items()} == {
        "kill-slow": "changed",
        **{f"kill-quick{i}": "changed" for i in range(3)},
    }, cluster.workers.output()
    assert rows["kill-slow"].attempts == 2
    assert not rows["kill-slow"].worker.endswith(f":{victim.pid}")  # type: ignore[union-attr]
    assert all(rows[f"kill-quick{i}"].attempts == 1 for i in range(3))
    assert len(decom_commits(slow)) == 1
    assert len(pr_records(cluster, "kill-slow")) == 1
    assert {o.repo for o in result[0].repos} == set(rows)


def test_the_same_task_delivered_again_does_nothing(cluster: Cluster, make_repo: MakeRepo) -> None:
    repo = make_repo("again-svc", LEDGER_REPO, git_init=True)
    run_id = cluster.new_run()
    first = cluster.coordinate(cluster.request([repo]), run_id)
    assert [o.status.value for o in first.repos] == ["changed"]
    tip = decom_commits(repo)
    [record] = pr_records(cluster, "again-svc")
    written = record.read_text()
    app = build_app(cluster.settings())

    def deliver() -> None:
        sent = app.send_task(TASK_NAME, args=[run_id, str(repo)], queue=cluster.queue)
        cluster.wait_for(
            f"task {sent.id}",
            lambda: cluster.workers.logged(f"[{sent.id}] succeeded"),
            timeout=20,
        )

    deliver()
    deliver()  # a final row: nothing to do
    assert cluster.rows(run_id)["again-svc"].attempts == 1
    assert decom_commits(repo) == tip and record.read_text() == written
    resumed = cluster.coordinate(cluster.request([repo]), run_id)  # --resume: nothing left
    assert [o.commit for o in resumed.repos] == [o.commit for o in first.repos]
    assert cluster.rows(run_id)["again-svc"].attempts == 1

    # The worker died after the graph ended and before the ledger heard of it: the row is
    # running under an expired lease. The next delivery claims it and the checkpoint answers.
    cluster.ledger.claim(run_id, str(repo), "gone:1", lease_seconds=-1, statuses=("changed",))
    deliver()
    row = cluster.rows(run_id)["again-svc"]
    assert (row.status, row.attempts) == ("changed", 3)  # done, the dead worker's, this one
    assert decom_commits(repo) == tip and record.read_text() == written
    assert repo_done_events(cluster, run_id, "again-svc") == 1  # the graph did not run again


def test_only_failed_sends_the_failed_repositories_only(
    cluster: Cluster, make_repo: MakeRepo
) -> None:
    good = [make_repo(f"good{i}", LEDGER_REPO, git_init=True) for i in range(2)]
    blocked = make_repo("blocked", LEDGER_REPO, git_init=True)
    # A colleague's commit on the campaign branch: decom refuses to overwrite it.
    git(blocked, "checkout", "-q", "-b", BRANCH)
    (blocked / "NOTES.md").write_text("mine\n")
    git(blocked, "add", "NOTES.md")
    git(blocked, "commit", "-qm", "a colleague's commit")
    git(blocked, "checkout", "-q", "main")
    run_id = cluster.new_run()
    request = cluster.request([*good, blocked])
    first = cluster.coordinate(request, run_id)
    assert {o.repo: o.status.value for o in first.repos} == {
        "good0": "changed",
        "good1": "changed",
        "blocked": "failed",
    }
    tips = {r.name: decom_commits(r) for r in good}

    git(blocked, "branch", "-D", BRANCH)
    again = cluster.coordinate(request, run_id, only_failed=True)
    assert {o.repo: o.status.value for o in again.repos} == {
        "good0": "changed",
        "good1": "changed",
        "blocked": "changed",
    }
    rows = cluster.rows(run_id)
    assert {name: r.attempts for name, r in rows.items()} == {
        "good0": 1,
        "good1": 1,
        "blocked": 2,
    }
    assert {r.name: decom_commits(r) for r in good} == tips
    assert len(decom_commits(blocked)) == 1
    assert all(repo_done_events(cluster, run_id, r.name) == 1 for r in good)


def test_missing_or_unreachable_services_are_one_line_errors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("DECOM_BROKER_URL", "DECOM_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    request = RunRequest(database="payroll_ledger", repos=[], state_dir=str(tmp_path))
    with pytest.raises(InputError, match="set DECOM_BROKER_URL"):
        execute_distributed(request, "r", FanoutNotifier([]), settings=Settings())
    no_ledger = Settings(broker_url="redis://127.0.0.1:1/0")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="set DECOM_DATABASE_URL"):
        execute_distributed(request, "r", FanoutNotifier([]), settings=no_ledger)
    down = Settings(
        broker_url="redis://:hunter2@127.0.0.1:1/0",  # type: ignore[arg-type]
        database_url="postgresql://u:hunter2@127.0.0.1:1/db",  # type: ignore[arg-type]
    )
    with pytest.raises(InputError, match="cannot reach the broker") as caught:
        execute_distributed(request, "r", FanoutNotifier([]), settings=down)
    assert "hunter2" not in str(caught.value) and "\n" not in str(caught.value)


def test_the_services_tier_skips_with_a_reason_or_fails_when_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.services import Services, require, unreachable

    down = Services(redis_url="redis://127.0.0.1:1/15", database_url="postgresql://x@127.0.0.1:1/t")
    reason = unreachable(down)
    assert reason is not None and "Redis at redis://127.0.0.1:1/15 is unreachable" in reason
    monkeypatch.delenv("DECOM_REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="unreachable"):
        require(reason)
    monkeypatch.setenv("DECOM_REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception, match="DECOM_REQUIRE_SERVICES=1"):
        require(reason)
    require(None)


def test_a_worker_without_a_broker_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DECOM_")}
    done = subprocess.run(
        [DECOM, "worker", "--state-dir", str(tmp_path)],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "decom worker: distributed runs need a broker: set DECOM_BROKER_URL (e.g. redis://host:6379/0)"
    ]


def test_run_with_the_celery_executor_needs_both_urls_before_anything_starts(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DECOM_")}
    repo = tmp_path / "svc"
    repo.mkdir()
    done = subprocess.run(
        [DECOM, "run", "payroll_ledger", str(repo), "--executor", "celery",
         "--state-dir", str(tmp_path / "state")],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "decom run: --executor celery needs DECOM_BROKER_URL and DECOM_DATABASE_URL "
        "(a Redis broker and the PostgreSQL ledger the workers share)"
    ]
    assert not (tmp_path / "state" / "runs").exists()  # no run was recorded


def test_a_distributed_run_continues_from_a_machine_without_its_folder(
    services: Services, tmp_path: Path
) -> None:
    from agent.batch.ledger import postgres_ledger
    from agent.cli.run import _load_request

    run_id = f"elsewhere-{uuid.uuid4().hex[:8]}"
    started_on = RunRequest(
        database="payroll_ledger", repos=["acme/billing"], state_dir="/srv/coordinator/.decom"
    )
    ledger = postgres_ledger(services.database_url)
    try:
        ledger.create_run(
            run_id, "payroll_ledger", started_on.model_dump_json(), ["acme/billing"], "celery"
        )
        here = tmp_path / "state"
        settings = Settings(database_url=services.database_url, state_dir=here)  # type: ignore[arg-type]
        request = _load_request(settings, here, run_id)
        assert request.repos == ["acme/billing"] and request.state_dir == str(here)
        assert (here / "runs" / run_id / "run.json").is_file()
        with pytest.raises(InputError, match="no run"):
            _load_request(settings, here, "no-such-run")
    finally:
        ledger._exec("DELETE FROM decom_repos WHERE run_id = ?", (run_id,))
        ledger._exec("DELETE FROM decom_runs WHERE run_id = ?", (run_id,))
        ledger.close()
