"""Typed results of a decommission run, shared by the graph, the CLI, reports and evals.

Ported from the system decom replaces (WorkflowStepResult, FileProcessingResult,
QualityAssuranceResult, DecommissioningSummary) as pydantic models whose values are computed
from what actually happened, never filled with defaults that claim success.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from agent.refactor.base import Action


class CheckStatus(StrEnum):
    """Outcome of one QA check."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


class Finding(BaseModel):
    """One concrete problem a QA check found."""

    check: str = Field(description="which check found it")
    path: str = Field(description="file, relative to the repository root")
    line: int = Field(0, description="1-based line in the rewritten file, 0 for the whole file")
    message: str = Field(description="what is wrong, in one sentence")


class ValidationResult(BaseModel):
    """Result of one QA check over a repository's rewritten files."""

    name: str
    status: CheckStatus
    score: float = Field(ge=0.0, le=1.0, description="share of checked items that passed")
    checked: int = Field(ge=0, description="how many items (files or references) were checked")
    findings: list[Finding] = Field(default_factory=list)


class QualityAssuranceResult(BaseModel):
    """The three deterministic checks, the model's opinion if any, and what to do next."""

    database_reference_check: ValidationResult
    rule_compliance_check: ValidationResult
    service_integrity_check: ValidationResult
    overall_status: CheckStatus
    recommendations: list[str] = Field(default_factory=list)
    iteration: int = Field(1, ge=1, description="critic loop iteration that produced this")

    @property
    def findings(self) -> list[Finding]:
        """Every finding of every check."""
        return [
            *self.database_reference_check.findings,
            *self.rule_compliance_check.findings,
            *self.service_integrity_check.findings,
        ]


class FileProcessingResult(BaseModel):
    """What happened to one file."""

    path: str
    source_type: str
    action: Action
    rule: str = Field(description="the rule (or planner decision) that produced the action")
    reason: str
    references: int = Field(ge=0, description="references discovery found in the file")
    needs_human: list[str] = Field(default_factory=list)
    strategy: int = Field(0, ge=0, description="0 = the rule, 1 = fallback, 2 = restored")


class WorkflowStepResult(BaseModel):
    """One step of one repository's pipeline, with its duration."""

    step: str
    repo: str
    success: bool
    seconds: float = Field(ge=0.0)
    detail: str = ""


class RepoStatus(StrEnum):
    """Final state of a repository in a run."""

    CHANGED = "changed"
    NO_REFERENCES = "no_references"
    NEEDS_HUMAN = "needs_human"
    FAILED = "failed"
    ABORTED = "aborted"


class RepoOutcome(BaseModel):
    """Everything a run did to one repository."""

    repo: str
    path: str
    status: RepoStatus
    branch: str | None = None
    commit: str | None = None
    base: str | None = None
    files: list[FileProcessingResult] = Field(default_factory=list)
    qa: QualityAssuranceResult | None = None
    pr_record: str | None = None
    patch: str | None = None
    error: str | None = None
    steps: list[WorkflowStepResult] = Field(default_factory=list)

    @property
    def files_changed(self) -> int:
        """Files edited in place."""
        edited = (Action.STRUCTURAL_EDIT, Action.COMMENT_OUT, Action.FAIL_FAST, Action.DOC_NOTE)
        return sum(1 for f in self.files if f.action in edited)

    @property
    def files_deleted(self) -> int:
        """Files deleted."""
        return sum(1 for f in self.files if f.action is Action.DELETE_FILE)

    @property
    def needs_human(self) -> list[str]:
        """Every item left for a person, as ``path:line: why`` strings."""
        items = []
        for f in self.files:
            if f.action is Action.NEEDS_HUMAN and not f.needs_human:
                items.append(f"{f.path}: {f.reason}")
            items.extend(f"{f.path}:{item}" for item in f.needs_human)
        return items


class DecommissioningSummary(BaseModel):
    """The run as a whole."""

    run_id: str
    database: str
    repos: list[RepoOutcome]
    seconds: float = Field(ge=0.0)
    dry_run: bool = False
    not_started: list[str] = Field(
        default_factory=list, description="repositories a --fail-fast stop left pending"
    )
    tokens: dict[str, Any] = Field(
        default_factory=dict, description="LLM usage per repository and role (empty: none)"
    )

    @property
    def success_rate(self) -> float:
        """Share of repositories that ended changed or with nothing to change."""
        if not self.repos:
            return 1.0
        good = (RepoStatus.CHANGED, RepoStatus.NO_REFERENCES)
        return sum(1 for r in self.repos if r.status in good) / len(self.repos)

    def counts(self) -> dict[str, int]:
        """Repositories per status."""
        counts = {s.value: 0 for s in RepoStatus}
        for repo in self.repos:
            counts[repo.status.value] += 1
        return counts
