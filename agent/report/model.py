"""The run report as one typed value: what ``report.json`` holds and the other formats render.

``build_report`` reads a :class:`~agent.models.DecommissioningSummary` and each changed
repository's diff; everything else (Markdown, HTML, the chart) is a pure function of the
resulting :class:`RunReport`. Keys are stable: a new key may be added, none is renamed or
removed without raising ``schema_version``.

``report.json``: ``schema_version``, ``run_id``, ``database``, ``dry_run``, ``generated_at``,
``seconds``, ``counts`` (per status), ``success_rate``, ``failures`` (``[{error, repos}]``),
``not_started``, ``step_seconds`` (per step, summed), ``max_diff_bytes``, ``tokens``
(``TokenLedger.to_json()`` or ``{}``) and ``repos``: per repository ``repo``, ``path``,
``status``, ``error``, ``branch``, ``commit``, ``base``, ``pr_record``, ``patch``,
``files_changed``, ``files_deleted``, ``files`` (``FileProcessingResult``), ``needs_human``,
``qa`` (``QualityAssuranceResult``), ``diff`` (``source``, ``text``, ``bytes``, ``truncated``,
``unavailable``), ``steps`` (``WorkflowStepResult``), ``seconds`` and ``tokens``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from agent.batch.driver import group_failures
from agent.batch.progress import STEPS
from agent.models import (
    DecommissioningSummary,
    FileProcessingResult,
    QualityAssuranceResult,
    RepoOutcome,
    RepoStatus,
    WorkflowStepResult,
)
from agent.report.diffs import MAX_DIFF_BYTES, RepoDiff, repo_diff

#: Diff text a whole report holds at most (a campaign of thousands of repositories still
#: gives a report a browser opens); past it, a repository's diff is cut (its branch has it).
MAX_TOTAL_DIFF_BYTES = 20_000_000

#: Version of the ``report.json`` layout.
SCHEMA_VERSION = 1


class TokenTotals(BaseModel):
    """Model usage, in the shape of ``agent.llm.ledger.TokenUsage.to_json``."""

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    calls: int = 0
    cost_usd: float = 0.0
    unpriced_calls: int = 0


class RepoReport(BaseModel):
    """One repository: what was done to each file, QA, where the change went, its diff."""

    repo: str = Field(description="the repository folder's name")
    path: str = Field(description="the repository folder (or clone) that was worked on")
    status: RepoStatus
    error: str | None = Field(None, description="why it failed (failed repositories only)")
    branch: str | None = None
    commit: str | None = None
    base: str | None = Field(None, description="the base commit the change was made on")
    pr_record: str | None = Field(None, description="PR record path (local) or PR URL (GitHub)")
    patch: str | None = Field(None, description="patch file of a dry run")
    files_changed: int = 0
    files_deleted: int = 0
    files: list[FileProcessingResult] = Field(default_factory=list)
    needs_human: list[str] = Field(default_factory=list, description="'path:line: why' items")
    qa: QualityAssuranceResult | None = None
    diff: RepoDiff
    steps: list[WorkflowStepResult] = Field(default_factory=list)
    seconds: float = Field(0.0, ge=0.0, description="sum of the steps' seconds")
    tokens: TokenTotals | None = Field(None, description="model usage; None without a model")


class FailureGroup(BaseModel):
    """Failed repositories sharing one error (repository names and paths taken out)."""

    error: str
    repos: list[str]


class RunReport(BaseModel):
    """The whole run, as written to ``report.json``."""

    schema_version: int = SCHEMA_VERSION
    run_id: str
    database: str
    dry_run: bool
    generated_at: str = Field(description="when the report was written (UTC, ISO 8601)")
    seconds: float = Field(ge=0.0, description="wall time of the run")
    counts: dict[str, int] = Field(description="repositories per status")
    success_rate: float = Field(ge=0.0, le=1.0)
    repos: list[RepoReport]
    failures: list[FailureGroup] = Field(
        default_factory=list, description="failed repositories grouped by error"
    )
    not_started: list[str] = Field(
        default_factory=list, description="repositories a --fail-fast stop left pending"
    )
    step_seconds: dict[str, float] = Field(
        default_factory=dict, description="seconds per step, summed over repositories"
    )
    max_diff_bytes: int = Field(MAX_DIFF_BYTES, description="diff bytes kept per repository")
    tokens: dict[str, Any] = Field(
        default_factory=dict,
        description="TokenLedger.to_json(): total, by_role, by_repo (empty without a model)",
    )

    @property
    def token_total(self) -> TokenTotals | None:
        """Usage of the whole run; None when no model was configured."""
        total = self.tokens.get("total")
        return TokenTotals.model_validate(total) if isinstance(total, dict) else None


def build_report(summary: DecommissioningSummary) -> RunReport:
    """The report of a run, with each changed repository's diff read from git or its patch."""
    budget = MAX_TOTAL_DIFF_BYTES
    repos = []
    for outcome in summary.repos:
        report = _repo_report(outcome, summary.tokens, limit=min(MAX_DIFF_BYTES, budget))
        budget = max(0, budget - len(report.diff.text.encode()))
        repos.append(report)
    return RunReport(
        run_id=summary.run_id,
        database=summary.database,
        dry_run=summary.dry_run,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        seconds=summary.seconds,
        counts=summary.counts(),
        success_rate=summary.success_rate,
        repos=repos,
        failures=[
            FailureGroup(error=error, repos=names)
            for error, names in group_failures(summary.repos).items()
        ],
        not_started=list(summary.not_started),
        step_seconds=step_totals(repos),
        tokens=summary.tokens,
    )


def step_totals(repos: list[RepoReport]) -> dict[str, float]:
    """Seconds per step over all repositories, in pipeline order (unknown steps last)."""
    totals: dict[str, float] = {}
    for repo in repos:
        for step in repo.steps:
            totals[step.step] = totals.get(step.step, 0.0) + step.seconds
    return {name: totals[name] for name in ordered_steps(totals)}


def ordered_steps(names: Iterable[str]) -> list[str]:
    """Step names in pipeline order, steps the pipeline does not name after them, sorted."""
    present = set(names)
    known = [s for s in STEPS if s in present]
    return known + sorted(present - set(STEPS))


def _repo_report(
    outcome: RepoOutcome, tokens: dict[str, Any], *, limit: int = MAX_DIFF_BYTES
) -> RepoReport:
    return RepoReport(
        repo=outcome.repo,
        path=outcome.path,
        status=outcome.status,
        error=outcome.error,
        branch=outcome.branch,
        commit=outcome.commit,
        base=outcome.base,
        pr_record=outcome.pr_record,
        patch=outcome.patch,
        files_changed=outcome.files_changed,
        files_deleted=outcome.files_deleted,
        files=outcome.files,
        needs_human=outcome.needs_human,
        qa=outcome.qa,
        diff=repo_diff(outcome, limit),
        steps=outcome.steps,
        seconds=sum(s.seconds for s in outcome.steps),
        tokens=_repo_tokens(tokens, outcome.repo),
    )


def _repo_tokens(tokens: dict[str, Any], repo: str) -> TokenTotals | None:
    by_repo = tokens.get("by_repo")
    if not isinstance(by_repo, dict):
        return None
    entry = by_repo.get(repo)
    if not isinstance(entry, dict) or not isinstance(entry.get("total"), dict):
        return TokenTotals() if tokens else None
    return TokenTotals.model_validate(entry["total"])
