"""Rewrite rules for YAML files: configuration, Helm, Kubernetes, compose, CI, monitoring.

Edits are made on the text, by indentation (see :mod:`yaml_lines`), never by dumping a parsed
document: comments, key order, anchors, quoting and line endings of everything that stays are
untouched. The walk (:mod:`yaml_walk`) decides what goes, with file-specific policies for
compose (:mod:`yaml_infra`), Kubernetes and Helm, CI and monitoring (:mod:`yaml_ops`). Names
the rewrite removes (a compose service, a CI job, a Kubernetes object) become references for
the rest of the file, so the walk is repeated until no new name appears.

After the walk, comments that still name the database are trimmed or removed, emptied
parents and template blocks go, and the result must parse as the original did; otherwise the
file goes to a person.
"""

from __future__ import annotations

import re

from agent.discovery.aliases.context import is_distinctive
from agent.discovery.models import SourceType
from agent.qa.confinement import stray_changes
from agent.qa.parsing import check_parses
from agent.refactor.base import Action, FileEdit, Rewrite, merge_ranges, split_lines
from agent.refactor.rules.yaml_edits import EditPlan, PlanError
from agent.refactor.rules.yaml_infra import (
    ComposePolicy,
    HelmChartPolicy,
    HelmValuesPolicy,
    KubernetesPolicy,
    TemplatePolicy,
    helm_value_paths,
)
from agent.refactor.rules.yaml_lines import (
    LineKind,
    Node,
    Outline,
    OutlineError,
    comment_start,
    outline,
)
from agent.refactor.rules.yaml_ops import (
    GitHubActionsPolicy,
    MonitoringPolicy,
    OtherCiPolicy,
)
from agent.refactor.rules.yaml_text import Refs, clean_comment
from agent.refactor.rules.yaml_walk import ESSENTIAL_KEYS, NAMING_KEYS, Policy, Walker

#: Types given to files by folder, whatever their format (``alerts/x.json``, ``Jenkinsfile``).
_LOOSE_TYPES = frozenset(
    {SourceType.CI_OTHER, SourceType.PROMETHEUS, SourceType.ALERTING_OTHER, SourceType.HELM_CHART}
)
_YAML_SUFFIXES = (".yml", ".yaml")
#: Top-level keys a file of a type is pointless without once the rewrite emptied them.
_ROOT_ESSENTIAL: dict[SourceType, frozenset[str]] = {
    SourceType.DOCKER_COMPOSE: frozenset({"services"}),
    SourceType.PROMETHEUS: frozenset({"groups", "tests", "scrape_configs"}),
    SourceType.CI_GITHUB_ACTIONS: frozenset({"jobs"}),
}
_NONE: frozenset[str] = frozenset()
#: How many times the walk is redone with the names it learned (service -> depends_on...).
_MAX_PASSES = 4


def _policies(edit: FileEdit) -> list[Policy]:
    kind = edit.source_type
    policies: list[Policy] = []
    # Shape-gated unless typed: a compose file may be called anything.
    policies.append(ComposePolicy(always=kind is SourceType.DOCKER_COMPOSE))
    if kind is SourceType.HELM_VALUES:
        policies.append(HelmValuesPolicy(edit.removed_symbols))
    elif kind is SourceType.HELM_CHART:
        policies.append(HelmChartPolicy())
    elif kind is SourceType.CI_GITHUB_ACTIONS:
        policies.append(GitHubActionsPolicy())
    elif kind is SourceType.CI_OTHER:
        policies.append(OtherCiPolicy())
    if kind is SourceType.HELM_TEMPLATE:
        policies.append(TemplatePolicy())
    # Shape-gated: only documents with apiVersion and kind are manifests.
    policies.append(KubernetesPolicy())
    policies.append(MonitoringPolicy())
    return policies


def _walk(edit: FileEdit, shape: Outline) -> tuple[EditPlan, Walker]:
    learned: set[str] = set()
    local: set[str] = set()
    lines = split_lines(edit.text)
    for _ in range(_MAX_PASSES):
        refs = Refs.build(edit.target, edit.removed_symbols, learned, local)
        plan = EditPlan(shape, lines, refs)
        walker = Walker(plan, _policies(edit))
        walker.run()
        # An alias of an anchor that went dangles: it is a reference now.
        plan.local_names.update("*" + a for a in plan.anchors_removed())
        for name in list(plan.learned):
            if not is_distinctive(name):
                plan.learned.discard(name)
                plan.local_names.add(name)
        plan.learned.discard("")
        if plan.learned <= learned and plan.local_names <= local:
            break
        learned |= plan.learned
        local |= plan.local_names
    return plan, walker


def _sweep(plan: EditPlan) -> None:
    """Trim or remove comments that still name the database; note other leftovers."""
    shape, refs = plan.outline, plan.refs
    head = 0
    for index, kind in enumerate(shape.kinds):
        if kind is LineKind.CONTENT:
            head = index
        if index in plan.deleted:
            continue
        text = plan.replaced.get(index, shape.bodies[index])
        if not refs.hit(text):
            if kind is LineKind.COMMENT and refs.local:
                # "docker compose up -d db app": a removed generic name as a command argument.
                cleaned = clean_comment(text, text.index("#"), refs)
                if cleaned is not None:
                    plan.replace(index, cleaned.rstrip())
            continue
        if kind is LineKind.COMMENT:
            cleaned = clean_comment(text, text.index("#"), refs)
            if cleaned is not None:
                plan.replace(index, cleaned.rstrip())
                continue
            plan.deleted.add(index)
            if _heads_kept_block(plan, index):
                plan.note(
                    index,
                    "removed a comment naming the database above a block that stays; "
                    "check whether that block is for the database too",
                )
            continue
        if kind is LineKind.CONTENT:
            start = comment_start(text, shape.indents[index])
            if start < len(text) and not refs.hit(text[:start]):
                plan.replace(index, text[:start].rstrip())
                continue
        # One note per value: the lines of a script after its first are the same concern.
        owner = head if kind is LineKind.CONTINUATION else index
        if not any(n.startswith(f"{owner + 1}: ") for n in plan.needs_human):
            plan.note(owner, "still names the database; edit by hand")


def _unexplained(plan: EditPlan, ref_lines: frozenset[int]) -> None:
    """Note lines discovery reported that the rule neither changed nor recognised."""
    for number in sorted(ref_lines):
        index = number - 1
        if not 0 <= index < len(plan.lines) or index in plan.deleted or index in plan.replaced:
            continue
        if any(n.startswith(f"{number}: ") for n in plan.needs_human):
            continue
        plan.note(index, "reported as a reference but not recognised here; check it by hand")


def _heads_kept_block(plan: EditPlan, index: int) -> bool:
    """Whether a comment line is part of a short comment right above a block that stays."""
    kinds, indents = plan.outline.kinds, plan.outline.indents
    first = index
    while first > 0 and kinds[first - 1] is LineKind.COMMENT:
        first -= 1
    after = index + 1
    while after < len(kinds) and kinds[after] is LineKind.COMMENT:
        after += 1
    # A long paragraph is a file header or an essay, not a note on the next entry.
    return (
        after - first <= 4
        and after < len(kinds)
        and kinds[after] is LineKind.CONTENT
        and after not in plan.deleted
        and indents[index] == indents[after]
    )


def _inherited_from_removed(plan: EditPlan) -> int | None:
    """A merge key (``<<: *defaults``) whose anchor went while the mapping holding it stays.

    Deleting it would silently take the inherited settings (port, TLS mode...) from a live
    block; the 0-based line, or None.
    """
    removed = plan.anchors_removed()
    if not removed:
        return None
    for node in plan.outline.nodes():
        if node.key != "<<" or node.parent is None or plan.is_gone(node.parent):
            continue
        if set(re.findall(r"\*([^\s,\[\]{}]+)", node.value)) & removed:
            return node.start
    return None


def _only_comments_left(plan: EditPlan) -> bool:
    structural = (LineKind.CONTENT, LineKind.CONTINUATION, LineKind.CONTROL)
    return all(i in plan.deleted for i, kind in enumerate(plan.outline.kinds) if kind in structural)


def _summary(plan: EditPlan, database: str) -> str:
    documents = [d.root for d in plan.documents_removed]
    removed = [
        "document " + _document_name(n)
        if n in documents
        else ".".join(n.path()).replace(".-", "[]")
        for n in _topmost_removed(plan)
    ]
    # Whole blocks first: "services.history-db" says more than its depends_on entries.
    removed = sorted(dict.fromkeys(p for p in removed if p), key=lambda p: p.count("."))
    shown = ", ".join(removed[:5]) + (f" and {len(removed) - 5} more" if len(removed) > 5 else "")
    if shown:
        return f"removed what belongs to {database}: {shown}"
    return f"removed the mentions of {database}"


def _topmost_removed(plan: EditPlan) -> list[Node]:
    found: list[Node] = []
    for document in plan.outline.documents:
        if document in plan.documents_removed:
            found.append(document.root)
            continue
        for node in document.root.walk()[1:]:
            if node in plan.gone and node.parent not in plan.gone:
                found.append(node)
    return found


def _document_name(root: Node) -> str:
    metadata = root.child("metadata")
    for holder, key in ((metadata, "name"), (root, "name")):
        entry = holder.child(key) if holder is not None else None
        if entry is not None and entry.value:
            return entry.value.strip("\"'")
    return f"at line {root.start + 1}"


def rewrite_yaml(edit: FileEdit, templated: bool) -> Rewrite:
    """Rewrite one YAML (or Go-templated YAML) file; see the module docstring."""
    refs = Refs.build(edit.target, edit.removed_symbols, ())
    if not (
        refs.hit(edit.text)
        or refs.prefixes
        or edit.ref_lines
        or (edit.source_type is SourceType.HELM_VALUES and edit.removed_symbols)
    ):
        return Rewrite(Action.NO_CHANGE, "nothing names the database", None)
    try:
        shape = outline(edit.text, templated=templated)
        plan, walker = _walk(edit, shape)
        walker.settle(NAMING_KEYS, ESSENTIAL_KEYS, _ROOT_ESSENTIAL.get(edit.source_type, _NONE))
        _sweep(plan)
        _unexplained(plan, edit.ref_lines)
        plan.finalize()
    except (OutlineError, PlanError) as exc:
        return Rewrite(Action.NEEDS_HUMAN, f"cannot edit this YAML safely: {exc}", None)
    inherited = _inherited_from_removed(plan)
    if inherited is not None:
        return Rewrite(
            Action.NEEDS_HUMAN,
            "a block that stays inherits settings from the database's block (YAML merge "
            "'<<:'): move them into it by hand",
            None,
            needs_human=(f"{inherited + 1}: inherits from a block about the database",),
        )
    symbols = list(plan.removed_symbols)
    if edit.source_type is SourceType.HELM_VALUES:
        symbols += [s for s in helm_value_paths(walker) if s not in symbols]
    needs = tuple(plan.needs_human)
    if not plan.deleted and not plan.replaced:
        if needs:
            return Rewrite(
                Action.NEEDS_HUMAN,
                "names the database where no safe edit exists",
                None,
                needs_human=needs,
            )
        return Rewrite(Action.NO_CHANGE, "nothing to remove", None)
    count = len(plan.lines)
    if _only_comments_left(plan):
        return Rewrite(
            Action.DELETE_FILE,
            f"everything in the file belongs to {edit.target.database}",
            None,
            touched=((1, count),) if count else (),
            removed_symbols=tuple(symbols),
            needs_human=(),
        )
    text, touched = plan.render()
    # A line diff may pair identical lines differently from how they were removed (two
    # "condition: service_healthy" lines, two copies of a block): report what it sees too.
    touched = merge_ranges([*touched, *((n, n) for n in stray_changes(edit.text, text, touched))])
    error = check_parses(edit.source_type, text, edit.path)
    if error is not None and check_parses(edit.source_type, edit.text, edit.path) is None:
        return Rewrite(
            Action.NEEDS_HUMAN,
            f"the automatic edit would not parse ({error})",
            None,
            needs_human=needs,
        )
    return Rewrite(
        Action.STRUCTURAL_EDIT,
        _summary(plan, edit.target.database),
        text,
        touched=touched,
        removed_symbols=tuple(symbols),
        needs_human=needs,
    )


class YamlRule:
    """YAML configuration, Helm values and charts, Kubernetes, compose, CI and monitoring."""

    name = "yaml"
    source_types = frozenset(
        {
            SourceType.YAML_CONFIG,
            SourceType.HELM_VALUES,
            SourceType.HELM_CHART,
            SourceType.KUBERNETES,
            SourceType.DOCKER_COMPOSE,
            SourceType.CI_GITHUB_ACTIONS,
            SourceType.CI_OTHER,
            SourceType.PROMETHEUS,
            SourceType.ALERTING_OTHER,
        }
    )

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """Remove the keys, items and documents that belong to the database."""
        if edit.source_type in _LOOSE_TYPES and not edit.path.endswith(_YAML_SUFFIXES):
            return Rewrite(Action.NEEDS_HUMAN, "not a YAML file; edit it by hand", None)
        return rewrite_yaml(edit, templated=False)


class HelmTemplateRule:
    """Go-templated YAML under a Helm chart's ``templates/``."""

    name = "helm_template"
    source_types = frozenset({SourceType.HELM_TEMPLATE})

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """Remove whole entries and blocks by indentation, keeping template blocks balanced."""
        if not edit.path.endswith(_YAML_SUFFIXES):
            # _helpers.tpl and NOTES.txt are templates of text, not of YAML.
            return Rewrite(Action.NEEDS_HUMAN, "not a YAML template; edit it by hand", None)
        return rewrite_yaml(edit, templated=True)
