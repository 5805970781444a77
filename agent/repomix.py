"""Repomix over MCP: pack a repository once, then let the refactor agent grep and read it.

One MCP session (``repomix --mcp`` over stdio) per repository, because Repomix keeps packed
outputs per session. Only a confined subset of Repomix's tools is handed to a model:
``repomix_grep`` and ``repomix_read`` on *this* repository's packed output. Repomix's own
``file_system_read_file``, ``pack_remote_repository`` and ``pack_codebase`` with a free
``directory`` are never exposed, since repository content is untrusted input.

When node or repomix is missing, decom says so once and carries on without it.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Coroutine
from concurrent.futures import Future
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import structlog
from langchain_core.tools import BaseTool, StructuredTool

from agent.doctor import find_repomix
from agent.errors import DecomError
from agent.settings import Settings

log = structlog.get_logger("decom.repomix")
T = TypeVar("T")
_WARNED: set[str] = set()


class RepomixError(DecomError):
    """Repomix could not pack or answer."""


@dataclass(frozen=True)
class PackedRepository:
    """A repository packed by Repomix in one session."""

    directory: str
    output_id: str
    total_files: int
    total_tokens: int


def repomix_command(settings: Settings) -> str | None:
    """The repomix executable, or None (logged once) when Repomix is not available."""
    binary = find_repomix(settings)
    if binary is None and "missing" not in _WARNED:
        _WARNED.add("missing")
        log.warning("repomix_unavailable", fix="run ./dev setup (needs node and npm)")
    return binary


def _text(result: Any) -> str:
    parts = [getattr(c, "text", "") for c in getattr(result, "content", [])]
    if getattr(result, "isError", False):
        raise RepomixError(f"repomix: {' '.join(parts)[:200]}")
    return "".join(parts)


class RepomixSession:
    """A live MCP session with one repository packed in it."""

    def __init__(self, session: Any, packed: PackedRepository) -> None:
        self._session = session
        self.packed = packed

    async def grep(self, pattern: str, context_lines: int = 2) -> str:
        """Lines of the packed repository matching a regex, with their line numbers."""
        arguments = {
            "outputId": self.packed.output_id,
            "pattern": pattern,
            "contextLines": max(0, min(context_lines, 10)),
        }
        data = json.loads(_text(await self._session.call_tool("grep_repomix_output", arguments)))
        return "\n".join(data.get("formattedOutput", [])) or "no match"

    async def read(self, start_line: int, end_line: int) -> str:
        """Lines ``start_line``..``end_line`` of the packed output (at most 400 at once)."""
        start = max(1, start_line)
        end = max(start, min(end_line, start + 399))
        arguments = {"outputId": self.packed.output_id, "startLine": start, "endLine": end}
        return _text(await self._session.call_tool("read_repomix_output", arguments))

    def tools(self) -> list[BaseTool]:
        """The confined tools a model may use on this repository."""
        return [
            StructuredTool.from_function(
                coroutine=self.grep,
                name="repomix_grep",
                description="Search this repository's packed content with a regex.",
            ),
            StructuredTool.from_function(
                coroutine=self.read,
                name="repomix_read",
                description="Read lines of this repository's packed content.",
            ),
        ]


@asynccontextmanager
async def repomix_session(command: str, directory: Path) -> AsyncIterator[RepomixSession]:
    """Start ``repomix --mcp``, pack ``directory``, yield the session; always stop the server.

    Raises:
        RepomixError: the server did not start or could not pack the folder.
    """
    from langchain_mcp_adapters.client import MultiServerMCPClient

    client = MultiServerMCPClient(
        {"repomix": {"transport": "stdio", "command": command, "args": ["--mcp"]}}
    )
    try:
        async with client.session("repomix") as session:
            raw = _text(await session.call_tool("pack_codebase", {"directory": str(directory)}))
            data = json.loads(raw)
            packed = PackedRepository(
                directory=str(directory),
                output_id=str(data["outputId"]),
                total_files=int(data.get("totalFiles", 0)),
                total_tokens=int(data.get("totalTokens", 0)),
            )
            log.info("repomix_packed", files=packed.total_files, tokens=packed.total_tokens)
            yield RepomixSession(session, packed)
    except (OSError, KeyError, ValueError, json.JSONDecodeError) as exc:
        raise RepomixError(f"repomix could not pack {directory}: {type(exc).__name__}") from exc


class RepomixBridge:
    """A Repomix session for synchronous callers (the refactor agent's tool loop).

    The MCP session is asynchronous and must be opened and closed by the same task; it runs
    as one long-lived task on its own event loop in a background thread, and this class
    offers blocking versions of its confined tools.
    """

    def __init__(self, command: str, directory: Path, timeout_seconds: float = 120.0) -> None:
        self._command = command
        self._directory = directory
        self._timeout = timeout_seconds
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._session: RepomixSession | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._task: Future[None] | None = None
        self._failure: BaseException | None = None

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        try:
            async with repomix_session(self._command, self._directory) as session:
                self._session = session
                self._ready.set()
                await self._stop.wait()
        except BaseException as exc:
            self._failure = exc
            raise
        finally:
            self._ready.set()

    def __enter__(self) -> RepomixBridge:
        self._thread.start()
        self._task = asyncio.run_coroutine_threadsafe(self._serve(), self._loop)
        if not self._ready.wait(self._timeout) or self._session is None:
            self.__exit__(None, None, None)
            raise RepomixError(f"repomix did not pack {self._directory}: {self._failure!r}")
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._stop is not None:
                self._loop.call_soon_threadsafe(self._stop.set)
            if self._task is not None:
                self._task.result(timeout=self._timeout)
        except (RepomixError, TimeoutError, OSError) as exc:
            # The server is gone either way; the loop below is stopped regardless.
            log.warning("repomix_stop_failed", error=type(exc).__name__)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return future.result(timeout=self._timeout)

    @property
    def packed(self) -> PackedRepository:
        """What Repomix packed (files, tokens)."""
        assert self._session is not None
        return self._session.packed

    def tools(self) -> list[BaseTool]:
        """Blocking ``repomix_grep`` and ``repomix_read`` on this repository only."""
        session = self._session
        assert session is not None

        def grep(pattern: str, context_lines: int = 2) -> str:
            """Search this repository's packed content with a regex."""
            return self._call(session.grep(pattern, context_lines))

        def read(start_line: int, end_line: int) -> str:
            """Read lines of this repository's packed content."""
            return self._call(session.read(start_line, end_line))

        return [
            StructuredTool.from_function(func=grep, name="repomix_grep"),
            StructuredTool.from_function(func=read, name="repomix_read"),
        ]
