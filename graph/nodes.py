"""Graph nodes: read state, call ``agent``, return a partial update. No logic of their own."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import structlog
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agent.discovery.models import ScanResult
from agent.errors import DecomError
from agent.models import (
    DecommissioningSummary,
    RepoOutcome,
    RepoStatus,
    WorkflowStepResult,
)
from agent.notify import Notification, run_done
from agent.pipeline import approval, llm_steps, steps
from agent.pipeline.models import RepoContext
from graph.context import Context, github_of, llm_of, settings_of
from graph.refactor_agent import run_refactor_agent
from graph.state import RepoState, RunState

log = structlog.get_logger("decom")
Update = dict[str, Any]


def _timed(step: str, state: RepoState, work: Callable[[], Update]) -> Update:
    """Run one step: log start and end with duration; turn errors into ``error``."""
    started = time.perf_counter()
    log.info("step_start", step=step, repo=state.repo, run_id=state.run_id)
    try:
        update = work()
    except DecomError as exc:
        update = {"error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - one repository's bug must not stop the others
        update = {"error": f"internal error in {step}: {type(exc).__name__}: {exc}"}
    seconds = time.perf_counter() - started
    log.info(
        "step_end", step=step, repo=state.repo, seconds=round(seconds, 3), error=update.get("error")
    )
    update["timings"] = [(step, seconds)]
    return update


def validate_environment(state: RunState, runtime: Runtime[Any]) -> Update:
    """Check tools, folders and integrations before any repository is touched."""
    notes = steps.validate_environment(state.request, settings_of(runtime))
    log.info("environment", run_id=state.run_id, checks=notes)
    return {"environment": notes, "started": time.time()}


def discover(state: RepoState, runtime: Runtime[Any]) -> Update:
    """Find every reference in the repository's base content."""

    def work() -> Update:
        llm = llm_of(runtime)
        ctx, scan = steps.discover(
            state.request, state.run_id, state.repo, github_of(runtime), confirm=llm is not None
        )
        scan = llm_steps.adjudicate_discovery(llm, state.request, ctx, scan)
        return {"ctx": ctx, "scan": scan}

    return _timed("discover", state, work)


def _require(state: RepoState) -> tuple[RepoContext, ScanResult]:
    if state.ctx is None or state.scan is None:
        raise DecomError("discover did not run for this repository")
    return state.ctx, state.scan


def plan(state: RepoState, runtime: Runtime[Any]) -> Update:
    """Decide per file what to do (the refactor agent proposes where no rule applies)."""

    def work() -> Update:
        found_ctx, found = _require(state)
        ctx, scan, the_plan = steps.plan_confirmed(
            state.request, state.run_id, found_ctx, found,
            lambda c, s: llm_steps.adjudicate_discovery(llm_of(runtime), state.request, c, s),
        )  # fmt: skip
        the_plan = llm_steps.refactor_with_agent(
            llm_of(runtime), state.request, ctx, the_plan, run_refactor_agent
        )
        return {"ctx": ctx, "scan": scan, "plan": the_plan}

    return _timed("plan", state, work)


def approve(state: RepoState) -> Update:
    """Pause for a person's approval of the plan (only when the request asks for it).

    Resumed with ``Command(resume=decision)``: approve, approve without some files, or abort.
    """
    if not state.request.require_approval or state.plan is None:
        return {}
    ctx, _ = _require(state)
    question = approval.approval_request(ctx.name, state.request.database, state.plan)
    answer = interrupt(question.model_dump(mode="json"))
    try:
        decision = approval.parse_decision(answer)
        if decision.action == "abort":
            return {"aborted": decision.reason or "aborted by the reviewer"}
        return {"plan": approval.apply_decision(state.plan, decision, steps.reader(ctx))}
    except DecomError as exc:
        return {"error": str(exc)}


def refactor(state: RepoState) -> Update:
    """Build the changeset (first from the plan, then answering the critic)."""

    def work() -> Update:
        ctx, scan = _require(state)
        if state.plan is None:
            raise DecomError("plan did not run for this repository")
        changes = steps.refactor(state.request, ctx, scan, state.plan, state.changes, state.qa)
        return {"changes": changes}

    return _timed("refactor", state, work)


def qa_critic(state: RepoState, runtime: Runtime[Any]) -> Update:
    """Check the rewritten files (a model may add findings, never waive a failed check)."""

    def work() -> Update:
        ctx, scan = _require(state)
        if state.plan is None or state.changes is None:
            raise DecomError("refactor did not run for this repository")
        verdict = steps.review(state.request, ctx, scan, state.plan, state.changes)
        verdict = llm_steps.critic_with_model(
            llm_of(runtime), state.request, ctx, state.changes, verdict, steps.reader(ctx)
        )
        return {"qa": verdict}

    return _timed("qa_critic", state, work)


def open_pr(state: RepoState, runtime: Runtime[Any]) -> Update:
    """Commit to the campaign branch and open the pull request (or write a patch)."""

    def work() -> Update:
        ctx, scan = _require(state)
        text = None
        if state.changes is not None:
            written = llm_steps.pr_text(
                llm_of(runtime), state.request, ctx, state.changes, state.qa
            )
            text = (written.title, written.body) if written is not None else None
        try:
            with _forge_gate(runtime):
                outcome = steps.publish(
                    state.request,
                    state.run_id,
                    ctx,
                    scan,
                    state.changes,
                    state.qa,
                    github_of(runtime),
                    text,
                )
        finally:
            steps.release(ctx)  # a failed publish is not retried from this snapshot either
        return {"outcomes": [outcome]}

    update = _timed("open_pr", state, work)
    if update.get("error") is not None:
        update["outcomes"] = [_failed(state, update["error"])]
    return update


def _forge_gate(runtime: Any) -> AbstractContextManager[Any]:
    """The run's bound on concurrent forge writes (none outside a run)."""
    context = getattr(runtime, "context", None)
    return context.forge_writes if isinstance(context, Context) else nullcontext()


def report_failure(state: RepoState) -> Update:
    """A step failed (or a reviewer aborted): record the repository as such."""
    if state.ctx is not None:
        steps.release(state.ctx)
    if state.aborted is not None and state.error is None:
        outcome = _failed(state, state.aborted)
        return {"outcomes": [outcome.model_copy(update={"status": RepoStatus.ABORTED})]}
    return {"outcomes": [_failed(state, state.error or "unknown error")]}


def _failed(state: RepoState, error: str) -> RepoOutcome:
    name = state.ctx.name if state.ctx else state.repo.rstrip("/").rpartition("/")[2]
    return RepoOutcome(repo=name, path=state.repo, status=RepoStatus.FAILED, error=error)


def notify(state: RepoState, runtime: Runtime[Any]) -> Update:
    """Tell people what happened to this repository."""
    outcome = state.outcomes[-1]
    # Only the step that failed (the last one timed) is unsuccessful, not those before it.
    failed_at = len(state.timings) - 1 if state.error is not None else -1
    outcome.steps = [
        WorkflowStepResult(step=s, repo=outcome.repo, success=i != failed_at, seconds=t)
        for i, (s, t) in enumerate(state.timings)
    ]
    where = outcome.branch or outcome.patch or ""
    text = f"{outcome.repo}: {outcome.status.value}"
    if where:
        text += f" ({where})"
    if outcome.needs_human:
        text += f", {len(outcome.needs_human)} item(s) need a person"
    if outcome.error:
        text += f": {outcome.error}"
    context = runtime.context if runtime is not None else None
    if isinstance(context, Context):
        context.notifier.notify(
            Notification(
                "repo_done",
                state.run_id,
                state.request.database,
                text,
                {
                    "repo": outcome.repo,
                    "status": outcome.status.value,
                    "branch": outcome.branch,
                    "pr_record": outcome.pr_record,
                    "patch": outcome.patch,
                    "error": outcome.error,
                    "needs_human": len(outcome.needs_human),
                },
            )
        )
    return {}


def summarize(state: RunState, runtime: Runtime[Any]) -> Update:
    """Fan in: one summary of the whole run."""
    outcomes = sorted(state.outcomes, key=lambda o: o.repo)
    session = llm_of(runtime)
    summary = DecommissioningSummary(
        run_id=state.run_id,
        database=state.request.database,
        repos=outcomes,
        seconds=max(0.0, time.time() - state.started) if state.started else 0.0,
        dry_run=state.request.dry_run,
        tokens=session.ledger.to_json() if session is not None else {},
    )
    context = runtime.context if runtime is not None else None
    if isinstance(context, Context):
        context.notifier.notify(run_done(summary))
    return {"summary": summary}
