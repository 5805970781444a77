"""Routers: pure functions of the state, no side effects."""

from __future__ import annotations

from typing import Literal

from langgraph.types import Send

from agent.models import CheckStatus
from graph.state import RepoState, RunState


def route_after_validate(state: RunState) -> list[Send]:
    """Fan out: one branch per repository."""
    return [
        Send("repository", RepoState(run_id=state.run_id, request=state.request, repo=repo))
        for repo in state.request.repos
    ]


def route_after_discover(state: RepoState) -> Literal["plan", "open_pr", "report_failure"]:
    """No references: straight to reporting; failure: record it."""
    if state.error is not None:
        return "report_failure"
    if state.scan is not None and not state.scan.references:
        return "open_pr"
    return "plan"


def route_after_step(state: RepoState) -> Literal["continue", "report_failure"]:
    """Stop the branch when a step failed."""
    return "report_failure" if state.error is not None else "continue"


def route_after_approve(state: RepoState) -> Literal["continue", "report_failure"]:
    """Go on with the (possibly narrowed) plan, unless it failed or a reviewer aborted."""
    if state.error is not None or state.aborted is not None:
        return "report_failure"
    return "continue"


def route_after_qa(state: RepoState) -> Literal["refactor", "open_pr", "report_failure"]:
    """Loop back to ``refactor`` while checks fail, at most ``max_qa_iterations`` + 1 times.

    The extra pass is the final one, in which files that still fail are restored; after it
    the change goes on whatever the verdict, because it no longer contains a failing file.
    """
    if state.error is not None:
        return "report_failure"
    assert state.qa is not None
    if state.qa.overall_status is not CheckStatus.FAILED:
        return "open_pr"
    if state.qa.iteration > state.request.max_qa_iterations:
        return "open_pr"
    return "refactor"
