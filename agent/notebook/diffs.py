"""One planned file's change as a unified diff, coloured in Jupyter.

The base content is what discovery read (``RepoContext.scan_root``: the repository itself, or
a snapshot of its base commit); once a repository is done and its snapshot removed, the base
commit's blob is read instead. A deleted file shows all of its lines removed.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from html import escape
from pathlib import Path
from typing import Any

from agent.errors import DecomError, InputError
from agent.formats.textfile import BinaryFileError, decode
from agent.notebook.engine import RepoSnapshot
from agent.notebook.render import block_html, printable
from agent.pipeline.models import PlannedFile, RepoContext
from agent.refactor.base import Action

#: Lines of a diff shown in a notebook; the rest is counted (``.diff`` has everything).
MAX_SHOWN_LINES = 2000

_LINE_COLOURS = {
    "+": "background:#e6ffec;color:#116329",
    "-": "background:#ffebe9;color:#82071e",
    "@": "background:#ddf4ff;color:#0550ae",
}
_PRE_STYLE = (
    "font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:0.85em;"
    "border:1px solid #d0d7de;padding:4px 0;margin:0.3em 0;overflow-x:auto;line-height:1.35"
)


@dataclass(frozen=True, repr=False)
class DiffView:
    """The change of one file: proposed (waiting for approval) or applied (done)."""

    repo: str
    path: str
    action: str
    reason: str
    #: ``proposed`` while the repository waits for approval, ``applied`` once it is done.
    stage: str
    #: The unified diff (empty when the file is left as it is).
    diff: str

    @property
    def lines(self) -> list[str]:
        """The diff's lines."""
        return self.diff.splitlines()

    def to_dict(self) -> dict[str, Any]:
        """The data as JSON-able values."""
        return asdict(self)

    def _header(self) -> str:
        return f"{self.repo}: {self.path} ({self.action}, {self.stage}) - {self.reason}"

    def _repr_html_(self) -> str:
        head = f"<div style='font-weight:600;margin:0.4em 0 0.1em 0'>{escape(self._header())}</div>"
        if not self.diff:
            return block_html(head, "<p><em>no change to this file</em></p>")
        shown = self.lines[:MAX_SHOWN_LINES]
        body = "".join(_line_html(line) for line in shown)
        more = len(self.lines) - len(shown)
        tail = f"<p><em>{more} more lines (see .diff)</em></p>" if more > 0 else ""
        return block_html(head, f'<pre style="{_PRE_STYLE}">{body}</pre>', tail)

    def __str__(self) -> str:
        body = printable(self.diff) if self.diff else "(no change to this file)"
        return printable(self._header()) + "\n" + body

    def __repr__(self) -> str:
        return str(self)


def _line_html(line: str) -> str:
    if line.startswith(("+++", "---")):
        style = "font-weight:600"
    else:
        style = _LINE_COLOURS.get(line[:1], "")
    return f'<div style="{style};padding:0 6px;white-space:pre">{escape(line) or " "}</div>'


def file_diff(path: str, before: str | None, after: str | None) -> str:
    """A unified diff of ``path`` from ``before`` to ``after`` (None: absent)."""
    old = _lines(before)
    new = _lines(after)
    if old == new:
        return ""
    return "".join(
        difflib.unified_diff(
            old,
            new,
            fromfile=f"a/{path}" if before is not None else "/dev/null",
            tofile=f"b/{path}" if after is not None else "/dev/null",
        )
    )


def _lines(text: str | None) -> list[str]:
    if text is None:
        return []
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def base_text(ctx: RepoContext, path: str) -> str | None:
    """The base content of ``path``: from the scan root, else the base commit; None if absent.

    Raises:
        DecomError: the file is binary.
    """
    data: bytes | None = None
    root = Path(ctx.scan_root)
    if root.is_dir():
        try:
            data = (root / path).read_bytes()
        except OSError:
            data = None
    elif ctx.is_git and ctx.base:
        from agent.forge.git import GitRepo

        entry = GitRepo(Path(ctx.path)).tree(ctx.base, [path]).get(path)
        data = GitRepo(Path(ctx.path)).read_blob(entry.blob) if entry else None
    if data is None:
        return None
    try:
        return decode(data).text
    except BinaryFileError as exc:
        raise DecomError(f"{path} is not a text file ({exc}): no diff to show") from None


def diff_view(
    repo: str,
    ctx: RepoContext,
    path: str,
    action: Action,
    reason: str,
    new_text: str | None,
    *,
    stage: str,
) -> DiffView:
    """The view of one file's change (``new_text`` None: deleted or left as it is)."""
    before = base_text(ctx, path)
    if action is Action.DELETE_FILE:
        after = None
    elif new_text is None:
        after = before  # left as it is (a person decides)
    else:
        after = new_text
    return DiffView(repo, path, action.value, reason, stage, file_diff(path, before, after))


def planned_diff(
    snaps: Mapping[str, RepoSnapshot], names: Mapping[str, str], path: str, repo: str | None
) -> DiffView:
    """The diff of ``path`` among the planned files of ``snaps`` (``repo-name/path`` works).

    Once a repository is done, the change that was committed (after the QA critic) is shown.

    Raises:
        InputError: the path is not planned (close matches named) or planned in several
            repositories.
    """
    found = _planned(snaps, path)
    if not found and repo is None and "/" in path:
        head, rest = path.split("/", 1)
        found = _planned({t: s for t, s in snaps.items() if names[t] == head}, rest)
        path = rest if found else path
    if not found:
        hint = "session.plan() lists them"
        close = _close_matches(snaps, names, path, labelled=repo is None and len(snaps) > 1)
        if close:
            hint = f"did you mean {', '.join(close)}?"
        where = f" of {repo}" if repo else ""
        raise InputError(f"{path!r} is not a planned file{where}: {hint}")
    if len(found) > 1:
        where = ", ".join(names[s.target] for s, _ in found)
        raise InputError(f"{path} is planned in {where}: pass repo= to say which")
    snap, planned = found[0]
    assert snap.ctx is not None  # a plan is only made after discovery set the context
    name = names[snap.target]
    change = snap.changes.by_path().get(path) if snap.changes and snap.outcome else None
    if change is not None:
        return diff_view(
            name, snap.ctx, path, change.action, change.reason, change.new_text, stage="applied"
        )
    stage = "proposed" if snap.outcome is None else f"not applied ({snap.outcome.status})"
    return diff_view(
        name, snap.ctx, path, planned.action, planned.reason, planned.new_text, stage=stage
    )


def _planned(
    snaps: Mapping[str, RepoSnapshot], path: str
) -> list[tuple[RepoSnapshot, PlannedFile]]:
    return [(s, f) for s in snaps.values() if s.plan for f in s.plan.files if f.path == path]


def _close_matches(
    snaps: Mapping[str, RepoSnapshot], names: Mapping[str, str], path: str, *, labelled: bool
) -> list[str]:
    """Planned paths that look like ``path`` (as ``repo-name/path`` when ``labelled``)."""
    where: dict[str, list[str]] = {}
    for target, snap in snaps.items():
        for planned in snap.plan.files if snap.plan else []:
            where.setdefault(planned.path, []).append(names[target])
    close = difflib.get_close_matches(path, sorted(where), n=5, cutoff=0.5)
    if not labelled:
        return close
    return [f"{name}/{found}" for found in close for name in where[found]]
