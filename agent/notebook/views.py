"""What the notebook operations return: typed rows that render as tables.

Every view exposes its data (``.rows``, ``.to_dict()``), renders in Jupyter
(``_repr_html_``, all repository content escaped) and prints readably in a console
(``str`` / ``repr``).
"""

from __future__ import annotations

from dataclasses import asdict, astuple, dataclass, fields
from html import escape
from typing import Any, NamedTuple

from agent.notebook.render import (
    Cell,
    block_html,
    notes_html,
    notes_text,
    printable,
    table_html,
    table_text,
)


class Section(NamedTuple):
    """One table of a view."""

    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    #: Index of a column holding statuses (coloured in HTML), if any.
    status_column: int | None = None


def section(title: str, row_type: type[Any], rows: tuple[Any, ...], status: str = "") -> Section:
    """A section of dataclass rows; headers are the field names."""
    names = tuple(f.name for f in fields(row_type))
    column = names.index(status) if status in names else None
    return Section(
        title,
        tuple(n.replace("_", " ") for n in names),
        [astuple(r) for r in rows],
        column,
    )


class Rendered:
    """Shared rendering of views made of sections and notes."""

    notes: tuple[str, ...]

    def sections(self) -> list[Section]:
        """The view's tables, in order."""
        raise NotImplementedError

    def _repr_html_(self) -> str:
        tables = [
            table_html(s.title, s.headers, s.rows, status_column=s.status_column)
            for s in self.sections()
        ]
        return block_html(*tables, notes_html(self.notes))

    def __str__(self) -> str:
        parts = [table_text(s.title, s.headers, s.rows) for s in self.sections()]
        if self.notes:
            parts.append(notes_text(self.notes))
        return "\n".join(parts)

    def __repr__(self) -> str:
        return str(self)


# -- scan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanRow:
    """One reference: where, what kind, and why it counts (direct or via an alias)."""

    repo: str
    path: str
    line: int
    kind: str
    source_type: str
    why: str
    text: str


@dataclass(frozen=True, repr=False)
class ScanView(Rendered):
    """References per repository and file."""

    database: str
    rows: tuple[ScanRow, ...]
    notes: tuple[str, ...] = ()

    def sections(self) -> list[Section]:
        """One table of every reference."""
        return [section(f"References to {self.database}", ScanRow, self.rows)]

    def to_dict(self) -> dict[str, Any]:
        """The data as JSON-able values."""
        return {
            "database": self.database,
            "rows": [asdict(r) for r in self.rows],
            "notes": list(self.notes),
        }


# -- plan, status -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    """One planned file: what would happen to it, and why."""

    repo: str
    path: str
    action: str
    reason: str
    references: int
    needs_human: tuple[str, ...] = ()
    cascade: bool = False


@dataclass(frozen=True)
class RepoStateRow:
    """Where one repository is."""

    repo: str
    state: str
    detail: str = ""
    branch: str | None = None
    pr_record: str | None = None


@dataclass(frozen=True, repr=False)
class PlanView(Rendered):
    """Per repository where it is, and per planned file the action and reason."""

    run_id: str
    repos: tuple[RepoStateRow, ...]
    rows: tuple[PlanRow, ...]
    notes: tuple[str, ...] = ()

    def sections(self) -> list[Section]:
        """The repositories, then the planned files."""
        return [
            section(f"Plan of run {self.run_id}", RepoStateRow, self.repos, "state"),
            section("Planned files", PlanRow, self.rows, "action"),
        ]

    def to_dict(self) -> dict[str, Any]:
        """The data as JSON-able values."""
        return {
            "run_id": self.run_id,
            "repos": [asdict(r) for r in self.repos],
            "rows": [asdict(r) for r in self.rows],
            "notes": list(self.notes),
        }


@dataclass(frozen=True, repr=False)
class StatusView(Rendered):
    """Where every repository of the session is."""

    run_id: str
    rows: tuple[RepoStateRow, ...]
    notes: tuple[str, ...] = ()

    def sections(self) -> list[Section]:
        """One row per repository."""
        return [section(f"Status of run {self.run_id}", RepoStateRow, self.rows, "state")]

    def to_dict(self) -> dict[str, Any]:
        """The data as JSON-able values."""
        return {
            "run_id": self.run_id,
            "rows": [asdict(r) for r in self.rows],
            "notes": list(self.notes),
        }


# -- decisions, outcomes ------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionRow:
    """A recorded decision for one repository (carried out by ``apply``)."""

    repo: str
    action: str
    exclude: tuple[str, ...] = ()
    left_for_a_person: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True, repr=False)
class DecisionView(Rendered):
    """The decisions just recorded."""

    rows: tuple[DecisionRow, ...]
    notes: tuple[str, ...] = ()

    def sections(self) -> list[Section]:
        """One row per repository."""
        return [section("Decisions recorded", DecisionRow, self.rows, "action")]

    def to_dict(self) -> dict[str, Any]:
        """The data as JSON-able values."""
        return {"rows": [asdict(r) for r in self.rows], "notes": list(self.notes)}


@dataclass(frozen=True)
class OutcomeRow:
    """What a repository's run did."""

    repo: str
    status: str
    branch: str | None = None
    files_changed: int = 0
    files_deleted: int = 0
    needs_human: tuple[str, ...] = ()
    pr_record: str | None = None
    patch: str | None = None
    error: str | None = None


@dataclass(frozen=True, repr=False)
class OutcomeView(Rendered):
    """Per repository: status, branch, files changed and deleted, what needs a person."""

    title: str
    rows: tuple[OutcomeRow, ...]
    notes: tuple[str, ...] = ()

    def sections(self) -> list[Section]:
        """One row per repository."""
        return [section(self.title, OutcomeRow, self.rows, "status")]

    def to_dict(self) -> dict[str, Any]:
        """The data as JSON-able values."""
        return {
            "title": self.title,
            "rows": [asdict(r) for r in self.rows],
            "notes": list(self.notes),
        }


# -- chat ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ToolCallRow:
    """One tool the chat model called, with what it was told back (shortened)."""

    tool: str
    arguments: str
    result: str


@dataclass(frozen=True, repr=False)
class ChatReply(Rendered):
    """The model's answer and the tools it called on the way."""

    text: str
    rows: tuple[ToolCallRow, ...] = ()
    notes: tuple[str, ...] = ()

    def sections(self) -> list[Section]:
        """The tool calls (the answer is shown above them)."""
        if not self.rows:
            return []
        return [section("Tools the model called", ToolCallRow, self.rows)]

    def _repr_html_(self) -> str:
        answer = block_html(f"<p style='white-space:pre-wrap'>{escape(self.text)}</p>")
        return answer + super()._repr_html_()

    def __str__(self) -> str:
        rest = super().__str__()
        return printable(self.text) + ("\n" + rest if rest else "")

    def to_dict(self) -> dict[str, Any]:
        """The data as JSON-able values."""
        return {
            "text": self.text,
            "rows": [asdict(r) for r in self.rows],
            "notes": list(self.notes),
        }
