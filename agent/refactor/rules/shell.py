"""Placeholder until the shell rule lands: every file goes to a human."""

from __future__ import annotations

from agent.discovery.models import SourceType
from agent.refactor.base import Action, FileEdit, Rewrite


class ShellRule:
    """Sends every file to a human (no automatic rewrite yet)."""

    name = "shell"
    source_types = frozenset(
        {SourceType.SHELL, SourceType.POWERSHELL, SourceType.DOCKERFILE, SourceType.MAKEFILE}
    )

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """No automatic rewrite: needs a human."""
        return Rewrite(Action.NEEDS_HUMAN, "no automatic rewrite for this file type yet", None)
