"""Placeholder until the docs rule lands: every file goes to a human."""

from __future__ import annotations

from agent.discovery.models import SourceType
from agent.refactor.base import Action, FileEdit, Rewrite


class DocsRule:
    """Sends every file to a human (no automatic rewrite yet)."""

    name = "docs"
    source_types = frozenset({SourceType.MARKDOWN, SourceType.RST, SourceType.TEXT})

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """No automatic rewrite: needs a human."""
        return Rewrite(Action.NEEDS_HUMAN, "no automatic rewrite for this file type yet", None)


class CodeownersRule:
    """Sends every file to a human (no automatic rewrite yet)."""

    name = "codeowners"
    source_types = frozenset({SourceType.CODEOWNERS})

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """No automatic rewrite: needs a human."""
        return Rewrite(Action.NEEDS_HUMAN, "no automatic rewrite for this file type yet", None)
