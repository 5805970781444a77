"""Discovery: find every line of every repository that refers to the database.

One scan is: ripgrep lists candidate files (any spelling of the name) and the files it would
search; Python reads the candidates, applies the boundary rule per line, classifies file and
reference, learns aliases from the definitions it found, and searches again for the aliases
until nothing new is learned.
"""

from __future__ import annotations

import os
import re
import time
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from agent.discovery import ripgrep
from agent.discovery.aliases import FileContext, learn_aliases
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
from agent.discovery.names import DEFAULT_AFFIXES, NameMatcher, validate_database_name
from agent.discovery.sourcetypes import classify
from agent.errors import InputError
from agent.formats.textfile import BinaryFileError, decode
from agent.formats.yamlpaths import key_paths

#: Default size above which a file is skipped (and reported).
DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024
_MAX_TEXT = 1000
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


@dataclass(frozen=True, slots=True)
class Repository:
    """A folder to scan and the name it is reported under."""

    name: str
    root: Path


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
    """

    database: str
    aliases: tuple[str, ...] = ()
    exclude_names: tuple[str, ...] = ()
    affixes: frozenset[str] = DEFAULT_AFFIXES
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_rounds: int = 4


def repositories_from_paths(paths: Sequence[str | Path]) -> list[Repository]:
    """Check user-given repository paths and name each after its folder.

    Raises:
        InputError: a path is missing or not a folder.
    """
    repos: list[Repository] = []
    seen: dict[str, int] = {}
    if not paths:
        raise InputError("no repository given: pass one or more repository folders")
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


@dataclass
class _File:
    repo: Repository
    path: str
    source_type: SourceType
    lines: list[str]
    line_starts: list[int]
    text: str
    refs: dict[int, Reference] = field(default_factory=dict)


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
        self.files: dict[tuple[str, str], _File] = {}
        self.skipped: list[SkippedFile] = []
        self.chart_dirs: dict[str, frozenset[str]] = {}
        self.aliases: dict[tuple[str, str, str | None, str | None], Alias] = {}
        self.unreadable: dict[tuple[str, str], str] = {}

    def run(self) -> ScanResult:
        """Scan, learn aliases, scan again for them; return everything found."""
        began = time.perf_counter()
        roots = [str(r.root) for r in self.repos]
        pattern = "|".join(f"(?:{m.pattern})" for m in self.matchers)
        common = self.walk.base_flags()
        search = self.walk.search_flags()
        matching = ripgrep.start([*common, *search, "-l", "-i", "--stats", "-e", pattern, "--", *roots])
        listing = ripgrep.start([*common, "--files", "--", *roots])
        searchable = ripgrep.start([*common, *search, "--files", "--", *roots])
        everything = ripgrep.finish(listing)
        searched = ripgrep.finish(searchable)
        found = ripgrep.finish(matching)
        self._index_charts(everything.paths)
        self._record_skips(everything.paths, set(searched.paths), found.errors)
        bytes_scanned = _bytes_searched(found.paths)
        candidates = [p for p in found.paths if p.startswith("/") or os.sep in p]
        for path in candidates:
            self._scan_direct(path)
        self._learn_and_search(roots, common + search)
        references = sorted(
            (ref for f in self.files.values() for ref in f.refs.values()),
            key=lambda r: (r.repo, r.path, r.line),
        )
        stats = ScanStats(
            files_scanned=len(searched.paths),
            bytes_scanned=bytes_scanned,
            seconds=round(time.perf_counter() - began, 3),
        )
        return ScanResult(
            database=self.options.database,
            references=tuple(references),
            skipped=tuple(sorted(self.skipped, key=lambda s: (s.repo, s.path))),
            stats=stats,
            aliases=tuple(self.aliases.values()),
        )

    def _locate(self, path: str) -> tuple[Repository, str] | None:
        for repo in self.repos:
            root = str(repo.root)
            if path == root or path.startswith(root + os.sep):
                return repo, path[len(root) + 1 :].replace(os.sep, "/")
        return None

    def _index_charts(self, paths: Iterable[str]) -> None:
        charts: dict[str, set[str]] = {r.name: set() for r in self.repos}
        for path in paths:
            if path.endswith("Chart.yaml"):
                located = self._locate(path)
                if located is not None and located[1].rpartition("/")[2] == "Chart.yaml":
                    charts[located[0].name].add(located[1].rpartition("/")[0])
        self.chart_dirs = {name: frozenset(dirs) for name, dirs in charts.items()}

    def _record_skips(self, every: list[str], searched: set[str], errors: dict[str, str]) -> None:
        vendored: dict[tuple[str, str], int] = {}
        vendored_names = set(self.walk.vendored_dirs)
        binary = {"." + e for e in self.walk.binary_extensions}
        for path in every:
            if path in searched:
                continue
            located = self._locate(path)
            if located is None:
                continue
            repo, rel = located
            parts = rel.split("/")
            cut = next((i for i, p in enumerate(parts[:-1]) if p in vendored_names), None)
            if cut is not None:
                key = (repo.name, "/".join(parts[: cut + 1]))
                vendored[key] = vendored.get(key, 0) + 1
            elif os.path.splitext(rel)[1].lower() in binary:
                self.skipped.append(SkippedFile(repo.name, rel, "binary"))
            else:
                self.skipped.append(
                    SkippedFile(repo.name, rel, f"larger than {self.options.max_file_bytes} bytes")
                )
        for (repo_name, rel), count in vendored.items():
            self.skipped.append(SkippedFile(repo_name, rel, f"vendored ({count} files)"))
        for path, message in errors.items():
            located = self._locate(path)
            if located is not None:
                self.skipped.append(SkippedFile(located[0].name, located[1], f"unreadable: {message}"))
                self.unreadable[(located[0].name, located[1])] = message

    def _load(self, path: str) -> _File | None:
        located = self._locate(path)
        if located is None:
            return None
        repo, rel = located
        key = (repo.name, rel)
        if key in self.files:
            return self.files[key]
        if key in self.unreadable:
            return None
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            self.skipped.append(SkippedFile(repo.name, rel, f"unreadable: {exc.strerror}"))
            self.unreadable[key] = str(exc.strerror)
            return None
        try:
            decoded = decode(data)
        except BinaryFileError as exc:
            self.skipped.append(SkippedFile(repo.name, rel, f"binary: {exc}"))
            self.unreadable[key] = str(exc)
            return None
        text = decoded.text
        lines = text.split("\n")
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        source_type = classify(rel, data[:4096], self.chart_dirs.get(repo.name, frozenset()))
        loaded = _File(repo, rel, source_type, lines, starts, text)
        self.files[key] = loaded
        return loaded

    def _scan_direct(self, path: str) -> None:
        loaded = self._load(path)
        if loaded is None:
            return
        for matcher in self.matchers:
            via = None
            if matcher is not self.matchers[0]:
                via = Via(matcher.name, "(--alias)", 0, "")
            seen_lines: set[int] = set()
            for m in matcher.regex.finditer(loaded.text):
                index = bisect_right(loaded.line_starts, m.start()) - 1
                if index in seen_lines or index + 1 in loaded.refs:
                    continue
                seen_lines.add(index)
                line = loaded.lines[index].rstrip("\r")
                first = next(matcher.find(line), None)
                if first is not None:
                    self._add(loaded, index + 1, first.start, first.end, via)

    def _add(self, f: _File, number: int, start: int, end: int, via: Via | None) -> bool:
        if number in f.refs:
            return False
        line = f.lines[number - 1].rstrip("\r")
        f.refs[number] = Reference(
            repo=f.repo.name,
            path=f.path,
            line=number,
            column=start + 1,
            source_type=f.source_type,
            kind=classify_kind(line, start, end, f.source_type),
            text=line[:_MAX_TEXT],
            via=via,
        )
        return True

    def _learn_and_search(self, roots: list[str], flags: list[str]) -> None:
        pending = [f for f in self.files.values() if f.refs]
        for _ in range(self.options.max_rounds):
            new_aliases: list[Alias] = []
            for f in pending:
                ctx = FileContext(
                    f.repo.name, f.path, f.source_type, f.lines, dict(f.refs), self.matchers[0]
                )
                for alias in learn_aliases(ctx):
                    key = (alias.name, alias.form.value, alias.repo, alias.directory)
                    if key not in self.aliases and not self._names_database(alias.name):
                        self.aliases[key] = alias
                        new_aliases.append(alias)
                        self._add_definition(alias)
            if not new_aliases:
                return
            touched = self._search_aliases(new_aliases, roots, flags)
            pending = [f for f in touched if f.refs]
            for alias in new_aliases:
                if alias.defined_at is not None:
                    defined = self.files.get((alias.defined_at.repo, alias.defined_at.path))
                    if defined is not None and defined not in pending:
                        pending.append(defined)

    def _names_database(self, text: str) -> bool:
        return any(m.matches(text) for m in self.matchers)

    def _add_definition(self, alias: Alias) -> None:
        where = alias.defined_at
        if where is None:
            return
        f = self.files.get((where.repo, where.path))
        if f is None or where.line in f.refs:
            return
        line = f.lines[where.line - 1].rstrip("\r")
        column = len(line) - len(line.lstrip())
        self._add(f, where.line, column, len(line), Via(alias.name, where.path, where.line, where.repo))

    def _search_aliases(self, aliases: list[Alias], roots: list[str], flags: list[str]) -> list[_File]:
        prefilters = "|".join(dict.fromkeys(_prefilter(a) for a in aliases))
        scoped_roots = roots
        if all(a.repo is not None for a in aliases):
            wanted = {a.repo for a in aliases}
            scoped_roots = [str(r.root) for r in self.repos if r.name in wanted]
        proc = ripgrep.start([*flags, "-l", "-i", "-e", prefilters, "--", *scoped_roots])
        touched: list[_File] = []
        for path in ripgrep.finish(proc).paths:
            f = self._load(path)
            if f is None:
                continue
            added = False
            for alias in aliases:
                if alias.applies_to(f.repo.name, f.path, f.source_type):
                    added |= self._match_alias(f, alias)
            if added:
                touched.append(f)
        return touched

    def _match_alias(self, f: _File, alias: Alias) -> bool:
        assert alias.defined_at is not None or alias.form is not AliasForm.KEY_PREFIX
        where = alias.defined_at
        via = Via(alias.name, where.path if where else "", where.line if where else 0,
                  where.repo if where else "")
        added = False
        regex = _alias_regex(alias)
        for m in regex.finditer(f.text):
            index = bisect_right(f.line_starts, m.start()) - 1
            start = m.start() - f.line_starts[index]
            added |= self._add(f, index + 1, start, start + len(m.group(0)), via)
        if alias.form is AliasForm.KEY_PREFIX and f.source_type in _YAML_TYPES:
            prefix = tuple(alias.name.split("."))
            for index, path in enumerate(key_paths(f.lines)):
                if path[: len(prefix)] == prefix and len(path) >= len(prefix):
                    line = f.lines[index].rstrip("\r")
                    stripped = line.lstrip()
                    if stripped and not stripped.startswith("#") and len(path) > len(prefix) - 1:
                        if _defines_key(line, path[-1]):
                            column = len(line) - len(stripped)
                            added |= self._add(f, index + 1, column, len(line), via)
        return added


def _defines_key(line: str, key: str) -> bool:
    stripped = line.strip().lstrip("- ").strip("'\"")
    return stripped.startswith(key)


def _prefilter(alias: Alias) -> str:
    if alias.form is AliasForm.KEY_PREFIX:
        return re.escape(alias.name.rpartition(".")[2])
    return re.escape(alias.name)


def _alias_regex(alias: Alias) -> re.Pattern[str]:
    name = re.escape(alias.name)
    if alias.form is AliasForm.QUOTED:
        return re.compile(rf"([\"']){name}\1")
    if alias.form is AliasForm.ADDRESS:
        left = r"(?<![A-Za-z0-9_])" if alias.name.startswith(".") else r"(?<![A-Za-z0-9_.-])"
        return re.compile(rf"{left}{name}(?![A-Za-z0-9_-])")
    if alias.form is AliasForm.KEY_PREFIX:
        env = re.escape(re.sub(r"[.\-]", "_", alias.name).upper())
        return re.compile(rf"(?<![A-Za-z0-9_.-])(?:{name}(?![A-Za-z0-9_-])|{env}_[A-Z0-9_]+)")
    # An identifier: case matters for code names and env vars, not for host names.
    flags = 0 if re.search(r"[A-Z_]", alias.name) and not alias.name.islower() else re.IGNORECASE
    return re.compile(rf"(?<![A-Za-z0-9_-]){name}(?![A-Za-z0-9_]|-[A-Za-z0-9])", flags)


def _bytes_searched(paths: list[str]) -> int:
    """Parse ripgrep's ``--stats`` footer, which follows the last NUL-separated path."""
    if not paths:
        return 0
    footer = paths[-1]
    m = re.search(r"(\d+) bytes searched", footer)
    if m is not None:
        paths[-1] = footer.split("\n", 1)[0]
        if not paths[-1]:
            paths.pop()
        return int(m.group(1))
    return 0


def find_references(
    database: str,
    repos: Sequence[str | Path],
    *,
    aliases: Sequence[str] = (),
    exclude_names: Sequence[str] = (),
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    affixes: Iterable[str] | None = None,
) -> ScanResult:
    """Find every reference to ``database`` in the given repository folders.

    Raises:
        InputError: the name or a path is unusable.
    """
    name = validate_database_name(database)
    options = ScanOptions(
        database=name,
        aliases=tuple(validate_database_name(a) for a in aliases),
        exclude_names=tuple(validate_database_name(e) for e in exclude_names),
        affixes=frozenset(affixes) if affixes is not None else DEFAULT_AFFIXES,
        max_file_bytes=max_file_bytes,
    )
    return Scanner(repositories_from_paths(repos), options).run()
