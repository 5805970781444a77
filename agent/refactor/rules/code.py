"""Placeholder until the code rule lands: every file goes to a human."""

from __future__ import annotations

from agent.discovery.models import SourceType
from agent.refactor.base import Action, FileEdit, Rewrite


class CodeRule:
    """Sends every file to a human (no automatic rewrite yet)."""

    name = "code"
    source_types = frozenset(
        {
            SourceType.PYTHON,
            SourceType.JAVA,
            SourceType.KOTLIN,
            SourceType.GO,
            SourceType.JAVASCRIPT,
            SourceType.TYPESCRIPT,
        }
    )

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """No automatic rewrite: needs a human."""
        return Rewrite(Action.NEEDS_HUMAN, "no automatic rewrite for this file type yet", None)
