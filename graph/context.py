"""Run-time dependencies of the nodes that are not state: notifier, logger (per run)."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.notify import FanoutNotifier, Notifier


@dataclass
class Context:
    """Given to every node through ``Runtime[Context]``; rebuilt on resume, never persisted."""

    #: Where notifications go.
    notifier: Notifier = field(default_factory=lambda: FanoutNotifier([]))
