"""Repository folders given by the user: checked, and named after their folder."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.errors import InputError


@dataclass(frozen=True, slots=True)
class Repository:
    """A folder to scan and the name it is reported under."""

    name: str
    root: Path


def repositories_from_paths(paths: Sequence[str | Path]) -> list[Repository]:
    """Check user-given repository paths and name each after its folder.

    Two folders with the same name get ``-2``, ``-3``... so every reference stays traceable.

    Raises:
        InputError: no path, or a path that is missing, not a folder or not readable.
    """
    if not paths:
        raise InputError("no repository given: pass one or more repository folders")
    repos: list[Repository] = []
    seen: dict[str, int] = {}
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise InputError(f"repository path does not exist: {raw}")
        if not path.is_dir():
            raise InputError(f"repository path is not a folder: {raw}")
        if not os.access(path, os.R_OK | os.X_OK):
            raise InputError(f"repository folder is not readable: {raw}")
        root = path.resolve()
        name = root.name or "root"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name}-{seen[name]}"
        repos.append(Repository(name, root))
    return repos
