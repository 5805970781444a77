"""Benchmark `decom run` against `decom scan` on a generated ~10,000-file repository.

The repository mimics a monorepo: thousands of unrelated source, config and doc files and
about 100 references to the database across Terraform, env files, YAML, Python, SQL, shell
and Markdown. Both commands run alternately on the same tree (the branch and state are reset
between runs so every run does the same work). Prints the median wall-time ratio run/scan for
the command line (including interpreter and import start-up) and in one process (the
pipeline's own work), and peak RSS. Floor: run/scan <= 3 (in-process).

Usage: .venv/bin/python bench/run_bench.py [--files N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATABASE = "payroll_ledger"
FLOOR = 3.0


def generate(root: Path, files: int) -> int:
    """Write the repository; return how many reference lines it holds."""
    refs = 0
    for i in range(files):
        folder = root / f"svc{i % 40:02d}" / f"pkg{i % 17:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        kind = i % 5
        if kind == 0:
            (folder / f"mod{i}.py").write_text(
                f'"""Module {i}."""\n\nimport os\n\n\ndef handler_{i}(event):\n'
                f"    total = sum(x * {i % 7} for x in event['items'])\n"
                f"    return {{'id': {i}, 'total': total, 'db': os.environ.get('ORDERS_URL')}}\n"
            )
        elif kind == 1:
            (folder / f"conf{i}.yaml").write_text(
                f"service: svc{i}\nreplicas: {i % 4 + 1}\nresources:\n  cpu: 100m\n"
                f"  memory: 128Mi\ndatabase:\n  host: orders-db.internal\n  port: 5432\n"
            )
        elif kind == 2:
            (folder / f"notes{i}.md").write_text(
                f"# Notes {i}\n\nThe payroll team ships the ledger report every month.\n"
                f"See `orders` for checkout data.\n"
            )
        elif kind == 3:
            (folder / f"main{i}.tf").write_text(
                f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "acme-{i}"\n'
                f'  tags = {{ Team = "payroll" }}\n}}\n'
            )
        else:
            (folder / f"job{i}.sh").write_text(
                f"#!/usr/bin/env bash\nset -euo pipefail\necho job {i}\n"
                f'psql "$ORDERS_URL" -c "select {i}"\n'
            )
    for j in range(20):
        folder = root / f"svc{j:02d}"
        (folder / ".env").write_text(
            "ORDERS_URL=postgres://orders-db.internal/orders\n"
            f"PAYROLL_LEDGER_URL=postgres://payroll-ledger-db.internal/{DATABASE}\n"
        )
        (folder / "db.tf").write_text(
            f'resource "aws_db_instance" "{DATABASE}_{j}" {{\n'
            f'  identifier = "payroll-ledger-{j:02d}"\n  engine = "postgres"\n}}\n\n'
            f'output "ledger_{j}" {{\n  value = aws_db_instance.{DATABASE}_{j}.endpoint\n}}\n'
        )
        (folder / "settings.py").write_text(
            f'import os\n\nORDERS_URL = os.environ["ORDERS_URL"]\n'
            f'PAYROLL_LEDGER_URL = os.environ["PAYROLL_LEDGER_URL"]\n'
        )
        (folder / "backup.sh").write_text(
            f"#!/usr/bin/env bash\nset -euo pipefail\nDATABASES=(orders {DATABASE})\n"
            'for db in "${DATABASES[@]}"; do pg_dump "$db" > "/backups/$db.sql"; done\n'
        )
        (folder / "README.md").write_text(
            f"# svc{j:02d}\n\nUses the `orders` database and the Payroll Ledger database.\n"
        )
        refs += 7
    return refs


def git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def timed(cmd: list[str]) -> tuple[float, int]:
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return time.perf_counter() - began, usage.ru_maxrss


def reset(repo: Path, state: Path) -> None:
    subprocess.run(
        ["git", "branch", "-D", f"decommission/{DATABASE}"], cwd=repo, capture_output=True
    )
    shutil.rmtree(state, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from agent.discovery.api import find_references
    from agent.notify import FanoutNotifier
    from agent.pipeline.request import RunRequest
    from graph import runner

    with tempfile.TemporaryDirectory(prefix="decom-run-bench-") as scratch:
        repo = Path(scratch) / "monorepo"
        repo.mkdir()
        refs = generate(repo, args.files)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "generated")
        state = Path(scratch) / "state"
        decom = str(Path(sys.executable).parent / "decom")
        scan_cmd = [decom, "scan", DATABASE, str(repo), "--json"]
        run_cmd = [decom, "run", DATABASE, str(repo), "--json", "--state-dir", str(state)]
        cli_ratios, rss = [], []
        for _ in range(args.runs):
            reset(repo, state)
            s, _ = timed(scan_cmd)
            r, r_rss = timed(run_cmd)
            cli_ratios.append(r / s)
            rss.append(r_rss)
        in_ratios = []
        for i in range(args.runs):
            reset(repo, state)
            began = time.perf_counter()
            find_references(DATABASE, [repo])
            s = time.perf_counter() - began
            request = RunRequest(database=DATABASE, repos=[str(repo)], state_dir=str(state))
            began = time.perf_counter()
            runner.execute(request, f"bench-{i}", FanoutNotifier([]))
            in_ratios.append((time.perf_counter() - began) / s)
        files = sum(1 for _ in repo.rglob("*") if _.is_file()) - 0
        print(f"repository: {files} files (incl. .git), {refs} reference lines")
        print(f"median run/scan, command line: {statistics.median(cli_ratios):.2f}")
        print(f"median run/scan, in one process: {statistics.median(in_ratios):.2f} (floor {FLOOR})")
        print(f"decom run peak RSS: {max(rss) / 1024:.0f} MB")
        ok = statistics.median(in_ratios) <= FLOOR
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
