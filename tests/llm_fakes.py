"""Boundary fakes for the LLM tests: a scripted chat model and a local OpenAI-compatible server.

Only the model is fake. The scripted model replays :class:`AIMessage` objects (with tool calls
and usage metadata) through langchain's real ``BaseChatModel`` machinery; the HTTP server is a
real server on 127.0.0.1 that the real ``langchain-openai`` client talks to.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field

from agent.settings import Settings

MODEL_ENV = (
    "DECOM_MODEL",
    "DECOM_DISCOVERY_MODEL",
    "DECOM_REFACTOR_MODEL",
    "DECOM_CRITIC_MODEL",
    "DECOM_WRITER_MODEL",
    "DECOM_REPO_TOKEN_BUDGET",
    "DECOM_MODEL_TIMEOUT_SECONDS",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
)


def make_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **values: Any) -> Settings:
    """Settings from ``values`` only: no model variables from the environment, no decom.toml."""
    for name in MODEL_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return Settings(**values)


def answer(text: str, tokens_in: int = 10, tokens_out: int = 5, **extra: Any) -> AIMessage:
    """A scripted model answer with usage metadata."""
    usage = {
        "input_tokens": tokens_in,
        "output_tokens": tokens_out,
        "total_tokens": tokens_in + tokens_out,
    }
    return AIMessage(content=text, usage_metadata=usage, **extra)


def calls(*tool_calls: tuple[str, dict[str, Any]], tokens: int = 20) -> AIMessage:
    """A scripted answer that calls tools (ids ``call_1``, ``call_2``...)."""
    return answer(
        "",
        tokens,
        0,
        tool_calls=[
            {"name": name, "args": args, "id": f"call_{n}", "type": "tool_call"}
            for n, (name, args) in enumerate(tool_calls, start=1)
        ],
    )


@dataclass(frozen=True)
class Slow:
    """A scripted step that answers only after ``seconds``."""

    seconds: float
    message: AIMessage


class ScriptedChatModel(BaseChatModel):
    """Replays a script: answers, exceptions (raised), or :class:`Slow` answers."""

    script: list[Any] = Field(default_factory=list)
    received: list[list[BaseMessage]] = Field(default_factory=list)
    options: list[dict[str, Any]] = Field(default_factory=list)
    tool_names: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.received.append(list(messages))
        self.options.append(dict(kwargs))
        if not self.script:
            raise RuntimeError("the script has no more answers")
        step = self.script.pop(0)
        if isinstance(step, BaseException):
            raise step
        if isinstance(step, Slow):
            time.sleep(step.seconds)
            step = step.message
        return ChatResult(generations=[ChatGeneration(message=step)])

    def bind_tools(
        self, tools: Sequence[Any], **kwargs: Any
    ) -> Runnable[LanguageModelInput, AIMessage]:
        self.tool_names.extend(t.name if isinstance(t, BaseTool) else str(t) for t in tools)
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)


@dataclass
class Reply:
    """One canned HTTP reply: status, JSON body, and how long to wait before sending it."""

    body: dict[str, Any]
    status: int = 200
    delay: float = 0.0


@dataclass
class Recorded:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeOpenAIServer:
    """A Chat Completions endpoint on 127.0.0.1 answering from a queue of replies."""

    replies: list[Reply] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    url: str = ""


def completion(
    content: str | None,
    *,
    tool_calls: list[dict[str, Any]] | None = None,
    prompt_tokens: int = 12,
    completion_tokens: int = 7,
    model: str = "gpt-4o-mini-2024-07-18",
) -> dict[str, Any]:
    """A Chat Completions response body as OpenAI documents it."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = [
            {
                "id": f"call_{n}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(args)},
            }
            for n, (name, args) in enumerate(((c["name"], c["args"]) for c in tool_calls), start=1)
        ]
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if tool_calls else "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


@contextmanager
def fake_openai_server(replies: Sequence[Reply] = ()) -> Iterator[FakeOpenAIServer]:
    """Serve canned Chat Completions replies on 127.0.0.1 (an ephemeral port) for the block."""
    state = FakeOpenAIServer(replies=list(replies))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            with lock:
                state.requests.append(
                    Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                reply = state.replies.pop(0) if state.replies else Reply({"error": {}}, 500)
            time.sleep(reply.delay)
            data = json.dumps(reply.body).encode()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                return  # the client gave up waiting (timeout tests)

        def log_message(self, format: str, *args: Any) -> None:
            return  # keep test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` with its bytes (links recorded by target)."""
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[relative] = b"-> " + str(path.readlink()).encode()
        elif path.is_file():
            found[relative] = path.read_bytes()
    return found
