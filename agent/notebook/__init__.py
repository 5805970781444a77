"""decom in a notebook: ``Session`` drives a decommission step by step (and by chat).

An entry point like ``agent/cli``: it may start the graph, which it imports only when an
operation runs.
"""

from agent.notebook.session import Session

__all__ = ["Session"]
