"""Graph state: what the run was asked (input), what it carries (internal), what it returns.

Only ``outcomes`` accumulates (one entry per repository, from parallel branches); every other
field is written by one node.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Annotated

from agent.discovery.models import ScanResult
from agent.models import DecommissioningSummary, QualityAssuranceResult, RepoOutcome
from agent.pipeline.models import Changeset, Plan, RepoContext
from agent.pipeline.request import RunRequest


@dataclass(kw_only=True)
class RunInput:
    """What a run is asked to do."""

    #: The run's id (also the checkpoint thread id).
    run_id: str
    #: The parameters.
    request: RunRequest


@dataclass(kw_only=True)
class RunOutput:
    """What a run returns."""

    #: Per repository, what happened (accumulated from the parallel branches).
    outcomes: Annotated[list[RepoOutcome], operator.add] = field(default_factory=list)
    #: The run as a whole, written by ``summarize``.
    summary: DecommissioningSummary | None = None


@dataclass(kw_only=True)
class RunState(RunInput, RunOutput):
    """The top-level graph's state."""

    #: Notes from ``validate_environment`` (tool versions found).
    environment: list[str] = field(default_factory=list)
    #: Seconds since the epoch when the run started (for the summary's duration).
    started: float = 0.0


@dataclass(kw_only=True)
class RepoOutput:
    """What one repository's branch hands back to the run: only its outcome."""

    #: The repository's outcome (one element).
    outcomes: Annotated[list[RepoOutcome], operator.add] = field(default_factory=list)


@dataclass(kw_only=True)
class RepoState:
    """One repository's branch of the run (the per-repository subgraph's state)."""

    #: The run's id.
    run_id: str
    #: The run's parameters.
    request: RunRequest
    #: The repository folder.
    repo: str
    #: Where the repository is and what discovery reads (set by ``discover``).
    ctx: RepoContext | None = None
    #: What discovery found (set by ``discover``).
    scan: ScanResult | None = None
    #: Per-file decisions (set by ``plan``).
    plan: Plan | None = None
    #: The current changeset (set by ``refactor``, once per critic iteration).
    changes: Changeset | None = None
    #: The critic's latest verdict (set by ``qa_critic``).
    qa: QualityAssuranceResult | None = None
    #: What went wrong, when something did; later steps then only report it.
    error: str | None = None
    #: Why a reviewer aborted the repository at the approval pause (nothing is written).
    aborted: str | None = None
    #: Seconds spent per step, accumulated.
    timings: Annotated[list[tuple[str, float]], operator.add] = field(default_factory=list)
    #: The repository's outcome, handed back to the run (one element).
    outcomes: Annotated[list[RepoOutcome], operator.add] = field(default_factory=list)
