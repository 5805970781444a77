"""The discovery adjudicator role: a second opinion on uncertain candidates, and new names.

Only candidates the engine is unsure of are sent (see :func:`uncertain_references`), as short
snippets: the line and a few lines around it, never whole files. The model confirms or
rejects each and may propose aliases; decom validates those like user-given names and searches
for them with its own engine (:func:`search_aliases`). Without a model, or when the model
fails, every candidate stays as the engine decided and no alias is added.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import structlog

from agent.discovery.api import find_references
from agent.discovery.models import Reference, ReferenceKind, ScanResult, SourceType
from agent.discovery.names import (
    DEFAULT_AFFIXES,
    cached_matcher,
    validate_database_name,
    variant_pattern,
)
from agent.discovery.options import ScanOptions
from agent.errors import EditRefusedError, InputError
from agent.llm.factory import LlmRole
from agent.llm.session import LlmSession
from agent.llm.workspace import read_confined
from agent.refactor.base import split_lines
from prompts.discovery import DISCOVERY_SYSTEM, DISCOVERY_USER, AdjudicationAnswer

log = structlog.get_logger("decom")

#: Lines shown before and after a candidate line, and the longest line shown.
CONTEXT_LINES = 2
MAX_LINE_CHARS = 240
#: Candidates per model call, and per repository in all.
BATCH_SIZE = 25
MAX_CANDIDATES = 100
#: Aliases accepted from one repository's answers.
MAX_ALIASES = 10

_PROSE = frozenset({SourceType.MARKDOWN, SourceType.RST, SourceType.TEXT})


@dataclass(frozen=True, slots=True)
class Candidate:
    """One uncertain line, as the model sees it.

    Attributes:
        id: ``path:line``, unique within a repository.
        path: the file, relative to the repository.
        line: the 1-based line.
        why: why the engine is unsure.
        snippet: the numbered lines around it, the candidate marked with ``>``.
    """

    id: str
    path: str
    line: int
    why: str
    snippet: str


@dataclass(frozen=True, slots=True)
class Adjudication:
    """What the adjudicator decided for one repository.

    Attributes:
        rejected: candidate ids the model rejected, with its reason.
        confirmed: candidate ids the model confirmed.
        aliases: validated names to search for.
        by_model: whether a model answered (False: the engine's decisions stand).
    """

    rejected: dict[str, str] = field(default_factory=dict)
    confirmed: frozenset[str] = frozenset()
    aliases: tuple[str, ...] = ()
    by_model: bool = False


def uncertain_references(scan: ScanResult, repo: str) -> list[Reference]:
    """The repository's references the engine is least sure of.

    Prose mentions, references only found through a learned alias in prose, and lines of no
    particular kind: everything else matched a structural rule and is not second-guessed.
    """
    uncertain = []
    for ref in scan.references:
        if ref.repo != repo:
            continue
        prose = ref.source_type in _PROSE or ref.kind is ReferenceKind.DOCS
        if ref.kind is ReferenceKind.OTHER or prose:
            uncertain.append(ref)
    return uncertain[:MAX_CANDIDATES]


def _why(ref: Reference) -> str:
    if ref.via is not None:
        return f"found through the alias {ref.via.alias!r}"
    if ref.kind is ReferenceKind.OTHER:
        return "the name appears, but in no known kind of reference"
    return "a mention in prose"


def candidate_snippets(
    root: Path, refs: Sequence[Reference], context: int = CONTEXT_LINES
) -> list[Candidate]:
    """A short snippet per reference, read safely (no links, no ``..``) from ``root``."""
    texts: dict[str, list[str] | None] = {}
    candidates = []
    for ref in refs[:MAX_CANDIDATES]:
        if ref.path not in texts:
            try:
                texts[ref.path] = split_lines(read_confined(root, ref.path).text)
            except EditRefusedError:
                texts[ref.path] = None
        lines = texts[ref.path]
        if lines is None or not 1 <= ref.line <= len(lines):
            continue
        window = range(max(1, ref.line - context), min(len(lines), ref.line + context) + 1)
        snippet = "\n".join(
            f"{'>' if n == ref.line else ' '}{n}: {lines[n - 1].rstrip()[:MAX_LINE_CHARS]}"
            for n in window
        )
        candidates.append(
            Candidate(f"{ref.path}:{ref.line}", ref.path, ref.line, _why(ref), snippet)
        )
    return candidates


def _candidate_json(candidate: Candidate) -> dict[str, object]:
    return {
        "id": candidate.id,
        "path": candidate.path,
        "line": candidate.line,
        "why": candidate.why,
        "snippet": candidate.snippet,
    }


def adjudicate(
    session: LlmSession, repo: str, options: ScanOptions, candidates: Sequence[Candidate]
) -> Adjudication:
    """Ask the model about ``candidates`` in batches; the engine's decisions where it fails."""
    if not candidates or not session.usable(LlmRole.DISCOVERY, repo):
        return Adjudication()
    known = {c.id for c in candidates}
    rejected: dict[str, str] = {}
    confirmed: set[str] = set()
    proposed: list[str] = []
    answered = False
    for start in range(0, len(candidates), BATCH_SIZE):
        batch = candidates[start : start + BATCH_SIZE]
        lines = "\n".join(
            json.dumps(
                {"id": c.id, "path": c.path, "line": c.line, "why": c.why, "snippet": c.snippet}
            )
            for c in batch
        )
        user = DISCOVERY_USER.format(database=options.database, candidates=lines)
        answer = session.structured(
            LlmRole.DISCOVERY, repo, DISCOVERY_SYSTEM, user, AdjudicationAnswer
        )
        if answer is None:
            continue
        answered = True
        for decision in answer.decisions:
            if decision.id not in known:
                continue
            if decision.verdict == "reject":
                rejected[decision.id] = decision.reason
            else:
                confirmed.add(decision.id)
        proposed.extend(a.name for a in answer.aliases)
    aliases = accepted_aliases(options, proposed, [c.snippet for c in candidates])
    log.info(
        "llm_adjudication",
        repo=repo,
        rejected=len(rejected),
        confirmed=len(confirmed),
        aliases=list(aliases),
    )
    return Adjudication(rejected, frozenset(confirmed - rejected.keys()), aliases, answered)


def accepted_aliases(
    options: ScanOptions, proposed: Sequence[str], snippets: Sequence[str]
) -> tuple[str, ...]:
    """The proposed names decom will search for: grounded, valid, new names.

    A name is refused when it does not appear in any snippet the model was shown, is not a
    valid database name, is shorter than 3 characters, is only a database-ish word (``db``,
    ``prod``), names an excluded live database, already matches as a spelling of the database,
    or extends the database's name with other words (``payroll_ledger_archive``: by the
    boundary rule, a different thing).
    """
    known = cached_matcher(options.database, options.affixes, options.exclude_names)
    spelled = re.compile(variant_pattern(options.database), re.IGNORECASE)
    seen = "\n".join(snippets).lower()
    excluded = [cached_matcher(n, options.affixes, ()) for n in options.exclude_names]
    given = {a.lower() for a in options.aliases}
    accepted: list[str] = []
    for name in proposed:
        try:
            valid = validate_database_name(name)
        except InputError:
            continue
        lowered = valid.lower()
        if len(valid) < 3 or lowered in DEFAULT_AFFIXES or lowered in given:
            continue
        if lowered not in seen or spelled.search(valid):
            continue
        if known.matches(valid) or any(m.matches(valid) for m in excluded):
            continue
        if lowered not in {a.lower() for a in accepted}:
            accepted.append(valid)
    return tuple(accepted[:MAX_ALIASES])


def without_rejected(scan: ScanResult, repo: str, adjudication: Adjudication) -> ScanResult:
    """The scan without the references the model rejected (in ``repo`` only)."""
    if not adjudication.rejected:
        return scan
    kept = tuple(
        r
        for r in scan.references
        if r.repo != repo or f"{r.path}:{r.line}" not in adjudication.rejected
    )
    return replace(scan, references=kept)


def search_aliases(
    options: ScanOptions, roots: Sequence[str | Path], aliases: Sequence[str]
) -> ScanResult:
    """Scan again with decom's engine, the accepted aliases added to the user's."""
    return find_references(
        options.database,
        list(roots),
        aliases=[*options.aliases, *aliases],
        exclude_names=options.exclude_names,
        max_file_bytes=options.max_file_bytes,
        affixes=options.affixes,
    )
