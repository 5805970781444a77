"""Repository folders given by the user: checked, and named after their folder."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.discovery.launch import checked_folders


@dataclass(frozen=True, slots=True)
class Repository:
    """A folder to scan and the name it is reported under."""

    name: str
    root: Path


def repositories_from_paths(paths: Sequence[str | Path]) -> list[Repository]:
    """Check user-given repository paths and name each after its folder.

    Two folders with the same name get ``-2``, ``-3``... so every reference stays traceable.
    The checks are :func:`agent.discovery.launch.checked_folders` (light, for ``decom scan``).

    Raises:
        InputError: no path, or a path that is missing, not a folder or not readable.
    """
    return as_repositories(checked_folders(paths))


def as_repositories(folders: Iterable[tuple[str, str]]) -> list[Repository]:
    """The ``(name, folder)`` pairs of :func:`~agent.discovery.launch.checked_folders`."""
    return [Repository(name, Path(root)) for name, root in folders]
