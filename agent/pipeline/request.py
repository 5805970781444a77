"""What a run was asked to do (part of the graph's persisted input)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from agent.discovery.names import DEFAULT_AFFIXES
from agent.discovery.options import DEFAULT_MAX_FILE_BYTES, ScanOptions


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
