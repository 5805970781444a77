"""A small repository and the changeset every forge test publishes (local and GitHub)."""

from __future__ import annotations

from agent.pipeline.models import Changeset, FileChange
from agent.refactor.base import Action

FILES: dict[str, str | bytes] = {
    "config.env": "A=1\nPAYROLL_LEDGER_URL=postgres://h/payroll_ledger\nB=2\n",
    "runbook.md": "# Payroll Ledger\n",
    "keep.txt": "unrelated\n",
}


def changes(text: str = "A=1\nB=2\n") -> Changeset:
    """Edit config.env to ``text`` and delete runbook.md."""
    return Changeset(
        changes=[
            FileChange(
                path="config.env", source_type="env_file", action=Action.STRUCTURAL_EDIT,
                rule="settings", reason="removed the setting", new_text=text, touched=[(2, 2)],
            ),
            FileChange(
                path="runbook.md", source_type="markdown", action=Action.DELETE_FILE,
                rule="planner", reason="dedicated", new_text=None,
            ),
        ]
    )  # fmt: skip
