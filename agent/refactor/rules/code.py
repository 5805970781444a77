"""The code rule: retire a database from Python, Java/Kotlin, Go and JavaScript/TypeScript.

Configuration goes (a Django ``DATABASES`` entry, a Spring DataSource ``@Bean``, a connection
string constant nothing else uses, a map entry keyed by the database, an element of a list of
database names); code that would connect to the database fails fast with a named error instead
of silently connecting. Queries in business logic, ORM models and call sites are left for a
human, each with its line.

Statements are located with tree-sitter; every pass is in :mod:`code_passes`,
:mod:`code_failfast` and :mod:`code_fixups`. The result is checked before it is returned: it
must parse, and only the reported lines may differ.
"""

from __future__ import annotations

from collections import Counter

from agent.discovery.models import SourceType
from agent.qa.parsing import check_parses
from agent.refactor.base import Action, FileEdit, Rewrite, merge_ranges, split_lines
from agent.refactor.linediff import LineDiff
from agent.refactor.rules.code_core import Edits, Grammar, Refs, Source, parser
from agent.refactor.rules.code_entries import (
    prune_dunder_all,
    remove_entries,
    remove_string_elements,
    remove_union_members,
)
from agent.refactor.rules.code_failfast import (
    fail_beans,
    fail_connections,
    remove_handle_setup,
    remove_keyed_assignments,
)
from agent.refactor.rules.code_fixups import insert_helpers, leftovers, remove_unused_imports
from agent.refactor.rules.code_lang import JS, STRINGS, family
from agent.refactor.rules.code_passes import (
    Ctx,
    declarations,
    index_comments,
    remove_constants,
    taint,
)

_GRAMMARS: dict[SourceType, Grammar] = {
    SourceType.PYTHON: "python",
    SourceType.JAVA: "java",
    SourceType.KOTLIN: "kotlin",
    SourceType.GO: "go",
    SourceType.JAVASCRIPT: "javascript",
    SourceType.TYPESCRIPT: "tsx",
}

_WORDS = {
    "entry": ("configuration entry", "configuration entries"),
    "constant": ("connection setting", "connection settings"),
    "bean": ("DataSource bean", "DataSource beans"),
    "setup": ("setup call", "setup calls"),
    "import": ("unused import", "unused imports"),
    "fail_fast": ("connection made to fail fast", "connections made to fail fast"),
}

_ERRORS = {
    "python": "DatabaseDecommissionedError",
    "js": "DatabaseDecommissionedError",
    "go": "errors.New",
    "java": "IllegalStateException",
    "kotlin": "IllegalStateException",
}


class CodeRule:
    """Removes a database's configuration from application code and fails its connections."""

    name = "code"
    source_types = frozenset(
        {
            SourceType.PYTHON,
            SourceType.JAVA,
            SourceType.KOTLIN,
            SourceType.GO,
            SourceType.JAVASCRIPT,
            SourceType.TYPESCRIPT,
        }
    )

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """Rewrite one file; anything unsafe or unclear goes to a human."""
        lines = split_lines(edit.text)
        refs_found = bool(edit.ref_lines) or any(edit.target.mentions(line) for line in lines)
        symbols_found = any(s and s in edit.text for s in edit.removed_symbols)
        if not refs_found and not symbols_found:
            return Rewrite(Action.NO_CHANGE, f"no reference to {edit.target.database}", None)
        try:
            return _rewrite(edit)
        except Exception as exc:  # noqa: BLE001 - never fail the run over unusual content
            reason = f"could not rewrite safely ({type(exc).__name__}: {exc})"
            return Rewrite(Action.NEEDS_HUMAN, reason, None)


def _grammar(edit: FileEdit) -> Grammar:
    if edit.source_type is SourceType.TYPESCRIPT and edit.path.endswith((".ts", ".mts", ".cts")):
        return "typescript"  # plain .ts allows `<T>x` casts, which the tsx grammar rejects
    return _GRAMMARS[edit.source_type]


def _quote(source: Source, lang: str) -> str:
    """The quote the file uses most for strings (double when tied)."""
    counts: Counter[str] = Counter()
    for node in source.of_type(STRINGS.get(lang, frozenset())):
        first = source.text_of(node).lstrip("rbuRBUfF")[:1]
        if first in ("'", '"'):
            counts[first] += 1
    return "'" if counts["'"] > counts['"'] else '"'


def _rewrite(edit: FileEdit) -> Rewrite:
    grammar = _grammar(edit)
    source = Source(edit.text, grammar)
    lang = family(grammar)
    refs = Refs(source, edit.target, edit.removed_symbols, edit.ref_lines)
    ctx = Ctx(source, lang, refs, Edits(source), edit.target.database, _quote(source, lang))
    unchanged = LineDiff(source.lines, source.lines)
    if source.root.has_error:
        notes = leftovers(ctx, unchanged)
        return Rewrite(
            Action.NEEDS_HUMAN,
            "the file does not parse, so it was not rewritten",
            None,
            needs_human=tuple(notes),
        )
    index_comments(ctx)
    decls = declarations(ctx)
    taint(ctx, decls)
    fail_beans(ctx)
    fail_connections(ctx)
    remove_handle_setup(ctx)
    remove_keyed_assignments(ctx)
    remove_entries(ctx)
    if lang == JS:
        remove_union_members(ctx)
    remove_string_elements(ctx)
    remove_constants(ctx, decls)
    prune_dunder_all(ctx)
    if not ctx.edits.deleted and not ctx.edits.replaced:
        notes = leftovers(ctx, unchanged)
        if not notes:
            return Rewrite(Action.NO_CHANGE, "nothing to change", None)
        return Rewrite(
            Action.NEEDS_HUMAN,
            f"no configuration or connection to {ctx.database} that can be removed safely",
            None,
            needs_human=tuple(notes),
        )
    remove_unused_imports(ctx)
    ctx.edits.tidy_blank_lines()
    insert_helpers(ctx)
    text, touched = ctx.edits.build()
    # A rewrite that does not parse is refused before the line diff is worked out.
    problem = _parse_problem(edit, text, grammar)
    diff = LineDiff(source.lines, split_lines(text))
    if problem is None:
        touched = _settle(edit.text, text, touched, diff)
        problem = _confinement_problem(diff, touched)
    if problem is not None:
        notes = leftovers(ctx, unchanged)
        return Rewrite(Action.NEEDS_HUMAN, problem, None, needs_human=tuple(notes))
    action = Action.FAIL_FAST if "fail_fast" in ctx.counts else Action.STRUCTURAL_EDIT
    return Rewrite(
        action,
        _reason(ctx),
        text,
        touched,
        removed_symbols=tuple(ctx.removed),
        needs_human=tuple(leftovers(ctx, diff)),
    )


def _settle(
    original: str,
    text: str,
    touched: tuple[tuple[int, int], ...],
    diff: LineDiff | None = None,
) -> tuple[tuple[int, int], ...]:
    """Widen ``touched`` where a diff may pair the deletion with an identical neighbour.

    Deleting lines 18-20 of ``}`` / ``X = {`` / ``...`` / ``}`` gives the same text as
    deleting 17-19, and a line diff may report either; the neighbour is then reported too.
    ``diff`` is the diff of ``original`` and ``text`` when the caller has it already.
    """
    if diff is None:
        diff = LineDiff(split_lines(original), split_lines(text))
    lines = diff.old_lines
    for _ in range(len(lines)):
        stray = diff.stray(touched)
        if not stray:
            break
        widened: list[tuple[int, int]] = []
        for number in stray:
            for first, last in touched:
                width = last - first + 1
                if number > last and all(
                    lines[i - 1] == lines[i - 1 + width] for i in range(first, number - width + 1)
                ):
                    widened.append((last + 1, number))
                elif number < first and all(
                    lines[i - 1] == lines[i - 1 + width] for i in range(number, first)
                ):
                    widened.append((number, first - 1))
        if not widened:
            break
        touched = merge_ranges([*touched, *widened])
    return touched


def _parse_problem(edit: FileEdit, text: str, grammar: Grammar) -> str | None:
    """Why the rewrite cannot be used because it does not parse, or None."""
    if parser(grammar).parse(text.encode()).root_node.has_error:
        return "the rewrite would not parse, so the file was left for a human"
    error = check_parses(edit.source_type, text, edit.path)
    if error is not None and check_parses(edit.source_type, edit.text, edit.path) is None:
        # Only a file that parsed before must parse after (the original is asked only now).
        return f"the rewrite would not parse ({error}), so the file was left for a human"
    return None


def _confinement_problem(diff: LineDiff, touched: tuple[tuple[int, int], ...]) -> str | None:
    """Why the rewrite cannot be used because it changed unreported lines, or None."""
    if diff.stray(touched):
        return "the rewrite changed lines it did not report, so the file was left for a human"
    return None


def _reason(ctx: Ctx) -> str:
    """One sentence for the pull request: what went and what now fails fast."""
    parts = []
    for key, (one, many) in _WORDS.items():
        count = ctx.counts.get(key, 0)
        if count and key != "fail_fast":
            parts.append(f"{count} {one if count == 1 else many}")
    done = f"removed {', '.join(parts)}" if parts else ""
    failed = ctx.counts.get("fail_fast", 0)
    if failed:
        one, many = _WORDS["fail_fast"]
        made = f"{failed} {one if failed == 1 else many} (raising {_ERRORS[ctx.lang]})"
        done = f"{done}; {made}" if done else made
    return f"{ctx.database}: {done}"
