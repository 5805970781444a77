"""decom's evaluation metrics as deepeval metrics.

Each deterministic metric reads a :class:`~evals.results.CaseResult` carried in a deepeval
``LLMTestCase`` (:func:`case_test_case` puts it in ``metadata``; the case name is the test
case's ``name`` and ``input``), so ``deepeval.assert_test``, ``deepeval.evaluate`` and
``deepeval test run`` can score it; none needs a model. Scores are shares in 0..1 and a metric
succeeds when its score is at least its threshold (``evals/thresholds.toml``).

:class:`PullRequestQuality` is a ``GEval`` judge of the pull-request descriptions; it runs
only with a judge model (``DECOM_JUDGE_MODEL``, else the critic role's model) built by decom's
one model factory and wrapped in :class:`LangChainJudge`.

Importing this module first calls :func:`evals.offline.offline_deepeval` (telemetry off, no
``.env`` loading, deepeval's files in the temporary directory), before deepeval is imported.
"""

from __future__ import annotations

from evals.offline import offline_deepeval

offline_deepeval()

from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import TYPE_CHECKING, Any, ClassVar  # noqa: E402

from deepeval.metrics import BaseMetric, GEval  # noqa: E402
from deepeval.models import DeepEvalBaseLLM  # noqa: E402
from deepeval.test_case import LLMTestCase, SingleTurnParams  # noqa: E402
from langchain_core.language_models import BaseChatModel  # noqa: E402

from evals.results import CaseResult, MetricScore  # noqa: E402

if TYPE_CHECKING:
    from evals.harness import Thresholds

#: Where a :class:`CaseResult` travels inside an ``LLMTestCase``.
METADATA_KEY = "decom_case_result"

#: Examples quoted in a metric's reason.
_SHOWN = 5


def case_test_case(result: CaseResult) -> LLMTestCase:
    """The deepeval test case carrying ``result`` (name and input: case and model)."""
    summary = (
        f"{len(result.repos)} repositories, {len(result.residual)} residual references, "
        f"{len(result.damaged_decoys)} damaged decoys, {len(result.broken)} broken files, "
        f"{len(result.pull_requests)} pull requests"
    )
    return LLMTestCase(
        name=f"{result.case}[{result.model}]",
        input=f"retire {result.database} from the {result.case} repositories",
        actual_output=summary,
        metadata={METADATA_KEY: result.model_dump(mode="json")},
        tags=[result.case, result.model],
    )


def case_result_of(test_case: LLMTestCase) -> CaseResult:
    """The :class:`CaseResult` inside a test case made by :func:`case_test_case`.

    Raises:
        ValueError: the test case carries no case result.
    """
    data = (test_case.metadata or {}).get(METADATA_KEY)
    if not isinstance(data, dict):
        raise ValueError(f"test case {test_case.name!r} carries no {METADATA_KEY} metadata")
    return CaseResult.model_validate(data)


def _listing(items: list[str]) -> str:
    shown = "; ".join(items[:_SHOWN])
    more = f" (+{len(items) - _SHOWN} more)" if len(items) > _SHOWN else ""
    return f": {shown}{more}" if items else ""


def _meets(score: float | None, threshold: float | None) -> bool:
    """Whether ``score`` reaches ``threshold`` (a missing score never does)."""
    return score is not None and score >= (1.0 if threshold is None else threshold)


def _share_left(bad: int, total: int) -> float:
    """1 - bad/total, in 0..1 (1.0 when there is nothing to count)."""
    return max(0.0, 1.0 - bad / total) if total else 1.0 if bad == 0 else 0.0


@dataclass(frozen=True)
class Verdict:
    """What a metric concluded from one case result."""

    score: float
    reason: str
    details: dict[str, float] | None = None


class DecomMetric(BaseMetric):
    """A deterministic metric over a :class:`CaseResult` (no model, no network)."""

    #: The metric's key in thresholds.toml, tables and JSON.
    key: ClassVar[str] = ""

    def __init__(self, threshold: float = 1.0) -> None:
        self.threshold = threshold
        self.include_reason = True
        self.async_mode = False
        self.strict_mode = False
        self.verbose_mode = False
        self.details: dict[str, float] = {}

    def judge(self, result: CaseResult) -> Verdict:
        """Score one case result (subclasses)."""
        raise NotImplementedError

    def measure(self, test_case: LLMTestCase, *args: Any, **kwargs: Any) -> float:
        """Score the case result in ``test_case``; sets score, reason, success, details."""
        verdict = self.judge(case_result_of(test_case))
        self.score = verdict.score
        self.reason = verdict.reason
        self.details = dict(verdict.details or {})
        self.error = None
        self.success = _meets(self.score, self.threshold)
        return self.score

    async def a_measure(self, test_case: LLMTestCase, *args: Any, **kwargs: Any) -> float:
        """Same as :meth:`measure` (nothing here waits on I/O)."""
        return self.measure(test_case, *args, **kwargs)

    def is_successful(self) -> bool:
        """Whether the last measure met the threshold (False before any measure)."""
        self.success = self.error is None and _meets(self.score, self.threshold)
        return self.success

    @property
    def __name__(self) -> str:
        """The name deepeval shows (the thresholds key)."""
        return self.key


class DiscoveryRecall(DecomMetric):
    """Share of labelled reference lines the run's discovery reported (per kind in details)."""

    key = "discovery_recall"

    def judge(self, result: CaseResult) -> Verdict:
        """Recall overall; per labelled kind in ``details`` and the reason."""
        d = result.discovery
        kinds = {k: c.recall for k, c in d.by_kind.items() if c.true_positives + c.false_negatives}
        per_kind = ", ".join(f"{k} {v:.2f}" for k, v in sorted(kinds.items()))
        reason = (
            f"{d.overall.true_positives} of {d.overall.true_positives + d.overall.false_negatives}"
            f" labelled references found; by kind: {per_kind or 'none'}"
            f"{'; missed' + _listing(d.missed) if d.missed else ''}"
        )
        return Verdict(d.overall.recall, reason, kinds)


class DiscoveryPrecision(DecomMetric):
    """Share of reported lines that are labelled references (per reported kind in details)."""

    key = "discovery_precision"

    def judge(self, result: CaseResult) -> Verdict:
        """Precision overall; per reported kind in ``details`` and the reason."""
        d = result.discovery
        kinds = {
            k: c.precision for k, c in d.by_kind.items() if c.true_positives + c.false_positives
        }
        per_kind = ", ".join(f"{k} {v:.2f}" for k, v in sorted(kinds.items()))
        reported = d.overall.true_positives + d.overall.false_positives
        reason = (
            f"{d.overall.true_positives} of {reported} reported lines are references; "
            f"by kind: {per_kind or 'none'}"
            f"{'; extra' + _listing(d.spurious) if d.spurious else ''}"
        )
        return Verdict(d.overall.precision, reason, kinds)


class ResidualReferences(DecomMetric):
    """1 - residual references / labelled references: what the run left live."""

    key = "residual_references"

    def judge(self, result: CaseResult) -> Verdict:
        """Score by residual references (re-scan and labels, see evals/measure.py)."""
        n = len(result.residual)
        return Verdict(
            _share_left(n, result.labelled_references),
            f"{n} references still live after the run "
            f"(of {result.labelled_references} labelled){_listing(result.residual)}",
        )


class DecoyPreservation(DecomMetric):
    """Share of labelled decoys (look-alikes, live databases) the run left alone."""

    key = "decoy_preservation"

    def judge(self, result: CaseResult) -> Verdict:
        """Score by damaged decoy lines."""
        n = len(result.damaged_decoys)
        return Verdict(
            _share_left(n, result.labelled_decoys),
            f"{n} of {result.labelled_decoys} labelled decoys damaged"
            f"{_listing(result.damaged_decoys)}",
        )


class FileIntegrity(DecomMetric):
    """Share of changed parseable files that still parse."""

    key = "file_integrity"

    def judge(self, result: CaseResult) -> Verdict:
        """Score by files that parsed before the run and no longer do."""
        n = len(result.broken)
        return Verdict(
            _share_left(n, result.changed_parseable_files),
            f"{n} of {result.changed_parseable_files} changed parseable files broken"
            f"{_listing(result.broken)}",
        )


class UntouchedRepositories(DecomMetric):
    """Share of repositories with nothing to change that stayed byte-identical."""

    key = "untouched_repositories"

    def judge(self, result: CaseResult) -> Verdict:
        """Score by repositories that got a branch, a commit, a record or a changed file."""
        n, total = len(result.untouched_changed), len(result.untouched_repos)
        if not total:
            return Verdict(1.0, "every repository of this case has references")
        return Verdict(
            _share_left(n, total),
            f"{n} of {total} repositories without references changed"
            f"{_listing(result.untouched_changed)}",
        )


class Idempotency(DecomMetric):
    """Share of repositories a second run left exactly as the first run did."""

    key = "idempotency"

    def judge(self, result: CaseResult) -> Verdict:
        """Score by repositories whose branches, commits or records the second run moved."""
        if not result.idempotency_checked:
            return Verdict(1.0, "not checked (no second run)")
        changed = {line.split(":", 1)[0] for line in result.second_run_changes}
        total = len(result.repos)
        return Verdict(
            _share_left(len(changed), total),
            f"the second run changed or created something in {len(changed)} of {total} "
            f"repositories{_listing(result.second_run_changes)}",
        )


class RepositoriesCompleted(DecomMetric):
    """Share of the case's repositories whose run did not fail."""

    key = "repositories_completed"

    def judge(self, result: CaseResult) -> Verdict:
        """Score by failed repositories."""
        n, total = len(result.failed), len(result.repos)
        return Verdict(
            _share_left(n, total), f"{n} of {total} repositories failed{_listing(result.failed)}"
        )


#: Every deterministic metric, in the order tables show them.
DETERMINISTIC_METRICS: tuple[type[DecomMetric], ...] = (
    DiscoveryRecall,
    DiscoveryPrecision,
    ResidualReferences,
    DecoyPreservation,
    FileIntegrity,
    UntouchedRepositories,
    Idempotency,
    RepositoriesCompleted,
)

#: The key of the pull-request description metric (needs a judge model).
PR_QUALITY = "pr_description_quality"

#: What a good decommission pull request says (the GEval criteria).
PR_CRITERIA = (
    "The actual output is the description of a pull request that retires a database from one "
    "repository (the input names the database). Judge whether a reviewer learns from it: "
    "(1) what is removed or changed, file by file; (2) why: the database is being "
    "decommissioned; (3) what still needs a person, as an explicit list, or that nothing does; "
    "(4) how to verify the change (checks that ran, what to test). Penalise vagueness, "
    "missing items and claims the description does not support."
)


class LangChainJudge(DeepEvalBaseLLM):
    """A chat model from decom's model factory, as deepeval's judge model."""

    def __init__(self, chat: BaseChatModel, name: str) -> None:
        self.chat = chat
        super().__init__(name)

    def load_model(self, *args: Any, **kwargs: Any) -> Any:
        """The wrapped chat model."""
        return self.chat

    def generate(self, prompt: str, *args: Any, **kwargs: Any) -> str:
        """The model's answer as text (deepeval reads the JSON its prompts ask for).

        ``schema`` is ignored on purpose: small local models often cannot do structured
        output, and deepeval parses the JSON out of the text either way.
        """
        return _text(self.chat.invoke(prompt).content)

    async def a_generate(self, prompt: str, *args: Any, **kwargs: Any) -> str:
        """Async :meth:`generate`."""
        return _text((await self.chat.ainvoke(prompt)).content)

    def get_model_name(self, *args: Any, **kwargs: Any) -> str:
        """The ``provider:model`` spec."""
        return str(self.name)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in content)


@dataclass(frozen=True)
class JudgeChoice:
    """The judge model, or why the pull-request metric is skipped."""

    model: DeepEvalBaseLLM | None
    note: str


def configured_judge() -> JudgeChoice:
    """``DECOM_JUDGE_MODEL`` (``provider:model``), else the critic role's model, else none."""
    from agent.errors import DecomError
    from agent.llm.factory import LlmRole, chat_model
    from agent.settings import load_settings

    try:
        settings = load_settings()
        spec = settings.judge_model or settings.model_for("critic")
        if not spec:
            return JudgeChoice(
                None,
                "skipped: no judge model (set DECOM_JUDGE_MODEL, DECOM_CRITIC_MODEL or "
                "DECOM_MODEL to a provider:model)",
            )
        chat = chat_model(settings.model_copy(update={"critic_model": spec}), LlmRole.CRITIC)
    except (DecomError, ValueError) as exc:
        return JudgeChoice(None, f"skipped: judge model unusable: {str(exc).splitlines()[0]}")
    assert chat is not None
    return JudgeChoice(LangChainJudge(chat, spec), f"judged by {spec}")


class PullRequestQuality(BaseMetric):
    """GEval over every pull-request description of a case: the mean of their scores."""

    def __init__(self, judge: DeepEvalBaseLLM, threshold: float = 0.5) -> None:
        self.threshold = threshold
        self.include_reason = True
        self.async_mode = False
        self.strict_mode = False
        self.verbose_mode = False
        self.evaluation_model = judge.get_model_name()
        self.geval = GEval(
            name=PR_QUALITY,
            criteria=PR_CRITERIA,
            evaluation_params=[SingleTurnParams.INPUT, SingleTurnParams.ACTUAL_OUTPUT],
            model=judge,
            threshold=threshold,
            async_mode=False,
        )

    def measure(self, test_case: LLMTestCase, *args: Any, **kwargs: Any) -> float:
        """Judge each pull request of the case; the mean score (1.0 when there is none)."""
        result = case_result_of(test_case)
        scores, reasons = [], []
        for pr in result.pull_requests:
            single = LLMTestCase(
                input=f"retire the {result.database} database from {pr.repo}",
                actual_output=f"# {pr.title}\n\n{pr.body}",
            )
            scores.append(float(self.geval.measure(single, _show_indicator=False)))
            reasons.append(f"{pr.repo} {scores[-1]:.2f}: {self.geval.reason}")
        self.score = sum(scores) / len(scores) if scores else 1.0
        self.reason = " | ".join(reasons) or "no pull request to judge"
        self.error = None
        self.success = _meets(self.score, self.threshold)
        return self.score

    async def a_measure(self, test_case: LLMTestCase, *args: Any, **kwargs: Any) -> float:
        """Same as :meth:`measure` (GEval runs synchronously here)."""
        return self.measure(test_case, *args, **kwargs)

    def is_successful(self) -> bool:
        """Whether the last measure met the threshold."""
        self.success = self.error is None and _meets(self.score, self.threshold)
        return self.success

    @property
    def __name__(self) -> str:
        """The thresholds key."""
        return PR_QUALITY


def deterministic_metrics(
    minimum: Callable[[str], float],
) -> list[DecomMetric]:
    """One instance of every deterministic metric, with ``minimum(key)`` as its threshold."""
    return [cls(threshold=minimum(cls.key)) for cls in DETERMINISTIC_METRICS]


def score_case(
    result: CaseResult, thresholds: Thresholds, judge: JudgeChoice | None = None
) -> list[MetricScore]:
    """Every metric on one case result (the pull-request metric skipped without a judge)."""
    test_case = case_test_case(result)
    scores = []
    for metric in deterministic_metrics(lambda key: thresholds.minimum(result.case, key)):
        metric.measure(test_case)
        scores.append(
            MetricScore(
                metric=metric.key,
                score=metric.score,
                threshold=metric.threshold,
                success=metric.is_successful(),
                reason=metric.reason or "",
                details=metric.details,
            )
        )
    scores.append(_pr_score(test_case, result, thresholds, judge))
    return scores


def _pr_score(
    test_case: LLMTestCase, result: CaseResult, thresholds: Thresholds, judge: JudgeChoice | None
) -> MetricScore:
    threshold = thresholds.minimum(result.case, PR_QUALITY)
    if judge is None or judge.model is None:
        note = judge.note if judge is not None else "skipped: not requested"
        return MetricScore(
            metric=PR_QUALITY, score=None, threshold=threshold, success=None, reason=note,
            skipped=True,
        )  # fmt: skip
    metric = PullRequestQuality(judge.model, threshold)
    try:
        metric.measure(test_case)
    except Exception as exc:  # noqa: BLE001 - a judge error is reported, never a traceback
        from agent.llm.session import describe_failure

        return MetricScore(
            metric=PR_QUALITY,
            score=0.0,
            threshold=threshold,
            success=False,
            reason=f"judge failed: {describe_failure(exc)}",
        )
    return MetricScore(
        metric=PR_QUALITY,
        score=metric.score,
        threshold=threshold,
        success=metric.is_successful(),
        reason=metric.reason or "",
    )
