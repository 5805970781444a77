"""Run the graph with persistence: start a run, resume one, read one back."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph.state import CompiledStateGraph

from agent import logs
from agent.errors import InputError
from agent.models import DecommissioningSummary
from agent.notify import Notifier
from agent.pipeline.request import RunRequest
from graph.builder import build_graph
from graph.context import Context
from graph.state import RunInput

if TYPE_CHECKING:
    from agent.forge.github import GitHubForge
    from agent.llm.session import LlmSession
    from agent.settings import Settings

#: Classes the checkpoint may hold (LangGraph refuses to revive unknown types).
_ALLOWED: list[tuple[str, str]] = [
    ("agent.discovery.models", name)
    for name in (
        "ScanResult", "ScanStats", "Reference", "SkippedFile", "Alias", "Via", "Location",
        "SourceType", "ReferenceKind", "AliasForm",
    )
] + [
    ("agent.pipeline.models", name)
    for name in ("RepoContext", "Plan", "PlannedFile", "Changeset", "FileChange")
] + [
    ("agent.models", name)
    for name in (
        "QualityAssuranceResult", "ValidationResult", "Finding", "CheckStatus", "RepoOutcome",
        "RepoStatus", "FileProcessingResult", "WorkflowStepResult", "DecommissioningSummary",
    )
] + [
    ("agent.refactor.base", "Action"),
    ("agent.pipeline.request", "RunRequest"),
    ("graph.state", "RepoState"),
    ("graph.state", "RunState"),
]  # fmt: skip


def serializer() -> JsonPlusSerializer:
    """The checkpoint serializer, allowing decom's own types."""
    return JsonPlusSerializer(allowed_msgpack_modules=_ALLOWED)


@contextmanager
def checkpointer(state_dir: Path) -> Iterator[SqliteSaver]:
    """A SQLite checkpointer under the state directory."""
    state_dir.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(state_dir / "checkpoints.sqlite", check_same_thread=False)
    # WAL with NORMAL sync survives a killed process (what --resume is for) without an fsync
    # per checkpoint, which otherwise costs more than the rest of a run.
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    try:
        yield SqliteSaver(conn, serde=serializer())
    finally:
        conn.close()


def new_run_id(database: str) -> str:
    """A sortable, readable run id."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    return f"{stamp}-{database[:40]}-{uuid.uuid4().hex[:6]}"


def save_request(request: RunRequest, run_id: str) -> Path:
    """Write the run's request next to its artefacts (so ``--resume`` can find it)."""
    folder = request.run_dir(run_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "run.json"
    path.write_text(request.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path


def load_request(state_dir: Path, run_id: str) -> RunRequest:
    """The request of an earlier run.

    Raises:
        InputError: there is no such run in ``state_dir``.
    """
    path = state_dir / "runs" / run_id / "run.json"
    if not path.is_file():
        raise InputError(
            f"no run {run_id!r} in {state_dir}: see the folders in {state_dir / 'runs'}"
        )
    return RunRequest.model_validate(json.loads(path.read_text()))


def execute(
    request: RunRequest,
    run_id: str,
    notifier: Notifier,
    *,
    resume: bool = False,
    max_concurrency: int = 4,
    graph: CompiledStateGraph[Any, Any, Any, Any] | None = None,
    github: GitHubForge | None = None,
    llm: LlmSession | None = None,
    settings: Settings | None = None,
) -> DecommissioningSummary:
    """Run (or resume) the graph to the end; return the summary."""
    config: RunnableConfig = {
        "configurable": {"thread_id": run_id},
        "max_concurrency": max_concurrency,
        "recursion_limit": 100,
    }
    logs.configure(request.run_dir(run_id) / "decom.log.jsonl")
    context = Context(notifier=notifier, github=github, llm=llm, settings=settings)
    with checkpointer(Path(request.state_dir)) as saver:
        compiled = graph or build_graph().compile(checkpointer=saver)
        if resume:
            snapshot = compiled.get_state(config)
            if not snapshot.next and snapshot.values.get("summary") is not None:
                summary: DecommissioningSummary = snapshot.values["summary"]
                return summary
            result = compiled.invoke(None, config, context=context)
        else:
            result = compiled.invoke(
                RunInput(run_id=run_id, request=request), config, context=context
            )
    final = result["summary"]
    assert isinstance(final, DecommissioningSummary)
    return final
