"""Discovery: find every line of every repository that refers to the database.

One scan is: ripgrep walks the repositories and prints every line holding a spelling of the
name (see :mod:`agent.discovery.ripgrep`); Python applies the boundary rule to each line,
classifies file and reference, learns aliases from the definitions it found, and searches
again for the aliases until nothing new is learned (at most ``max_rounds`` times).
"""

from __future__ import annotations

import os
import time
from collections.abc import Hashable, Sequence

from agent.discovery import ripgrep
from agent.discovery.alias_search import AliasFinder, Lines, defines_key, prefilter
from agent.discovery.kinds import classify_kind
from agent.discovery.models import (
    Alias,
    AliasForm,
    Reference,
    ScanResult,
    ScanStats,
    SkippedFile,
    SourceType,
    Via,
)
from agent.discovery.names import Match, NameMatcher, search_pattern
from agent.discovery.options import ScanOptions
from agent.discovery.repos import Repository
from agent.discovery.sourcetypes import NEEDS_CONTENT, classify, may_be_helm
from agent.formats.textfile import BinaryFileError, decode

_MAX_TEXT = 1000
#: Databases every server has (a URL to them says nothing of which databases it serves).
_SERVER_DATABASES = frozenset(
    "postgres template0 template1 master mysql admin information_schema defaultdb".split()
)
_PROSE_TYPES = frozenset({SourceType.MARKDOWN, SourceType.RST, SourceType.TEXT})
_COMMENT_STARTS = ("#", "//", "--", "/*", "* ", "<!--", ";")
_YAML_TYPES = frozenset(
    {
        SourceType.YAML_CONFIG,
        SourceType.HELM_VALUES,
        SourceType.HELM_TEMPLATE,
        SourceType.KUBERNETES,
        SourceType.DOCKER_COMPOSE,
        SourceType.CI_GITHUB_ACTIONS,
        SourceType.CI_OTHER,
    }
)


class _File:
    """A file with candidate lines; its content is read only when something needs it."""

    __slots__ = (
        "repo",
        "path",
        "absolute",
        "refs",
        "memo",
        "_source_type",
        "_text",
        "_lines",
        "_charts",
    )

    def __init__(self, repo: Repository, path: str, absolute: str, charts: frozenset[str]):
        self.repo = repo
        self.path = path
        self.absolute = absolute
        self.refs: dict[int, Reference] = {}
        #: What learners derived from the lines (key paths, parsed blocks), kept across rounds.
        self.memo: dict[Hashable, object] = {}
        self._source_type: SourceType | None = None
        self._text: str | None = None
        self._lines: list[str] | None = None
        self._charts = charts

    @property
    def text(self) -> str:
        """The decoded content (read once, on first use).

        Raises:
            OSError: the file cannot be read.
            BinaryFileError: the file is not text.
        """
        if self._text is None:
            with open(self.absolute, "rb") as handle:  # not pathlib: ~25 us less a file
                self._text = decode(handle.read()).text
        return self._text

    @property
    def lines(self) -> list[str]:
        """The decoded lines, split on newlines (split once, on first use).

        Raises:
            OSError: the file cannot be read.
            BinaryFileError: the file is not text.
        """
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    @property
    def source_type(self) -> SourceType:
        """The file's type; YAML and JSON files are peeked into to tell them apart."""
        if self._source_type is None:
            source_type = classify(self.path, b"", self._charts)
            if source_type in NEEDS_CONTENT:
                # The first 200 lines, at most 4 KiB, without splitting the whole file.
                head = "\n".join(self.text[:4096].split("\n")[:200]).encode()
                source_type = classify(self.path, head, self._charts)
            self._source_type = source_type
        return self._source_type


#: Files of a vendored folder counted for the report at most (counting them all costs more
#: than the scan on a tree full of vendored code).
_COUNT_LIMIT = 1000


def _report_order(f: _File) -> tuple[str, str]:
    return f.repo.name, f.path


class Scanner:
    """One scan over a set of repositories. Use :func:`find_references`."""

    def __init__(self, repos: Sequence[Repository], options: ScanOptions) -> None:
        self.repos = list(repos)
        self.options = options
        self.walk = ripgrep.Walk(options.max_file_bytes)
        names = [options.database, *options.aliases]
        self.matchers = [
            NameMatcher(n, options.affixes, options.exclude_names) for n in dict.fromkeys(names)
        ]
        self.files: dict[str, _File] = {}
        self.skipped: list[SkippedFile] = []
        self.aliases: dict[tuple[str, str, str | None, str | None, str | None], Alias] = {}
        self._unusable: set[str] = set()
        self._charts: dict[str, bool] = {}
        self._roots = [(repo, str(repo.root) + os.sep) for repo in self.repos]
        self._finders: dict[tuple[str, AliasForm], AliasFinder] = {}
        #: Aliases found to be shared with other databases (never learned again).
        self._shared: set[str] = set()
        #: What _first_match answered for a line, in code (0) and in prose (1).
        self._found: tuple[dict[str, tuple[int, Match] | None], ...] = ({}, {})

    def run(self, started: ripgrep.RunningSearch | None = None) -> ScanResult:
        """Scan, learn aliases, scan again for them; return everything found.

        Args:
            started: the first search, if the caller already started it (see
                :func:`agent.discovery.api.start_scan`); it must search ``search_pattern``.
        """
        began = time.perf_counter()
        roots = [str(r.root) for r in self.repos]
        if started is None:
            names = [m.name for m in self.matchers]
            started = ripgrep.start_search(self.walk, search_pattern(names), roots)
        search = ripgrep.finish_search(started, self.walk)
        self._record_skips(search)
        for path, lines in search.lines.items():
            self._match_names(path, lines)
        self._learn_and_search(roots, self._seed(roots))
        references = sorted(
            (ref for f in self.files.values() for ref in f.refs.values()),
            key=lambda r: (r.repo, r.path, r.line),
        )
        stats = ScanStats(
            files_scanned=search.files_searched,
            bytes_scanned=search.bytes_searched,
            seconds=round(time.perf_counter() - began, 3),
        )
        return ScanResult(
            database=self.options.database,
            references=tuple(references),
            skipped=tuple(sorted(self.skipped, key=lambda s: (s.repo, s.path, s.reason))),
            stats=stats,
            aliases=tuple(self.aliases.values()),
        )

    def _locate(self, path: str) -> tuple[Repository, str] | None:
        for repo, prefix in self._roots:
            if path.startswith(prefix):
                return repo, path[len(prefix) :].replace(os.sep, "/")
        return None

    def _skip(self, path: str, reason: str) -> None:
        located = self._locate(path)
        if located is not None:
            self.skipped.append(SkippedFile(located[0].name, located[1], reason))
            self._unusable.add(path)

    def _record_skips(self, search: ripgrep.Search) -> None:
        for path in search.vendored:
            count = ripgrep.count_files(path, _COUNT_LIMIT)
            shown = f"{count}+" if count >= _COUNT_LIMIT else str(count)
            self._skip(path, f"vendored ({shown} files)")
        for path, reason in search.skipped.items():
            self._skip(path, reason)

    def _small_enough(self, path: str) -> bool:
        try:
            size = os.stat(path).st_size
        except OSError as exc:
            self._skip(path, f"unreadable: {exc.strerror}")
            return False
        if size > self.options.max_file_bytes:
            self._skip(path, f"larger than the size limit ({size} bytes)")
            return False
        return True

    def _chart_dirs(self, repo: Repository, rel: str) -> frozenset[str]:
        """Folders above ``rel`` (within the repository) that hold a Chart.yaml."""
        found = set()
        parts = rel.split("/")[:-1]
        for depth in range(len(parts) + 1):
            folder = "/".join(parts[:depth])
            key = f"{repo.name}/{folder}"
            if key not in self._charts:
                self._charts[key] = (repo.root / folder / "Chart.yaml").is_file()
            if self._charts[key]:
                found.add(folder)
        return frozenset(found)

    def _file(self, path: str) -> _File | None:
        """The file at absolute ``path``, or None if it is outside the repositories or unusable."""
        if path in self.files:
            return self.files[path]
        if path in self._unusable:
            return None
        located = self._locate(path)
        if located is None:
            return None
        if not self._small_enough(path):
            return None
        repo, rel = located
        # Only YAML/JSON/text files can be Helm files: the others skip the Chart.yaml lookups.
        charts = self._chart_dirs(repo, rel) if may_be_helm(rel) else frozenset()
        f = _File(repo, rel, path, charts)
        try:
            f.source_type  # noqa: B018 - reads YAML/JSON content; fails early if unreadable
        except OSError as exc:
            self._skip(path, f"unreadable: {exc.strerror}")
            return None
        except BinaryFileError as exc:
            self._skip(path, f"binary: {exc}")
            return None
        self.files[path] = f
        return f

    def _match_names(self, path: str, lines: list[tuple[int, str]]) -> None:
        f = self._file(path)
        if f is None:
            return
        prose_file = f.source_type in _PROSE_TYPES
        for number, text in lines:
            prose = prose_file or text.lstrip().startswith(_COMMENT_STARTS)
            # The same line recurs in many files (imports, settings keys): it is judged once.
            found = self._found[prose]
            if text in found:
                hit = found[text]
            else:
                hit = found[text] = self._first_match(text, prose)
            if hit is not None:
                index, first = hit
                via = Via(self.matchers[index].name, "(--alias)", 0, "") if index else None
                self._add(f, number, text, first.start, first.end, via)

    def _first_match(self, text: str, prose: bool) -> tuple[int, Match] | None:
        """The first name (by its index in :attr:`matchers`) spelled in ``text``, and where."""
        for index, matcher in enumerate(self.matchers):
            first = matcher.first(text, prose)
            if first is not None:
                return index, first
        return None

    def _add(self, f: _File, number: int, text: str, start: int, end: int, via: Via | None) -> bool:
        if number in f.refs:
            return False
        source_type = f.source_type
        kind = classify_kind(text, start, end, source_type)
        f.refs[number] = Reference(
            repo=f.repo.name,
            path=f.path,
            line=number,
            column=start + 1,
            source_type=source_type,
            kind=kind,
            text=text[:_MAX_TEXT],
            via=via,
        )
        return True

    def _seed(self, roots: list[str]) -> list[_File]:
        """Search the aliases learned elsewhere; the files where they were found."""
        seeds = []
        for alias in self.options.seed_aliases:
            key = (alias.name, alias.form.value, alias.repo, alias.directory, alias.path)
            if key not in self.aliases and not self._names_database(alias.name):
                self.aliases[key] = alias
                seeds.append(alias)
        return self._search_aliases(seeds, roots) if seeds else []

    def _learn_and_search(self, roots: list[str], seeded: list[_File]) -> None:
        # Imported here: only scans that found something pay for the learners.
        from agent.discovery.aliases import FileContext, learn_aliases, learns_from

        pending = [f for f in self.files.values() if f.refs]
        pending += [f for f in seeded if f not in pending]
        for _ in range(self.options.max_rounds):
            new_aliases: list[Alias] = []
            # In report order, not in ripgrep's (its threads print files in any order): when
            # two files define the same alias, the first one in (repo, path) order is credited,
            # and the aliases of a round are searched (and tried on a line) in a fixed order.
            pending.sort(key=_report_order)
            for f in pending:
                if not learns_from(f.source_type):
                    continue
                try:
                    lines = f.lines
                except (OSError, BinaryFileError):
                    continue
                ctx = FileContext(
                    f.repo.name,
                    f.path,
                    f.source_type,
                    lines,
                    dict(f.refs),
                    self.matchers[0],
                    content=f.text,
                    memo=f.memo,
                )
                for alias in learn_aliases(ctx):
                    key = (alias.name, alias.form.value, alias.repo, alias.directory, alias.path)
                    if (
                        key not in self.aliases
                        and alias.name not in self._shared
                        and not self._names_database(alias.name)
                    ):
                        self.aliases[key] = alias
                        new_aliases.append(alias)
                        self._add_definition(f, alias)
            if not new_aliases:
                return
            pending = self._search_aliases(new_aliases, roots)
            for alias in new_aliases:
                where = alias.defined_at
                defined = self._defined_in(where.repo, where.path) if where else None
                if defined is not None and defined not in pending:
                    pending.append(defined)

    def _defined_in(self, repo: str, path: str) -> _File | None:
        for f in self.files.values():
            if f.repo.name == repo and f.path == path:
                return f
        return None

    def _names_database(self, text: str) -> bool:
        return any(m.matches(text) for m in self.matchers)

    def _add_definition(self, f: _File, alias: Alias) -> None:
        """The line that defines an alias is a reference too, even if it spells neither."""
        where = alias.defined_at
        if where is None or where.line in f.refs:
            return
        text = f.lines[where.line - 1].rstrip("\r")
        column = len(text) - len(text.lstrip())
        via = Via(alias.name, where.path, where.line, where.repo)
        self._add(f, where.line, text, column, len(text), via)

    def _search_aliases(self, aliases: list[Alias], roots: list[str]) -> list[_File]:
        patterns = "|".join(dict.fromkeys(prefilter(a) for a in aliases))
        scoped_roots = roots
        if all(a.repo is not None for a in aliases):
            wanted = {a.repo for a in aliases}
            scoped_roots = [str(r.root) for r in self.repos if r.name in wanted]
        proc = ripgrep.start_search(self.walk, patterns, scoped_roots, report=False)
        found = ripgrep.finish_search(proc, self.walk).lines
        shared = self._hosts_of_other_databases(aliases, found)
        if shared:
            aliases = [a for a in aliases if a.name not in shared]
            self._retract(shared)
        finders = [(alias, self._finder(alias)) for alias in aliases]
        touched: list[_File] = []
        for path, lines in found.items():
            f = self._file(path)
            if f is None:
                continue
            added = False
            joined: Lines | None = None  # the lines as one text, for one test per alias
            for alias, finder in finders:
                if alias.applies_to(f.repo.name, f.path, f.source_type):
                    if joined is None:
                        joined = Lines([text for _, text in lines])
                    added |= self._match_alias(f, alias, finder, lines, joined)
            if added:
                touched.append(f)
        return touched

    def _hosts_of_other_databases(
        self, aliases: list[Alias], found: dict[str, list[tuple[int, str]]]
    ) -> set[str]:
        """The aliases a connection URL uses as the host of another database.

        A host learned from the database's URL (``pg-shared-01``, a compose service ``db``)
        names the database only if it serves nothing else: one URL anywhere in the scanned
        repositories that reaches another database through it (``.../orders``) makes it a
        shared server, whose other lines (its other databases' settings, a ``psql -h`` to
        them) must not be touched.
        """
        names = {a.name for a in aliases}
        if not names:
            return set()
        from agent.discovery.aliases.connect import url_targets

        shared: set[str] = set()
        for lines in found.values():
            for _number, text in lines:
                if "://" not in text and "jdbc:" not in text:
                    continue
                for host, database in url_targets(text):
                    label = host.split(".")[0]
                    if (host in names or label in names) and self._other_database(database):
                        shared |= {host, label} & names
        return shared

    def _other_database(self, database: str) -> bool:
        """Whether a URL's database part names a database other than this one."""
        if self._names_database(database) or database.lower() in _SERVER_DATABASES:
            return False
        return not any(a.name == database for a in self.aliases.values())

    def _retract(self, names: set[str]) -> None:
        """Forget aliases found shared, and the references they alone made."""
        self._shared |= names
        for key in [k for k, a in self.aliases.items() if a.name in names]:
            del self.aliases[key]
        for f in self.files.values():
            for number in [n for n, r in f.refs.items() if r.via and r.via.alias in names]:
                del f.refs[number]

    def _finder(self, alias: Alias) -> AliasFinder:
        key = (alias.name, alias.form)  # all that AliasFinder reads (aliases differ in scope)
        finder = self._finders.get(key)
        if finder is None:
            finder = self._finders[key] = AliasFinder(alias)
        return finder

    def _match_alias(
        self,
        f: _File,
        alias: Alias,
        finder: AliasFinder,
        lines: list[tuple[int, str]],
        joined: Lines,
    ) -> bool:
        where = alias.defined_at
        if where is not None:
            via = Via(alias.name, where.path, where.line, where.repo)
        else:
            via = Via(alias.name, "", 0, "")
        added = False
        if finder.may_occur(joined):
            search = finder.search
            for number, text in lines:
                span = search(text)
                if span is not None:
                    added |= self._add(f, number, text, span[0], span[1], via)
        if alias.form is AliasForm.KEY_PREFIX and f.source_type in _YAML_TYPES:
            added |= self._match_nested_keys(f, alias, via)
        return added

    def _match_nested_keys(self, f: _File, alias: Alias, via: Via) -> bool:
        """The YAML key line that completes the prefix (``spring: datasource: ledger:``).

        Keys under it are references only where they name something themselves; a bare
        ``port: 5432`` inside the block names nothing.
        """
        from agent.discovery.aliases.context import memo_key_paths

        prefix = tuple(alias.name.split("."))
        added = False
        for index, path in enumerate(memo_key_paths(f.memo, f.lines)):
            if path != prefix:
                continue
            text = f.lines[index].rstrip("\r")
            stripped = text.lstrip()
            if stripped and not stripped.startswith("#") and defines_key(text, path[-1]):
                added |= self._add(f, index + 1, text, len(text) - len(stripped), len(text), via)
        return added
