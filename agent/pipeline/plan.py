"""Plan: decide per file what retires the database there, and propose the new content.

Order of decisions for a file that refers to the database:

1. Migrations are history: never edited automatically (needs a human).
2. A folder named after the database (``charts/payroll-ledger-db/``) is dedicated to it:
   every file in it is deleted. A file named after the database (``runbooks/payroll-ledger.md``)
   is deleted too, unless its type has a rule that must see its content to clean up other
   files (Terraform, compose, Helm values, code).
3. Otherwise the rule for the file's type rewrites it (see :mod:`agent.refactor.rules`).
4. No rule: a person decides.

Then the cascade: names a rewrite removed (Terraform addresses, compose services, Helm value
paths) are searched for in the other files, which are rewritten so nothing dangles; repeated
until nothing new is removed (bounded).
"""

from __future__ import annotations

import functools
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from agent.discovery import ripgrep
from agent.discovery.aliases.context import is_distinctive
from agent.discovery.models import Reference, ScanResult, SourceType
from agent.discovery.names import NameMatcher, cached_matcher
from agent.discovery.options import ScanOptions
from agent.discovery.sourcetypes import classify
from agent.formats.textfile import BinaryFileError, TextFile, read_file
from agent.pipeline.models import NameSearch, Plan, PlannedFile, RepoContext
from agent.qa.parsing import prefetch
from agent.refactor.base import Action, FileEdit, Rewrite, Target, split_lines
from agent.refactor.linediff import opcodes
from agent.refactor.rules import rule_for

#: Types whose rules must read the content even when the file is named after the database,
#: because what they remove is referenced from other files.
_CONTENT_MATTERS = frozenset(
    {
        SourceType.TERRAFORM,
        SourceType.DOCKER_COMPOSE,
        SourceType.HELM_VALUES,
        SourceType.PYTHON,
        SourceType.JAVA,
        SourceType.KOTLIN,
        SourceType.GO,
        SourceType.JAVASCRIPT,
        SourceType.TYPESCRIPT,
    }
)
_MIGRATION = re.compile(
    r"(^|/)(migrations?|migrate|db/migrate|alembic/versions|flyway|liquibase|changelog)(/|$)"
    r"|(^|/)V\d+(_\d+)*__[^/]*\.sql$|\.(up|down)\.sql$",
    re.IGNORECASE,
)
MAX_CASCADE_ROUNDS = 3
_MANIFEST = re.compile(r"\.(?:ya?ml|json)$")
#: Code without a rewrite rule: a file named after the database is still a person's call.
_CODE_WITHOUT_RULE = frozenset(
    {SourceType.RUBY, SourceType.PHP, SourceType.CSHARP, SourceType.BICEP}
)
_HISTORY = re.compile(
    r"(^|/)(adrs?|decisions?|decision-records|architecture-decisions|rfcs?)/"
    r"|(^|/)(CHANGELOG|CHANGES|HISTORY|RELEASE[-_]?NOTES)[^/]*$",
    re.IGNORECASE,
)


def _for_a_person(
    path: str, source_type: SourceType, reason: str, lines: list[int], *, cascade: bool = False
) -> PlannedFile:
    """A file the planner leaves to a person, unread by any rule."""
    return PlannedFile(
        path=path,
        source_type=source_type.value,
        action=Action.NEEDS_HUMAN,
        rule="planner",
        reason=reason,
        ref_lines=lines,
        cascade=cascade,
    )


def is_history(path: str) -> bool:
    """Whether ``path`` records decisions or changes (an ADR, an RFC, a changelog).

    Such a document about the database stays, with a note: it is what happened, and other
    documents link to it.
    """
    return bool(_HISTORY.search(path))


def is_migration(path: str) -> bool:
    """Whether ``path`` looks like a schema migration (history other migrations build on)."""
    return bool(_MIGRATION.search(path))


@dataclass(frozen=True)
class Planner:
    """Plans one repository."""

    ctx: RepoContext
    scan: ScanResult
    options: ScanOptions
    #: The cascade's searches of the tree (handed on in the plan, see :class:`NameSearch`).
    searches: list[NameSearch] = field(default_factory=list)

    @property
    def root(self) -> Path:
        """The folder files are read from."""
        return Path(self.ctx.scan_root)

    def matcher(self) -> NameMatcher:
        """The database's matcher, with the excluded live databases."""
        return self._matchers[0]

    @functools.cached_property
    def _matchers(self) -> tuple[NameMatcher, tuple[NameMatcher, ...]]:
        """The database's matcher and the given aliases' matchers, once per planner.

        They are asked for per file, and the shared cache compares the affix sets (~50
        words) on every lookup.
        """
        affixes, excluded = self.options.affixes, self.options.exclude_names
        return cached_matcher(self.options.database, affixes, excluded), tuple(
            cached_matcher(n, affixes, excluded) for n in self.options.aliases
        )

    def target(self, path: str, source_type: SourceType) -> Target:
        """What counts as a reference in one file."""
        aliases = tuple(
            a for a in self.scan.aliases if a.applies_to(self.ctx.name, path, source_type)
        )
        matcher, extras = self._matchers
        return Target(self.options.database, matcher, aliases, extras)

    def read(self, path: str) -> TextFile | None:
        """A file of the scan root, decoded; None when unreadable or binary."""
        try:
            return read_file(self.ctx.scan_root, path)
        except (OSError, BinaryFileError):
            return None

    def plan(self) -> Plan:
        """The plan for every file that refers to the database, then the cascade."""
        refs: dict[str, list[Reference]] = defaultdict(list)
        for ref in self.scan.references:
            if ref.repo == self.ctx.name:
                refs[ref.path].append(ref)
        planned: dict[str, PlannedFile] = {}
        dedicated = self._dedicated_dirs(refs)
        for folder in dedicated:
            for path in self._files_under(folder):
                planned[path] = self._delete(path, f"in {folder}/, a folder dedicated to it", refs)
        for path, file_refs in sorted(refs.items()):
            if path in planned:
                continue
            planned[path] = self._plan_file(path, file_refs[0].source_type, file_refs)
        for f in planned.values():
            # A deleted manifest is listed by name where it is assembled (a kustomization's
            # resources, an include list): those entries go too (searched in its folder).
            name = f.path.rpartition("/")[2]
            if f.action is Action.DELETE_FILE and _MANIFEST.search(name):
                if name not in f.removed_symbols:
                    f.removed_symbols.append(name)
        self._cascade(planned)
        return Plan(files=[planned[p] for p in sorted(planned)], searches=list(self.searches))

    def _dedicated_dirs(self, refs: dict[str, list[Reference]]) -> list[str]:
        matcher = self.matcher()
        folders: set[str] = set()
        for path in refs:
            parts = path.split("/")[:-1]
            for depth, part in enumerate(parts, start=1):
                if matcher.matches(part):
                    folder = "/".join(parts[:depth])
                    if not is_migration(folder + "/"):
                        folders.add(folder)
                    break
        # Keep only the outermost dedicated folders.
        return sorted(f for f in folders if not any(f.startswith(o + "/") for o in folders))

    def _files_under(self, folder: str) -> list[str]:
        found = []
        for current, dirs, files in os.walk(self.root / folder):
            dirs[:] = [d for d in dirs if d != ".git"]
            for name in files:
                full = Path(current) / name
                if not full.is_symlink():
                    found.append(full.relative_to(self.root).as_posix())
        return sorted(found)

    def _delete(self, path: str, why: str, refs: dict[str, list[Reference]]) -> PlannedFile:
        source_type = classify(path, b"")
        return PlannedFile(
            path=path,
            source_type=source_type.value,
            action=Action.DELETE_FILE,
            rule="planner",
            reason=f"deleted: {why}",
            ref_lines=[r.line for r in refs.get(path, [])],
        )

    def _plan_file(
        self, path: str, source_type: SourceType, file_refs: list[Reference]
    ) -> PlannedFile:
        lines = [r.line for r in file_refs]
        if is_migration(path):
            return _for_a_person(
                path,
                source_type,
                "migration history: other migrations may depend on it; mark it superseded by hand",
                lines,
            )
        stem = path.rpartition("/")[2].rpartition(".")[0] or path.rpartition("/")[2]
        if self.matcher().matches(stem) and source_type not in _CONTENT_MATTERS:
            if source_type in _CODE_WITHOUT_RULE:
                return _for_a_person(
                    path,
                    source_type,
                    "code named after it: other code may load, import or extend it "
                    "(remove it together with its users)",
                    lines,
                )
            if not is_history(path):
                return self._delete(
                    path, "a file dedicated to it (named after it)", {path: file_refs}
                )
        return self._run_rule(path, source_type, frozenset(lines), frozenset(), lines)

    def _run_rule(
        self,
        path: str,
        source_type: SourceType,
        ref_lines: frozenset[int],
        removed: frozenset[str],
        lines: list[int],
        text: TextFile | None = None,
        cascade: bool = False,
    ) -> PlannedFile:
        rule = rule_for(source_type, path)
        text = text or self.read(path)
        if rule is None or text is None:
            why = f"no rewrite rule for {source_type.value} files" if text else "unreadable"
            return _for_a_person(path, source_type, why, lines, cascade=cascade)
        edit = FileEdit(
            path, source_type, text.text, ref_lines, self.target(path, source_type), removed
        )
        result = _safe_rewrite(rule.rewrite, edit)
        if result.text is not None:
            prefetch(source_type, result.text, path)  # the critic will ask; start it now
        return PlannedFile(
            path=path,
            source_type=source_type.value,
            action=result.action,
            rule=rule.name,
            reason=result.reason,
            ref_lines=lines,
            removed_symbols=list(result.removed_symbols),
            needs_human=list(result.needs_human),
            touched=list(result.touched),
            new_text=result.text,
            cascade=cascade,
        )

    def _cascade(self, planned: dict[str, PlannedFile]) -> None:
        seen: set[tuple[str, str]] = set()
        for _ in range(MAX_CASCADE_ROUNDS):
            # Names that spell the database or a known alias were found by discovery already:
            # every file using them is in the plan. Only other removed names need a search.
            pending = {
                (symbol, f.path)
                for f in planned.values()
                for symbol in f.removed_symbols
                if (symbol, f.path) not in seen
                and not self._known(symbol)
                and can_be_used(symbol)
                # A generic word (``env``, ``db``) removed in one file says nothing of others.
                and is_distinctive(symbol)
            }
            if not pending:
                return
            seen |= pending
            symbols = sorted({s for s, _ in pending})
            origins = sorted({o for _, o in pending})
            for path in self._files_mentioning(symbols, origins):
                scoped = [s for s, origin in pending if in_scope(s, origin, path)]
                current = planned.get(path)
                if not scoped or (
                    current is not None
                    and current.new_text is None
                    and current.action is not Action.NO_CHANGE
                ):
                    continue
                source_type = classify(path, (self.root / path).read_bytes()[:4096])
                base_text = self.read(path)
                if base_text is None:
                    continue
                if current is not None and current.new_text is not None:
                    base_text = TextFile(current.new_text, base_text.encoding, base_text.bom)
                result = self._run_rule(
                    path,
                    source_type,
                    frozenset(),
                    frozenset(scoped),
                    current.ref_lines if current else [],
                    base_text,
                    cascade=current is None,
                )
                if result.action in (Action.NO_CHANGE, Action.NEEDS_HUMAN) and current is None:
                    continue
                if current is not None:
                    original = self.read(path)
                    result = _merge(current, result, original.text if original else "")
                planned[path] = result

    def _known(self, symbol: str) -> bool:
        names = {a.name for a in self.scan.aliases}
        return symbol in names or self.matcher().matches(symbol)

    def _files_mentioning(self, symbols: Iterable[str], origins: Iterable[str]) -> list[str]:
        """Files that use any of ``symbols``, searched only where the names are in scope."""
        names, where = sorted(set(symbols)), sorted(set(origins))
        hits = files_using(self.root, names, where)
        self.searches.append(NameSearch(symbols=names, origins=where, hits=hits))
        return sorted(hits)


def is_module_scoped(symbol: str) -> bool:
    """Whether ``symbol`` lives in its folder only.

    Terraform names (addresses, vars, locals, outputs) live in their module's folder, and
    the file name of a deleted manifest is listed by its own folder's kustomization.
    """
    return bool(
        re.match(r"^(module|var|local|data|output)\.|^[a-z0-9]+_[a-z0-9_]+\.[\w-]+$", symbol)
        or _MANIFEST.search(symbol)
    )


def can_be_used(symbol: str) -> bool:
    """Whether other code can name ``symbol`` (so a search for its uses may find any).

    A removed output is recorded as ``output.<name>``, but Terraform has no such expression:
    inside its module nothing reads an output, and a parent reads ``module.<call>.<name>``.
    """
    return not symbol.startswith("output.")


def in_scope(symbol: str, origin: str, path: str) -> bool:
    """Whether ``symbol``, removed in ``origin``, is visible from ``path``."""
    if is_module_scoped(symbol):
        return origin.rpartition("/")[0] == path.rpartition("/")[0]
    return True


def files_using(
    root: Path, symbols: list[str], origins: list[str]
) -> dict[str, list[tuple[int, str]]]:
    """Files under ``root`` using ``symbols`` (with their lines), where the names are in scope.

    Terraform names are searched only in the folders that removed them (a module is the
    files of one folder, not its subfolders); other names in the whole repository. One
    ripgrep call per kind of scope.
    """
    found: dict[str, list[tuple[int, str]]] = {}
    scoped = [s for s in symbols if is_module_scoped(s)]
    wide = [s for s in symbols if not is_module_scoped(s)]
    searches: list[tuple[list[str], list[str], int | None]] = []
    if scoped:
        folders = sorted({str(root / o.rpartition("/")[0]) for o in origins})
        searches.append((scoped, folders, 1))
    if wide:
        searches.append((wide, [str(root)], None))
    walk = ripgrep.Walk(2 * 1024 * 1024)
    prefix = str(root) + os.sep
    for names, roots, depth in searches:
        pattern = "|".join(re.escape(s) for s in names)
        running = ripgrep.start_search(walk, pattern, roots, report=False, max_depth=depth)
        search = ripgrep.finish_search(running, walk)
        for path, lines in search.lines.items():
            if path.startswith(prefix):
                found[path[len(prefix) :]] = lines
    return found


def uses_of(
    root: Path, symbols: list[str], origins: dict[str, list[str]], searches: list[NameSearch]
) -> dict[str, list[tuple[int, str]]]:
    """Lines under ``root`` that may use ``symbols`` (each removed in ``origins[symbol]``).

    Names an earlier search of the same tree covers are answered from its hits; only the
    others are searched (:func:`files_using`). Lines may use other names too: callers check.
    """
    found: dict[str, set[tuple[int, str]]] = defaultdict(set)
    rest = []
    for symbol in filter(can_be_used, symbols):
        needed = origins.get(symbol, [])
        search = next((s for s in searches if s.covers([symbol], needed)), None)
        if search is None:
            rest.append(symbol)
            continue
        for path, lines in search.hits.items():
            found[path].update((number, text) for number, text in lines)
    if rest:
        where = sorted({o for symbol in rest for o in origins.get(symbol, [])})
        for path, lines in files_using(root, rest, where).items():
            found[path].update(lines)
    return {path: sorted(lines) for path, lines in sorted(found.items())}


def _merge(first: PlannedFile, second: PlannedFile, original: str) -> PlannedFile:
    """A file's plan after a cascade pass rewrote its already-planned content."""
    if second.action is Action.NO_CHANGE:
        return first
    if (
        second.action is Action.NEEDS_HUMAN
        or second.new_text is None
        and (second.action is not Action.DELETE_FILE)
    ):
        notes = second.needs_human or [f"0: {second.reason}"]
        return first.model_copy(update={"needs_human": first.needs_human + notes})
    intermediate = first.new_text if first.new_text is not None else original
    touched = first.touched + map_to_original(original, intermediate, second.touched)
    return first.model_copy(
        update={
            "action": second.action if second.action is Action.DELETE_FILE else first.action,
            "new_text": second.new_text,
            "reason": first.reason + "; " + second.reason,
            "removed_symbols": first.removed_symbols + second.removed_symbols,
            "needs_human": first.needs_human + second.needs_human,
            "touched": touched,
        }
    )


def map_to_original(
    original: str, intermediate: str, ranges: Iterable[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Translate line ranges of ``intermediate`` (an edit of ``original``) to ``original``.

    Lines of ``intermediate`` that ``original`` does not have (inserted by the first edit)
    map to the nearest original line before them.
    """
    old, new = split_lines(original), split_lines(intermediate)
    mapping: dict[int, int] = {}
    last = 1
    for op, i1, i2, j1, j2 in opcodes(old, new):
        for k in range(j2 - j1):
            if op == "equal":
                mapping[j1 + k + 1] = i1 + k + 1
                last = i1 + k + 1
            else:
                mapping[j1 + k + 1] = min(i1 + k + 1, max(i2, i1 + 1)) if i2 > i1 else last
    mapped = []
    for start, end in ranges:
        lo = mapping.get(start, last)
        hi = mapping.get(end, lo)
        mapped.append((min(lo, hi), max(lo, hi)))
    return mapped


def _safe_rewrite(rewrite: object, edit: FileEdit) -> Rewrite:
    """Run a rule; a rule that crashes sends the file to a human instead of failing the run."""
    try:
        return rewrite(edit)  # type: ignore[operator,no-any-return]
    except Exception as exc:  # noqa: BLE001 - a rule bug must not lose the other files
        return Rewrite(Action.NEEDS_HUMAN, f"rule failed ({type(exc).__name__}: {exc})", None)
