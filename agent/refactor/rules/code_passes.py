"""Removal passes of the code rule: configuration entries, list elements and constants.

Every pass records edits in :class:`Ctx` and never touches text that an earlier pass already
removed or replaced. Whatever a pass cannot do safely is left for the leftover report, which
turns every line that still names the database into a ``needs_human`` entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tree_sitter import Node

from agent.refactor.rules.code_core import Edits, Refs, Source, string_content
from agent.refactor.rules.code_lang import (
    CALLS,
    COMMENTS,
    CONFIG_CALLS,
    CONTAINER_TYPES,
    DECLARATION_TYPES,
    FUNCTIONS,
    IDENTIFIERS,
    JAVA,
    STRINGS,
    Decl,
    callee,
    callee_name,
    container_kind,
    declaration,
    unwrap,
)

#: Comment lines that head a section rather than describe the next statement.
_BANNER = re.compile(r"^\s*(?:(?:#|//)\s*[-=~#*]{3,}|/\*+\s*[-=~]{3,}|#{3,}\s*$)")
#: Names quoted in a comment (`orders`, {@code orders}): a comment naming one that stays is kept.
_CODE_TOKEN = re.compile(r"`([^`\n]+)`|\{@code\s+([^}\n]+)\}")
#: A keyword DSN (``host=db dbname=x``): a string with spaces that is still a connection string.
_KEYWORD_DSN = re.compile(r"^\s*(\w+=\S*\s*)+$")


@dataclass
class Ctx:
    """Everything the passes share for one file."""

    source: Source
    lang: str
    refs: Refs
    edits: Edits
    database: str
    quote: str
    notes: dict[int, str] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    handles: set[str] = field(default_factory=set)
    tainted: set[str] = field(default_factory=set)
    local_taint: dict[int, set[str]] = field(default_factory=dict)
    #: Every name in ``local_taint``, whatever its function.
    local_names: set[str] = field(default_factory=set)
    protected: list[tuple[int, int]] = field(default_factory=list)
    uses: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)
    comment_ends: dict[int, Node] = field(default_factory=dict)
    _identifiers: _Identifiers | None = field(default=None, repr=False)

    @property
    def message(self) -> str:
        """The text of every fail-fast error (it carries the decom mark, so QA knows it)."""
        return f"{self.database} was decommissioned by decom: remove this code path"

    @property
    def comment_prefix(self) -> str:
        """Line-comment prefix of the language."""
        return "#" if self.lang == "python" else "//"

    def text(self, node: Node) -> str:
        """Source text of a node."""
        return self.source.text_of(node)

    def note(self, node: Node | int, why: str) -> None:
        """Leave a concern for a human at a node's line (the first note per line wins)."""
        line = node if isinstance(node, int) else self.source.first_line(node)
        self.notes.setdefault(line, why)

    def count(self, what: str) -> None:
        """Count an action for the reason sentence."""
        self.counts[what] = self.counts.get(what, 0) + 1

    def forget(self, *names: str) -> None:
        """Record names this edit removed, for the dangling-reference cascade."""
        for name in names:
            if name and name not in self.removed:
                self.removed.append(name)

    def has_ref(self, node: Node) -> bool:
        """Whether a node names the database, directly or through a tainted name."""
        if self.refs.node_has(node):
            return True
        if not self.tainted and not self.local_names:
            return False
        src = self.source
        bounds = src.bounds(node)
        if bounds is None:
            return self._names_tainted_name(node)
        first, end = bounds
        spellings = self._identifier_index().spelling_at[first:end]  # None: no identifier
        if not self.tainted.isdisjoint(spellings):
            return True
        if self.local_names.isdisjoint(spellings):
            return False
        for index, name in enumerate(spellings, start=first):
            if name in self.local_names and name in self.local_taint.get(
                _function_id(src.nodes[index]), ()
            ):
                return True
        return False

    def _names_tainted_name(self, node: Node) -> bool:
        """Whether an identifier under ``node`` is tainted (for a node outside the index)."""
        src = self.source
        for child, kind in src.typed_subtree(node):
            if kind in IDENTIFIERS:
                name = src.text_of(child)  # child.text, sliced from the bytes we parsed
                if name in self.tainted:
                    return True
                if name in self.local_names and name in self.local_taint.get(
                    _function_id(child), ()
                ):
                    return True
        return False

    def identifiers_named(self, name: str) -> list[Node]:
        """The identifier nodes spelling ``name``, in source order."""
        return self._identifier_index().named.get(name, [])

    def _identifier_index(self) -> _Identifiers:
        if self._identifiers is None:
            self._identifiers = _Identifiers.of(self.source)
        return self._identifiers

    def is_protected(self, node: Node) -> bool:
        """Whether a node is an argument of a connection call (its entries must stay)."""
        return any(a <= node.start_byte and node.end_byte <= b for a, b in self.protected)


@dataclass
class _Identifiers:
    """The file's identifiers, read once: by spelling, and the spelling at each position."""

    #: Identifier nodes by spelling, in source order.
    named: dict[str, list[Node]]
    #: Per position in ``Source.nodes``, the identifier spelled there (None: no identifier).
    spelling_at: list[str | None]

    @classmethod
    def of(cls, src: Source) -> _Identifiers:
        named: dict[str, list[Node]] = {}
        spelling_at: list[str | None] = [None] * len(src.nodes)
        for index in src.positions_of_type(IDENTIFIERS):
            node = src.nodes[index]
            name = src.text_of(node)  # node.text, sliced from the bytes we parsed
            spelling_at[index] = name
            named.setdefault(name, []).append(node)
        return cls(named, spelling_at)


def _function_id(node: Node) -> int:
    """Id of the function enclosing a node (0 at module or class level)."""
    current = node.parent
    while current is not None:
        if current.type in FUNCTIONS:
            return int(current.id)
        current = current.parent
    return 0


def index_comments(ctx: Ctx) -> None:
    """Map the last line of every comment that sits alone on its lines to the comment."""
    for node in ctx.source.of_type(COMMENTS):
        if ctx.source.alone_on_lines(node, ctx.comment_prefix):
            ctx.comment_ends[ctx.source.last_line(node)] = node


def attached_start(ctx: Ctx, node: Node) -> int:
    """First line of ``node`` together with the comment block directly above it.

    The block goes with the node it describes, except section banners and blocks that also
    name, in backticks or ``{@code}``, something that stays.
    """
    src = ctx.source
    first = src.first_line(node)
    block: list[Node] = []
    line = first - 1
    while line >= 1 and line in ctx.comment_ends and line not in ctx.edits.deleted:
        comment = ctx.comment_ends[line]
        if _BANNER.match(ctx.text(comment)):
            break
        block.append(comment)
        line = src.first_line(comment) - 1
    if not block:
        return first
    for comment in block:
        text = ctx.text(comment)
        for match in _CODE_TOKEN.finditer(text):
            token = (match.group(1) or match.group(2) or "").strip()
            start = comment.start_byte + len(text[: match.start()].encode())
            end = comment.start_byte + len(text[: match.end()].encode())
            if not ctx.refs.within(start, end) and token not in ctx.removed:
                return first
    return src.first_line(block[-1])


def remove_statement(ctx: Ctx, node: Node) -> bool:
    """Delete a statement that sits alone on its lines, with the comment describing it."""
    if ctx.edits.covers_node(node):
        return True
    if not ctx.source.alone_on_lines(node, ctx.comment_prefix):
        return False
    parent = node.parent
    if ctx.lang == "python" and parent is not None and parent.type == "block":
        left = [c for c in parent.named_children if c.type != "comment" and c.id != node.id]
        if all(ctx.edits.deletes_node(c) for c in left):
            return False  # a Python block cannot be empty
    return ctx.edits.delete_lines(attached_start(ctx, node), ctx.source.last_line(node))


def is_config(ctx: Ctx, node: Node) -> bool:
    """A value that only reads configuration: literals, names, env lookups, concatenation.

    Strings naming the database must look like connection settings (no spaces, or a keyword
    DSN): SQL and prose that mention it are business logic, not configuration.
    """
    strings = STRINGS.get(ctx.lang, frozenset())
    src = ctx.source
    for child, kind in src.typed_subtree(node):
        if kind in FUNCTIONS:
            return False
        if kind in CALLS:
            head = callee(child)
            if head is None or callee_name(head, ctx.text(head)) not in CONFIG_CALLS:
                return False
        if kind in strings and ctx.refs.node_has(child):
            content = ctx.text(child).strip("\"'`")
            if re.search(r"\s", content) and not _KEYWORD_DSN.match(content):
                return False
    return True


#: Marks of a connection string: a URL or JDBC URL, user@host, or a keyword DSN.
_DSN = re.compile(r"://|^jdbc:|@[\w.-]+|\b(?:host|dbname|database|server|data source)\s*=", re.I)


def _connection_string(ctx: Ctx, node: Node) -> bool:
    """A string naming the database as a whole, as a host, or inside a DSN.

    ``"payroll_ledger"``, ``"payroll-ledger-db.internal:5432"`` and
    ``"postgres://.../payroll_ledger"`` are; ``"metrics.payroll_ledger.rows"`` is not.
    """
    spans = ctx.refs.within(node.start_byte, node.end_byte)
    if not spans:
        return False
    text = ctx.text(node)
    quote, content = string_content(text)
    if _DSN.search(content):
        return True
    start = node.start_byte + len(text[:quote].encode())
    end = start + len(content.encode())
    for first, last in spans:
        if first == start and (
            last == end or ctx.source.data[last : last + 1] in (b".", b":", b"/")
        ):
            return True
    return False


def declarations(ctx: Ctx) -> list[Decl]:
    """Every declaration in the file, in source order."""
    found = []
    for node in ctx.source.of_type(DECLARATION_TYPES.get(ctx.lang, frozenset())):
        decl = declaration(node, ctx.lang)
        if decl is not None and decl.names:
            found.append(decl)
    return found


def taint(ctx: Ctx, decls: list[Decl]) -> None:
    """Names whose value derives from the database (``dsn := os.Getenv("..._DSN")``).

    Locals are tracked per function: the same name in another function is another variable.
    """
    items = [_Tainting.of(ctx, decl) for decl in decls]
    changed = True
    while changed:
        changed = False
        for item in items:
            if item.names <= (item.known if item.local else ctx.tainted):
                continue
            if item.inert(ctx):
                continue
            value = item.decl.value
            if item.named(ctx) or (value is not None and ctx.has_ref(value)):
                if item.local:
                    item.known |= item.names
                    ctx.local_names |= item.names
                else:
                    ctx.tainted |= item.names
                changed = True


@dataclass
class _Tainting:
    """A declaration as :func:`taint` reads it, round after round.

    What cannot change while taint runs (the names, the function, whether the value is a
    settings map and whether a name itself names the database) is worked out once.
    """

    decl: Decl
    names: set[str]
    local: bool
    #: The tainted locals of the declaration's function (shared with its other declarations).
    known: set[str]
    _inert: bool | None = None
    _named: bool | None = None

    @classmethod
    def of(cls, ctx: Ctx, decl: Decl) -> _Tainting:
        known = ctx.local_taint.setdefault(_function_id(decl.names[0]), set())
        names = {ctx.text(n) for n in decl.names}
        return cls(decl, names, decl.scope == "function", known)

    def inert(self, ctx: Ctx) -> bool:
        """A settings map, or a value whose references all sit in entries that go one by one."""
        if self._inert is None:
            value = self.decl.value
            self._inert = value is not None and bool(
                container_kind(unwrap(value), ctx.lang, ctx.source.data)  # not a connection
                or _refs_only_in_entries(ctx, value)  # ``z.object({LEDGER_URL: ...})``
            )
        return self._inert

    def named(self, ctx: Ctx) -> bool:
        """Whether a declared name itself names the database."""
        if self._named is None:
            self._named = any(ctx.refs.node_has(n) for n in self.decl.names)
        return self._named


def _refs_only_in_entries(ctx: Ctx, value: Node) -> bool:
    """Every reference in ``value`` sits in a map or list entry (removed entry by entry).

    Entries of a connection call's arguments do not count: they stay, and so does the taint.
    """
    data = ctx.source.data
    inside = ctx.source.typed_subtree(value)
    next(inside)  # ``value`` itself
    entries = [
        n
        for n, kind in inside
        if kind in CONTAINER_TYPES
        and container_kind(n, ctx.lang, data)
        and ctx.refs.node_has(n)
        and not ctx.is_protected(n)
    ]
    if not entries:
        return False
    spans = ctx.refs.within(value.start_byte, value.end_byte)
    return all(any(e.start_byte <= a and b <= e.end_byte for e in entries) for a, b in spans)


def used_elsewhere(ctx: Ctx, name: str, skip: Node) -> bool:
    """Whether ``name`` is used outside ``skip`` and outside what is already removed."""
    for node in ctx.identifiers_named(name):
        if skip.start_byte <= node.start_byte and node.end_byte <= skip.end_byte:
            continue
        if not ctx.edits.covers_node(node):
            return True
    return False


def remove_constants(ctx: Ctx, decls: list[Decl]) -> None:
    """Remove connection settings constants nothing else in the file still uses.

    Repeats until stable: removing one constant (or replacing a connection) can leave the
    constant it was built from unused.
    """
    candidates = [d for d in decls if _is_setting(ctx, d)]
    changed = True
    while changed:
        changed = False
        for decl in candidates:
            if ctx.edits.covers_node(decl.stmt):
                continue
            names = [ctx.text(n) for n in decl.names]
            if any(used_elsewhere(ctx, name, decl.stmt) for name in names):
                continue
            if remove_statement(ctx, decl.stmt):
                if decl.scope != "function":
                    ctx.forget(*names)
                ctx.count("constant")
                changed = True


def _is_setting(ctx: Ctx, decl: Decl) -> bool:
    if decl.scope == "class" and ctx.lang not in ("java", "kotlin"):
        return False  # dataclass fields, enum members, model fields: structure, not settings
    if decl.value is None:
        # A Java field bound from configuration (``@Value("${...ledger.url}")``).
        return ctx.lang == JAVA and ctx.refs.node_has(decl.stmt)
    if _holds_container(ctx, decl.value):
        return False  # maps and lists are handled entry by entry
    if not is_config(ctx, decl.value):
        return False
    if any(ctx.refs.node_has(n) for n in decl.names):
        # ORDER_HISTORY_URL = settings.X: the name says what it is (a flag is not a setting).
        return unwrap(decl.value).type not in ("true", "false", "boolean_literal")
    if ctx.text(decl.stmt).startswith("export "):
        return False  # other modules import it; a name that does not say so is not ours
    return connection_value(ctx, decl.value)


def _holds_container(ctx: Ctx, node: Node) -> bool:
    """Whether ``node`` is or holds a map or list (any :func:`container_kind`)."""
    src, data = ctx.source, ctx.source.data
    inside = src.typed_subtree(node)
    return any(kind in CONTAINER_TYPES and container_kind(n, ctx.lang, data) for n, kind in inside)


def connection_value(ctx: Ctx, value: Node) -> bool:
    """A value that reads the database's connection settings.

    That is a DSN or host string naming it, an environment or config lookup of a key naming
    it, or a local name derived from one.

    ``pytestmark = pytest.mark.order_history_db`` names the database but is no setting.
    """
    strings = STRINGS.get(ctx.lang, frozenset())
    src = ctx.source
    inside = list(src.typed_subtree(value))
    for child, kind in inside:
        if kind in strings and _connection_string(ctx, child):
            return True
        if kind in CALLS and ctx.has_ref(child):
            return True
        if kind in ("subscript", "index_expression", "subscript_expression"):
            if ctx.has_ref(child) and re.search(r"env", ctx.text(child), re.IGNORECASE):
                return True
        if kind in ("member_expression", "attribute", "selector_expression"):
            if ctx.has_ref(child) and re.search(r"\benv\b", ctx.text(child)):
                return True
    if any(kind in IDENTIFIERS and ctx.has_ref(c) for c, kind in inside):
        return not ctx.refs.node_has(value)  # only through a tainted local name
    return False
