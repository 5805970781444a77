"""Words and numbers shared by the Markdown and HTML reports (so both say the same thing)."""

from __future__ import annotations

import re
from pathlib import PurePath

from agent.models import QualityAssuranceResult, RepoStatus, ValidationResult
from agent.report.model import RepoReport, RunReport, TokenTotals

_STATUS_LABEL = {
    RepoStatus.NO_REFERENCES.value: "no references",
    RepoStatus.NEEDS_HUMAN.value: "needs a person",
}


STRATEGY_LABEL = {0: "rule", 1: "fallback", 2: "restored"}


def status_label(status: str) -> str:
    """A repository status in words (statuses added later read as their value)."""
    return _STATUS_LABEL.get(status, status.replace("_", " "))


def duration(seconds: float) -> str:
    """``850 ms``, ``4.2 s``, ``3 min 05 s``."""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def status_counts(report: RunReport) -> str:
    """``3 repositories: 1 changed, 1 no references, 1 failed``."""
    parts = [f"{n} {status_label(s)}" for s, n in report.counts.items() if n]
    total = len(report.repos)
    noun = "repository" if total == 1 else "repositories"
    return f"{total} {noun}: {', '.join(parts) or 'none'}"


def qa_checks(qa: QualityAssuranceResult) -> list[ValidationResult]:
    """The three deterministic checks, in the order the critic runs them."""
    return [qa.database_reference_check, qa.rule_compliance_check, qa.service_integrity_check]


def tokens_line(totals: TokenTotals | None) -> str:
    """Model usage in one line; says so when no model was configured."""
    if totals is None:
        return "no model configured (deterministic mode)"
    cost = f"${totals.cost_usd:.4f}"
    if totals.unpriced_calls:
        cost += f" + {totals.unpriced_calls} unpriced calls"
    return (
        f"{totals.total_tokens:,} tokens ({totals.input_tokens:,} in, "
        f"{totals.output_tokens:,} out) in {totals.calls} calls, {cost}"
    )


def where(repo: RepoReport) -> str:
    """Where the change went, in a few words (branch, patch, or why there is none)."""
    if repo.branch and repo.commit:
        return f"{repo.branch} @ {repo.commit[:12]}"
    if repo.patch:
        return f"patch {PurePath(repo.patch).name}"
    if repo.status is RepoStatus.FAILED:
        return "no change (failed)"
    if repo.status is RepoStatus.NO_REFERENCES:
        return "nothing to change"
    return "no commit"


def diff_note(repo: RepoReport) -> str | None:
    """Why the diff shown is not the whole diff, or None."""
    if repo.diff.unavailable:
        return repo.diff.unavailable
    if not repo.diff.truncated:
        return None
    shown = len(repo.diff.text.encode())
    whole = f"the patch {repo.patch}"
    if repo.diff.source == "git" and repo.base and repo.commit:
        whole = f"git -C {repo.path} diff {repo.base[:12]} {repo.commit[:12]}"
    return (
        f"diff truncated: showing {shown:,} of {repo.diff.bytes:,} bytes; the whole diff: {whole}"
    )


def anchor(index: int, repo: str) -> str:
    """The id of a repository's section: unique (by position) and readable."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", repo.lower()).strip("-")[:60]
    return f"repo-{index + 1}-{slug}" if slug else f"repo-{index + 1}"


#: Columns of the per-role model usage table.
ROLE_COLUMNS = ("role", "calls", "input tokens", "output tokens", "cost (USD)")


def role_usage(report: RunReport) -> list[tuple[str, str, str, str, str]]:
    """One row per LLM role: role, calls, input and output tokens, cost (empty: no model)."""
    by_role = report.tokens.get("by_role")
    if not isinstance(by_role, dict):
        return []
    rows = []
    for role, usage in by_role.items():
        if not isinstance(usage, dict):
            continue
        u = TokenTotals.model_validate(usage)
        cost = f"${u.cost_usd:.4f}" + (
            f" + {u.unpriced_calls} unpriced" if u.unpriced_calls else ""
        )
        rows.append((str(role), str(u.calls), f"{u.input_tokens:,}", f"{u.output_tokens:,}", cost))
    return rows
