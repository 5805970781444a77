"""decom domain logic.

``from agent import Session`` gives the notebook API; it is imported on first use, so
``import agent`` (which every ``decom scan`` does) stays light.
"""

from __future__ import annotations

#: ``typing.TYPE_CHECKING`` without importing :mod:`typing` (~12 ms, before ``decom scan``
#: starts ripgrep); mypy treats a module-level ``TYPE_CHECKING = False`` the same way.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

    from agent.notebook import Session

__all__ = ["Session"]


def __getattr__(name: str) -> Any:
    """Import ``Session`` lazily (PEP 562)."""
    if name == "Session":
        from agent.notebook import Session

        return Session
    raise AttributeError(f"module 'agent' has no attribute {name!r}")
