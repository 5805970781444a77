"""QA: deterministic checks on rewritten files, and the critic that combines them."""
