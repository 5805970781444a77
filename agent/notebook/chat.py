"""``Session.chat``: a tool-calling model drives the session's own operations.

The model comes from the one factory (:func:`agent.llm.factory.chat_model`). Its tools are
scan, plan, diff, approve, abort, apply and status; their arguments are validated against
the schemas in :mod:`prompts.chat` and then go through the same checks as a
person's calls (only this session's repositories, only planned files, patterns that match),
so a refusal is a message the model reads and nothing changes. ``apply`` runs the same graph
as ``decom run``: the QA critic decides what is committed, whatever the model says.
The loop is bounded (:data:`MAX_CHAT_TURNS` model turns per message).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import StructuredTool
from pydantic import BaseModel, ValidationError

from agent.errors import DecomError, InputError
from agent.llm.factory import LlmRole, chat_model
from agent.notebook.engine import OnStep
from agent.notebook.render import printable
from agent.notebook.views import ChatReply, ToolCallRow
from prompts import chat as p

if TYPE_CHECKING:
    from agent.notebook.session import Session

#: The factory role whose model chats: the refactor agent's, the other tool-calling role
#: (``DECOM_MODEL``, or ``DECOM_REFACTOR_MODEL`` when set).
CHAT_ROLE = LlmRole.REFACTOR
#: Model turns one chat message may take (each turn may call several tools).
MAX_CHAT_TURNS = 12
#: Characters of a tool's result the model reads (a long diff or plan is cut).
MAX_TOOL_RESULT_CHARS = 8000
#: Characters of arguments and results shown per tool call in the reply.
SHOWN_CHARS = 160


@dataclass(frozen=True)
class ChatTool:
    """One operation the model may call."""

    name: str
    description: str
    args: type[BaseModel]
    run: Callable[[Session, Any, OnStep], object]


def _scan(session: Session, _: p.NoArgs, __: OnStep) -> object:
    return session.scan()


def _plan(session: Session, _: p.NoArgs, progress: OnStep) -> object:
    return session.plan(on_step=progress)


def _diff(session: Session, args: p.DiffArgs, _: OnStep) -> object:
    return session.diff(args.path, args.repo)


def _approve(session: Session, args: p.ApproveArgs, _: OnStep) -> object:
    return session.approve(exclude=args.exclude, repo=args.repo)


def _abort(session: Session, args: p.AbortArgs, _: OnStep) -> object:
    return session.abort(args.reason, args.repo)


def _apply(session: Session, args: p.RepoArgs, progress: OnStep) -> object:
    return session.apply(args.repo, on_step=progress)


def _status(session: Session, _: p.NoArgs, __: OnStep) -> object:
    return session.status()


TOOLS: dict[str, ChatTool] = {
    t.name: t
    for t in (
        ChatTool("scan", p.SCAN_TOOL, p.NoArgs, _scan),
        ChatTool("plan", p.PLAN_TOOL, p.NoArgs, _plan),
        ChatTool("diff", p.DIFF_TOOL, p.DiffArgs, _diff),
        ChatTool("approve", p.APPROVE_TOOL, p.ApproveArgs, _approve),
        ChatTool("abort", p.ABORT_TOOL, p.AbortArgs, _abort),
        ChatTool("apply", p.APPLY_TOOL, p.RepoArgs, _apply),
        ChatTool("status", p.STATUS_TOOL, p.NoArgs, _status),
    )
}


def run_tool(session: Session, name: str, raw: Any, progress: OnStep) -> str:
    """Run one tool call; what the model is told (a refusal says why, and nothing changed)."""
    tool = TOOLS.get(name)
    if tool is None:
        return f"refused: there is no tool {name!r}; the tools are {', '.join(TOOLS)}"
    try:
        args = tool.args.model_validate(raw if isinstance(raw, dict) else {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc']) or 'arguments'}: {e['msg']}"
            for e in exc.errors(include_url=False, include_input=False)
        )
        return f"refused: invalid arguments for {name} ({problems}); nothing changed"
    try:
        result = tool.run(session, args, progress)
    except InputError as exc:
        return f"refused: {exc}; nothing changed"
    except DecomError as exc:
        return f"failed: {exc}"
    text = str(result)
    if len(text) > MAX_TOOL_RESULT_CHARS:
        text = text[:MAX_TOOL_RESULT_CHARS] + f"\n... ({len(text)} characters, cut)"
    return text


def chat_turn(session: Session, message: str, *, echo: bool = True) -> ChatReply:
    """Answer one message: the model calls tools until it answers in words (bounded)."""
    say: Callable[[str], None] = _print if echo else _silent
    try:
        model = chat_model(session.settings, CHAT_ROLE)
    except DecomError as exc:
        return _reply(f"The chat model cannot be set up: {exc}")
    if model is None:
        return _reply(p.NO_MODEL_MESSAGE)
    tools = [_schema(session, t, say) for t in TOOLS.values()]
    bound = model.bind_tools(tools)
    history: list[BaseMessage] = session.chat_history
    if not history:
        repos = ", ".join(session.repos)
        history.append(SystemMessage(p.CHAT_SYSTEM.format(database=session.database, repos=repos)))
    history.append(HumanMessage(message))
    calls: list[ToolCallRow] = []
    text = f"(stopped after {MAX_CHAT_TURNS} model turns; ask again to go on)"
    for _ in range(MAX_CHAT_TURNS):
        try:
            answer = bound.invoke(history)
        except Exception as exc:  # noqa: BLE001 - providers raise their own types
            from agent.llm.session import describe_failure

            text = f"The model failed: {describe_failure(exc)}"
            break
        history.append(answer)
        if not answer.tool_calls:
            text = str(answer.text)
            break
        for call in answer.tool_calls:
            arguments = json.dumps(call.get("args") or {}, sort_keys=True)
            say(f"-> {call['name']}({arguments})")
            result = run_tool(session, call["name"], call.get("args"), _progress(session, say))
            say("   " + result.splitlines()[0] if result else "   (no output)")
            history.append(ToolMessage(content=result, tool_call_id=call.get("id") or ""))
            calls.append(ToolCallRow(call["name"], _short(arguments), _short(result)))
    return _reply(text, tuple(calls))


def _schema(session: Session, tool: ChatTool, say: Callable[[str], None]) -> StructuredTool:
    """The tool as the model sees it (its function runs the same checks as :func:`run_tool`)."""

    def call(**kwargs: Any) -> str:
        return run_tool(session, tool.name, kwargs, _progress(session, say))

    return StructuredTool.from_function(
        func=call, name=tool.name, description=tool.description, args_schema=tool.args
    )


def _progress(session: Session, say: Callable[[str], None]) -> OnStep:
    def on_step(target: str, step: str) -> None:
        say(f"   {session.name_of(target)}: {step}")

    return on_step


def _reply(text: str, calls: tuple[ToolCallRow, ...] = ()) -> ChatReply:
    # Not printed: the reply itself is what a notebook cell shows.
    return ChatReply(text, calls)


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= SHOWN_CHARS else line[: SHOWN_CHARS - 1] + "…"


def _print(text: str) -> None:
    print(printable(text), flush=True)


def _silent(_: str) -> None:
    return None
