"""Where changes go: git plumbing and forges (the local one by default)."""
