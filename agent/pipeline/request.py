"""What a run was asked to do (part of the graph's persisted input)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from agent.discovery.names import DEFAULT_AFFIXES
from agent.discovery.options import DEFAULT_MAX_FILE_BYTES, ScanOptions

if TYPE_CHECKING:
    from agent.discovery.models import Alias


class CampaignAlias(BaseModel):
    """An alias learned in one repository of a run, searched for in all of them.

    An RDS identifier declared in the infrastructure repository is how the application
    repositories name the database too; a run over each repository alone would miss it.
    """

    name: str
    form: str
    reason: str
    repo: str
    path: str
    line: int
    source_types: list[str] | None = None

    @classmethod
    def from_alias(cls, alias: Alias) -> CampaignAlias:
        """The persisted form of ``alias`` (it must know where it was defined)."""
        where = alias.defined_at
        assert where is not None
        types = sorted(t.value for t in alias.source_types) if alias.source_types else None
        return cls(
            name=alias.name, form=alias.form.value, reason=alias.reason, repo=where.repo,
            path=where.path, line=where.line, source_types=types,
        )  # fmt: skip

    def to_alias(self) -> Alias:
        """The alias, for discovery."""
        from agent.discovery.models import Alias, AliasForm, Location, SourceType

        types = frozenset(SourceType(t) for t in self.source_types) if self.source_types else None
        return Alias(
            name=self.name, form=AliasForm(self.form), reason=f"{self.reason} (in {self.repo})",
            defined_at=Location(self.repo, self.path, self.line), source_types=types,
        )  # fmt: skip


class RunRequest(BaseModel):
    """A decommission run's parameters."""

    database: str = Field(description="the database to retire")
    repos: list[str] = Field(description="repository folders (absolute paths)")
    aliases: list[str] = Field(default_factory=list, description="other names of it")
    exclude_names: list[str] = Field(default_factory=list, description="live databases to keep")
    extra_affixes: list[str] = Field(default_factory=list, description="more database affixes")
    base: str | None = Field(None, description="base branch (default: each repo's default)")
    dry_run: bool = Field(False, description="no branches: diffs and patch files only")
    state_dir: str = Field(description="where checkpoints, records and logs go")
    max_qa_iterations: int = Field(3, ge=1, le=10, description="critic loop bound")
    max_file_bytes: int = Field(DEFAULT_MAX_FILE_BYTES, ge=1)
    campaign_aliases: list[CampaignAlias] = Field(
        default_factory=list, description="aliases learned across the run's repositories"
    )
    require_approval: bool = Field(
        False, description="pause after planning until a person approves (human in the loop)"
    )

    def scan_options(self) -> ScanOptions:
        """The discovery options this request implies."""
        return ScanOptions(
            database=self.database,
            aliases=tuple(self.aliases),
            exclude_names=tuple(self.exclude_names),
            affixes=DEFAULT_AFFIXES | {a.lower() for a in self.extra_affixes},
            max_file_bytes=self.max_file_bytes,
        )

    def run_dir(self, run_id: str) -> Path:
        """The folder of one run's artefacts."""
        return Path(self.state_dir) / "runs" / run_id
