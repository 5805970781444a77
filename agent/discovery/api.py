"""Start a scan as early as possible, finish it later.

The first ripgrep search only needs the names and the folders. :func:`start_scan` validates
those and starts ripgrep using only light modules; the heavier engine is imported while ripgrep
walks the tree (:meth:`PendingScan.finish`). ``decom scan`` gains most of its start-up this way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agent.discovery import ripgrep
from agent.discovery.names import DEFAULT_AFFIXES, search_pattern, validate_database_name
from agent.discovery.options import DEFAULT_MAX_FILE_BYTES, ScanOptions
from agent.discovery.repos import Repository, repositories_from_paths

if TYPE_CHECKING:
    from agent.discovery.models import Alias, ScanResult


@dataclass(frozen=True, slots=True)
class PendingScan:
    """A scan whose first search is running."""

    repos: list[Repository]
    options: ScanOptions
    started: ripgrep.RunningSearch

    def finish(self) -> ScanResult:
        """Wait for the search, interpret it, follow aliases; return everything found."""
        # Imported while ripgrep walks the tree (the learners too: on a second core their
        # import costs nothing, after the search it would add to the wall time).
        import agent.discovery.aliases  # noqa: F401
        from agent.discovery.engine import Scanner

        return Scanner(self.repos, self.options).run(self.started)


def start_scan(
    database: str,
    repos: Sequence[str | Path],
    *,
    aliases: Sequence[str] = (),
    exclude_names: Sequence[str] = (),
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    affixes: Iterable[str] | None = None,
    seed_aliases: Sequence[Alias] = (),
) -> PendingScan:
    """Validate the input and start the first search in the background.

    Raises:
        InputError: the name or a path is unusable.
    """
    options = ScanOptions(
        database=validate_database_name(database),
        aliases=tuple(validate_database_name(a) for a in aliases),
        exclude_names=tuple(validate_database_name(e) for e in exclude_names),
        affixes=frozenset(affixes) if affixes is not None else DEFAULT_AFFIXES,
        max_file_bytes=max_file_bytes,
        seed_aliases=tuple(seed_aliases),
    )
    checked = repositories_from_paths(repos)
    names = [options.database, *options.aliases]
    walk = ripgrep.Walk(options.max_file_bytes)
    started = ripgrep.start_search(walk, search_pattern(names), [str(r.root) for r in checked])
    return PendingScan(checked, options, started)


def find_references(
    database: str,
    repos: Sequence[str | Path],
    *,
    aliases: Sequence[str] = (),
    exclude_names: Sequence[str] = (),
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    affixes: Iterable[str] | None = None,
    seed_aliases: Sequence[Alias] = (),
) -> ScanResult:
    """Find every reference to ``database`` in the given repository folders.

    Raises:
        InputError: the name or a path is unusable.
    """
    return start_scan(
        database,
        repos,
        aliases=aliases,
        exclude_names=exclude_names,
        max_file_bytes=max_file_bytes,
        affixes=affixes,
        seed_aliases=seed_aliases,
    ).finish()
