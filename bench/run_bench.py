"""Benchmark `decom run` against `decom scan` on a generated ~10,000-file repository.

The repository mimics a monorepo: thousands of unrelated source, config and doc files and
about 100 references to the database across Terraform, env files, Python, shell and Markdown
(the YAML, Python and shell files around them name a live decoy database). Both commands run
alternately on the same tree. Between runs the campaign branch, the pull-request records and
the run folders are removed, so every run makes the same commit and writes the same records;
the state directory's two databases (ledger and checkpoints) stay, as a team's ``.decom``
does between runs (``--fresh-state`` removes them too: the first run in a new state directory
also creates them, ~10 ms). Prints the median wall-time ratio run/scan for the command line
(including interpreter and import start-up) and in one process (the pipeline's own work), and
peak RSS. Floor: run/scan <= 3 (in-process).

Usage: .venv/bin/python bench/run_bench.py [--files N] [--runs N (default 9)] [--fresh-state]
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


def _python(i: int) -> str:
    body = [
        f'"""Handlers for service {i}: validation, pricing and persistence."""',
        "",
        "import os",
    ]
    for k in range(12):
        body += [
            "",
            "",
            f"def handler_{i}_{k}(event, context=None):",
            f'    """Process one event of kind {k}."""',
            "    items = event.get('items', [])",
            f"    total = sum(item['price'] * item.get('qty', 1) for item in items) * {k + 1}",
            "    if total > 10_000:",
            "        raise ValueError(f'order too large: {total}')",
            f"    return {{'id': {i}, 'kind': {k}, 'total': total,",
            "            'db': os.environ.get('ORDERS_URL')}",
        ]
    return "\n".join(body) + "\n"


def _yaml(i: int) -> str:
    lines = [f"service: svc{i}", f"replicas: {i % 4 + 1}", "env:"]
    for k in range(25):
        lines += [f"  - name: SETTING_{k}", f'    value: "value-{i}-{k}"']
    lines += ["database:", "  host: orders-db.internal", "  port: 5432"]
    return "\n".join(lines) + "\n"


def _markdown(i: int) -> str:
    para = (
        "The payroll team ships the ledger report every month. Checkout data lives in the "
        "orders database; the report is rebuilt from the event stream when it drifts."
    )
    return f"# Notes {i}\n\n" + "\n\n".join(f"## Part {k}\n\n{para}" for k in range(10)) + "\n"


def _terraform(i: int) -> str:
    blocks = []
    for k in range(8):
        blocks.append(
            f'resource "aws_s3_bucket" "b{i}_{k}" {{\n  bucket = "acme-{i}-{k}"\n'
            f'  tags = {{\n    Team    = "payroll"\n    Service = "svc{i}"\n  }}\n}}\n'
        )
    return "\n".join(blocks)


def _shell(i: int) -> str:
    lines = ["#!/usr/bin/env bash", "set -euo pipefail", ""]
    for k in range(20):
        lines.append(f'psql "$ORDERS_URL" -c "select count(*) from orders where shard = {k}"')
    return "\n".join(lines) + "\n"


_KINDS = [("py", _python), ("yaml", _yaml), ("md", _markdown), ("tf", _terraform), ("sh", _shell)]


def generate(root: Path, files: int) -> int:
    """Write the repository; return how many reference lines it holds."""
    refs = 0
    for i in range(files):
        folder = root / f"svc{i % 40:02d}" / f"pkg{i % 17:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        extension, make = _KINDS[i % len(_KINDS)]
        (folder / f"file{i}.{extension}").write_text(make(i))
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
            'import os\n\nORDERS_URL = os.environ["ORDERS_URL"]\n'
            'PAYROLL_LEDGER_URL = os.environ["PAYROLL_LEDGER_URL"]\n'
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


def reset(repo: Path, state: Path, fresh: bool = True) -> None:
    """Remove what would make the next run differ: the branch, records, run folders."""
    subprocess.run(
        ["git", "branch", "-D", f"decommission/{DATABASE}"], cwd=repo, capture_output=True
    )
    if fresh or not state.is_dir():
        shutil.rmtree(state, ignore_errors=True)
        return
    for child in state.iterdir():
        if child.is_dir():
            shutil.rmtree(child)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument(
        "--runs", type=int, default=9, help="pairs per mode (single runs vary by ~25%%)"
    )
    parser.add_argument(
        "--fresh-state", action="store_true", help="a new state directory for every run"
    )
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
            reset(repo, state, args.fresh_state)
            s, _ = timed(scan_cmd)
            r, r_rss = timed(run_cmd)
            cli_ratios.append(r / s)
            rss.append(r_rss)
        in_ratios, scan_times, run_times = [], [], []
        for i in range(args.runs):
            reset(repo, state, args.fresh_state)
            began = time.perf_counter()
            find_references(DATABASE, [repo])
            s = time.perf_counter() - began
            request = RunRequest(database=DATABASE, repos=[str(repo)], state_dir=str(state))
            began = time.perf_counter()
            runner.execute(request, f"bench-{i}", FanoutNotifier([]))
            run_times.append(time.perf_counter() - began)
            scan_times.append(s)
            in_ratios.append(run_times[-1] / s)
        tracked = subprocess.run(
            ["git", "ls-files"], cwd=repo, capture_output=True, text=True, check=True
        ).stdout.count("\n")
        size = sum(p.stat().st_size for p in repo.rglob("*") if ".git" not in p.parts)
        print(f"repository: {tracked} files, {size / 1e6:.0f} MB, {refs} reference lines")
        kept = "new for every run" if args.fresh_state else "kept between runs (its databases)"
        print(f"state directory: {kept}")
        print(f"median run/scan, command line: {statistics.median(cli_ratios):.2f}")
        ratio = statistics.median(in_ratios)
        print(f"median run/scan, in one process: {ratio:.2f} (floor {FLOOR})")
        print(f"  single runs: {min(in_ratios):.2f} to {max(in_ratios):.2f}")
        print(
            f"  in one process: scan {statistics.median(scan_times):.2f}s, "
            f"run {statistics.median(run_times):.2f}s"
        )
        print(f"decom run peak RSS: {max(rss) / 1024:.0f} MB")
        ok = statistics.median(in_ratios) <= FLOOR
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
