"""`agent/` is the domain: it must not import LangGraph or `graph`.

Only the entry points may run the graph: the CLI (`agent/cli/`) and the notebook API
(`agent/notebook/`, which imports `graph` inside its functions so `import agent` stays light).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Entry points: they may start the graph.
ENTRY_POINTS = (ROOT / "agent" / "cli", ROOT / "agent" / "notebook")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_agent_does_not_import_langgraph_or_graph() -> None:
    offenders = []
    for path in sorted((ROOT / "agent").rglob("*.py")):
        if any(path.is_relative_to(entry) for entry in ENTRY_POINTS):
            continue
        for name in imported_modules(path):
            if name.startswith(("langgraph", "graph.")) or name == "graph":
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_graph_nodes_hold_no_domain_logic() -> None:
    # Nodes call agent.pipeline; they do not reach into rules, discovery or git directly.
    nodes = imported_modules(ROOT / "graph" / "nodes.py")
    forbidden = ("agent.refactor", "agent.discovery.engine", "agent.forge")
    assert not any(n.startswith(forbidden) for n in nodes)
