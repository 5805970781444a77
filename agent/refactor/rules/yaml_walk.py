"""The generic walk over a YAML outline: decide, node by node, what goes.

The generic rules, in order, for a node that no file-specific :class:`Policy` claimed:

- a key that spells the database (or an alias, or sits under a configuration key prefix of
  it) goes with its whole subtree;
- a one-line scalar that is a reference goes with its key or list item, unless it is a list
  of words (``a,payroll_ledger``, ``orders|payroll_ledger``) that keeps other elements;
- a flow sequence loses only its reference elements;
- a mapping whose identifying entry (``name``, ``host``, ``url``...) is a reference goes whole;
- a list item goes whole when one of its own entries is a reference, or when it is a record
  (no nested list) with a reference anywhere inside (an env var with ``valueFrom``);
- script-like values (``command``, ``run``...) are never cut: a person reads them.

Everything else is walked into. Emptied parents are removed later by
:meth:`~agent.refactor.rules.yaml_edits.EditPlan.settle`.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from agent.refactor.rules.yaml_edits import EditPlan
from agent.refactor.rules.yaml_lines import Document, LineKind, Node, NodeKind, Style
from agent.refactor.rules.yaml_text import (
    CONDITION_KEYS,
    condition_effect,
    edit_flow_sequence,
    edit_scalar_list,
    names_a_list,
    only_setting_options,
    trim_condition,
)


class Verdict(Enum):
    """What happens to a node."""

    DELETE = "delete"
    RECURSE = "recurse"
    KEEP = "keep"


#: Entries that identify what a mapping is about: a reference there makes it dedicated (a
#: Helm dependency's ``alias`` and its ``condition`` say which instance it is and when).
IDENTITY_KEYS = frozenset(
    """
    name host hostname url uri dsn jdbcUrl jdbc-url jdbc_url endpoint address server database
    db dbname dbName datname identifier instance cluster connectionString connection-string
    alias condition
    """.split()
)
#: Keys whose value is a program: never cut a piece out of it.
SCRIPT_KEYS = frozenset(
    """
    run command entrypoint args script before_script after_script cmd exec test shell
    """.split()
)
#: Keys that alone do not make a list item worth keeping once its other entries went.
NAMING_KEYS = frozenset("name id key secretKey alert record job_name description".split())
#: Keys a list item is pointless (or dangerous) without once the rewrite emptied them: a
#: scrape job without targets, a promtool test without input series, a NetworkPolicy rule
#: without its peers (``to``/``from`` gone would open its ports to every peer).
ESSENTIAL_KEYS = frozenset(
    "targets static_configs input_series alert_rule_test exp_alerts rules steps script "
    "to from".split()
)
_SCALARS = (Style.PLAIN, Style.QUOTED, Style.ALIAS, Style.FLOW_MAP)


class Policy:
    """Hooks for one kind of file; every hook defaults to "no opinion"."""

    def begin(self, walker: Walker) -> None:
        """Run before the walk (line-level decisions such as template blocks)."""

    def document(self, walker: Walker, document: Document) -> bool:
        """Handle a whole document; ``True`` when it was (the walk skips it)."""
        return False

    def node(self, walker: Walker, node: Node) -> Verdict | None:
        """The verdict for a node, or ``None`` to leave it to the generic rules."""
        return None

    def finish(self, walker: Walker) -> None:
        """Run after the walk (cross-references such as unused volumes)."""

    def settled(self, walker: Walker) -> None:
        """Run once emptied parents are removed (what is left may be pointless)."""


class Walker:
    """Walks every document of a plan's outline through the policies, then the generic rules."""

    def __init__(self, plan: EditPlan, policies: Sequence[Policy]) -> None:
        self.plan = plan
        self.policies = list(policies)

    def run(self) -> None:
        """Decide every node of every document."""
        for policy in self.policies:
            policy.begin(self)
        for document in self.plan.outline.documents:
            if any(p.document(self, document) for p in self.policies):
                continue
            for child in list(document.root.children):
                self.visit(child)
        for policy in self.policies:
            policy.finish(self)

    def settle(
        self,
        naming: frozenset[str],
        essential: frozenset[str],
        root_essential: frozenset[str] = frozenset(),
    ) -> None:
        """Remove what the walk emptied, then let the policies look at what is left."""
        self.plan.settle(naming, essential, root_essential)
        for policy in self.policies:
            policy.settled(self)

    def visit(self, node: Node) -> None:
        """Decide one node (and what is under it)."""
        if self.plan.is_gone(node):
            return
        verdict: Verdict | None = None
        for policy in self.policies:
            verdict = policy.node(self, node)
            if verdict is not None:
                break
        if verdict is None:
            verdict = self.generic(node)
        self.apply(node, verdict)

    def apply(self, node: Node, verdict: Verdict) -> None:
        """Carry out a verdict."""
        if verdict is Verdict.DELETE:
            self.plan.delete(node)
        elif verdict is Verdict.RECURSE:
            for child in list(node.children):
                self.visit(child)

    # -- generic rules -----------------------------------------------------------------

    def key_hit(self, node: Node) -> bool:
        """Whether the node is a key that names the database (or sits under its prefix)."""
        refs = self.plan.refs
        if node.kind is not NodeKind.KEY or node.key is None:
            return False
        if refs.key_hit(node.key) or refs.under_prefix(node.path()):
            return True
        # A removed service or job is a key only where it is depended on.
        parent = node.parent
        return (
            node.key in refs.local
            and parent is not None
            and parent.key in ("depends_on", "needs", "links")
        )

    def value_hit(self, node: Node) -> bool:
        """Whether the node's own inline value (and its continuations) is a reference."""
        return node.style is not Style.NONE and self.plan.refs.hit(self.plan.own_text(node))

    def subtree_hit(self, node: Node) -> bool:
        """Whether anything in the node's content (comments left out) is a reference."""
        return self.plan.refs.hit(self.plan.subtree_text(node))

    def generic(self, node: Node) -> Verdict:
        """The verdict of the generic rules (see the module docstring)."""
        if node.kind in (NodeKind.TEMPLATE, NodeKind.ROOT):
            return Verdict.KEEP
        if self.key_hit(node):
            return Verdict.DELETE
        if self.condition_hit(node):
            # A condition that only excluded the database always holds now; any other one
            # (what it guards would run for every other database without it) is a person's.
            if condition_effect(node.value, self.plan.refs) == "exclude":
                return Verdict.DELETE
            trimmed = self._trimmed_condition(node.value)
            if trimmed is not None:
                self._replace_value(node, trimmed)
            else:
                self.plan.note(node.start, "a condition names the database; edit it by hand")
            return Verdict.KEEP
        if node.style is not Style.NONE:
            if not self.value_hit(node):
                return Verdict.RECURSE
            return self.value_verdict(node)
        if node.kind is NodeKind.KEY and self.identity_hit(node):
            return Verdict.DELETE
        if node.kind is NodeKind.ITEM and self._shared_condition(node):
            # Runs for the database and others too (``== 'ledger' or == 'archive'``): what
            # it does for the others must stay whole; a person rewrites it.
            self.plan.note(node.start, "a task or step runs for it and others; edit it by hand")
            return Verdict.KEEP
        if node.kind is NodeKind.ITEM and self.item_hit(node):
            return Verdict.DELETE
        return Verdict.RECURSE

    def _shared_condition(self, node: Node) -> bool:
        """Whether an item's condition names the database in a way no edit settles."""
        return any(
            self.condition_hit(child)
            and condition_effect(child.value, self.plan.refs) is None
            and self._trimmed_condition(child.value) is None
            for child in node.mapping()
        )

    def _trimmed_condition(self, value: str) -> str | None:
        """The condition without the database's list elements, when that leaves no mention."""
        trimmed = trim_condition(value, self.plan.refs)
        return trimmed if trimmed is not None and not self.plan.refs.hit(trimmed) else None

    def _replace_value(self, node: Node, new_value: str) -> None:
        """Write ``new_value`` in place of the node's one-line value."""
        text = self.plan.outline.bodies[node.start]
        end = node.value_col + len(node.value)
        self.plan.replace(node.start, text[: node.value_col] + new_value + text[end:])

    def script_context(self, node: Node) -> str | None:
        """The script key the node's value belongs to (its own key or its list's key)."""
        current: Node | None = node
        while current is not None and current.kind is NodeKind.ITEM:
            current = current.parent
        if current is not None and current.kind is NodeKind.KEY and current.key in SCRIPT_KEYS:
            return current.key
        return None

    def _cut_setting_lines(self, node: Node) -> bool:
        """Drop the continuation lines of a script that only pass the database's settings on.

        ``--env LEDGER_URL="$LEDGER_URL" \\`` inside a ``flyctl deploy`` goes; the command stays.
        False (nothing changed) unless every line naming the database is such a line.
        """
        plan, outline = self.plan, self.plan.outline
        lines = [i for i in range(node.start + 1, node.last + 1)]
        hits = [i for i in lines if plan.refs.hit(outline.bodies[i])]
        if plan.refs.hit(node.value) or not hits:
            return False
        for index in hits:
            previous = outline.bodies[index - 1].rstrip()
            if outline.kinds[index] is not LineKind.CONTINUATION or not previous.endswith("\\"):
                return False
            if not only_setting_options(outline.bodies[index]):
                return False
        for index in hits:
            if not outline.bodies[index].rstrip().endswith("\\"):
                # The chain's last line goes: the line before it ends the command now.
                before = max(i for i in lines + [node.start] if i < index and i not in hits)
                plan.replace(before, outline.bodies[before].rstrip().removesuffix("\\").rstrip())
            plan.delete_lines(index, index)
        return True

    def value_verdict(self, node: Node) -> Verdict:
        """What to do with a node whose inline value is a reference."""
        plan = self.plan
        script = self.script_context(node)
        if script is not None and not (
            node.kind is NodeKind.ITEM and script.endswith("script") and node.last == node.start
        ):
            if not self._cut_setting_lines(node):
                plan.note(node.start, f"the {script} names the database; edit it by hand")
            return Verdict.KEEP
        if node.style is Style.BLOCK:
            plan.note(node.start, "a multi-line value names the database; edit it by hand")
            return Verdict.KEEP
        if node.last != node.start:
            if node.style is Style.FLOW_SEQ:
                joined = " ".join(plan.own_text(node).split())
                if edit_flow_sequence(joined, plan.refs) == "":
                    return Verdict.DELETE
            plan.note(node.start, "a value over several lines names the database; edit by hand")
            return Verdict.KEEP
        edited: str | None = None
        if node.style is Style.FLOW_SEQ:
            edited = edit_flow_sequence(node.value, plan.refs)
        elif node.style in (Style.PLAIN, Style.QUOTED):
            edited = edit_scalar_list(node.value, plan.refs, names_a_list(self.list_key(node)))
        if edited is None or edited == "" or edited in ("[]", '""', "''"):
            return Verdict.DELETE
        self._replace_value(node, edited)
        return Verdict.KEEP

    def list_key(self, node: Node) -> str:
        """What names a scalar's value: its key, or for an env entry's ``value`` its name."""
        parent = node.parent
        if node.key == "value" and parent is not None and parent.kind is NodeKind.ITEM:
            return self.entry(parent, "name") or "value"
        return node.key or ""

    def _list_value_edit(self, node: Node) -> bool:
        """Whether an env entry's value is a list that keeps other elements without it.

        ``- name: DATABASES / value: "orders,ledger,archive"`` loses only ``ledger``.
        """
        value = node.child("value")
        if value is None or value.style not in (Style.PLAIN, Style.QUOTED):
            return False
        if value.last != value.start or not self.value_hit(value):
            return False
        edited = edit_scalar_list(value.value, self.plan.refs, names_a_list(self.list_key(value)))
        return edited not in (None, "", '""', "''")

    def condition_hit(self, node: Node) -> bool:
        """Whether the node is a one-line condition (``when:``, ``if:``) naming the database."""
        return (
            node.kind is NodeKind.KEY
            and node.key in CONDITION_KEYS
            and node.style in (Style.PLAIN, Style.QUOTED)
            and node.last == node.start
            and self.value_hit(node)
        )

    def identity_hit(self, node: Node) -> bool:
        """Whether a mapping's identifying entry is a reference (the mapping is dedicated)."""
        for child in node.mapping():
            if child.key in IDENTITY_KEYS and child.style in _SCALARS and self.value_hit(child):
                return True
        return False

    def item_hit(self, node: Node) -> bool:
        """Whether a list item goes whole (an own entry, or a record, names the database).

        An item that has a name of its own which is not the database, is more than a
        name/value pair, and mentions the database only in a plain attribute, is another
        thing (a live database listing ``backup_after: payroll_ledger``): it stays, and only
        that attribute goes.
        """
        entries = node.mapping()
        if any(self.key_hit(c) for c in entries) or self.identity_hit(node):
            return True
        conditions = [c for c in entries if self.condition_hit(c)]
        if any(condition_effect(c.value, self.plan.refs) == "select" for c in conditions):
            return True  # a task or step that runs for the database alone
        if conditions:
            # Only its condition names the database (the walk then decides about the
            # condition), unless something else in it does too.
            entries = [c for c in entries if c not in conditions]
            if not any(self.subtree_hit(c) for c in entries):
                return False
        if {c.key for c in entries} == {"name", "value"} and self._list_value_edit(node):
            return False  # the walk goes on into ``value``, which loses its element
        own_name = [c for c in entries if c.key in ("name", "id", "key") and c.style in _SCALARS]
        direct = [c for c in entries if c.style in _SCALARS and self.value_hit(c)]
        nested = any(c.style is Style.NONE and self.subtree_hit(c) for c in entries)
        if own_name and direct and not nested and len(entries) > 2:
            return False
        for child in entries:
            if self.key_hit(child):
                return True
            if child.style in _SCALARS and self.value_hit(child):
                if child.key not in SCRIPT_KEYS:
                    return True
        is_record = not any(n.kind is NodeKind.ITEM for n in node.walk()[1:])
        return is_record and self.subtree_hit(node)

    def entry(self, node: Node, key: str) -> str:
        """The unquoted one-line value of a mapping entry (``""`` if absent)."""
        child = node.child(key)
        if child is None or child.style not in (Style.PLAIN, Style.QUOTED):
            return ""
        value = child.value
        if value[:1] in "\"'" and value[-1:] == value[:1]:
            value = value[1:-1]
        return value
