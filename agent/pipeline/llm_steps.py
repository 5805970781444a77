"""Where the LLM roles plug into a repository's steps; each is a no-op without a model.

Every function takes the deterministic result and returns it unchanged when no model is
configured, the repository's token budget is spent, or the model fails: the deterministic
engine is always complete on its own, and deterministic checks keep the last word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.tools import BaseTool

from agent.discovery.models import ScanResult
from agent.llm.critic import review_with_model
from agent.llm.discovery import (
    Candidate,
    adjudicate,
    candidate_snippets,
    search_aliases,
    uncertain_references,
    without_rejected,
)
from agent.llm.refactor import ToolLoop, has_no_rule, refactor_without_rules, with_proposals
from agent.llm.session import LlmSession
from agent.llm.writer import PullRequestText, pull_request_text
from agent.models import QualityAssuranceResult
from agent.pipeline.models import Changeset, Plan, RepoContext
from agent.pipeline.request import RunRequest
from agent.qa.critic import Reader
from agent.repomix import RepomixBridge, RepomixError, repomix_command


def adjudicate_discovery(
    session: LlmSession | None, request: RunRequest, ctx: RepoContext, scan: ScanResult
) -> ScanResult:
    """Let the model confirm or reject uncertain references and propose aliases to search."""
    if session is None:
        return scan
    options = request.scan_options()
    candidates = candidate_snippets(Path(ctx.scan_root), uncertain_references(scan, ctx.name))
    if not candidates:
        return scan
    candidates = _with_repomix_counts(session, ctx, candidates)
    verdict = adjudicate(session, ctx.name, options, candidates)
    scan = without_rejected(scan, ctx.name, verdict)
    if not verdict.aliases:
        return scan
    rescanned = search_aliases(options, [ctx.scan_root], verdict.aliases)
    if ctx.scan_root != ctx.path:
        old = Path(ctx.scan_root).name
        rescanned = replace(
            rescanned,
            references=tuple(
                replace(r, repo=ctx.name) if r.repo == old else r for r in rescanned.references
            ),
        )
    return without_rejected(rescanned, ctx.name, verdict)


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{2,59}")


def _with_repomix_counts(
    session: LlmSession, ctx: RepoContext, candidates: list[Candidate]
) -> list[Candidate]:
    """Tell the adjudicator how often each candidate's name occurs in the whole repository.

    Repomix greps its packed copy of the repository; only a count goes into the prompt (never
    more repository text), so the adjudicator gains context without a new way in for
    instructions hidden in files.
    """
    command = repomix_command(session.settings)
    if command is None:
        return candidates
    try:
        with RepomixBridge(command, Path(ctx.scan_root)) as repomix:
            session.ledger.note_context(ctx.name, repomix.packed.total_tokens)
            (grep, _read) = repomix.tools()
            enriched = []
            for candidate in candidates:
                marked = next(
                    (line for line in candidate.snippet.splitlines() if line.startswith(">")), ""
                )
                names = _TOKEN.findall(marked.partition(": ")[2])
                name = max(names, key=len) if names else ""
                if not name:
                    enriched.append(candidate)
                    continue
                found = str(grep.invoke({"pattern": re.escape(name), "context_lines": 0}))
                count = 0 if found == "no match" else len(found.splitlines())
                why = f"{candidate.why}; Repomix finds {count} line(s) with {name!r} in the repo"
                enriched.append(replace(candidate, why=why))
            return enriched
    except (RepomixError, TimeoutError, OSError):
        return candidates


def refactor_with_agent(
    session: LlmSession | None,
    request: RunRequest,
    ctx: RepoContext,
    plan: Plan,
    loop: ToolLoop,
) -> Plan:
    """Let the refactor agent propose edits for files no rule handles."""
    if session is None or not any(has_no_rule(p) for p in plan.files):
        return plan
    command = repomix_command(session.settings)
    if command is None:
        proposals = refactor_without_rules(
            session, ctx.name, request.database, plan, Path(ctx.scan_root), loop
        )
        return with_proposals(plan, proposals) if proposals else plan
    try:
        with RepomixBridge(command, Path(ctx.scan_root)) as repomix:
            extra = repomix.tools()

            def with_repomix(
                model: BaseChatModel,
                tools: Sequence[BaseTool],
                messages: Sequence[BaseMessage],
                *,
                token_budget: int,
                max_steps: int,
            ) -> list[BaseMessage]:
                return loop(
                    model, [*tools, *extra], messages, token_budget=token_budget,
                    max_steps=max_steps,
                )  # fmt: skip

            proposals = refactor_without_rules(
                session, ctx.name, request.database, plan, Path(ctx.scan_root), with_repomix
            )
            session.ledger.note_context(ctx.name, repomix.packed.total_tokens)
    except (RepomixError, TimeoutError, OSError):
        proposals = refactor_without_rules(
            session, ctx.name, request.database, plan, Path(ctx.scan_root), loop
        )
    return with_proposals(plan, proposals) if proposals else plan


def critic_with_model(
    session: LlmSession | None,
    request: RunRequest,
    ctx: RepoContext,
    changes: Changeset,
    qa: QualityAssuranceResult,
    read: Reader,
) -> QualityAssuranceResult:
    """Add the model's findings to the deterministic verdict (never waiving a failed check)."""
    if session is None:
        return qa
    return review_with_model(session, ctx.name, request.database, changes, qa, read)


def pr_text(
    session: LlmSession | None,
    request: RunRequest,
    ctx: RepoContext,
    changes: Changeset,
    qa: QualityAssuranceResult | None,
) -> PullRequestText | None:
    """The pull request's title and body from the PR writer (None: decom's own text)."""
    if session is None:
        return None
    text = pull_request_text(session, ctx.name, request.database, changes, qa)
    return text if text.by_model else None
