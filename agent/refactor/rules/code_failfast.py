"""Fail-fast passes of the code rule: code that would connect to the database raises instead.

A module-level handle keeps its name but becomes a stand-in whose every use raises
``DatabaseDecommissionedError`` (Python, JavaScript/TypeScript); a function that returns a
connection raises or returns an error (Go ``errors.New``); a Spring ``@Bean`` method built from
the database's properties is removed, or throws ``IllegalStateException`` when removing it is
not safe (a ``@Primary`` bean, or one still used in the file).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from agent.refactor.base import DECOM_MARK
from agent.refactor.rules.code_lang import (
    CALLS,
    COMMENTS,
    GO,
    GO_OPENERS,
    IDENTIFIERS,
    JAVA,
    JS,
    KOTLIN,
    MEMBERS,
    PYTHON,
    STRINGS,
    TRANSPARENT,
    call_args,
    callee,
    callee_name,
    declaration,
    is_opener,
    scope_of,
    statement_of,
    unwrap,
)
from agent.refactor.rules.code_passes import (
    Ctx,
    attached_start,
    remove_statement,
    used_elsewhere,
)

#: Return types of JVM methods that hand out a connection to a database.
_DATASOURCE_TYPES = re.compile(
    r"(DataSource|Connection|ConnectionFactory|JdbcTemplate|EntityManagerFactory\w*|"
    r"TransactionManager|DSLContext|Flyway|SqlSessionFactory)\b"
)
_ANNOTATION = re.compile(r"@\s*([\w.]+)")


def quoted(ctx: Ctx, text: str) -> str:
    """A string literal in the file's quote style (Go and the JVM always use double quotes)."""
    quote = ctx.quote if ctx.lang in (PYTHON, JS) else '"'
    return f"{quote}{text}{quote}"


def raise_text(ctx: Ctx, semicolon: bool = True) -> str:
    """The statement that fails at once, in the file's language."""
    message = quoted(ctx, ctx.message)
    if ctx.lang == PYTHON:
        return f"raise DatabaseDecommissionedError({message})"
    if ctx.lang == JS:
        return f"throw new DatabaseDecommissionedError({message}){';' if semicolon else ''}"
    if ctx.lang == JAVA:
        return f"throw new IllegalStateException({message});"
    return f"throw IllegalStateException({message})"


def fail_connections(ctx: Ctx) -> None:
    """Make every call that opens a connection to the database fail fast, or note it."""
    for node in ctx.source.of_type(CALLS):
        if ctx.edits.covers_node(node):
            continue
        head = callee(node)
        if head is None:
            continue
        qualified = ctx.text(head)
        if not is_opener(callee_name(head, qualified), qualified, ctx.lang):
            continue
        args = call_args(node)
        if args is None or not ctx.has_ref(args) or _in_decorator(node):
            continue
        ctx.protected.append((node.start_byte, node.end_byte))
        if _fail(ctx, node):
            ctx.count("fail_fast")
        else:
            ctx.note(node, f"opens a connection to {ctx.database}; remove this code path")


def _in_decorator(node: Node) -> bool:
    """Decorators and annotations configure tests and frameworks; they open nothing."""
    current = node.parent
    while current is not None:
        if current.type in ("decorator", "annotation", "marker_annotation", "modifiers"):
            return True
        current = current.parent
    return False


def _top(node: Node, lang: str) -> Node:
    """The whole expression a connection call is part of (``create_engine(...).options()``)."""
    top = node
    while top.parent is not None:
        parent = top.parent
        if parent.type in TRANSPARENT and parent.type != "value_argument":
            top = parent
            continue
        if parent.type in MEMBERS and parent.named_children and parent.named_children[0] == top:
            grand = parent.parent
            if grand is not None and grand.type in CALLS and callee(grand) == parent:
                top = grand
                continue
        if lang == JAVA and parent.type == "method_invocation":
            if parent.child_by_field_name("object") == top:
                top = parent
                continue
        break
    return top


def _fail(ctx: Ctx, call: Node) -> bool:
    top = _top(call, ctx.lang)
    parent = top.parent
    if parent is None:
        return False
    is_return = parent.type == "return_statement" or (
        parent.type == "jump_expression" and ctx.text(parent).startswith("return")
    )
    if is_return:
        return _fail_return(ctx, parent)
    if ctx.lang == GO:
        return _go_assignment(ctx, call, parent)
    if ctx.lang not in (PYTHON, JS):
        return False
    statement = statement_of(top)
    if statement is not None:
        if scope_of(statement) != "function":
            return False  # raising at import time would break every importer
        semicolon = ctx.text(statement).rstrip().endswith(";")
        ctx.uses.add("raise")
        text = raise_text(ctx, semicolon)
        return ctx.edits.replace(statement.start_byte, statement.end_byte, text)
    stand_in = "_DecommissionedDatabase" if ctx.lang == PYTHON else "decommissionedDatabase"
    if not ctx.edits.replace(
        top.start_byte, top.end_byte, f"{stand_in}({quoted(ctx, ctx.message)})"
    ):
        return False
    ctx.uses.add("standin")
    decl = declaration(parent, ctx.lang)
    if decl is not None and decl.value is not None and decl.value.id == top.id:
        ctx.handles.update(ctx.text(n) for n in decl.names)
        first = attached_start(ctx, decl.stmt)
        if first < ctx.source.first_line(decl.stmt):
            # The comment described the pool or engine that no longer exists.
            ctx.edits.delete_lines(first, ctx.source.first_line(decl.stmt) - 1)
    return True


def _fail_return(ctx: Ctx, statement: Node) -> bool:
    if ctx.lang == GO:
        function = _enclosing_function(statement)
        results = function.child_by_field_name("result") if function is not None else None
        types = _go_result_types(results)
        if not types or ctx.text(types[-1]) != "error":
            return False
        values = [_go_zero(ctx, t) for t in types[:-1]]
        values.append(f"errors.New({quoted(ctx, ctx.message)})")
        ctx.uses.add("errors")
        text = "return " + ", ".join(values)
        return ctx.edits.replace(statement.start_byte, statement.end_byte, text)
    semicolon = ctx.text(statement).rstrip().endswith(";")
    ctx.uses.add("raise")
    return ctx.edits.replace(statement.start_byte, statement.end_byte, raise_text(ctx, semicolon))


def _enclosing_function(node: Node) -> Node | None:
    current = node.parent
    while current is not None:
        if current.type in ("function_declaration", "method_declaration", "func_literal"):
            return current
        current = current.parent
    return None


def _go_result_types(results: Node | None) -> list[Node]:
    if results is None:
        return []
    if results.type != "parameter_list":
        return [results]
    types: list[Node] = []
    for parameter in results.named_children:
        kind = parameter.child_by_field_name("type")
        if kind is None:
            continue
        names = parameter.children_by_field_name("name")
        types.extend([kind] * max(1, len(names)))
    return types


def _go_zero(ctx: Ctx, kind: Node) -> str:
    text = ctx.text(kind)
    if kind.type in (
        "pointer_type",
        "slice_type",
        "map_type",
        "channel_type",
        "function_type",
        "interface_type",
    ) or text in ("error", "any"):
        return "nil"
    if text == "string":
        return '""'
    if text == "bool":
        return "false"
    if re.fullmatch(r"u?int\d*|float\d+|complex\d+|byte|rune|uintptr", text):
        return "0"
    return f"{text}{{}}"


def _go_assignment(ctx: Ctx, call: Node, statement: Node) -> bool:
    """``db, err := sql.Open(...)`` becomes a typed nil and an error the next ``if`` handles."""
    if statement.type not in ("short_var_declaration", "assignment_statement"):
        return False
    left, right = statement.child_by_field_name("left"), statement.child_by_field_name("right")
    if left is None or right is None or left.named_child_count != 2:
        return False
    if right.named_child_count != 1 or unwrap(right.named_children[0]).id != call.id:
        return False
    head = callee(call)
    parts = ctx.text(head).split(".") if head is not None else []
    kind = GO_OPENERS.get((parts[-2], parts[-1])) if len(parts) >= 2 else None
    if kind is None:
        return False
    error_name = ctx.text(left.named_children[1])
    following = statement.next_named_sibling
    while following is not None and following.type in COMMENTS:
        following = following.next_named_sibling
    condition = following.child_by_field_name("condition") if following is not None else None
    if following is None or following.type != "if_statement" or condition is None:
        return False
    inside = ctx.source.typed_subtree(condition)
    if not any(kind == "identifier" and ctx.text(n) == error_name for n, kind in inside):
        return False
    text = f"({kind})(nil), errors.New({quoted(ctx, ctx.message)})"
    ctx.uses.add("errors")
    return ctx.edits.replace(right.start_byte, right.end_byte, text)


def remove_handle_setup(ctx: Ctx) -> None:
    """Drop module-level calls on a replaced handle (``historyPool.on("error", ...)``).

    They configure a pool that no longer exists and would raise as soon as the module loads.
    """
    if ctx.lang not in (PYTHON, JS) or not ctx.handles:
        return
    for child in ctx.source.root.named_children:
        statement = child.named_children[0] if child.type == "expression_statement" else child
        if statement is None or statement_of(statement) is None:
            continue
        expression = unwrap(statement)
        statement = child
        if expression.type not in CALLS or ctx.edits.covers_node(statement):
            continue
        head = callee(expression)
        if head is None or head.type not in MEMBERS or not head.named_children:
            continue
        receiver = head.named_children[0]
        if receiver.type in IDENTIFIERS and ctx.text(receiver) in ctx.handles:
            if remove_statement(ctx, statement):
                ctx.count("setup")


_KEYED_ASSIGNMENTS = frozenset(
    {"assignment", "assignment_expression", "assignment_statement", "method_invocation"}
)
_METHODS = frozenset({"method_declaration", "function_declaration"})


def remove_keyed_assignments(ctx: Ctx) -> None:
    """Remove statements that set a map entry keyed by the database (``m["ledger"] = x``)."""
    strings = STRINGS.get(ctx.lang, frozenset())
    for node in ctx.source.of_type(_KEYED_ASSIGNMENTS):
        key: Node | None = None
        statement = node.parent
        if node.type in ("assignment", "assignment_expression", "assignment_statement"):
            left = node.child_by_field_name("left")
            if left is not None and left.type in ("subscript", "subscript_expression"):
                key = left.child_by_field_name("subscript") or left.child_by_field_name("index")
            elif left is not None and left.type == "expression_list" and left.named_children:
                target = left.named_children[0]
                key = (
                    target.child_by_field_name("index")
                    if target.type == "index_expression"
                    else None
                )
            if node.type == "assignment_statement" or statement_of(node) is node:
                statement = node
        elif node.type == "method_invocation" and callee_name(node, "") in ("put", "putIfAbsent"):
            args = call_args(node)
            key = args.named_children[0] if args is not None and args.named_children else None
        if key is None or statement is None or unwrap(key).type not in strings:
            continue
        if scope_of(statement) == "function":
            continue  # inside a function it is business logic, not configuration
        if not ctx.refs.node_has(key) or ctx.edits.covers_node(statement):
            continue
        if statement.type not in ("expression_statement", "assignment_statement", "assignment"):
            continue
        if remove_statement(ctx, statement):
            ctx.count("entry")
        else:
            ctx.note(statement, f"sets an entry for {ctx.database}; remove it")


def fail_beans(ctx: Ctx) -> None:
    """Spring: remove a DataSource ``@Bean`` built from the database, or make it throw."""
    if ctx.lang not in (JAVA, KOTLIN):
        return
    for node in ctx.source.of_type(_METHODS):
        if ctx.edits.covers_node(node):
            continue
        modifiers = next((c for c in node.named_children if c.type == "modifiers"), None)
        annotations = (
            [c for c in modifiers.named_children if "annotation" in c.type] if modifiers else []
        )
        names = [_annotation_name(ctx, a) for a in annotations]
        name_node = node.child_by_field_name("name") or next(
            (c for c in node.named_children if c.type == "simple_identifier"), None
        )
        body = node.child_by_field_name("body") or next(
            (c for c in node.named_children if c.type == "function_body"), None
        )
        returns = node.child_by_field_name("type") or next(
            (c for c in node.named_children if c.type in ("user_type", "nullable_type")), None
        )
        is_bean = "Bean" in names
        datasource = returns is not None and bool(_DATASOURCE_TYPES.search(ctx.text(returns)))
        if name_node is None or body is None or not (is_bean or datasource):
            continue
        if DECOM_MARK in ctx.text(body):
            continue  # already made to fail fast by an earlier run
        header = (modifiers is not None and ctx.refs.node_has(modifiers)) or ctx.refs.node_has(
            name_node
        )
        if not header and not ctx.has_ref(body):
            continue
        _retire_bean(ctx, node, body, name_node, annotations, names)


def _annotation_name(ctx: Ctx, annotation: Node) -> str:
    match = _ANNOTATION.match(ctx.text(annotation))
    return match.group(1).rsplit(".", 1)[-1] if match else ""


def _retire_bean(
    ctx: Ctx,
    node: Node,
    body: Node,
    name_node: Node,
    annotations: list[Node],
    names: list[str],
) -> None:
    name = ctx.text(name_node)
    bean_names = [name]
    for annotation, kind in zip(annotations, names, strict=True):
        if kind == "Bean":
            strings = STRINGS.get(ctx.lang, frozenset())
            inside = ctx.source.typed_subtree(annotation)
            bean_names += [ctx.text(s).strip('"') for s, t in inside if t in strings]
    used = any(used_elsewhere(ctx, n, node) for n in bean_names) or _quoted_elsewhere(
        ctx, bean_names, node
    )
    primary = "Primary" in names
    if "Bean" in names and not primary and not used:
        if remove_statement(ctx, node):
            ctx.forget(*dict.fromkeys(bean_names))
            ctx.count("bean")
            return
    if not _throw_body(ctx, node, body):
        ctx.note(name_node, f"{name} connects to {ctx.database}; remove it")
        return
    for annotation, kind in zip(annotations, names, strict=True):
        if kind == "ConfigurationProperties" and ctx.refs.node_has(annotation):
            # Nothing is bound any more: the properties it read are being removed too.
            remove_statement(ctx, annotation)
    ctx.count("fail_fast")
    if primary:
        why = (
            f"{name} is the @Primary DataSource, so it was kept and now throws at startup; "
            "choose another primary (JPA, Flyway and health checks follow it) or drop the bean"
        )
    elif used:
        why = f"{name} is still used in this file; it now throws IllegalStateException"
    else:
        why = f"{name} now throws IllegalStateException; remove it with its callers"
    ctx.note(name_node, why)


def _quoted_elsewhere(ctx: Ctx, bean_names: list[str], node: Node) -> bool:
    strings = STRINGS.get(ctx.lang, frozenset())
    for child in ctx.source.of_type(strings):
        if node.start_byte <= child.start_byte and child.end_byte <= node.end_byte:
            continue
        if ctx.text(child).strip('"') in bean_names and not ctx.edits.covers_node(child):
            return True
    return False


def _throw_body(ctx: Ctx, node: Node, body: Node) -> bool:
    src = ctx.source
    if ctx.lang == KOTLIN and not ctx.text(body).startswith("{"):
        expression = next((c for c in body.named_children if c.type not in COMMENTS), None)
        if expression is None:
            return False
        return ctx.edits.replace(expression.start_byte, expression.end_byte, raise_text(ctx))
    indent = src.indent_of(src.first_line(body))
    newline = src.newline
    text = f"{{{newline}{indent}{src.indent_unit()}{raise_text(ctx)}{newline}{indent}}}"
    return ctx.edits.replace(body.start_byte, body.end_byte, text)
