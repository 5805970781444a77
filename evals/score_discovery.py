"""Print discovery precision and recall per case and per reference kind.

Usage: ``python -m evals.score_discovery [CASE...] [-v]`` (``-v`` lists misses and extras).
"""

from __future__ import annotations

import sys

from agent.discovery.api import find_references
from evals.labels import load_cases, score_discovery


def main(argv: list[str]) -> int:
    """Score every case (or the named ones); exit 1 if any is below the floors."""
    verbose = "-v" in argv
    wanted = [a for a in argv if not a.startswith("-")]
    failed = False
    for case in load_cases():
        if wanted and case.name not in wanted:
            continue
        result = find_references(
            case.database, case.repo_paths, aliases=case.aliases, exclude_names=case.exclude_names
        )
        score = score_discovery(case, result.references)
        o = score.overall
        print(
            f"{case.name}: precision {o.precision:.3f} recall {o.recall:.3f} "
            f"(tp {o.true_positives}, fp {o.false_positives}, fn {o.false_negatives})"
        )
        for kind, k in sorted(score.by_kind.items()):
            print(f"  {kind:<20} precision {k.precision:.3f} recall {k.recall:.3f}")
        if verbose:
            for label in score.missed:
                print(f"  MISSED  {label.repo}/{label.path}:{label.line} [{label.kind}]")
            for ref in score.spurious:
                where = f"{ref.repo}/{ref.path}:{ref.line}"
                print(f"  EXTRA   {where} [{ref.kind}] {ref.text.strip()[:100]}")
        failed |= o.precision < 0.95 or o.recall < 0.98
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
