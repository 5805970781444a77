"""The LLM layer's own layering: langchain in ``agent/llm``, LangGraph only in ``graph/``."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_llm_domain_never_imports_langgraph_or_the_graph() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "agent" / "llm").rglob("*.py"))
        for name in imported_modules(path)
        if name.startswith(("langgraph", "graph.")) or name == "graph"
    ]
    assert offenders == []


def test_prompts_are_text_and_schemas_only() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "prompts").rglob("*.py"))
        for name in imported_modules(path)
        if name.split(".")[0] not in {"__future__", "typing", "pydantic", "prompts"}
    ]
    assert offenders == []
