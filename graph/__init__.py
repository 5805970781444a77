"""LangGraph wiring for decom."""
