"""Repomix over MCP, with the real repomix (installed by ./dev setup; skipped without node)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from agent.repomix import repomix_command, repomix_session
from agent.settings import Settings
from tests.conftest import MakeRepo

COMMAND = repomix_command(Settings())
pytestmark = pytest.mark.skipif(
    COMMAND is None or shutil.which("node") is None,
    reason="repomix is not installed (./dev setup installs it when node and npm exist)",
)


def test_pack_grep_and_read_one_repository(make_repo: MakeRepo) -> None:
    repo = make_repo(
        "svc",
        {"app/db.py": "LEDGER = 'payroll_ledger'\n", "README.md": "# svc\n"},
    )

    async def scenario() -> tuple[int, int, str, str, list[str]]:
        assert COMMAND is not None
        async with repomix_session(COMMAND, repo) as session:
            found = await session.grep("payroll_ledger")
            head = await session.read(1, 5)
            names = [t.name for t in session.tools()]
            return session.packed.total_files, session.packed.total_tokens, found, head, names

    files, tokens, found, head, names = asyncio.run(scenario())
    assert files == 2 and tokens > 0
    assert "LEDGER = 'payroll_ledger'" in found
    assert head.strip()
    # Only confined tools reach a model: no free file reads, no remote packing.
    assert names == ["repomix_grep", "repomix_read"]


def test_tools_are_bound_to_the_packed_repository(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo("one", {"a.txt": "inside\n"})
    outside = tmp_path / "secret.txt"
    outside.write_text("outside-secret\n")

    async def scenario() -> str:
        assert COMMAND is not None
        async with repomix_session(COMMAND, repo) as session:
            (grep, _read) = session.tools()
            return str(await grep.ainvoke({"pattern": "outside-secret"}))

    assert asyncio.run(scenario()) == "no match"
