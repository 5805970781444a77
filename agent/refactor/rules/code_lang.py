"""What the code rule needs to know about each language's tree-sitter grammar.

The passes in :mod:`agent.refactor.rules.code_passes` are written once; this module maps their
questions ("is this a call?", "what is this entry's key?", "which names does this statement
declare?") onto the node types of Python, Java, Kotlin, Go and JavaScript/TypeScript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from agent.discovery.names import split_words
from agent.refactor.rules.code_core import Source

#: Language families: TypeScript and JavaScript share one vocabulary.
PYTHON, JAVA, KOTLIN, GO, JS = "python", "java", "kotlin", "go", "js"

CALLS = frozenset(
    {"call", "call_expression", "new_expression", "method_invocation", "object_creation_expression"}
)

COMMENTS = frozenset({"comment", "line_comment", "block_comment", "multiline_comment"})

STRINGS = {
    PYTHON: frozenset({"string", "concatenated_string"}),
    JS: frozenset({"string", "template_string"}),
    GO: frozenset({"interpreted_string_literal", "raw_string_literal"}),
    JAVA: frozenset({"string_literal", "text_block"}),
    KOTLIN: frozenset({"string_literal"}),
}

IDENTIFIERS = frozenset(
    {
        "identifier",
        "shorthand_property_identifier",
        "shorthand_property_identifier_pattern",
        "type_identifier",
        "simple_identifier",
        "package_identifier",
    }
)

#: Wrappers that do not change what a value is (``x!``, ``(x)``, ``x as const``, ``await x``).
TRANSPARENT = frozenset(
    {
        "parenthesized_expression",
        "non_null_expression",
        "as_expression",
        "satisfies_expression",
        "await",
        "await_expression",
        "expression_list",
        "literal_element",
        "value_argument",
    }
)

MEMBERS = frozenset(
    {
        "attribute",
        "subscript",
        "member_expression",
        "subscript_expression",
        "selector_expression",
        "index_expression",
        "field_access",
        "array_access",
        "navigation_expression",
        "indexing_expression",
        "navigation_suffix",
        "indexing_suffix",
        "qualified_type",
    }
)

LITERALS = frozenset(
    {
        "integer",
        "float",
        "true",
        "false",
        "none",
        "number",
        "null",
        "undefined",
        "int_literal",
        "float_literal",
        "nil",
        "decimal_integer_literal",
        "null_literal",
        "integer_literal",
        "boolean_literal",
    }
)

FUNCTIONS = frozenset(
    {
        "function_definition",
        "lambda",
        "function_declaration",
        "function_expression",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
        "method_declaration",
        "constructor_declaration",
        "func_literal",
        "lambda_expression",
        "anonymous_function",
        "lambda_literal",
    }
)

CLASSES = frozenset(
    {"class_definition", "class_declaration", "class_body", "object_declaration", "class"}
)

#: Calls that only read configuration: they may appear in a connection-string constant.
CONFIG_CALLS = frozenset(
    """
    get getenv Getenv LookupEnv environ getProperty getString getInt getBoolean getNumber
    getValue getOrDefault getOrElse parse config env Env replace strip rstrip lstrip lower
    upper format Sprintf join Join trim String str int Number parseInt bool Boolean quote
    quote_plus encodeURIComponent expandvars require requireEnv
    """.split()
)

#: Words in a callee name that make a call open a connection (``create_engine``, ``Pool``).
OPENER_WORDS = frozenset(
    """
    engine pool client connect connection session sessionmaker datasource database knex
    sequelize mongo prisma drizzle redis jdbc
    """.split()
)

GO_OPENERS = {
    ("sql", "Open"): "*sql.DB",
    ("sqlx", "Open"): "*sqlx.DB",
    ("sqlx", "Connect"): "*sqlx.DB",
    ("pgx", "Connect"): "*pgx.Conn",
    ("pgxpool", "New"): "*pgxpool.Pool",
    ("pgxpool", "Connect"): "*pgxpool.Pool",
    ("pgxpool", "NewWithConfig"): "*pgxpool.Pool",
    ("gorm", "Open"): "*gorm.DB",
    ("mongo", "Connect"): "*mongo.Client",
}

#: Collection builders whose arguments are list elements or map entries.
JVM_LIST_BUILDERS = frozenset(
    "of asList listOf setOf arrayOf mutableListOf mutableSetOf hashSetOf linkedSetOf".split()
)
JVM_MAP_BUILDERS = frozenset("mapOf mutableMapOf hashMapOf linkedMapOf".split())

#: Keys that name what a connection settings map is for (Django ``NAME``, ``host``, ``url``).
NAMING_KEYS = frozenset(
    "name database db dbname host hostname url uri dsn connectionstring connection jdbcurl "
    "databaseurl".split()
)


def family(grammar: str) -> str:
    """The vocabulary family of a tree-sitter grammar."""
    return JS if grammar in ("javascript", "typescript", "tsx") else grammar


def unwrap(node: Node) -> Node:
    """The node inside transparent wrappers (``(x)``, ``x!``, single-item lists)."""
    while node.type in TRANSPARENT and node.named_child_count >= 1:
        inner = [c for c in node.named_children if c.type not in COMMENTS]
        if node.type in ("as_expression", "satisfies_expression"):
            inner = inner[:1]
        if len(inner) != 1:
            break
        node = inner[0]
    return node


def callee(node: Node) -> Node | None:
    """The function part of a call or ``new`` expression, or None if ``node`` is no call."""
    if node.type in ("call", "call_expression"):
        found = node.child_by_field_name("function")
        if found is None and node.named_children:
            found = node.named_children[0]  # Kotlin has no field names
        return found
    if node.type == "new_expression":
        return node.child_by_field_name("constructor")
    if node.type == "method_invocation":
        return node
    if node.type == "object_creation_expression":
        return node.child_by_field_name("type")
    return None


def callee_name(node: Node, text: str) -> str:
    """Last identifier of a callee (``create_engine``, ``Pool``, ``getConnection``)."""
    if node.type == "method_invocation":
        name = node.child_by_field_name("name")
        return name.text.decode() if name is not None and name.text else ""
    words = [w for w in re.split(r"[^A-Za-z0-9_]+", text) if w]
    return words[-1] if words else ""


def call_args(node: Node) -> Node | None:
    """The argument list of a call."""
    found = node.child_by_field_name("arguments")
    if found is not None:
        return found
    for child in node.named_children:
        if child.type == "call_suffix":
            for inner in child.named_children:
                if inner.type == "value_arguments":
                    return inner
        if child.type in ("argument_list", "value_arguments", "arguments"):
            return child
    return None


def is_opener(name: str, qualified: str, lang: str) -> bool:
    """Whether a call with this callee opens a connection (or builds a pool or engine)."""
    if lang == GO:
        parts = qualified.split(".")
        return len(parts) >= 2 and (parts[-2], parts[-1]) in GO_OPENERS
    if name in ("open", "Open", "get", "parse", "format"):
        return False
    words = split_words(name)
    if not words:
        return False
    # create_engine, createPool, MongoClient, getConnection, connect_db, get_db, knex...
    if words[-1] in OPENER_WORDS:
        return True
    if words[0] in OPENER_WORDS | _OPENER_VERBS and (set(words) & (OPENER_WORDS | {"db"})):
        return True
    lowered = name.lower()
    return any(w in lowered for w in ("datasource", "sessionmaker"))


#: Verbs that start the name of a function opening something (``get_db``, ``new_client``).
_OPENER_VERBS = frozenset({"create", "open", "new", "get", "init", "make", "build", "connect"})


@dataclass(frozen=True)
class Decl:
    """A statement that declares names from a value.

    Attributes:
        stmt: the node to delete to remove the declaration (with its ``export``, if any).
        names: the declared identifier nodes.
        value: the initialiser, if any.
        scope: ``module``, ``class`` or ``function``.
    """

    stmt: Node
    names: tuple[Node, ...]
    value: Node | None
    scope: str


def statement_of(node: Node) -> Node | None:
    """The statement an expression forms on its own, if it is one (``foo()`` on its line).

    The Python grammar has no expression-statement node: the expression sits in the block.
    """
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "expression_statement":
        return parent
    if parent.type in ("module", "block") and node.type not in ("block",):
        return node
    return None


def is_docstring(node: Node) -> bool:
    """A Python docstring: a string standing alone as the first statement of its block."""
    holder = node if node.type != "expression_statement" else node.named_children[0]
    if holder.type != "string":
        return False
    statement = statement_of(holder)
    if statement is None or statement.parent is None:
        return False
    first = next((c for c in statement.parent.named_children if c.type != "comment"), None)
    return first is not None and first.id == statement.id


def scope_of(node: Node) -> str:
    """Whether a node sits at module level, in a class body or inside a function."""
    current = node.parent
    while current is not None:
        if current.type in FUNCTIONS:
            return "function"
        if current.type in CLASSES:
            return "class"
        current = current.parent
    return "module"


def _pattern_names(node: Node) -> list[Node]:
    if node.type in IDENTIFIERS:
        return [node]
    names: list[Node] = []
    for child in node.named_children:
        if child.type == "pair_pattern":
            value = child.child_by_field_name("value")
            names.extend(_pattern_names(value) if value is not None else [])
        elif child.type not in ("property_identifier", "comment"):
            names.extend(_pattern_names(child))
    return names


#: Per language, every node type :func:`declaration` may answer for.
DECLARATION_TYPES = {
    PYTHON: frozenset({"assignment"}),
    JS: frozenset({"variable_declarator"}),
    GO: frozenset({"short_var_declaration", "var_spec", "const_spec"}),
    JAVA: frozenset({"variable_declarator"}),
    KOTLIN: frozenset({"property_declaration"}),
}


def declaration(node: Node, lang: str) -> Decl | None:
    """The declaration ``node`` is, if it is one the passes understand."""
    if lang == PYTHON and node.type == "assignment":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or left.type not in ("identifier", "pattern_list", "tuple_pattern"):
            return None
        if right is not None and right.type == "assignment":
            return None
        stmt = node.parent if node.parent and node.parent.type == "expression_statement" else node
        return Decl(stmt, tuple(_pattern_names(left)), right, scope_of(node))
    if lang == JS and node.type == "variable_declarator":
        name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        holder = node.parent
        if name is None or holder is None:
            return None
        declarators = [c for c in holder.named_children if c.type == "variable_declarator"]
        if len(declarators) != 1:
            return None
        stmt = (
            holder.parent if holder.parent and holder.parent.type == "export_statement" else holder
        )
        return Decl(stmt, tuple(_pattern_names(name)), value, scope_of(node))
    if lang == GO:
        return _go_declaration(node)
    if lang == JAVA and node.type == "variable_declarator":
        holder = node.parent
        if holder is None or holder.type not in ("field_declaration", "local_variable_declaration"):
            return None
        if len([c for c in holder.named_children if c.type == "variable_declarator"]) != 1:
            return None
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        names = (name,) if name is not None else ()
        return Decl(holder, names, value, scope_of(holder))
    if lang == KOTLIN and node.type == "property_declaration":
        names_k = [
            c.named_children[0]
            for c in node.named_children
            if c.type == "variable_declaration" and c.named_children
        ]
        value_k = None
        seen_equals = False
        for child in node.children:
            if child.type == "=":
                seen_equals = True
            elif seen_equals and child.is_named and child.type not in COMMENTS:
                value_k = child
                break
        return Decl(node, tuple(names_k), value_k, scope_of(node))
    return None


def _go_declaration(node: Node) -> Decl | None:
    if node.type == "short_var_declaration":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return None
        names = tuple(c for c in left.named_children if c.type == "identifier")
        value = right.named_children[0] if right.named_child_count == 1 else right
        return Decl(node, names, value, scope_of(node))
    if node.type in ("var_spec", "const_spec"):
        names = tuple(c for c in node.children_by_field_name("name"))
        value_list = node.child_by_field_name("value")
        spec_value: Node | None = None
        if value_list is not None:
            if value_list.named_child_count != 1:
                return None
            spec_value = value_list.named_children[0]
        holder = node.parent
        while holder is not None and holder.type == "var_spec_list":
            holder = holder.parent
        grouped = holder is None or any(c.type == "(" for c in holder.children)
        stmt = node if grouped or holder is None else holder
        return Decl(stmt, names, spec_value, scope_of(node))
    return None


def entries(container: Node) -> list[Node]:
    """The elements or entries of a container node (comments left out)."""
    return [
        c
        for c in container.named_children
        if c.type not in COMMENTS and c.type not in ("type_arguments", "{", "}")
    ]


def entry_parts(entry: Node, lang: str) -> tuple[Node | None, Node]:
    """The key (None for list elements) and value of a container entry."""
    if entry.type == "pair":
        key, value = entry.child_by_field_name("key"), entry.child_by_field_name("value")
        if key is not None and value is not None:
            return key, value
    if entry.type == "keyed_element" and entry.named_child_count == 2:
        return entry.named_children[0], entry.named_children[1]
    if entry.type == "shorthand_property_identifier":
        return entry, entry
    inner = unwrap(entry)
    if lang == KOTLIN and inner.type == "infix_expression" and inner.named_child_count == 3:
        operator = inner.named_children[1]
        if operator.text == b"to":
            return inner.named_children[0], inner.named_children[2]
    return None, entry


#: Every node type :func:`container_kind` may answer for (it answers None for the others).
CONTAINER_TYPES = frozenset(
    {
        "dictionary",
        "object",
        "list",
        "tuple",
        "set",
        "array",
        "array_initializer",
        "collection_literal",
        "literal_value",
        "argument_list",
        "value_arguments",
    }
)


def container_kind(node: Node, lang: str, source: bytes) -> str | None:
    """``map``, ``list`` or ``struct`` for nodes that hold entries, else None.

    Arguments of collection builders (``List.of``, ``mapOf``) count as containers; the
    arguments of other calls do not (removing one would change the call).
    """
    kind = node.type
    if kind in ("dictionary", "object"):
        return "map"
    if kind in ("list", "tuple", "set", "array", "array_initializer", "collection_literal"):
        return "list"
    if kind == "literal_value" and node.parent is not None:
        literal_type = node.parent.child_by_field_name("type")
        if literal_type is None:
            return "struct"
        if literal_type.type == "map_type":
            return "map"
        if literal_type.type in ("slice_type", "array_type", "implicit_length_array_type"):
            return "list"
        return "struct"
    if lang in (JAVA, KOTLIN) and kind in ("argument_list", "value_arguments"):
        call = node.parent
        if call is not None and call.type == "call_suffix":
            call = call.parent
        if call is None:
            return None
        head = callee(call)
        if head is None:
            return None
        name = callee_name(head, source[head.start_byte : head.end_byte].decode())
        if name in JVM_MAP_BUILDERS:
            return "map"
        if name in JVM_LIST_BUILDERS:
            return "list"
    return None


def is_scalar(node: Node, lang: str, source: Source) -> bool:
    """A string, number, name or member access: one value, not a structure or a call."""
    node = unwrap(node)
    if node.type in STRINGS.get(lang, frozenset()) or node.type in LITERALS:
        inside = source.subtree_types(node)
        return "interpolation" not in inside and "template_substitution" not in inside
    if node.type in IDENTIFIERS or node.type in ("property_identifier", "string_literal"):
        return True
    if node.type in MEMBERS:
        return not any(kind in CALLS for kind in source.subtree_types(node))
    return False
