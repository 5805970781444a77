"""Repomix over MCP: pack a repository once, then let the refactor agent grep and read it.

One MCP session (``repomix --mcp`` over stdio) per repository, because Repomix keeps packed
outputs per session. Only a confined subset of Repomix's tools is handed to a model:
``repomix_grep`` and ``repomix_read`` on *this* repository's packed output. Repomix's own
``file_system_read_file``, ``pack_remote_repository`` and ``pack_codebase`` with a free
``directory`` are never exposed, since repository content is untrusted input.

When node or repomix is missing, decom says so once and carries on without it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
from langchain_core.tools import BaseTool, StructuredTool

from agent.doctor import find_repomix
from agent.errors import DecomError
from agent.settings import Settings

log = structlog.get_logger("decom.repomix")
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
