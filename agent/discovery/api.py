"""Start a scan as early as possible, finish it later.

The first ripgrep search only needs the names and the folders. :func:`start_scan` validates
those and starts ripgrep having imported only light modules (:mod:`agent.discovery.spelling`
and :mod:`agent.discovery.launch`: no dataclasses, typing, pathlib or subprocess); the options,
the repositories and the engine are imported while ripgrep walks the tree. ``decom scan`` gains
most of its start-up this way.
"""

from __future__ import annotations

from agent.discovery import launch
from agent.discovery.launch import DEFAULT_MAX_FILE_BYTES
from agent.discovery.spelling import search_pattern, validate_database_name

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

    from agent.discovery.models import Alias, ScanResult
    from agent.discovery.options import ScanOptions
    from agent.discovery.repos import Repository


class PendingScan:
    """A scan whose first search is running.

    Attributes:
        repos: the repositories searched.
        options: what the scan looks for.
        started: the first search (every spelling of the database and its given aliases).
    """

    __slots__ = ("repos", "options", "started")

    def __init__(
        self, repos: list[Repository], options: ScanOptions, started: launch.RunningSearch
    ) -> None:
        self.repos = repos
        self.options = options
        self.started = started

    def finish(self) -> ScanResult:
        """Wait for the search, interpret it, follow aliases; return everything found."""
        # Imported while ripgrep walks the tree (the learners too: on a second core their
        # import costs nothing, after the search it would add to the wall time).
        import agent.discovery.aliases  # noqa: F401
        from agent.discovery.engine import Scanner

        return Scanner(self.repos, self.options).run(self.started)

    def cancel(self) -> None:
        """Stop the search (its result is not wanted any more)."""
        self.started.cancel()


def start_scan(
    database: str,
    repos: Sequence[str | Path],
    *,
    aliases: Sequence[str] = (),
    exclude_names: Sequence[str] = (),
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    affixes: Iterable[str] | None = None,
    extra_affixes: Iterable[str] = (),
    seed_aliases: Sequence[Alias] = (),
) -> PendingScan:
    """Validate the input and start the first search in the background.

    ``affixes`` are the words that may stand next to the name (by default
    :data:`agent.discovery.names.DEFAULT_AFFIXES`); ``extra_affixes`` are added to them.

    Raises:
        InputError: the name or a path is unusable.
        ToolMissingError: ripgrep is missing.
    """
    name = validate_database_name(database)
    alias_names = tuple(validate_database_name(a) for a in aliases)
    excluded = tuple(validate_database_name(e) for e in exclude_names)
    folders = launch.checked_folders(repos)
    started = launch.spawn_search(
        launch.walk_flags(), search_pattern([name, *alias_names]), [root for _, root in folders]
    )
    # ripgrep is running: from here on, imports overlap with its walk.
    from agent.discovery.names import DEFAULT_AFFIXES
    from agent.discovery.options import ScanOptions
    from agent.discovery.repos import as_repositories

    words = frozenset(affixes) if affixes is not None else DEFAULT_AFFIXES
    extra = frozenset(extra_affixes)
    options = ScanOptions(
        database=name,
        aliases=alias_names,
        exclude_names=excluded,
        affixes=words | extra if extra else words,
        max_file_bytes=max_file_bytes,
        seed_aliases=tuple(seed_aliases),
    )
    return PendingScan(as_repositories(folders), options, started)


def find_references(
    database: str,
    repos: Sequence[str | Path],
    *,
    aliases: Sequence[str] = (),
    exclude_names: Sequence[str] = (),
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    affixes: Iterable[str] | None = None,
    extra_affixes: Iterable[str] = (),
    seed_aliases: Sequence[Alias] = (),
) -> ScanResult:
    """Find every reference to ``database`` in the given repository folders.

    Raises:
        InputError: the name or a path is unusable.
        ToolMissingError: ripgrep is missing.
    """
    return start_scan(
        database,
        repos,
        aliases=aliases,
        exclude_names=exclude_names,
        max_file_bytes=max_file_bytes,
        affixes=affixes,
        extra_affixes=extra_affixes,
        seed_aliases=seed_aliases,
    ).finish()
