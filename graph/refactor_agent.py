"""The refactor agent's tool loop: model -> tools -> model ... until it stops, bounded.

The model calls ``read_lines``/``replace_lines``/``delete_file`` (see
:mod:`agent.llm.refactor`); :class:`~langgraph.prebuilt.ToolNode` runs them and turns a
refusal (:class:`~agent.errors.EditRefusedError`) or bad arguments into a tool message the
model can recover from. The loop ends when the model answers without tool calls, after
``max_steps`` model turns, or once its answers used ``token_budget`` tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, cast

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AnyMessage, BaseMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode
from langgraph.prebuilt.tool_node import ToolInvocationError

from agent.errors import EditRefusedError
from agent.llm.refactor import MAX_AGENT_STEPS


@dataclass(kw_only=True)
class RefactorAgentInput:
    """What the loop starts from."""

    #: The conversation (system prompt and task first); answers and tool results accumulate.
    messages: Annotated[list[AnyMessage], add_messages] = field(default_factory=list)
    #: Model turns allowed.
    max_steps: int = MAX_AGENT_STEPS
    #: Tokens the model's answers may use before the loop stops (0: none at all).
    token_budget: int = 0


@dataclass(kw_only=True)
class RefactorAgentState(RefactorAgentInput):
    """The loop's state."""

    #: Model turns taken.
    steps: int = 0
    #: Tokens the model's answers reported so far.
    tokens_used: int = 0


def route_after_agent(state: RefactorAgentState) -> Literal["tools", "__end__"]:
    """Run the tools the model asked for, unless it is done or a bound is reached."""
    last = state.messages[-1] if state.messages else None
    if not isinstance(last, AIMessage) or not last.tool_calls:
        return "__end__"
    if state.steps >= state.max_steps or state.tokens_used >= state.token_budget:
        return "__end__"
    return "tools"


def build_refactor_agent(
    model: BaseChatModel, tools: Sequence[BaseTool]
) -> StateGraph[RefactorAgentState, None, RefactorAgentInput, RefactorAgentState]:
    """The uncompiled tool loop of ``model`` over ``tools``."""
    bound = model.bind_tools(list(tools))

    def agent(state: RefactorAgentState) -> dict[str, Any]:
        """Ask the model for its next step."""
        answer = bound.invoke(state.messages)
        usage = answer.usage_metadata if isinstance(answer, AIMessage) else None
        return {
            "messages": [answer],
            "steps": state.steps + 1,
            "tokens_used": state.tokens_used + (usage["total_tokens"] if usage else 0),
        }

    g: StateGraph[RefactorAgentState, None, RefactorAgentInput, RefactorAgentState] = StateGraph(
        RefactorAgentState, input_schema=RefactorAgentInput
    )
    g.add_node("agent", agent)
    g.add_node("tools", ToolNode(list(tools), handle_tool_errors=_TOOL_ERRORS))
    g.add_edge(START, "agent")
    g.add_conditional_edges("agent", route_after_agent)
    g.add_edge("tools", "agent")
    return g


#: Tool failures the model is told about; anything else is a bug and ends the loop.
_TOOL_ERRORS: tuple[type[Exception], ...] = (EditRefusedError, ToolInvocationError)


def run_refactor_agent(
    model: BaseChatModel,
    tools: Sequence[BaseTool],
    messages: Sequence[BaseMessage],
    *,
    token_budget: int,
    max_steps: int = MAX_AGENT_STEPS,
) -> list[BaseMessage]:
    """Run the loop to its end; every message of the conversation (an ``agent.llm`` ToolLoop)."""
    compiled = build_refactor_agent(model, tools).compile()
    # Each step is one model turn and one tools turn; the state's bounds end the loop first.
    config: RunnableConfig = {"recursion_limit": 2 * max_steps + 3}
    start = RefactorAgentInput(
        messages=cast(list[AnyMessage], list(messages)),
        max_steps=max_steps,
        token_budget=token_budget,
    )
    result = compiled.invoke(start, config)
    return list(result["messages"])
