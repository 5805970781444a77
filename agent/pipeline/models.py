"""Values that flow between the pipeline steps (and through the graph's checkpoints)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from agent.refactor.base import Action


class RepoContext(BaseModel):
    """Where a repository is and what decom reads of it.

    Attributes:
        name: the repository's name in reports (its folder name).
        path: the repository folder as the user gave it (absolute).
        is_git: whether it is a git repository (else: patch file only).
        base: the commit the branch starts from (git only).
        base_branch: the branch name ``base`` was resolved from.
        scan_root: the folder discovery reads: the repository itself when its working tree is
            clean and at ``base``, else a snapshot of ``base`` under the state directory.
        unconfirmed: ``scan_root`` is the repository's checkout, at the base, read before
            ``git status`` said it is clean (the plan step confirms it while it plans).
    """

    name: str
    path: str
    is_git: bool
    base: str | None = None
    base_branch: str | None = None
    scan_root: str
    unconfirmed: bool = False


class PlannedFile(BaseModel):
    """The decision for one file, with the proposed new content."""

    path: str
    source_type: str
    action: Action
    rule: str
    reason: str
    ref_lines: list[int] = Field(default_factory=list)
    removed_symbols: list[str] = Field(default_factory=list)
    needs_human: list[str] = Field(default_factory=list)
    touched: list[tuple[int, int]] = Field(default_factory=list)
    new_text: str | None = Field(None, description="proposed content; None deletes or keeps")
    cascade: bool = Field(False, description="planned only because a removed name dangles here")


class NameSearch(BaseModel):
    """A search of the base tree for names the rewrites removed (lines per file).

    The plan keeps its searches so the critic, which asks the same question of the same
    tree, does not walk the repository again.
    """

    symbols: list[str]
    origins: list[str]
    hits: dict[str, list[tuple[int, str]]] = Field(default_factory=dict)

    def covers(self, symbols: list[str], origins: list[str]) -> bool:
        """Whether this search answers a search for ``symbols`` removed in ``origins``.

        It does when it looked for every one of the names, removed in at least those files
        (its hits may hold more files and lines: callers check each line for their names).
        """
        return set(symbols) <= set(self.symbols) and set(origins) <= set(self.origins)


class Plan(BaseModel):
    """Every file of one repository that changes or needs a person."""

    files: list[PlannedFile] = Field(default_factory=list)
    searches: list[NameSearch] = Field(default_factory=list)

    def by_path(self) -> dict[str, PlannedFile]:
        """Files keyed by path."""
        return {f.path: f for f in self.files}


class FileChange(BaseModel):
    """A file's content after the refactor step (what will be committed)."""

    path: str
    source_type: str
    action: Action
    rule: str
    reason: str
    new_text: str | None = Field(None, description="None: the file is deleted")
    strategy: int = Field(0, description="0 rule, 1 fallback, 2 restored (left unchanged)")
    needs_human: list[str] = Field(default_factory=list)
    touched: list[tuple[int, int]] = Field(default_factory=list)

    @property
    def lands(self) -> bool:
        """Whether the change goes in: new content or a deletion (not a file left as it is)."""
        return self.new_text is not None or self.action is Action.DELETE_FILE


class Changeset(BaseModel):
    """All file changes of one repository at one critic iteration."""

    iteration: int = 1
    changes: list[FileChange] = Field(default_factory=list)

    def by_path(self) -> dict[str, FileChange]:
        """Changes keyed by path."""
        return {c.path: c for c in self.changes}
