"""The pull-request writer role: a title and an opening summary per repository.

The model writes the title and the first paragraphs; decom's own body (files, checks, the
needs-a-person checklist, from :func:`agent.forge.records.pr_body`) always follows, so a model
can word the pull request but never drop what a reviewer must see. Without a model, or when it
fails, the title and body are exactly :func:`~agent.forge.records.pr_title` and
:func:`~agent.forge.records.pr_body`.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.forge.records import pr_body, pr_title
from agent.llm.factory import LlmRole
from agent.llm.session import LlmSession
from agent.models import QualityAssuranceResult
from agent.pipeline.models import Changeset
from prompts.pr_writer import PR_WRITER_SYSTEM, PR_WRITER_USER, PullRequestAnswer

#: Files listed to the model; the rest are counted.
MAX_FILES_LISTED = 80


@dataclass(frozen=True, slots=True)
class PullRequestText:
    """A pull request's title and body.

    Attributes:
        title: one line.
        body: Markdown.
        by_model: whether a model wrote the title and summary.
    """

    title: str
    body: str
    by_model: bool = False


def pull_request_text(
    session: LlmSession,
    repo: str,
    database: str,
    changeset: Changeset,
    qa: QualityAssuranceResult | None,
) -> PullRequestText:
    """Title and body for ``repo``'s pull request (decom's own when the model is not used)."""
    body = pr_body(database, repo, changeset, qa)
    fallback = PullRequestText(pr_title(database), body)
    if not session.usable(LlmRole.WRITER, repo):
        return fallback
    changes = sorted(changeset.changes, key=lambda c: c.path)
    files = [f"{c.path}: {c.action.value}: {c.reason}" for c in changes[:MAX_FILES_LISTED]]
    if len(changes) > MAX_FILES_LISTED:
        files.append(f"... and {len(changes) - MAX_FILES_LISTED} more files")
    checks = (
        f"{qa.overall_status.value} after {qa.iteration} iteration(s)"
        if qa is not None
        else "not run"
    )
    user = PR_WRITER_USER.format(database=database, repo=repo, files="\n".join(files), qa=checks)
    answer = session.structured(LlmRole.WRITER, repo, PR_WRITER_SYSTEM, user, PullRequestAnswer)
    if answer is None:
        return fallback
    return PullRequestText(answer.title, f"{answer.summary.strip()}\n\n{body}", by_model=True)
