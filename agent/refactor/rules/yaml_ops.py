"""Policies for operations YAML: CI pipelines, Prometheus rules, Alertmanager routes.

- GitHub Actions: a workflow named after the database goes whole; a job whose key or name
  spells it goes (and leaves ``needs:`` of the others, since its key becomes a reference);
  a service container dedicated to it goes; a step goes when its name, action inputs or
  ``run`` commands target it (``echo`` around them does not count); a job left with only
  checkout/setup steps goes. Other CI: a top-level job named after it goes.
- Prometheus rules (files, PrometheusRule manifests): a rule whose name, label or expression
  matcher selects only the database goes; in a regex alternation only the alternative goes.
- Alertmanager: a route or inhibit rule with a matcher selecting only the database goes, a
  route to a removed receiver goes, and a receiver named after it goes.

The policies look at shapes, not file types, so a PrometheusRule inside a Helm chart or a
routing tree in a CI-typed file are handled the same way.
"""

from __future__ import annotations

import re

from agent.refactor.rules.yaml_infra import dedicated_service
from agent.refactor.rules.yaml_lines import Document, LineKind, Node, NodeKind
from agent.refactor.rules.yaml_text import SETTING_OPTION, Refs, scan_matchers, split_elements
from agent.refactor.rules.yaml_walk import Policy, Verdict, Walker

_SETUP_ACTION = re.compile(
    r"^(actions/(checkout|setup-[\w-]+|cache)|aws-actions/configure-aws-credentials|"
    r"azure/setup-[\w-]+|docker/(setup|login)-[\w-]+)(@|$)"
)
_NEUTRAL_COMMAND = re.compile(r"^(echo|printf|set|exit|fi|done|then|else|do|true|:|\{|\})(\s|$)")
_HEREDOC = re.compile(r"<<-?\s*['\"]?(\w+)['\"]?")


def script_targets(script: str, refs: Refs) -> bool:
    """Whether every command of a shell script that does something targets the database.

    Commands are logical lines (``\\`` continuations joined, heredoc bodies folded into the
    command that opens them); ``echo``, ``set``, ``exit`` and shell keywords are neutral.
    """
    commands: list[str] = []
    pending = ""
    heredoc = ""
    for raw in script.split("\n"):
        line = raw.strip()
        if heredoc:
            commands[-1] += "\n" + line
            if line == heredoc:
                heredoc = ""
            continue
        if not pending and (not line or line.startswith("#")):
            continue
        pending = f"{pending} {line}" if pending else line
        if pending.endswith("\\"):
            pending = pending[:-1]
            continue
        commands.append(pending)
        opened = _HEREDOC.search(pending)
        heredoc = opened.group(1) if opened else ""
        pending = ""
    if pending:
        commands.append(pending)
    active = [c for c in commands if not _NEUTRAL_COMMAND.match(c)]
    return bool(active) and all(refs.hit(_without_option_refs(c, refs)) for c in active)


def _without_option_refs(command: str, refs: Refs) -> str:
    """``command`` without the options that pass the database's settings along.

    ``flyctl deploy --app worker --env LEDGER_URL="$LEDGER_URL"`` deploys the worker: the
    database is one setting among many, not what the command is for.
    """
    return SETTING_OPTION.sub(lambda m: "" if refs.hit(m.group(0)) else m.group(0), command)


class GitHubActionsPolicy(Policy):
    """GitHub Actions workflows."""

    def document(self, walker: Walker, document: Document) -> bool:
        """A workflow whose name spells the database (and nothing else listed) goes whole."""
        name = walker.entry(document.root, "name")
        if name and walker.plan.refs.hit(name) and not re.search(r",|&|\band\b", name):
            walker.plan.delete_document(document)
            return True
        return False

    def node(self, walker: Walker, node: Node) -> Verdict | None:
        """Jobs, service containers and steps."""
        path = node.path()
        plan = walker.plan
        if node.kind is NodeKind.KEY and len(path) == 2 and path[0] == "jobs":
            return self._job(walker, node)
        if (
            node.kind is NodeKind.KEY
            and len(path) == 4
            and path[0] == "jobs"
            and (path[2] == "services")
        ):
            if dedicated_service(walker, node):
                plan.learned.add(node.key or "")
                return Verdict.DELETE
            return None
        if node.kind is NodeKind.ITEM and path[-2:] == ("steps", "-"):
            return _step(walker, node)
        return None

    def _job(self, walker: Walker, job: Node) -> Verdict:
        plan = walker.plan
        name = job.child("name")
        if walker.key_hit(job) or (name is not None and walker.value_hit(name)):
            plan.local_names.add(job.key or "")
            return Verdict.DELETE
        walker.apply(job, Verdict.RECURSE)
        steps = job.child("steps")
        if steps is None or plan.is_gone(steps):
            return Verdict.KEEP
        kept = [s for s in steps.items() if not plan.is_gone(s)]
        if len(kept) < len(steps.items()) and all(
            _SETUP_ACTION.match(walker.entry(s, "uses")) for s in kept
        ):
            plan.local_names.add(job.key or "")
            return Verdict.DELETE
        return Verdict.KEEP

    def settled(self, walker: Walker) -> None:
        """A workflow with no job or no trigger left goes whole."""
        plan = walker.plan
        for document in plan.outline.documents:
            root = document.root
            if document in plan.documents_removed or not root.children:
                continue
            jobs, trigger = root.child("jobs"), root.child("on")
            if (jobs is not None and plan.is_gone(jobs)) or (
                trigger is not None and plan.is_gone(trigger)
            ):
                plan.delete_document(document)


def _step(walker: Walker, step: Node) -> Verdict:
    for key in ("name", "uses", "working-directory"):
        child = step.child(key)
        if child is not None and walker.value_hit(child):
            return Verdict.DELETE
    inputs = step.child("with")
    if inputs is not None and walker.subtree_hit(inputs):
        return Verdict.DELETE
    run = step.child("run")
    if run is not None and walker.value_hit(run):
        if script_targets(walker.plan.own_text(run).lstrip("|>-+0123456789"), walker.plan.refs):
            return Verdict.DELETE
    return Verdict.RECURSE


class OtherCiPolicy(Policy):
    """GitLab CI and other pipelines whose jobs are top-level keys."""

    def node(self, walker: Walker, node: Node) -> Verdict | None:
        """A top-level job named after the database goes; its name is then a reference."""
        if node.kind is NodeKind.KEY and len(node.path()) == 1 and walker.key_hit(node):
            walker.plan.local_names.add(node.key or "")
            return Verdict.DELETE
        return None


_MATCHER_LISTS = frozenset({"matchers", "source_matchers", "target_matchers"})
_MATCHER_MAPS = frozenset(
    {"match", "match_re", "source_match", "source_match_re", "target_match", "target_match_re"}
)


class MonitoringPolicy(Policy):
    """Prometheus alerting/recording rules and Alertmanager routing, wherever they appear."""

    def node(self, walker: Walker, node: Node) -> Verdict | None:
        """Rules, routes, inhibit rules and receivers."""
        if node.kind is not NodeKind.ITEM:
            return None
        keys = {c.key for c in node.mapping()}
        expr = node.child("expr")
        if keys & {"alert", "record"} and expr is not None:
            return _rule(walker, node, expr)
        if keys & (_MATCHER_LISTS | _MATCHER_MAPS):
            return _route(walker, node)
        if node.path()[-2:] == ("receivers", "-") and walker.item_hit(node):
            walker.plan.learned.add(walker.entry(node, "name"))
            return Verdict.DELETE
        return None


def _expr_lines(walker: Walker, expr: Node) -> list[int]:
    kinds = walker.plan.outline.kinds
    return [
        i
        for i in range(expr.start, expr.last + 1)
        if kinds[i] in (LineKind.CONTENT, LineKind.CONTINUATION)
    ]


def _rule(walker: Walker, rule: Node, expr: Node) -> Verdict:
    plan = walker.plan
    for key in ("alert", "record"):
        child = rule.child(key)
        if child is not None and walker.value_hit(child):
            return Verdict.DELETE
    labels = rule.child("labels")
    if labels is not None and any(
        walker.value_hit(c) or walker.key_hit(c) for c in labels.mapping()
    ):
        return Verdict.DELETE
    edits: dict[int, str] = {}
    for index in _expr_lines(walker, expr):
        text = plan.outline.bodies[index]
        scan = scan_matchers(text, plan.refs)
        if scan.selects_only:
            return Verdict.DELETE
        if scan.text != text:
            edits[index] = scan.text
        if scan.unresolved or plan.refs.hit(scan.text):
            plan.note(index, "the expression names the database; edit it by hand")
    for index, text in edits.items():
        plan.replace(index, text)
    # Annotations of a rule that stays are prose: the sweep leaves them to a person.
    return Verdict.KEEP


def _route(walker: Walker, route: Node) -> Verdict:
    plan = walker.plan
    receiver = route.child("receiver")
    if receiver is not None and walker.value_hit(receiver):
        return Verdict.DELETE
    edits: dict[int, str] = {}
    for child in route.mapping():
        if child.key in _MATCHER_LISTS:
            for index in range(child.start, child.end + 1):
                if plan.outline.kinds[index] not in (LineKind.CONTENT, LineKind.CONTINUATION):
                    continue
                text = plan.outline.bodies[index]
                scan = scan_matchers(text, plan.refs)
                if scan.selects_only:
                    return Verdict.DELETE
                if scan.text != text:
                    edits[index] = scan.text
                if scan.unresolved:
                    plan.note(index, "a negative matcher names the database; edit it by hand")
        elif child.key in _MATCHER_MAPS:
            for entry in child.mapping():
                if not walker.value_hit(entry):
                    continue
                value = walker.entry(child, entry.key or "")
                alternatives = split_elements(value, "|") if child.key.endswith("_re") else None
                if alternatives is None or all(plan.refs.hit(value[a:b]) for a, b in alternatives):
                    return Verdict.DELETE
                walker.apply(entry, walker.value_verdict(entry))
    for index, text in edits.items():
        plan.replace(index, text)
    for child in route.mapping():
        if child.key not in _MATCHER_LISTS | _MATCHER_MAPS:
            walker.visit(child)
    return Verdict.KEEP
