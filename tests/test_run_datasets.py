"""`decom run` on every labelled case: what a careful engineer would check after it."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.labels import Case, load_cases
from evals.run_case import run_case

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_run_leaves_no_reference_no_damage_and_nothing_broken(case: Case, tmp_path: Path) -> None:
    metrics = run_case(case, tmp_path)
    assert metrics.broken == []
    assert metrics.residual == []
    assert metrics.damaged_decoys == []
    assert metrics.untouched_changed == []
    assert not [o.repo for o in metrics.summary.repos if o.status.value == "failed"]
