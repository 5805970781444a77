"""The compiled graphs ``langgraph.json`` names, for ``langgraph dev`` and LangGraph Studio.

They carry no checkpointer: the LangGraph server brings its own.

- ``run``: the whole run as one graph (validate -> one branch per repository -> summarize).
- ``repository``: one repository (discover -> plan -> approve -> refactor -> qa_critic ->
  open_pr -> notify), the graph ``decom run`` drives per repository.
"""

from __future__ import annotations

from graph.builder import build_graph, build_repo_graph

run = build_graph().compile()
repository = build_repo_graph().compile()
