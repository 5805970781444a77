"""Rewrite rule for scripts and build files: shell, PowerShell, Dockerfile and Makefile.

What a careful engineer does by hand when a database is retired:

- lists (bash arrays and ``for`` word lists, PowerShell arrays, ``docker compose up``
  services, Makefile prerequisites and ``.PHONY``, Dockerfile ``ENV`` pairs) lose the
  database's element and keep the others;
- a command that only targets the database is commented out with a ``# decom:`` note, every
  physical line of it (continuations and here-documents included), so the script still parses
  and the change is easy to review and to revert;
- blocks are never broken: a block whose opener names the database is commented out as a
  whole, anything else that would split a block goes to a human;
- a comment that names the database is flagged with the decom mark, its text kept;
- a script left with nothing but glue is deleted when its path names the database, a Makefile
  target named after the database is deleted with its recipe.

The per-language work lives in ``shell_bash`` (with ``shell_lex`` and ``shell_words``),
``shell_pwsh``, ``shell_make`` and ``shell_docker``; the line bookkeeping in ``script_edits``.
"""

from __future__ import annotations

from agent.discovery.models import SourceType
from agent.refactor.base import Action, FileEdit, Rewrite
from agent.refactor.rules.script_edits import LinePlan, Refs, guarded
from agent.refactor.rules.shell_bash import BashRewriter
from agent.refactor.rules.shell_docker import DockerRewriter
from agent.refactor.rules.shell_make import MakeRewriter
from agent.refactor.rules.shell_pwsh import PwshRewriter


class ShellRule:
    """Comments out or removes what only concerns the database in scripts and build files."""

    name = "shell"
    source_types = frozenset(
        {SourceType.SHELL, SourceType.POWERSHELL, SourceType.DOCKERFILE, SourceType.MAKEFILE}
    )

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """Rewrite one script, Dockerfile or Makefile (see the module docstring)."""
        return guarded(self._rewrite, edit)

    def _rewrite(self, edit: FileEdit) -> Rewrite:
        refs = Refs(edit)
        lines = edit.lines
        if not any(refs.any(line) for line in lines) and not edit.ref_lines:
            return Rewrite(Action.NO_CHANGE, "nothing refers to the database", None)
        plan = LinePlan(lines, edit.target.database, "#")
        if edit.source_type is SourceType.SHELL:
            return self._bash(edit, refs, plan)
        if edit.source_type is SourceType.POWERSHELL:
            return self._pwsh(edit, refs, plan)
        if edit.source_type is SourceType.MAKEFILE:
            MakeRewriter(plan.lines, refs, plan).run()
            what = "Makefile"
        else:
            DockerRewriter(plan.lines, refs, plan).run()
            what = "Dockerfile"
        plan.absorb_blank_lines()
        plan.flag_leftovers(refs, edit.ref_lines)
        return plan.result(what)

    def _pwsh(self, edit: FileEdit, refs: Refs, plan: LinePlan) -> Rewrite:
        rewriter = PwshRewriter(plan.lines, refs, plan)
        rewriter.run()
        if refs.any(edit.path) and rewriter.dedicated():
            return _delete(edit, len(plan.lines))
        plan.absorb_blank_lines()
        plan.flag_leftovers(refs, edit.ref_lines)
        return plan.result("PowerShell script")

    def _bash(self, edit: FileEdit, refs: Refs, plan: LinePlan) -> Rewrite:
        rewriter = BashRewriter(plan.lines, refs)
        decisions = rewriter.decide()
        if refs.any(edit.path) and rewriter.dedicated(decisions):
            return _delete(edit, len(plan.lines))
        rewriter.apply(plan, decisions)
        plan.absorb_blank_lines()
        plan.flag_leftovers(refs, edit.ref_lines)
        return plan.result("shell script")


def _delete(edit: FileEdit, count: int) -> Rewrite:
    return Rewrite(
        Action.DELETE_FILE,
        f"script dedicated to {edit.target.database} (its path names it and every command "
        "only targets it)",
        None,
        touched=((1, count),) if count else (),
    )
