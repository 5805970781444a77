"""Build the graph: validate -> fan out per repository -> summarize.

Per repository (a subgraph): discover -> plan -> approve (a pause for a person, when the run
asks for approval) -> refactor -> qa_critic -> (refactor while the checks fail, bounded) ->
open_pr -> notify.
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from graph import nodes, routing
from graph.context import Context
from graph.state import RepoOutput, RepoState, RunInput, RunOutput, RunState


def build_repo_graph() -> StateGraph[RepoState, Context, RepoState, RepoOutput]:
    """The uncompiled per-repository subgraph."""
    g: StateGraph[RepoState, Context, RepoState, RepoOutput] = StateGraph(
        RepoState, context_schema=Context, output_schema=RepoOutput
    )
    g.add_node("discover", nodes.discover)
    g.add_node("plan", nodes.plan)
    g.add_node("approve", nodes.approve)
    g.add_node("refactor", nodes.refactor)
    g.add_node("qa_critic", nodes.qa_critic)
    g.add_node("open_pr", nodes.open_pr)
    g.add_node("report_failure", nodes.report_failure)
    g.add_node("notify", nodes.notify)
    g.add_edge(START, "discover")
    g.add_conditional_edges("discover", routing.route_after_discover)
    g.add_conditional_edges(
        "plan",
        routing.route_after_step,
        {"continue": "approve", "report_failure": "report_failure"},
    )
    g.add_conditional_edges(
        "approve",
        routing.route_after_approve,
        {"continue": "refactor", "report_failure": "report_failure"},
    )
    g.add_conditional_edges(
        "refactor",
        routing.route_after_step,
        {"continue": "qa_critic", "report_failure": "report_failure"},
    )
    g.add_conditional_edges("qa_critic", routing.route_after_qa)
    g.add_edge("open_pr", "notify")
    g.add_edge("report_failure", "notify")
    g.add_edge("notify", END)
    return g


def build_graph() -> StateGraph[RunState, Context, RunInput, RunOutput]:
    """The uncompiled run graph (compile it with a checkpointer of your choice)."""
    g: StateGraph[RunState, Context, RunInput, RunOutput] = StateGraph(
        RunState, context_schema=Context, input_schema=RunInput, output_schema=RunOutput
    )
    g.add_node("validate_environment", nodes.validate_environment)
    # Checkpoints per repository, not per step: a repository is the unit that resumes (its
    # steps are cheap and idempotent), and per-step checkpoints of file contents cost more
    # than the steps themselves.
    g.add_node("repository", build_repo_graph().compile(checkpointer=False))
    g.add_node("summarize", nodes.summarize)
    g.add_edge(START, "validate_environment")
    g.add_conditional_edges("validate_environment", routing.route_after_validate, ["repository"])
    g.add_edge("repository", "summarize")
    g.add_edge("summarize", END)
    return g


def compiled() -> CompiledStateGraph[RunState, Context, RunInput, RunOutput]:
    """The graph compiled without persistence (for ``langgraph.json`` and quick use)."""
    return build_graph().compile()
