"""Benchmark `decom scan --json` against ripgrep on a large real corpus.

The corpus is this project's own virtualenv site-packages (hundreds of MB of real code).
Both tools search the same tree for every spelling of a two-word name; runs alternate so
both see the same cache and machine load. Prints the median wall-time ratio decom/rg and
decom's peak RSS, and exits 1 when a floor is missed (ratio <= 1.5, RSS <= 300 MB).

Usage: .venv/bin/python bench/scan_bench.py [--runs N] [--name NAME] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.discovery.names import variant_pattern  # noqa: E402
from agent.discovery.ripgrep import find_rg  # noqa: E402

RATIO_FLOOR = 1.5
RSS_FLOOR_MB = 300


def timed(cmd: list[str]) -> tuple[float, int]:
    """Run ``cmd``; return wall seconds and the peak RSS (KiB) of its process tree."""
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed with exit {proc.returncode}")
    return elapsed, usage.ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--name", default="connection_pool")
    parser.add_argument("--corpus", default=sysconfig.get_paths()["purelib"])
    args = parser.parse_args()
    corpus = Path(args.corpus)
    size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file() and not p.is_symlink())
    decom = [str(Path(sys.executable).parent / "decom"), "scan", args.name, str(corpus), "--json"]
    rg = [
        find_rg(), "--no-config", "--hidden", "--no-ignore-parent", "-n", "-i",
        "-e", variant_pattern(args.name), str(corpus),
    ]  # fmt: skip
    timed(decom)
    timed(rg)
    decom_times, rg_times, ratios, rss = [], [], [], []
    for _ in range(args.runs):
        d, d_rss = timed(decom)
        r, _ = timed(rg)
        decom_times.append(d)
        rg_times.append(r)
        ratios.append(d / r)
        rss.append(d_rss)
    ratio = statistics.median(ratios)
    peak_mb = max(rss) / 1024
    print(f"corpus: {corpus} ({size / 1e6:.0f} MB), name: {args.name}, runs: {args.runs}")
    print(f"median wall-time ratio decom/rg: {ratio:.2f} (floor {RATIO_FLOOR})")
    print(f"ratio of medians: {statistics.median(decom_times) / statistics.median(rg_times):.2f}")
    print(f"decom peak RSS: {peak_mb:.0f} MB (floor {RSS_FLOOR_MB} MB)")
    ok = ratio <= RATIO_FLOOR and peak_mb <= RSS_FLOOR_MB
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
