"""Before/after fixtures for rewrite rules.

A fixture is a folder ``tests/refactor/fixtures/<rule>/<case>/`` with:

- ``case.json``: ``{"database": "payroll_ledger", "source_type": "terraform", "path": "rds.tf",
  "exclude_names": [], "aliases": [{"name": "aws_db_instance.main", "form": "address"}],
  "removed_symbols": [], "action": "structural_edit"}`` (``action`` is the expected action;
  ``path`` is the file's path in its repository, which some rules look at);
- ``before`` and ``after``: the file before and after (no ``after`` when the file is deleted).

The harness runs the rule, compares with ``after`` byte for byte, and checks the invariants:
only touched lines changed, the result parses, and nothing but decom comments still names
the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from agent.discovery.models import Alias, AliasForm, SourceType
from agent.discovery.names import NameMatcher
from agent.qa.confinement import stray_changes
from agent.qa.parsing import check_parses
from agent.refactor.base import DECOM_MARK, Action, FileEdit, Rewrite, Target, split_lines
from agent.refactor.rules import rule_for

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Fixture:
    name: str
    folder: Path
    spec: dict[str, object]

    @property
    def before(self) -> str:
        return (self.folder / "before").read_bytes().decode("utf-8")

    @property
    def after(self) -> str | None:
        path = self.folder / "after"
        return path.read_bytes().decode("utf-8") if path.exists() else None


def all_fixtures() -> list[Fixture]:
    found = []
    for spec_path in sorted(FIXTURES.glob("*/*/case.json")):
        folder = spec_path.parent
        spec = json.loads(spec_path.read_text())
        found.append(Fixture(f"{folder.parent.name}/{folder.name}", folder, spec))
    return found


def make_edit(fixture: Fixture) -> FileEdit:
    spec = fixture.spec
    database = str(spec["database"])
    matcher = NameMatcher(database, excluded=list(spec.get("exclude_names", [])))  # type: ignore[call-overload]
    aliases = tuple(
        Alias(a["name"], AliasForm(a["form"]), None, "fixture")
        for a in spec.get("aliases", [])  # type: ignore[attr-defined]
    )
    target = Target(database, matcher, aliases)
    text = fixture.before
    ref_lines = frozenset(
        n for n, line in enumerate(split_lines(text), start=1) if target.mentions(line)
    )
    return FileEdit(
        path=str(spec["path"]),
        source_type=SourceType(str(spec["source_type"])),
        text=text,
        ref_lines=ref_lines,
        target=target,
        removed_symbols=frozenset(spec.get("removed_symbols", [])),  # type: ignore[arg-type]
    )


def run_fixture(fixture: Fixture) -> Rewrite:
    edit = make_edit(fixture)
    rule = rule_for(edit.source_type)
    assert rule is not None, f"no rule for {edit.source_type}"
    return rule.rewrite(edit)


def invariant_problems(edit: FileEdit, result: Rewrite) -> list[str]:
    """What is wrong with a rewrite, whatever its expected output."""
    problems: list[str] = []
    if result.action in (Action.NO_CHANGE, Action.NEEDS_HUMAN) or result.text is None:
        return problems
    stray = stray_changes(edit.text, result.text, result.touched)
    if stray:
        problems.append(f"lines changed outside touched ranges: {stray}")
    error = check_parses(edit.source_type, result.text, edit.path)
    if error and check_parses(edit.source_type, edit.text, edit.path) is None:
        problems.append(f"no longer parses: {error}")
    for number, line in enumerate(split_lines(result.text), start=1):
        if edit.target.mentions(line) and DECOM_MARK not in line:
            if result.action is not Action.DOC_NOTE:
                problems.append(f"line {number} still refers to the database: {line.strip()}")
    return problems
