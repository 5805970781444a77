"""Decisions a person recorded in a notebook, kept beside the run until ``apply`` uses them.

They live in ``<state dir>/runs/<run id>/decisions.json`` (not in memory), so a new kernel
that reattaches to the run applies what the previous one approved.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import ValidationError

from agent.errors import InputError
from agent.pipeline.approval import ApprovalDecision

FILE_NAME = "decisions.json"


def load_decisions(run_dir: Path) -> dict[str, ApprovalDecision]:
    """The recorded decisions per repository target (none recorded: empty).

    Raises:
        InputError: the file exists but is not decisions (edited by hand?).
    """
    path = run_dir / FILE_NAME
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): ApprovalDecision.model_validate(v) for k, v in dict(raw).items()}
    except (ValueError, TypeError, ValidationError) as exc:
        first = str(exc).splitlines()[0]
        raise InputError(f"cannot read {path} ({first}): delete it and approve again") from None


def save_decisions(run_dir: Path, decisions: dict[str, ApprovalDecision]) -> None:
    """Replace the recorded decisions (atomically: a crash leaves the old or the new file)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / FILE_NAME
    scratch = path.with_suffix(".json.tmp")
    data = {k: v.model_dump(mode="json") for k, v in sorted(decisions.items())}
    scratch.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(scratch, path)
