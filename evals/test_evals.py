"""decom held to ``evals/thresholds.toml`` on every labelled case, with deepeval's runner.

Runs under the default ``pytest`` (``testpaths``) and under ``deepeval test run evals/``.
Each case runs once (both runs of the idempotency check included) and the result is shared by
its tests. deepeval is kept offline by :func:`evals.offline.offline_deepeval`, called before
deepeval is imported (``DEEPEVAL_TELEMETRY_OPT_OUT=1``, ``DEEPEVAL_DISABLE_DOTENV=1``, its
``.deepeval`` folder in the temporary directory). ``deepeval test run`` imports deepeval
before this file: set the same variables in its environment (see evals/README.md).
"""

from __future__ import annotations

from evals.offline import offline_deepeval

offline_deepeval()  # before deepeval is imported: telemetry off, no .env, no files here

from collections.abc import Callable  # noqa: E402

import pytest  # noqa: E402
from deepeval.evaluate import assert_test  # noqa: E402
from deepeval.metrics import BaseMetric  # noqa: E402

from evals.harness import THRESHOLDS, load_thresholds, prepare_model, run_and_measure  # noqa: E402
from evals.labels import load_cases  # noqa: E402
from evals.metrics import (  # noqa: E402
    PR_QUALITY,
    PullRequestQuality,
    case_test_case,
    configured_judge,
    deterministic_metrics,
)
from evals.results import CaseResult  # noqa: E402

CASES = load_cases()
LIMITS = load_thresholds(THRESHOLDS)


@pytest.fixture(scope="session")
def case_result(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], CaseResult]:
    """A case's result, computed (deterministically) on first use and shared afterwards."""
    root = tmp_path_factory.mktemp("evals")
    cache: dict[str, CaseResult] = {}

    def result(name: str) -> CaseResult:
        if name not in cache:
            case = next(c for c in CASES if c.name == name)
            cache[name] = run_and_measure(case, root / name, prepare_model("deterministic"))
        return cache[name]

    return result


@pytest.mark.parametrize("case", [c.name for c in CASES])
def test_case_meets_the_thresholds(case: str, case_result: Callable[[str], CaseResult]) -> None:
    """Every deterministic metric of the case at or above its threshold."""
    metrics: list[BaseMetric] = [*deterministic_metrics(lambda key: LIMITS.minimum(case, key))]
    assert_test(case_test_case(case_result(case)), metrics, run_async=False)


@pytest.mark.parametrize("case", [c.name for c in CASES])
def test_pull_request_descriptions(case: str, case_result: Callable[[str], CaseResult]) -> None:
    """The pull-request descriptions judged by GEval (only with a judge model)."""
    judge = configured_judge()
    if judge.model is None:
        pytest.skip(f"{PR_QUALITY}: {judge.note}")
    metrics: list[BaseMetric] = [PullRequestQuality(judge.model, LIMITS.minimum(case, PR_QUALITY))]
    assert_test(case_test_case(case_result(case)), metrics, run_async=False)
