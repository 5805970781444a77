"""Decide what a Terraform rewrite removes, without touching the text yet.

Two kinds of removal, repeated until nothing new dangles (bounded):

1. Blocks that exist for the database: their label spells it, their address is an alias or a
   name another file's rewrite removed, or (database-ish blocks and modules) a naming attribute
   such as ``identifier`` spells it. Their addresses become removed symbols.
2. References inside shared blocks: the innermost unit holding the reference goes (a list
   element, a map entry, a merge() argument, a nested block), and when that leaves its
   container empty the container goes too, up to the attribute. An attribute goes only if it
   is optional (``depends_on``, ``tags``...), makes the whole block pointless (``records``,
   ``security_group_id`` of a rule, the ``value`` of an output, a naming attribute) - then
   the block goes - or is a ``locals``/``.tfvars`` entry. Anything else is left for a human
   with its line, since dropping a required argument breaks the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.discovery.aliases.terraform import NAMING_ATTRIBUTES
from agent.discovery.models import AliasForm
from agent.refactor.base import Target, body, remove_spans
from agent.refactor.rules.terraform_syntax import Node, Source, interpolations

#: Resource types that exist for a database (as in discovery, plus its monitoring and logs).
DATABASE_ISH = re.compile(
    r"db_|_db|rds|sql|database|postgres|mysql|mariadb|redshift|docdb|neptune|aurora|"
    r"elasticache|dynamodb|spanner|bigtable|cosmosdb|secretsmanager|ssm_parameter|"
    r"security_group|kms_|parameter_group|subnet_group|option_group|route53_record|"
    r"vault_|_secret|log_group|alarm|snapshot|backup"
)
#: Resource types that only attach something to something else: a dangling reference in
#: any of their required arguments means the whole block served the removed thing.
DEPENDENT_TYPE = re.compile(
    r"attachment|association|_rule$|_record$|_version$|rotation|subscription|_target$|"
    r"metric_alarm|ssm_parameter|_grant$|_policy$|_membership$|_permission$|_member$|_binding$"
)
_HEREDOC_VALUE = re.compile(r"=\s*<<-?\s*[A-Za-z_]\w*")
#: Functions whose arguments are independent values: one argument can go alone.
LIST_FUNCTIONS = frozenset({"merge", "concat", "coalesce", "coalescelist", "setunion"})
#: Attributes Terraform never requires: removing them keeps the block valid.
OPTIONAL_ATTRIBUTES = frozenset(
    """
    depends_on tags tags_all labels alarm_actions ok_actions insufficient_data_actions
    replace_triggered_by ignore_changes providers
    """.split()
)
#: Prose attributes: a mention inside is edited as a list or left for a human to reword.
DESCRIPTIVE_ATTRIBUTES = frozenset({"description", "alarm_description", "error_message", "comment"})
#: Attributes whose loss leaves the block pointless, so the block goes with them.
SUBJECT_ATTRIBUTES = NAMING_ATTRIBUTES | frozenset(
    """
    records dimensions policy provider security_group_id source_security_group_id
    db_cluster_identifier db_instance_identifier target_key_id secret_arn source_ids
    """.split()
)
#: Object keys whose loss voids the object around them (an IAM statement without resources).
VOIDING_ENTRY_KEYS = frozenset({"Resource", "NotResource", "Statement", "Principal"})
#: Nested blocks whose removal voids their parent (a lookup that loses a filter).
VOIDS_PARENT = frozenset({"filter"})
#: Nested blocks whose last removal voids their parent (a policy document's statements).
VOIDS_PARENT_WHEN_LAST = frozenset({"statement"})
#: Top-level blocks whose settings a rewrite never guesses at.
CONFIG_BLOCKS = frozenset({"terraform", "provider"})
#: Words that, after the database's name in a Terraform name, describe one of its settings or
#: metrics (``payroll_ledger_instance_class``, ``payroll_ledger_cpu_high``): still its own.
SETTING_WORDS = frozenset(
    """
    class size storage allocated max min version engine az multi retention window period
    days count type tier capacity iops throughput family enabled protection maintenance
    performance insights interval timeout final cpu memory lag free high low connections
    latency errors deadlocks utilization usage disk queue depth
    """.split()
)
_SETTING_SUFFIX = re.compile(
    r"^(.+?)((?:[-_](?:" + "|".join(sorted(SETTING_WORDS)) + r"))*)$", re.IGNORECASE
)
_ROUNDS = 12


@dataclass
class Plan:
    """What to remove: nodes, string rewrites, symbols and the parts left for a human.

    Attributes:
        removed: nodes that go (blocks, attributes, list elements, map entries).
        strings: string nodes whose content is replaced (one element of a delimited list).
        symbols: addresses this file no longer defines, in the order they were removed.
        human: 0-based line -> why it is left for a person.
        comments: comment token start -> its text without the references when they were
            elements of a list (``# orders + payroll_ledger``), else ``None`` (the renderer
            drops a trailing comment and reports a full-line one).
    """

    removed: set[Node] = field(default_factory=set)
    strings: dict[Node, str] = field(default_factory=dict)
    symbols: list[str] = field(default_factory=list)
    human: dict[int, str] = field(default_factory=dict)
    comments: dict[int, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class _Outcome:
    node: Node | None = None
    symbol: str | None = None
    human: str | None = None
    frozen: Node | None = None


def address(node: Node, text: str) -> str | None:
    """How Terraform code (or the planner, for outputs) refers to a block or entry."""
    labels = node.labels
    if node.kind != "block":
        return None
    if node.name == "resource" and len(labels) == 2:
        return f"{labels[0]}.{labels[1]}"
    if node.name == "data" and len(labels) == 2:
        return f"data.{labels[0]}.{labels[1]}"
    if node.name in ("module", "variable", "output", "dependency") and len(labels) == 1:
        prefix = {"variable": "var"}.get(node.name, node.name)
        return f"{prefix}.{labels[0]}"
    if node.name == "provider" and labels:
        alias = _attribute(node, "alias")
        if alias is not None:
            return f"{labels[0]}.{text[alias.start : alias.end].strip().strip(chr(34))}"
    return None


def _attribute(block: Node, name: str) -> Node | None:
    """The value node of the top-level attribute ``name`` of ``block``."""
    for child in block.children:
        if child.kind == "attr" and child.name == name:
            return child.children[0]
    return None


class Planner:
    """Works out a :class:`Plan` for one parsed file."""

    def __init__(
        self, source: Source, target: Target, removed_symbols: frozenset[str], tfvars: bool
    ) -> None:
        self.source = source
        self.text = source.text
        self.target = target
        self.tfvars = tfvars
        self.plan = Plan()
        self.frozen: set[Node] = set()
        # Other rules report compose services, Helm paths (``.Values.x``) and the like too;
        # only dotted names can be Terraform addresses.
        self.addresses: set[str] = {
            a.name for a in target.aliases if a.form is AliasForm.ADDRESS
        } | {s for s in removed_symbols if "." in s and not s.startswith(".")}
        # The text and the target never change: their references are found once. The
        # addresses grow with each round's removals; their regex is kept per set of names.
        self._name_references: list[tuple[int, int, bool]] | None = None
        self._address_regexes: dict[tuple[str, ...], re.Pattern[str]] = {}
        # Whether a block or a name is the database's own depends on neither: asked once.
        self._dedicated_blocks: dict[Node, bool] = {}
        self._own_names: dict[str, bool] = {}

    def run(self) -> Plan:
        """Remove dedicated blocks and dangling references until nothing changes."""
        for _ in range(_ROUNDS):
            before = (len(self.plan.removed), len(self.plan.strings), len(self.plan.symbols))
            self._remove_dedicated()
            self._remove_references()
            if before == (len(self.plan.removed), len(self.plan.strings), len(self.plan.symbols)):
                break
        # A part left for a human inside something that went after all is no longer a concern.
        self.plan.removed = {n for n in self.plan.removed if not self._under_frozen(n)}
        self.plan.human = {
            line: why for line, why in self.plan.human.items() if not self._line_removed(line)
        }
        return self.plan

    # -- what exists for the database -------------------------------------------------------

    def names_database(self, name: str) -> bool:
        """Whether a Terraform name (label, local, tfvars key) is the database's own.

        The boundary rule applies after dropping trailing setting words, so
        ``payroll_ledger_instance_class`` is the database's but
        ``payroll_ledger_archive_instance_class`` (another database) is not.
        """
        own = self._own_names.get(name)
        if own is None:
            own = self._own_names[name] = self._names_database(name)
        return own

    def _names_database(self, name: str) -> bool:
        if self.target.spans(name):
            return True
        match = _SETTING_SUFFIX.match(name)
        return (
            match is not None and bool(match.group(2)) and bool(self.target.spans(match.group(1)))
        )

    def _spells(self, text: str) -> bool:
        return bool(self.target.spans(text)) or bool(self._address_regex().search(text))

    def _dedicated(self, block: Node) -> bool:
        dedicated = self._dedicated_blocks.get(block)
        if dedicated is None:
            dedicated = self._dedicated_blocks[block] = self._exists_for_database(block)
        return dedicated

    def _exists_for_database(self, block: Node) -> bool:
        if block.kind != "block":
            return False
        own = address(block, self.text)
        if own is not None and own in self.addresses:
            return True
        if block.name != "provider" and block.labels and self.names_database(block.labels[-1]):
            return True
        ish = block.name == "module" or (
            block.name in ("resource", "data") and bool(DATABASE_ISH.search(block.labels[0]))
        )
        for child in block.children:
            if child.kind != "attr":
                continue
            value = self.text[child.children[0].start : child.children[0].end]
            if ish and child.name in NAMING_ATTRIBUTES and self.target.spans(value):
                return True
            # A module whose code lives in a folder named after the database is its own.
            if block.name == "module" and child.name == "source" and self.target.spans(value):
                return True
            if block.name == "provider" and child.name == "alias" and self.target.spans(value):
                return True
        return False

    def _remove_dedicated(self) -> None:
        for member in self.source.root.children:
            if member in self.plan.removed:
                continue
            if self._dedicated(member):
                self._commit(_Outcome(member, address(member, self.text)), -1)
            elif member.kind == "block" and member.name == "locals":
                for entry in member.children:
                    if entry.kind == "attr" and (
                        f"local.{entry.name}" in self.addresses or self.names_database(entry.name)
                    ):
                        self._commit(self._dangle(entry), self.source.line_of(entry.start))
            elif (
                member.kind == "attr"
                and self.tfvars
                and (f"var.{member.name}" in self.addresses or self.names_database(member.name))
            ):
                self._commit(self._dangle(member), self.source.line_of(member.start))

    # -- references -------------------------------------------------------------------------

    def _address_names(self) -> tuple[str, ...]:
        names = sorted(self.addresses | set(self.plan.symbols), key=len, reverse=True)
        return tuple(n for n in names if not n.startswith("output."))

    def _address_regex(self, names: tuple[str, ...] | None = None) -> re.Pattern[str]:
        names = self._address_names() if names is None else names
        regex = self._address_regexes.get(names)
        if regex is None:
            alternatives = "|".join(re.escape(n) for n in names)
            regex = re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])" if names else r"(?!)")
            self._address_regexes[names] = regex
        return regex

    def references(self) -> list[tuple[int, int, bool]]:
        """Every reference in the file: (start, end, is_address) offsets."""
        return sorted(set(self._names_found()) | set(self._addresses_found()))

    def _names_found(self) -> list[tuple[int, int, bool]]:
        """The target's references, line by line (a repeated line is asked about once)."""
        if self._name_references is None:
            found: list[tuple[int, int, bool]] = []
            spans_of: dict[str, list[tuple[int, int]]] = {}
            for number, line in enumerate(self.source.lines):
                text = body(line)
                spans = spans_of.get(text)
                if spans is None:
                    spans = spans_of[text] = self.target.identifier_spans(text)
                base = self.source.line_starts[number]
                found.extend((base + s, base + e, False) for s, e in spans)
            self._name_references = found
        return self._name_references

    def _addresses_found(self) -> list[tuple[int, int, bool]]:
        """Uses of the removed addresses (each within a line, like the lines' own search)."""
        names = self._address_names()
        regex = self._address_regex(names)
        if any("\n" in n or "\r" in n for n in names):
            found: list[tuple[int, int, bool]] = []
            for number, line in enumerate(self.source.lines):
                base = self.source.line_starts[number]
                found.extend(
                    (base + m.start(), base + m.end(), True) for m in regex.finditer(body(line))
                )
            return found
        # A name never spans a line ending, and the regex's lookarounds treat one like the end
        # of a line: one search of the whole text finds what a search per line would.
        return [(m.start(), m.end(), True) for m in regex.finditer(self.text)]

    def _remove_references(self) -> None:
        strings: dict[Node, list[tuple[int, int]]] = {}
        others: list[tuple[Node, int]] = []
        comments: dict[int, list[tuple[int, int]]] = {}
        for start, end, is_address in self.references():
            comment = self.source.comment_at(start)
            if comment is not None:
                comments.setdefault(comment.start, []).append((start, end))
                continue
            node = self.source.innermost(start)
            if self._is_removed(node) or self._under_frozen(node) or node in self.plan.strings:
                continue
            inside_template = (
                any(s <= start < e for s, e in interpolations(self.text, node.start, node.end))
                if node.kind == "string"
                else False
            )
            if node.kind == "string" and not is_address and not inside_template:
                strings.setdefault(node, []).append((start, end))
            else:
                others.append((node, start))
        for node, spans in strings.items():
            replacement = self._shrink(node, spans)
            if replacement is not None:
                self.plan.strings[node] = replacement
            else:
                others.append((node, spans[0][0]))
        for node, start in others:
            if not self._is_removed(node) and not self._under_frozen(node):
                self._commit(self._dangle(node), self.source.line_of(start))
        for token_start, spans in comments.items():
            self.plan.comments[token_start] = self._shrink_comment(token_start, spans)

    def _shrink_comment(self, token_start: int, spans: list[tuple[int, int]]) -> str | None:
        """``# stock + payroll_ledger`` -> ``# stock``; ``None`` when it is not a list."""
        token = self.source.comment_at(token_start)
        assert token is not None
        marker = re.match(r"(?:#+|//)\s*", token.text)
        if marker is None:
            return None
        offset = token.start + marker.end()
        content = token.text[marker.end() :]
        shrunk = self._without(content, [(s - offset, e - offset) for s, e in spans], "+,|;&")
        return None if shrunk is None else token.text[: marker.end()] + shrunk

    def _shrink(self, node: Node, spans: list[tuple[int, int]]) -> str | None:
        """The string without the referencing elements of a delimited list, if it is one."""
        content_start = node.start + 1
        content = self.text[content_start : node.end - 1]
        if "${" in content or "%{" in content:
            return None
        return self._without(content, [(s - content_start, e - content_start) for s, e in spans])

    def _without(
        self, content: str, spans: list[tuple[int, int]], separators: str = "|,;"
    ) -> str | None:
        """``content`` minus the list elements at ``spans``, or ``None`` if they are not ones.

        Each span must be a whole element: ``databaseName=payroll_ledger;`` in a JDBC URL or
        ``/payroll-ledger/`` in a path is part of something else and is not cut out.
        """
        for start, end in spans:
            left, right = content[:start], content[end:]
            if left and left[-1] not in separators + " (":
                return None
            if right and right[0] not in separators + " ).":
                return None
        shrunk = remove_spans(content, spans, separators)
        if shrunk is None or not re.search(r"\w", shrunk) or self._spells(shrunk):
            return None
        if shrunk.strip()[0] in separators or shrunk.strip()[-1] in separators:
            return None
        return shrunk

    # -- what a dangling node takes with it ---------------------------------------------------

    def _dangle(self, node: Node) -> _Outcome:
        if node.kind == "item":
            return self._dangle_item(node)
        if node.kind == "attr":
            return self._dangle_attr(node)
        if node.kind == "block":
            return self._dangle_block(node)
        if node.parent is None:
            return _Outcome(human="the reference is outside every block")
        return self._dangle(node.parent)

    def _live_siblings(self, node: Node, kind: str | None = None) -> bool:
        assert node.parent is not None
        return any(
            other is not node
            and other not in self.plan.removed
            and (kind is None or (other.kind == "block" and other.name == kind))
            for other in node.parent.children
        )

    def _dangle_item(self, item: Node) -> _Outcome:
        container = item.parent
        assert container is not None
        if container.kind == "call" and container.name not in LIST_FUNCTIONS:
            return self._dangle(container)
        if container.kind == "object" and item.name in VOIDING_ENTRY_KEYS:
            return self._dangle(container)
        if self._live_siblings(item):
            return _Outcome(item)
        return self._dangle(container)

    def _dangle_block(self, block: Node) -> _Outcome:
        parent = block.parent
        assert parent is not None
        top = block.top_block()
        if top is not None and top.kind == "block" and top.name in CONFIG_BLOCKS:
            if not self._dedicated(top):
                return _Outcome(human=f"it is part of the {top.name} settings")
        if parent.kind == "file":
            return _Outcome(block, address(block, self.text))
        if block.name in VOIDS_PARENT:
            return self._dangle(parent)
        if block.name in VOIDS_PARENT_WHEN_LAST and not self._live_siblings(block, block.name):
            return self._dangle(parent)
        if self._live_siblings(block):
            return _Outcome(block)
        return self._dangle(parent)

    def _dangle_attr(self, attr: Node) -> _Outcome:
        block = attr.parent
        assert block is not None
        if block.kind == "file":
            return _Outcome(attr, f"var.{attr.name}" if self.tfvars else None)
        top = block.top_block()
        assert top is not None
        name = address(top, self.text) or top.name
        if block is not top:
            name = f"the {block.name} block of {name}"
        if top.name in CONFIG_BLOCKS and not self._dedicated(top):
            return _Outcome(human=f"{attr.name} is part of the {top.name} settings", frozen=attr)
        is_top = block is top
        if is_top and block.name == "locals":
            symbol = f"local.{attr.name}"
            return _Outcome(attr if self._live_siblings(attr) else block, symbol)
        if attr.name in OPTIONAL_ATTRIBUTES:
            return _Outcome(attr) if self._live_siblings(attr) else self._dangle(block)
        if attr.name in DESCRIPTIVE_ATTRIBUTES:
            return _Outcome(human=f"{attr.name} of {name} mentions it; reword it", frozen=attr)
        if _HEREDOC_VALUE.search(self.text, attr.start, attr.end):
            # A heredoc is a script or template serving more than this database (a backup
            # job's targets): dropping its block would drop the others too.
            return _Outcome(
                human=f"the {attr.name} heredoc of {name} names it; edit it by hand", frozen=attr
            )
        if not is_top:
            return self._dangle(block)
        if block.name == "output" or block.name in ("moved", "import", "removed"):
            return _Outcome(block, address(block, self.text))
        if block.name == "variable":
            if attr.name == "default":
                return _Outcome(block, address(block, self.text))
            return _Outcome(human=f"{attr.name} of {name} refers to it", frozen=attr)
        kind = block.labels[0] if block.labels else ""
        if attr.name in SUBJECT_ATTRIBUTES or (
            block.name in ("resource", "data") and DEPENDENT_TYPE.search(kind)
        ):
            return _Outcome(block, address(block, self.text))
        return _Outcome(
            human=f"{attr.name} of {name} needs a value; it cannot simply be dropped",
            frozen=attr,
        )

    def _commit(self, outcome: _Outcome, line: int) -> None:
        if outcome.human is not None:
            if outcome.frozen is not None:
                self.frozen.add(outcome.frozen)
            if line >= 0:
                ref = body(self.source.lines[line]).strip()
                self.plan.human.setdefault(line, f"{outcome.human}: {ref}")
            return
        if outcome.node is not None:
            self.plan.removed.add(outcome.node)
        if outcome.symbol is not None and outcome.symbol not in self.plan.symbols:
            self.plan.symbols.append(outcome.symbol)

    # -- bookkeeping -------------------------------------------------------------------------

    def _is_removed(self, node: Node) -> bool:
        return node in self.plan.removed or any(a in self.plan.removed for a in node.ancestors())

    def _under_frozen(self, node: Node) -> bool:
        return any(a in self.frozen for a in (node, *node.ancestors()))

    def _line_removed(self, line: int) -> bool:
        for node in self.plan.removed:
            if self.source.line_of(node.start) <= line <= self.source.line_of(node.end - 1):
                return True
        return False
