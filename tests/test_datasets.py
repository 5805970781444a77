"""Discovery precision and recall on every labelled evaluation case (evals/datasets)."""

from __future__ import annotations

import pytest

from agent.discovery.api import find_references
from evals.harness import load_thresholds
from evals.labels import Case, load_cases, score_discovery

CASES = load_cases()
#: The same floors as ``decom eval`` (evals/thresholds.toml), per case where it says so.
FLOORS = load_thresholds()


def test_there_are_enough_cases() -> None:
    repos = sum(len(c.repos) for c in CASES)
    assert len(CASES) >= 3 and repos >= 5


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_discovery_meets_the_floors(case: Case) -> None:
    result = find_references(
        case.database, case.repo_paths, aliases=case.aliases, exclude_names=case.exclude_names
    )
    score = score_discovery(case, result.references)
    missed = [f"{m.repo}/{m.path}:{m.line}" for m in score.missed]
    extra = [f"{r.repo}/{r.path}:{r.line} {r.text.strip()[:80]}" for r in score.spurious]
    assert score.overall.recall >= FLOORS.minimum(case.name, "discovery_recall"), missed
    assert score.overall.precision >= FLOORS.minimum(case.name, "discovery_precision"), extra


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_labelled_decoys_are_never_reported(case: Case) -> None:
    result = find_references(
        case.database, case.repo_paths, aliases=case.aliases, exclude_names=case.exclude_names
    )
    reported = {(r.repo, r.path, r.line) for r in result.references}
    decoys = {(lab.repo, lab.path, lab.line) for lab in case.labels if not lab.ref}
    assert not reported & decoys
