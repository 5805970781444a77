"""What an alias learner sees of a file, and the shared test of a usable alias."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from agent.discovery.models import Alias, AliasForm, Location, Reference, SourceType
from agent.discovery.names import NameMatcher, split_words

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)

if TYPE_CHECKING:
    from typing import TypeVar, cast

    _T = TypeVar("_T")
else:
    _T = None

    def cast(_type: object, value: object) -> object:
        """typing.cast (which returns its value), without importing typing (~3 ms)."""
        return value


#: Names too common to search for as aliases: they would match every repository.
GENERIC_NAMES: frozenset[str] = frozenset(
    """
    db database databases engine engines pool client conn connection connections session
    sessions dsn url uri host hostname port user username password name default main primary
    replica config settings source datasource data datasource_url database_url db_url
    postgres postgresql mysql redis sql app api service server this self true false none null
    db_host db_name db_user db_password db_port db_uri db_secret database_host database_name
    database_user conn_id connection_id conn_str connection_string secret_arn secret_id
    secret_name jdbc_url endpoint address username schema table cluster instance region
    """.split()
)


_LETTER = re.compile(r"[A-Za-z]")


def is_distinctive(name: str) -> bool:
    """Whether ``name`` is specific enough to search for repository-wide."""
    if len(name) < 4 or name.lower() in GENERIC_NAMES:
        return False
    if "${" in name or "{{" in name or " " in name:
        return False
    return _LETTER.search(name) is not None


@dataclass(frozen=True, slots=True)
class FileContext:
    """One file with references, as alias learners see it.

    Attributes:
        repo: repository folder name.
        path: POSIX path relative to the repository root.
        source_type: the file's type.
        lines: the file's lines, without line endings.
        refs: references already found in the file, by 1-based line number.
        matcher: the matcher of the database name (to test labels and values).
        content: the lines joined by newlines (the file's text), when the caller has it.
        memo: what was derived from the lines (key paths, parsed blocks), kept by the caller
            for the same file across rounds: the lines never change.
    """

    repo: str
    path: str
    source_type: SourceType
    lines: list[str]
    refs: dict[int, Reference]
    matcher: NameMatcher
    content: str | None = None
    memo: dict[Hashable, object] = field(default_factory=dict, repr=False, compare=False)
    _code_refs: dict[int, Reference] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def text(self) -> str:
        """The whole file as one string (``"\\n".join(lines)``), for one search over it."""
        return self.content if self.content is not None else "\n".join(self.lines)

    @property
    def directory(self) -> str:
        """The file's directory relative to the repository root ("" at the root)."""
        return self.path.rpartition("/")[0]

    def at(self, line: int) -> Location:
        """A location in this file."""
        return Location(self.repo, self.path, line)

    def is_comment(self, line: int) -> bool:
        """Whether the 1-based ``line`` is a whole-line comment (``#``, ``//``, ``--``)."""
        return self.lines[line - 1].lstrip().startswith(("#", "//", "--", "/*", "*"))

    def code_refs(self) -> dict[int, Reference]:
        """References on lines that are not whole-line comments: only code defines aliases.

        Computed once per file (several learners ask); the dict is shared, do not modify it.
        """
        if self._code_refs is None:
            code = {n: r for n, r in self.refs.items() if not self.is_comment(n)}
            object.__setattr__(self, "_code_refs", code)
            return code
        return self._code_refs

    def derived(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()``, once per file (kept in :attr:`memo` under ``key``); do not modify it."""
        if key not in self.memo:
            self.memo[key] = compute()
        return cast(_T, self.memo[key])

    def key_paths(self, mark_lists: bool = False) -> list[tuple[str, ...]]:
        """:func:`agent.formats.yamlpaths.key_paths` of the lines, computed once per file."""
        return memo_key_paths(self.memo, self.lines, mark_lists)

    def names_database(self, text: str) -> bool:
        """Whether ``text`` spells the database name (by the boundary rule)."""
        return self.matcher.matches(text)

    def alias(
        self,
        name: str,
        form: AliasForm,
        line: int,
        reason: str,
        *,
        repo_scoped: bool = True,
        directory_scoped: bool = False,
        source_types: frozenset[SourceType] | None = None,
    ) -> Alias:
        """Build an alias defined at ``line`` of this file."""
        return Alias(
            name=name,
            form=form,
            defined_at=self.at(line),
            reason=reason,
            repo=self.repo if repo_scoped or directory_scoped else None,
            directory=self.directory if directory_scoped else None,
            source_types=source_types,
        )


def memo_key_paths(
    memo: dict[Hashable, object], lines: list[str], mark_lists: bool = False
) -> list[tuple[str, ...]]:
    """:func:`agent.formats.yamlpaths.key_paths` of ``lines``, kept in ``memo``."""
    key = ("key_paths", mark_lists)
    if key not in memo:
        # Imported with the first YAML-like file: a scan of application code needs none.
        from agent.formats.yamlpaths import key_paths

        memo[key] = key_paths(lines, mark_lists)
    return cast(list[tuple[str, ...]], memo[key])


def words_of(name: str) -> list[str]:
    """Lower-case words of an identifier (re-exported for learners)."""
    return split_words(name)
