"""What a scan looks for and how far it looks."""

from __future__ import annotations

from dataclasses import dataclass

from agent.discovery.launch import DEFAULT_MAX_FILE_BYTES as DEFAULT_MAX_FILE_BYTES
from agent.discovery.names import DEFAULT_AFFIXES

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)

if TYPE_CHECKING:
    from agent.discovery.models import Alias


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """What to look for and how far to look.

    Attributes:
        database: the database name.
        aliases: extra names the user says denote the same database.
        exclude_names: other live databases that must never be reported.
        affixes: words that may stand next to the name (see :mod:`agent.discovery.names`).
        max_file_bytes: larger files are skipped and reported.
        max_rounds: bound on transitive alias discovery rounds.
        seed_aliases: aliases learned elsewhere (the other repositories of a campaign),
            searched from the start as if learned here.
    """

    database: str
    aliases: tuple[str, ...] = ()
    exclude_names: tuple[str, ...] = ()
    affixes: frozenset[str] = DEFAULT_AFFIXES
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_rounds: int = 4
    seed_aliases: tuple[Alias, ...] = ()
