"""Run-time dependencies of the nodes that are not state: notifier, logger (per run)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from agent.notify import FanoutNotifier, Notifier

if TYPE_CHECKING:
    from agent.forge.github import GitHubForge
    from agent.llm.session import LlmSession
    from agent.settings import Settings


@dataclass
class Context:
    """Given to every node through ``Runtime[Context]``; rebuilt on resume, never persisted."""

    #: Where notifications go.
    notifier: Notifier = field(default_factory=lambda: FanoutNotifier([]))
    #: GitHub, when a token is configured (repositories given as owner/name or URLs).
    github: GitHubForge | None = None
    #: The LLM roles, when a model is configured (None: deterministic mode).
    llm: LlmSession | None = None
    #: The run's settings, for the environment checks (never stored in state: secrets).
    settings: Settings | None = None
    #: Bounds forge writes (commits, pushes, pull requests) across the run's repositories.
    forge_writes: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(2)
    )


def github_of(runtime: Any) -> GitHubForge | None:
    """The run's GitHub forge, if the runtime carries one."""
    context = getattr(runtime, "context", None)
    return context.github if isinstance(context, Context) else None


def llm_of(runtime: Any) -> LlmSession | None:
    """The run's LLM session, if a model is configured."""
    context = getattr(runtime, "context", None)
    return context.llm if isinstance(context, Context) else None


def settings_of(runtime: Any) -> Settings | None:
    """The run's settings, if the runtime carries them."""
    context = getattr(runtime, "context", None)
    return context.settings if isinstance(context, Context) else None
