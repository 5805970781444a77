"""Views built from what discovery found and what the checkpoint threads hold."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from agent.discovery.models import ScanResult
from agent.models import RepoOutcome, RepoStatus
from agent.notebook.engine import RepoSnapshot
from agent.notebook.views import OutcomeRow, PlanRow, PlanView, RepoStateRow, ScanRow, ScanView
from agent.pipeline.approval import ApprovalDecision

#: The state of a repository that is paused after planning.
WAITING = "waiting for approval"
#: The state of a repository the session has not planned yet.
NOT_PLANNED = "not planned"


def scan_view(result: ScanResult, names: Sequence[str]) -> ScanView:
    """A scan as rows, with totals, repositories without references and skips as notes."""
    rows = tuple(
        ScanRow(
            repo=ref.repo,
            path=ref.path,
            line=ref.line,
            kind=ref.kind.value,
            source_type=ref.source_type.value,
            why=f"via {ref.via.alias} ({ref.via.path}:{ref.via.line})" if ref.via else "direct",
            text=ref.text.strip()[:200],
        )
        for ref in result.references
    )
    files = {(r.repo, r.path) for r in rows}
    notes = [
        f"{len(rows)} references in {len(files)} files; {result.stats.files_scanned} files "
        f"scanned in {result.stats.seconds:.2f}s"
    ]
    found = {r.repo for r in rows}
    notes += [f"{name}: no references" for name in names if name not in found]
    if result.skipped:
        reasons = Counter(s.reason.split(" (")[0].split(":")[0] for s in result.skipped)
        notes.append("skipped: " + ", ".join(f"{n} {why}" for why, n in reasons.most_common()))
    return ScanView(result.database, rows, tuple(notes))


def state_row(
    name: str, snap: RepoSnapshot, decision: ApprovalDecision | None = None
) -> RepoStateRow:
    """Where one repository is, in one row."""
    if not snap.started:
        return RepoStateRow(name, NOT_PLANNED, "run session.plan()")
    if snap.paused:
        planned = len(snap.plan.files) if snap.plan else 0
        detail = f"{planned} files planned; decision: {describe_decision(decision)}"
        return RepoStateRow(name, WAITING, detail)
    outcome = snap.outcome
    if outcome is None:
        return RepoStateRow(name, "interrupted", "run session.plan() again to continue")
    return RepoStateRow(
        name, outcome.status.value, outcome_detail(outcome), outcome.branch, outcome.pr_record
    )


def describe_decision(decision: ApprovalDecision | None) -> str:
    """A recorded decision in words (none recorded: apply approves everything)."""
    if decision is None:
        return "none recorded (apply approves everything)"
    if decision.action == "abort":
        return f"abort ({decision.reason})" if decision.reason else "abort"
    if decision.exclude:
        return "approve without " + ", ".join(decision.exclude)
    return "approve"


def outcome_detail(outcome: RepoOutcome) -> str:
    """What a finished repository's run did, in a few words."""
    if outcome.status is RepoStatus.NO_REFERENCES:
        return "no references found"
    if outcome.status in (RepoStatus.FAILED, RepoStatus.ABORTED):
        return outcome.error or ""
    return (
        f"{outcome.files_changed} changed, {outcome.files_deleted} deleted, "
        f"{len(outcome.needs_human)} need a person"
    )


def plan_view(
    run_id: str,
    snaps: Mapping[str, RepoSnapshot],
    names: Mapping[str, str],
    decisions: Mapping[str, ApprovalDecision],
) -> PlanView:
    """Per repository its state, and per planned file its action and reason."""
    repos = tuple(state_row(names[t], s, decisions.get(t)) for t, s in snaps.items())
    rows = tuple(
        PlanRow(
            repo=names[target],
            path=f.path,
            action=f.action.value,
            reason=f.reason,
            references=len(f.ref_lines),
            needs_human=tuple(f.needs_human),
            cascade=f.cascade,
        )
        for target, snap in snaps.items()
        if snap.plan is not None
        for f in snap.plan.files
    )
    waiting = sum(s.paused for s in snaps.values())
    notes = []
    if waiting:
        notes.append(
            f"{waiting} repositories wait for approval: look at session.diff(path), then "
            "session.approve(exclude=[...]) or session.abort(reason), then session.apply()"
        )
    return PlanView(run_id, repos, rows, tuple(notes))


def outcome_row(name: str, outcome: RepoOutcome) -> OutcomeRow:
    """One repository's outcome as a row."""
    return OutcomeRow(
        repo=name,
        status=outcome.status.value,
        branch=outcome.branch,
        files_changed=outcome.files_changed,
        files_deleted=outcome.files_deleted,
        needs_human=tuple(outcome.needs_human),
        pr_record=outcome.pr_record,
        patch=outcome.patch,
        error=outcome.error,
    )
