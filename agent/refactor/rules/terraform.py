"""Rewrite rule for Terraform and HCL files (``.tf``, ``.tfvars``, ``.hcl``).

Blocks that exist for the database are deleted with the comments directly above them; inside
shared blocks only the list element, map entry or optional attribute that points at it goes;
whatever then dangles (outputs, ``depends_on`` entries, alarms and rules attached to removed
resources) goes too, until nothing dangles. Every removed address is reported so the other
files of the module can be cleaned. A required argument that would be left without a value is
never guessed at: its line is handed to a human. See ``terraform_plan`` (what goes) and
``terraform_render`` (how the text changes).
"""

from __future__ import annotations

from agent.discovery.models import SourceType
from agent.qa.parsing import check_parses
from agent.refactor.base import Action, FileEdit, Rewrite
from agent.refactor.rules.terraform_plan import Planner
from agent.refactor.rules.terraform_render import RenderError, render
from agent.refactor.rules.terraform_syntax import HclSyntaxError, parse


class TerraformRule:
    """Removes a database's blocks and every reference that dangles after them."""

    name = "terraform"
    source_types = frozenset({SourceType.TERRAFORM})

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """Rewrite one Terraform/HCL file (see the module docstring)."""
        lines = edit.lines
        try:
            source = parse(edit.text, lines)
        except HclSyntaxError as exc:
            return Rewrite(Action.NEEDS_HUMAN, f"could not read the HCL: {exc}", None)
        tfvars = edit.path.endswith(".tfvars")
        plan = Planner(source, edit.target, edit.removed_symbols, tfvars).run()
        try:
            result = render(source, plan)
        except RenderError as exc:
            return Rewrite(Action.NEEDS_HUMAN, f"could not edit the HCL cleanly: {exc}", None)
        notes = {**result.notes, **plan.human}
        needs_human = tuple(f"{line + 1}: {notes[line]}" for line in sorted(notes))
        if not result.touched:
            if needs_human:
                reason = f"{len(needs_human)} reference(s) to {edit.target.database} need a person"
                return Rewrite(Action.NEEDS_HUMAN, reason, None, needs_human=needs_human)
            return Rewrite(Action.NO_CHANGE, "nothing refers to the database", None)
        symbols = tuple(plan.symbols)
        if result.empty:
            return Rewrite(
                Action.DELETE_FILE,
                f"everything in this file existed for {edit.target.database}",
                None,
                ((1, len(lines)),),
                symbols,
            )
        if check_parses(SourceType.TERRAFORM, result.text) is not None:
            if check_parses(SourceType.TERRAFORM, edit.text) is None:
                return Rewrite(
                    Action.NEEDS_HUMAN,
                    "the automatic edit would not parse; edit this file by hand",
                    None,
                    needs_human=needs_human,
                )
        return Rewrite(
            Action.STRUCTURAL_EDIT,
            _reason(edit.target.database, symbols, len(result.touched)),
            result.text,
            result.touched,
            symbols,
            needs_human,
        )


def _reason(database: str, symbols: tuple[str, ...], places: int) -> str:
    if symbols:
        shown = ", ".join(symbols[:4]) + (
            f" and {len(symbols) - 4} more" if len(symbols) > 4 else ""
        )
        return f"removed {shown} (they existed for {database}) and what referred to them"
    return f"removed the references to {database} in {places} place(s) of shared blocks"
