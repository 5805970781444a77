"""The refactor agent role: files no deterministic rule handles, edited through three tools.

For each planned file that the planner left to a person only because no rule exists for its
type (never a migration, never an unreadable file), a tool loop gets an
:class:`~agent.llm.workspace.EditWorkspace` holding that one file. The loop itself is LangGraph
wiring (``graph/refactor_agent.py``) and is handed in as a :class:`ToolLoop`, so this module
stays free of the graph. What the agent leaves becomes the file's planned change, which then
goes through the same critic loop as every rule's output (and back to a person on failure).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import structlog
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.tools import BaseTool, StructuredTool

from agent.discovery.models import SourceType
from agent.llm.factory import LlmRole
from agent.llm.session import LlmSession
from agent.llm.workspace import EditWorkspace, WorkspaceEdit
from agent.pipeline.models import Plan, PlannedFile
from agent.pipeline.plan import is_migration
from agent.qa.parsing import check_parses
from agent.refactor.base import Action, split_lines
from agent.refactor.rules import rule_for
from prompts.refactor import (
    DELETE_FILE_TOOL,
    READ_LINES_TOOL,
    REFACTOR_SYSTEM,
    REFACTOR_USER,
    REPLACE_LINES_TOOL,
    DeleteFileArgs,
    ReadLinesArgs,
    ReplaceLinesArgs,
)

log = structlog.get_logger("decom")

#: The rule name recorded on files the agent changed.
AGENT_RULE = "llm_refactor"
#: Lines of context shown around each reference in the first message.
EXCERPT_CONTEXT = 3
#: Model turns per file; the loop stops there whatever the model wants.
MAX_AGENT_STEPS = 8


class ToolLoop(Protocol):
    """Runs a model with tools until it stops calling them (or a bound is hit)."""

    def __call__(
        self,
        model: BaseChatModel,
        tools: Sequence[BaseTool],
        messages: Sequence[BaseMessage],
        *,
        token_budget: int,
        max_steps: int,
    ) -> list[BaseMessage]:
        """Every message of the conversation, the given ones first."""
        ...


def workspace_tools(workspace: EditWorkspace) -> list[BaseTool]:
    """``read_lines``, ``replace_lines`` and ``delete_file`` bound to ``workspace``."""
    return [
        StructuredTool.from_function(
            func=workspace.read_lines,
            name="read_lines",
            description=READ_LINES_TOOL,
            args_schema=ReadLinesArgs,
        ),
        StructuredTool.from_function(
            func=workspace.replace_lines,
            name="replace_lines",
            description=REPLACE_LINES_TOOL,
            args_schema=ReplaceLinesArgs,
        ),
        StructuredTool.from_function(
            func=workspace.delete_file,
            name="delete_file",
            description=DELETE_FILE_TOOL,
            args_schema=DeleteFileArgs,
        ),
    ]


def has_no_rule(planned: PlannedFile) -> bool:
    """Whether the planner gave the file to a person only because no rule handles its type."""
    if planned.action is not Action.NEEDS_HUMAN or planned.rule != "planner":
        return False
    if is_migration(planned.path) or planned.reason == "unreadable":
        return False
    try:
        source_type = SourceType(planned.source_type)
    except ValueError:
        return False
    return rule_for(source_type, planned.path) is None


def excerpt(text: str, ref_lines: Sequence[int], context: int = EXCERPT_CONTEXT) -> str:
    """The numbered lines around ``ref_lines`` (``...`` between separate windows)."""
    lines = split_lines(text)
    shown: set[int] = set()
    for ref in ref_lines:
        shown.update(range(max(1, ref - context), min(len(lines), ref + context) + 1))
    out: list[str] = []
    previous = 0
    for number in sorted(shown):
        if previous and number != previous + 1:
            out.append("...")
        out.append(f"{number}: {lines[number - 1].rstrip(chr(10)).rstrip(chr(13))}")
        previous = number
    return "\n".join(out)


def refactor_without_rules(
    session: LlmSession,
    repo: str,
    database: str,
    plan: Plan,
    root: Path,
    loop: ToolLoop,
) -> list[PlannedFile]:
    """Let the agent propose changes for the plan's files that no rule handles.

    Args:
        session: the run's LLM session (model, budget, ledger).
        repo: the repository's name (for the budget and the ledger).
        database: the database being retired.
        plan: the repository's plan.
        root: the folder the plan was made from (the scan root).
        loop: the tool loop (``graph.refactor_agent.run_refactor_agent``).

    Returns:
        One updated planned file per file the agent changed; files it did not change, or
        whose change failed to parse, stay as planned (for a person).
    """
    model = session.model(LlmRole.REFACTOR)
    proposals: list[PlannedFile] = []
    for planned in plan.files:
        if model is None or not session.usable(LlmRole.REFACTOR, repo):
            break
        if not has_no_rule(planned):
            continue
        proposal = _refactor_one(session, repo, database, planned, root, model, loop)
        if proposal is not None:
            proposals.append(proposal)
    return proposals


def _refactor_one(
    session: LlmSession,
    repo: str,
    database: str,
    planned: PlannedFile,
    root: Path,
    model: BaseChatModel,
    loop: ToolLoop,
) -> PlannedFile | None:
    workspace, refused = EditWorkspace.load(root, [planned.path])
    if refused:
        log.warning("llm_refactor_skipped", repo=repo, path=planned.path, reason=refused)
        return None
    text = workspace.original(planned.path)
    messages: list[BaseMessage] = [
        SystemMessage(REFACTOR_SYSTEM),
        HumanMessage(
            REFACTOR_USER.format(
                database=database,
                path=planned.path,
                source_type=planned.source_type,
                reason=planned.reason,
                ref_lines=", ".join(str(n) for n in planned.ref_lines) or "unknown",
                excerpt=excerpt(text, planned.ref_lines),
            )
        ),
    ]
    budget = session.tokens_left(repo)
    tools = workspace_tools(workspace)
    conversation = session.guarded(
        LlmRole.REFACTOR,
        repo,
        lambda: loop(model, tools, messages, token_budget=budget, max_steps=MAX_AGENT_STEPS),
        calls=MAX_AGENT_STEPS,
    )
    workspace.close()
    if conversation is None:
        return None
    produced = conversation[len(messages) :]
    answers = [m for m in produced if isinstance(m, AIMessage)]
    session.record(LlmRole.REFACTOR, repo, answers)
    refusals = [m for m in produced if isinstance(m, ToolMessage) and m.status == "error"]
    log.info(
        "llm_refactor",
        repo=repo,
        path=planned.path,
        turns=len(answers),
        refused_tool_calls=len(refusals),
    )
    if not answers or answers[-1].tool_calls:
        # Stopped by a bound, not by the model saying it is done: its edits may be half made.
        log.warning("llm_refactor_unfinished", repo=repo, path=planned.path)
        return None
    summary = str(answers[-1].text).strip()
    edits = workspace.edits()
    if not edits:
        return None
    return proposal_from_edit(planned, edits[0], summary, repo)


def proposal_from_edit(
    planned: PlannedFile, edit: WorkspaceEdit, summary: str, repo: str
) -> PlannedFile | None:
    """The planned file as the agent left it; None when its edit broke a file that parsed."""
    why = summary[:300] or "edited by the refactor agent"
    if edit.new_text is None:
        return planned.model_copy(
            update={
                "action": Action.DELETE_FILE,
                "rule": AGENT_RULE,
                "reason": f"deleted by the refactor agent: {why}",
                "new_text": None,
                "touched": [],
            }
        )
    source_type = SourceType(planned.source_type)
    broken = check_parses(source_type, edit.new_text, planned.path)
    if broken is not None and check_parses(source_type, edit.original, planned.path) is None:
        log.warning("llm_refactor_rejected", repo=repo, path=planned.path, reason=broken[:200])
        return None
    return planned.model_copy(
        update={
            "action": Action.STRUCTURAL_EDIT,
            "rule": AGENT_RULE,
            "reason": f"edited by the refactor agent: {why}",
            "new_text": edit.new_text,
            "touched": edit.touched,
        }
    )


def with_proposals(plan: Plan, proposals: Sequence[PlannedFile]) -> Plan:
    """The plan with the agent's proposals in place of the files they replace."""
    by_path = {p.path: p for p in proposals}
    return plan.model_copy(update={"files": [by_path.get(f.path, f) for f in plan.files]})
