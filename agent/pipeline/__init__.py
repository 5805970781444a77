"""One repository's decommission, step by step, without LangGraph (the graph wires these)."""
