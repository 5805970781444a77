"""Typed results of an evaluation: what a run on one case left behind, and the metric scores.

A :class:`CaseResult` is everything the metrics in :mod:`evals.metrics` read: it travels inside
a deepeval ``LLMTestCase`` (``metadata``) as JSON, so deepeval's own runner can score it too.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from evals.labels import share

#: The model column of a run without any LLM role.
DETERMINISTIC = "deterministic"


class KindCounts(BaseModel):
    """Line-level counts for one reference kind (or for all kinds)."""

    model_config = ConfigDict(frozen=True)

    true_positives: int = Field(0, ge=0, description="reported lines that are labelled references")
    false_positives: int = Field(0, ge=0, description="reported lines that are not")
    false_negatives: int = Field(0, ge=0, description="labelled references not reported")

    @property
    def precision(self) -> float:
        """Share of reported lines that are references (1.0 when nothing was reported)."""
        return share(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        """Share of labelled references that were reported (1.0 when none are labelled)."""
        return share(self.true_positives, self.true_positives + self.false_negatives)


class Discovery(BaseModel):
    """What the run's discovery reported, scored against the case's labels."""

    model_config = ConfigDict(frozen=True)

    overall: KindCounts = Field(default_factory=KindCounts)
    by_kind: dict[str, KindCounts] = Field(
        default_factory=dict,
        description="precision counted by the kind decom reported, recall by the labelled kind",
    )
    missed: list[str] = Field(default_factory=list, description="'repo/path:line [kind]'")
    spurious: list[str] = Field(default_factory=list, description="'repo/path:line [kind] text'")


class PullRequestText(BaseModel):
    """The title and body of one pull-request record the run wrote."""

    model_config = ConfigDict(frozen=True)

    repo: str
    title: str
    body: str


class CaseResult(BaseModel):
    """What one run of decom on one labelled case produced, measured from the repositories."""

    model_config = ConfigDict(frozen=True)

    case: str = Field(description="the case's folder name under evals/datasets/")
    database: str
    model: str = Field(DETERMINISTIC, description="'deterministic' or the provider:model spec")
    repos: list[str] = Field(default_factory=list, description="the case's repositories")
    labelled_references: int = Field(0, ge=0)
    labelled_decoys: int = Field(0, ge=0)
    discovery: Discovery = Field(default_factory=Discovery)
    residual: list[str] = Field(
        default_factory=list,
        description="references still live after the run: found by a re-scan of the result, "
        "or labelled lines left unchanged outside files handed to a person",
    )
    damaged_decoys: list[str] = Field(default_factory=list, description="'repo/path:line'")
    changed_parseable_files: int = Field(
        0, ge=0, description="changed files of a type with a parser that parsed before the run"
    )
    broken: list[str] = Field(default_factory=list, description="'repo/path: parse error'")
    untouched_repos: list[str] = Field(
        default_factory=list, description="repositories with nothing to change (labels or run)"
    )
    untouched_changed: list[str] = Field(
        default_factory=list, description="'repo: what changed' for those repositories"
    )
    idempotency_checked: bool = Field(False, description="whether a second run was made")
    second_run_changes: list[str] = Field(
        default_factory=list, description="'repo: what the second run changed or created'"
    )
    failed: list[str] = Field(default_factory=list, description="'repo: error' of failed repos")
    pull_requests: list[PullRequestText] = Field(default_factory=list)
    seconds: float = Field(0.0, ge=0.0, description="wall time of the first run")


class MetricScore(BaseModel):
    """One metric's verdict on one case."""

    model_config = ConfigDict(frozen=True)

    metric: str
    score: float | None = Field(description="0..1; None when the metric was skipped")
    threshold: float
    success: bool | None = Field(description="score >= threshold; None when skipped")
    reason: str
    skipped: bool = False
    details: dict[str, float] = Field(
        default_factory=dict, description="per reference kind, for the discovery metrics"
    )


class CaseEvaluation(BaseModel):
    """A case's result and every metric computed from it."""

    model_config = ConfigDict(frozen=True)

    result: CaseResult
    metrics: list[MetricScore]

    @property
    def passed(self) -> bool:
        """No metric below its threshold (skipped metrics do not count)."""
        return all(m.success is not False for m in self.metrics)


class ModelRun(BaseModel):
    """Every selected case, run with one model (or deterministically)."""

    model_config = ConfigDict(frozen=True)

    model: str
    error: str | None = Field(None, description="why the model could not be used (one line)")
    cases: list[CaseEvaluation] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        """The model was usable and every case met its thresholds."""
        return self.error is None and all(c.passed for c in self.cases)


class EvalReport(BaseModel):
    """One ``decom eval`` invocation: what ``<state-dir>/evals/<timestamp>.json`` holds."""

    model_config = ConfigDict(frozen=True)

    time: str = Field(description="UTC, ISO 8601")
    commit: str | None = Field(None, description="decom's git commit, when known")
    dirty: bool | None = Field(None, description="decom's checkout had uncommitted changes")
    thresholds: str = Field(description="the thresholds file used")
    datasets: list[str]
    runs: list[ModelRun]

    @property
    def passed(self) -> bool:
        """Every model usable and every case at or above its thresholds."""
        return all(run.passed for run in self.runs)
