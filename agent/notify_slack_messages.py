"""What decom's Slack messages say: a plain-text fallback and one Block Kit section each.

Every message carries ``text`` (what push notifications, screen readers and clients without
Block Kit show) and a single ``section`` block with the same facts as Slack mrkdwn. Values
from the run are redacted (anything that looks like a credential) and escaped (``&``, ``<``,
``>``), so a repository name or an error message can never inject a mention or a link.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agent.logs import redact
from agent.notify import Notification

#: Slack rejects a section whose text is longer than this.
SECTION_TEXT_LIMIT = 3000
#: Errors are cut to this many characters: the run's own records hold the full text.
ERROR_TEXT_LIMIT = 300

_STATUS_EMOJI = {
    "changed": ":white_check_mark:",
    "no_references": ":heavy_minus_sign:",
    "needs_human": ":warning:",
    "failed": ":x:",
}
_COUNT_LABELS = {
    "changed": "changed",
    "no_references": "without references",
    "needs_human": "need a person",
    "failed": "failed",
}


@dataclass(frozen=True)
class SlackMessage:
    """One Slack message: plain-text fallback plus Block Kit blocks.

    Attributes:
        text: the fallback (notifications, accessibility, old clients).
        blocks: the Block Kit layout (one mrkdwn section).
    """

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_mrkdwn(cls, mrkdwn: str, fallback: str) -> SlackMessage:
        """A message whose layout is one section holding ``mrkdwn``."""
        if len(mrkdwn) > SECTION_TEXT_LIMIT:
            mrkdwn = mrkdwn[: SECTION_TEXT_LIMIT - 1] + "…"
        section = {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}
        return cls(text=fallback[:SECTION_TEXT_LIMIT], blocks=[section])


def escape(value: object) -> str:
    """``value`` as safe Slack text: credentials redacted, control characters escaped."""
    text = redact(str(value))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _code(value: object) -> str:
    return "`" + escape(value).replace("`", "'") + "`"


def _run_label(notification: Notification) -> str:
    return f"*{escape(notification.database)}* (run {_code(notification.run_id)})"


def _run_label_plain(notification: Notification) -> str:
    return f"{escape(notification.database)} (run {escape(notification.run_id)})"


def format_counts(counts: Mapping[str, Any]) -> str:
    """``"2 changed, 1 need a person"``: the non-zero counts, or ``"no repositories"``."""
    parts = [
        f"{count} {_COUNT_LABELS.get(status, escape(status))}"
        for status, count in counts.items()
        if isinstance(count, int) and count
    ]
    return ", ".join(parts) or "no repositories"


def run_header(notification: Notification) -> SlackMessage:
    """The parent message of a run's thread, posted when the run starts."""
    data = notification.data
    repos = data.get("repos")
    count = len(repos) if isinstance(repos, list | tuple) else repos
    details = []
    if isinstance(count, int):
        details.append(f"{count} repositor{'y' if count == 1 else 'ies'}")
    if data.get("dry_run"):
        details.append("dry run")
    suffix = f": {', '.join(details)}" if details else ""
    mrkdwn = f":hourglass_flowing_sand: decom is retiring {_run_label(notification)}{suffix}"
    fallback = f"decom is retiring {_run_label_plain(notification)}{suffix}"
    return SlackMessage.from_mrkdwn(mrkdwn, fallback)


def run_final_header(notification: Notification) -> SlackMessage:
    """The parent message rewritten when the run is done: the final counts."""
    counts = notification.data.get("counts") or {}
    failed = isinstance(counts, Mapping) and bool(counts.get("failed"))
    emoji = ":x:" if failed else ":white_check_mark:"
    summary = format_counts(counts) if isinstance(counts, Mapping) else "no repositories"
    mrkdwn = f"{emoji} decom finished {_run_label(notification)}: {summary}"
    fallback = f"decom finished {_run_label_plain(notification)}: {summary}"
    return SlackMessage.from_mrkdwn(mrkdwn, fallback)


def repo_message(notification: Notification, *, standalone: bool) -> SlackMessage:
    """One repository's outcome: status, PR link or branch or patch, needs-a-person count.

    Args:
        notification: a ``repo_done`` notification.
        standalone: the message is not in the run's thread, so it names the run itself.
    """
    data = notification.data
    repo = escape(data.get("repo") or "?")
    status = str(data.get("status") or "unknown")
    needs_human = data.get("needs_human") or 0
    if isinstance(needs_human, list | tuple):
        needs_human = len(needs_human)
    lines = [f"{_STATUS_EMOJI.get(status, ':grey_question:')} *{repo}*: {escape(status)}"]
    plain = [f"{repo}: {escape(status)}"]
    pr_url = data.get("pr_url")
    if isinstance(pr_url, str) and pr_url.startswith(("https://", "http://")):
        safe_url = pr_url.replace(">", "%3E").replace("|", "%7C").replace(" ", "%20")
        number = pr_url.rstrip("/").rpartition("/")[2]
        label = f"#{number}" if number.isdigit() else "open"
        lines.append(f"Pull request: <{safe_url}|{label}>")
        plain.append(f"pull request {escape(pr_url)}")
    if data.get("branch"):
        lines.append(f"Branch: {_code(data['branch'])}")
        plain.append(f"branch {escape(data['branch'])}")
    if data.get("pr_record") and not pr_url:
        lines.append(f"PR record: {_code(data['pr_record'])}")
    if data.get("patch"):
        lines.append(f"Patch: {_code(data['patch'])}")
        plain.append(f"patch {escape(data['patch'])}")
    lines.append(f"Needs a person: {needs_human}")
    plain.append(f"{needs_human} item(s) need a person")
    error = data.get("error")
    if error:
        short = escape(str(error)[:ERROR_TEXT_LIMIT])
        lines.append(f"Error: {short}")
        plain.append(f"error: {short}")
    if standalone:
        lines.insert(0, f"decom: {_run_label(notification)}")
        plain.insert(0, f"decom {_run_label_plain(notification)}")
    return SlackMessage.from_mrkdwn("\n".join(lines), ", ".join(plain))


def run_summary(notification: Notification, *, standalone: bool) -> SlackMessage:
    """The run's summary: counts per status and the share that succeeded."""
    data = notification.data
    counts = data.get("counts") or {}
    summary = format_counts(counts) if isinstance(counts, Mapping) else "no repositories"
    rate = data.get("success_rate")
    rate_text = f"; {rate:.0%} succeeded" if isinstance(rate, int | float) else ""
    if standalone:
        lead, lead_plain = f"decom finished {_run_label(notification)}", "decom finished "
        lead_plain += _run_label_plain(notification)
    else:
        lead, lead_plain = "*Run finished*", "Run finished"
    mrkdwn = f"{lead}: {summary}{rate_text}"
    return SlackMessage.from_mrkdwn(mrkdwn, f"{lead_plain}: {summary}{rate_text}")


def other_message(notification: Notification, *, standalone: bool) -> SlackMessage:
    """An event this module does not know: its sentence, as sent."""
    text = escape(notification.text)
    if standalone:
        return SlackMessage.from_mrkdwn(f"decom: {_run_label(notification)}: {text}", text)
    return SlackMessage.from_mrkdwn(text, text)


def standalone_message(notification: Notification) -> SlackMessage:
    """A self-contained message for one notification (incoming webhooks, no thread)."""
    if notification.event == "run_started":
        return run_header(notification)
    if notification.event == "repo_done":
        return repo_message(notification, standalone=True)
    if notification.event == "run_done":
        return run_summary(notification, standalone=True)
    return other_message(notification, standalone=True)
