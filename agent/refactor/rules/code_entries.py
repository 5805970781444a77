"""Entry passes of the code rule: map entries keyed by the database, list elements naming it.

A settings map (Django ``DATABASES`` entry, knex connection, ``appConfig`` block) whose key or
naming field (``NAME``, ``host``, ``url``) names the database goes as a whole; a list of
database names loses its element. A container left empty goes with its key, up to the
declaration that holds it when nothing else in the file uses that.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from agent.refactor.base import decom_comment, remove_spans
from agent.refactor.rules.code_core import Source, quoted_regex, string_content
from agent.refactor.rules.code_lang import (
    CONTAINER_TYPES,
    IDENTIFIERS,
    JAVA,
    NAMING_KEYS,
    STRINGS,
    container_kind,
    declaration,
    entries,
    entry_parts,
    is_scalar,
    scope_of,
    unwrap,
)
from agent.refactor.rules.code_passes import (
    Ctx,
    attached_start,
    connection_value,
    is_config,
    remove_statement,
    used_elsewhere,
)


def remove_element(ctx: Ctx, container: Node, element: Node) -> bool:
    """Remove one element or entry of a container with its separating comma."""
    src = ctx.source
    if ctx.edits.covers_node(element):
        return True
    children = container.children
    index = next(i for i, c in enumerate(children) if c.id == element.id)
    after = children[index + 1] if index + 1 < len(children) else None
    comma_after = after is not None and after.type == ","
    if src.alone_on_lines(element, ctx.comment_prefix):
        if not ctx.edits.delete_lines(attached_start(ctx, element), src.last_line(element)):
            return False
        if not comma_after and ctx.lang == JAVA and container.type == "argument_list":
            # Java forbids a trailing comma in arguments: drop the one now left last.
            before = children[index - 1] if index > 0 else None
            if before is not None and before.type == ",":
                ctx.edits.replace(before.start_byte, before.end_byte, "")
        return True
    if _one_tuple(ctx, container, element):
        # ("default", "history") must become ("default",), not the string ("default").
        survivor = next(e for e in entries(container) if e.id != element.id)
        before = children[index - 1] if index > 0 else None
        if before is not None and before.type == ",":
            return ctx.edits.replace(before.end_byte, element.end_byte, "")
        end = _skip_spaces(src, after.end_byte) if comma_after and after else element.end_byte
        if not ctx.edits.replace(element.start_byte, end, ""):
            return False
        following = survivor.next_sibling
        if following is None or following.type != ",":
            ctx.edits.replace(survivor.end_byte, survivor.end_byte, ",")
        return True
    if comma_after and after is not None:
        return ctx.edits.replace(element.start_byte, _skip_spaces(src, after.end_byte), "")
    before = children[index - 1] if index > 0 else None
    if before is not None and before.type == ",":
        previous = children[index - 2] if index > 1 else None
        start = previous.end_byte if previous is not None else before.start_byte
        return ctx.edits.replace(start, element.end_byte, "")
    return False


def _skip_spaces(src: Source, offset: int) -> int:
    while offset < len(src.data) and src.data[offset : offset + 1] in (b" ", b"\t"):
        offset += 1
    return offset


def _one_tuple(ctx: Ctx, container: Node, element: Node) -> bool:
    """Whether removing ``element`` leaves a Python tuple of one (which needs its comma)."""
    if ctx.lang != "python" or container.type != "tuple":
        return False
    left = [e for e in entries(container) if e.id != element.id and not ctx.edits.covers_node(e)]
    return len(left) == 1


def owner_of(node: Node, lang: str, data: bytes) -> tuple[Node, Node] | None:
    """The container and the entry of it that holds ``node`` as its value or element."""
    current = node
    while current.parent is not None and current.parent.type in ("literal_element",):
        current = current.parent
    parent = current.parent
    if parent is None:
        return None
    if parent.type in ("pair", "keyed_element"):
        key, value = entry_parts(parent, lang)
        if value.id != current.id or parent.parent is None:
            return None
        return parent.parent, parent
    if parent.type == "value_argument" and parent.parent is not None:
        return parent.parent, parent
    if parent.type == "infix_expression" and parent.parent is not None:
        holder = parent.parent
        if holder.type == "value_argument" and holder.parent is not None:
            return holder.parent, holder
    if container_kind(parent, lang, data) is not None:
        return parent, current
    return None


def remove_whole(ctx: Ctx, node: Node) -> bool:
    """Remove a value that exists only for the database, with whatever would be left empty."""
    src = ctx.source
    owner = owner_of(node, ctx.lang, src.data)
    if owner is not None:
        container, entry = owner
        if container_kind(container, ctx.lang, src.data) is None:
            return False
        others = [e for e in entries(container) if e.id != entry.id]
        if all(ctx.edits.covers_node(e) for e in others):
            return remove_whole(ctx, _value_root(container))
        return remove_element(ctx, container, entry)
    holder = node.parent
    while holder is not None and holder.type in ("expression_list", "as_expression"):
        holder = holder.parent
    decl = declaration(holder, ctx.lang) if holder is not None else None
    if decl is None or decl.value is None:
        return False
    names = [ctx.text(n) for n in decl.names]
    if any(used_elsewhere(ctx, name, decl.stmt) for name in names):
        ctx.note(decl.stmt, f"{', '.join(names)} would be left empty; decide whether it stays")
        return False
    if not remove_statement(ctx, decl.stmt):
        return False
    ctx.forget(*names)
    return True


def _value_root(container: Node) -> Node:
    """The expression a container is the body of (Go composite literal, JVM builder call)."""
    if container.type == "literal_value" and container.parent is not None:
        return container.parent
    if container.type in ("argument_list", "value_arguments") and container.parent is not None:
        parent = container.parent
        if parent.type == "call_suffix" and parent.parent is not None:
            return parent.parent
        return parent
    return container


def for_database(ctx: Ctx, node: Node) -> bool:
    """A settings map whose naming key (NAME, host, url...) names the database."""
    node = unwrap(node)
    if container_kind(node, ctx.lang, ctx.source.data) != "map":
        return False
    for entry in entries(node):
        key, value = entry_parts(entry, ctx.lang)
        if key is None:
            continue
        name = re.sub(r"[^a-z]", "", _key_text(ctx, key).lower())
        if name in NAMING_KEYS and ctx.has_ref(value):
            return True
    return False


def _key_text(ctx: Ctx, key: Node) -> str:
    return ctx.text(key).strip("\"'`")


def _homogeneous(ctx: Ctx, container: Node) -> bool:
    """A list of names: string literals only (a list of code names is code, not settings)."""
    strings = STRINGS.get(ctx.lang, frozenset())
    return all(unwrap(e).type in strings for e in entries(container))


def doomed(ctx: Ctx, container: Node, kind: str, entry: Node) -> bool:
    """Whether a container entry exists only for the database."""
    if entry.type == "shorthand_property_identifier":
        return False  # { payrollLedgerPool } exports code, which stays (it now fails fast)
    key, value = entry_parts(entry, ctx.lang)
    if key is not None and is_scalar(key, ctx.lang, ctx.source) and ctx.refs.node_has(key):
        if kind == "map" and _fails_fast(ctx, value) and _keep_marked(ctx, entry):
            return False
        return True
    if for_database(ctx, value):
        if key is not None and unwrap(key).type in STRINGS.get(ctx.lang, frozenset()):
            _learn_key(ctx, key)
        return True
    if key is None:
        return (
            kind == "list" and is_scalar(value, ctx.lang, ctx.source) and ctx.refs.node_has(value)
        )
    if container_kind(unwrap(value), ctx.lang, ctx.source.data) is not None:
        return False  # nested maps and lists are handled entry by entry
    if kind == "map" and not ctx.is_protected(container) and _call_argument(container) is None:
        # Only a direct mention: a value merely derived from the database is data.
        if is_config(ctx, value) and ctx.refs.node_has(value) and connection_value(ctx, value):
            if unwrap(key).type in STRINGS.get(ctx.lang, frozenset()):
                _learn_key(ctx, key)
            return True
    return False


def _fails_fast(ctx: Ctx, value: Node) -> bool:
    """Whether ``value`` is a name this rewrite bound to a fail-fast stand-in.

    ``ENGINES = {"ledger": ledger_engine}`` where ``ledger_engine = create_engine(...)`` now
    raises: without the entry, ``ENGINES.get(name, default)`` would quietly hand out another
    database's engine, so the entry stays and fails fast through its value.
    """
    value = unwrap(value)
    if value.type not in IDENTIFIERS:
        return False
    for node in ctx.identifiers_named(ctx.text(value)):
        line = ctx.source.first_line(node)
        text = ctx.source.lines[line - 1] if line <= len(ctx.source.lines) else ""
        if not re.match(rf"\s*(?:(?:const|let|var)\s+)?{re.escape(ctx.text(value))}\s*:?=", text):
            continue
        if any(ctx.source.line_of(a) == line and a > node.end_byte for a, _ in ctx.protected):
            return True
    return False


def _keep_marked(ctx: Ctx, entry: Node) -> bool:
    """Keep a map entry, with a decom note at the end of its line (for the reviewer and QA)."""
    line = ctx.source.last_line(entry)
    end = ctx.source.line_start(line) + len(ctx.source.line_body(line).encode())
    note = decom_comment(ctx.comment_prefix, ctx.database, "kept so lookups fail fast")
    return ctx.edits.replace(end, end, "  " + note)


def _learn_key(ctx: Ctx, key: Node) -> None:
    """A map key that denotes the database (a Django alias) is a reference in this file too."""
    name = _key_text(ctx, key)
    if name and not ctx.refs.within(key.start_byte, key.end_byte):
        ctx.refs.add_pattern(quoted_regex(name))


def _call_argument(node: Node) -> Node | None:
    """The call a container is a direct argument of (``execute(sql, {...})``), if any."""
    parent = node.parent
    if parent is not None and parent.type in ("argument_list", "arguments"):
        return parent.parent
    return None


#: Where a list of names is configuration: assigned, nested in settings, or looped over.
_SETTINGS_PARENTS = frozenset(
    {
        "assignment",
        "variable_declarator",
        "short_var_declaration",
        "var_spec",
        "const_spec",
        "property_declaration",
        "pair",
        "keyed_element",
        "literal_value",
        "for_statement",
        "for_in_statement",
        "for_range_loop",
        "enhanced_for_statement",
        "list",
        "tuple",
        "array",
        "dictionary",
        "object",
        "array_initializer",
        "collection_literal",
    }
)


def _settings_position(ctx: Ctx, container: Node) -> bool:
    """Whether a list sits where configuration does, not in a comparison or a call.

    ``{"default", "history"} == dbs`` or ``execute(sql, ["history"])`` mean something else
    once an element goes, so those are left for a human.
    """
    node = _value_root(container)
    parent = node.parent
    while parent is not None and parent.type in (
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "expression_list",
        "literal_element",
        "value_argument",
    ):
        if parent.type == "value_argument" and parent.parent is not None:
            if container_kind(parent.parent, ctx.lang, ctx.source.data) is None:
                return False
        node, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type in ("assignment", "variable_declarator"):
        target = parent.child_by_field_name("left") or parent.child_by_field_name("name")
        if target is not None and ctx.text(target).startswith("__"):
            return False  # __all__ and __slots__ list code names
    if ctx.lang == "python" and container.type == "tuple":
        # A tuple is usually a record: only a loop over names or a constant is a list.
        if parent.type in ("for_statement", "for_in_clause"):
            return True
        return parent.type == "assignment" and scope_of(parent) != "function"
    if parent.type == "for_in_clause":
        return True
    return parent.type in _SETTINGS_PARENTS


def remove_entries(ctx: Ctx) -> None:
    """Remove entries keyed by the database and elements naming it, outermost first."""
    data = ctx.source.data
    for node in ctx.source.of_type(CONTAINER_TYPES):
        kind = container_kind(node, ctx.lang, data)
        if kind is None or kind == "struct" or ctx.edits.covers_node(node):
            continue
        items = entries(node)
        if kind == "list" and not (_homogeneous(ctx, node) and _settings_position(ctx, node)):
            items = [i for i in items if for_database(ctx, entry_parts(i, ctx.lang)[1])]
        gone = [i for i in items if not ctx.edits.covers_node(i) and doomed(ctx, node, kind, i)]
        if not gone:
            continue
        if len(gone) == len(entries(node)):
            if not remove_whole(ctx, _value_root(node)):
                ctx.note(node, f"every entry here is for {ctx.database}; remove the whole value")
            else:
                ctx.count("entry")
            continue
        for item in gone:
            if remove_element(ctx, node, item):
                ctx.count("entry")
            else:
                ctx.note(item, f"entry for {ctx.database} could not be removed cleanly")


_LITERAL_TYPES = frozenset({"literal_type"})
_ASSIGNMENTS = frozenset({"assignment"})


def remove_union_members(ctx: Ctx) -> None:
    """TypeScript: drop a string-literal type naming the database from a union type."""
    for node in ctx.source.of_type(_LITERAL_TYPES):
        if node.parent is None or node.parent.type != "union_type":
            continue
        if not ctx.refs.node_has(node) or ctx.edits.covers_node(node):
            continue
        siblings = node.parent.children
        index = next(i for i, c in enumerate(siblings) if c.id == node.id)
        if index + 1 < len(siblings) and siblings[index + 1].type == "|":
            end = siblings[index + 1].end_byte
            while ctx.source.data[end : end + 1] == b" ":
                end += 1
            done = ctx.edits.replace(node.start_byte, end, "")
        elif index > 0 and siblings[index - 1].type == "|":
            start = siblings[index - 2].end_byte if index > 1 else siblings[index - 1].start_byte
            done = ctx.edits.replace(start, node.end_byte, "")
        else:
            done = False
        if done:
            ctx.count("entry")


#: A string that is a delimited list of names (``"orders|payroll_ledger"``).
_NAME_LIST = re.compile(r"^[\w.\-]+(?:\s*[,|;]\s*[\w.\-]+)+$")


def remove_string_elements(ctx: Ctx) -> None:
    """Drop the database from a string listing several names, keeping the others."""
    strings = STRINGS.get(ctx.lang, frozenset())
    for node in ctx.source.of_type(strings):
        if not ctx.refs.node_has(node):
            continue  # nothing to drop (asked first: it is the cheapest question)
        if ctx.edits.covers_node(node) or not is_scalar(node, ctx.lang, ctx.source):
            continue
        text = ctx.text(node)
        if "\n" in text:
            continue
        quote, content = string_content(text)
        if not _NAME_LIST.match(content):
            continue
        base = node.start_byte + len(text[:quote].encode())
        spans = []
        for start, end in ctx.refs.within(node.start_byte, node.end_byte):
            head = ctx.source.data[base:start].decode()
            body = ctx.source.data[start:end].decode()
            spans.append((len(head), len(head) + len(body)))
        if not spans:
            continue
        rest = remove_spans(content, spans, ",|;")
        if rest is None or not rest.strip() or ctx.refs.target.mentions(rest):
            continue
        end = base + len(content.encode())
        if ctx.edits.replace(base, end, rest):
            ctx.count("entry")


def prune_dunder_all(ctx: Ctx) -> None:
    """Python: drop names this edit removed from ``__all__`` (``import *`` would fail)."""
    if ctx.lang != "python" or not ctx.removed:
        return
    for node in ctx.source.of_type(_ASSIGNMENTS):
        if ctx.edits.covers_node(node):
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or ctx.text(left) != "__all__":
            continue
        if container_kind(right, ctx.lang, ctx.source.data) != "list":
            continue
        for item in entries(right):
            if ctx.text(item).strip("\"'") in ctx.removed and remove_element(ctx, right, item):
                ctx.count("entry")
