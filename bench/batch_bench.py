"""Batch throughput and memory: ``decom run`` over many small repositories, local forge.

Generates N repositories (about 50 files each, a few references to the database in the
kinds of files real services keep), runs ``decom run`` on them at concurrency 1 and at the
default concurrency in the same session, and prints repositories per minute, the speed-up
from concurrency, and the peak RSS of runs over 50 and over 200 repositories.

Floors (issue 5): at least 100 repositories per minute at the default concurrency on 2 cores;
peak RSS at 200 repositories at most 1.2x that at 50.

    .venv/bin/python bench/batch_bench.py [--repos 200] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECOM = ROOT / ".venv" / "bin" / "decom"
DEFAULT_CONCURRENCY = 4
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}


def repo_files(i: int) -> dict[str, str]:
    """About 50 files; every third repository has no reference at all."""
    files = {
        f"src/svc{i}/handler{n}.py": f"def handle{n}(event):\n    return {n}\n" for n in range(40)
    }
    files["README.md"] = f"# service {i}\n\nOwned by team {i % 7}.\n"
    files["Makefile"] = "test:\n\tpytest -q\n"
    files["requirements.txt"] = "requests==2.32.0\n"
    files["config/logging.yaml"] = "level: info\nformat: json\n"
    files["deploy/values.yaml"] = "replicas: 2\nimage:\n  tag: latest\n"
    if i % 3:
        files["config/app.env"] = (
            "LOG_LEVEL=info\nPAYROLL_LEDGER_URL=postgres://payroll-ledger-db:5432/payroll_ledger\n"
            "CACHE_URL=redis://cache:6379/0\n"
        )
        files["deploy/values.yaml"] = (
            "replicas: 2\nimage:\n  tag: latest\ndatabases:\n  payroll_ledger:\n"
            "    host: payroll-ledger-db\n  sessions:\n    host: sessions-db\n"
        )
        files["docs/runbook.md"] = "# Runbook\n\nRestore the Payroll Ledger from snapshots.\n"
    return files


def make_repos(root: Path, count: int) -> list[Path]:
    """``count`` committed git repositories under ``root``."""
    repos = []
    for i in range(count):
        repo = root / f"svc-{i:04d}"
        for rel, text in repo_files(i).items():
            path = repo / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "initial"]):
            subprocess.run(["git", "-C", str(repo), *args], check=True, env=GIT_ENV)
        repos.append(repo)
    return repos


def run(repos: list[Path], state: Path, concurrency: int) -> float:
    """Seconds of one ``decom run`` over ``repos`` (a fresh process, as users run it)."""
    listing = state.with_suffix(".txt")
    listing.write_text("".join(f"{r}\n" for r in repos))
    started = time.perf_counter()
    done = subprocess.run(
        [str(DECOM), "run", "payroll_ledger", "--repos-file", str(listing),
         "--state-dir", str(state), "--max-concurrency", str(concurrency), "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"decom run failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def peak_rss(repos: list[Path], state: Path) -> int:
    """Peak RSS (KiB) of a run over ``repos``, measured by a wrapper of its own."""
    listing = state.with_suffix(".txt")
    listing.write_text("".join(f"{r}\n" for r in repos))
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(DECOM), "run", "payroll_ledger", "--repos-file",
         str(listing), "--state-dir", str(state), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(done.stdout.strip())


def main() -> None:
    """Generate, run, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the generated repositories")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="decom-batch-bench-"))
    try:
        print(f"generating {args.repos} repositories ...", flush=True)
        repos = make_repos(work / "repos", args.repos)
        results = {}
        for concurrency in (1, DEFAULT_CONCURRENCY):
            for repo in repos:  # each pass starts from untouched repositories
                subprocess.run(
                    ["git", "-C", str(repo), "branch", "-q", "-D", "decommission/payroll_ledger"],
                    capture_output=True, check=False,
                )  # fmt: skip
            seconds = run(repos, work / f"state-c{concurrency}", concurrency)
            results[concurrency] = seconds
            rate = len(repos) / seconds * 60
            print(f"concurrency {concurrency}: {seconds:.1f}s, {rate:.0f} repositories/min")
        speedup = results[1] / results[DEFAULT_CONCURRENCY]
        rate = len(repos) / results[DEFAULT_CONCURRENCY] * 60
        small = repos[: min(50, len(repos))]
        rss_small = peak_rss(small, work / "state-rss-small")
        rss_large = peak_rss(repos, work / "state-rss-large")
        print(f"speed-up from concurrency {DEFAULT_CONCURRENCY}: {speedup:.2f}x")
        print(
            f"peak RSS: {rss_small / 1024:.0f} MiB at {len(small)} repositories, "
            f"{rss_large / 1024:.0f} MiB at {len(repos)} (ratio {rss_large / rss_small:.2f})"
        )
        verdict_rate = "ok" if rate >= 100 else "BELOW FLOOR"
        verdict_rss = "ok" if rss_large <= 1.2 * rss_small else "ABOVE FLOOR"
        print(f"floor 100 repositories/min at default concurrency: {rate:.0f} ({verdict_rate})")
        print(f"floor RSS ratio <= 1.2: {rss_large / rss_small:.2f} ({verdict_rss})")
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
