"""Finishing touches of the code rule: unused imports, the error helpers, the leftover report.

Imports are removed only when this edit left them unused (they were used before, nothing
outside the removed text uses them now); Go needs this to compile, elsewhere it keeps the file
clean. The fail-fast helpers are defined once per file, right after the imports.
"""

from __future__ import annotations

import re
from collections import Counter

from tree_sitter import Node

from agent.refactor.base import DECOM_MARK, body
from agent.refactor.linediff import LineDiff
from agent.refactor.rules.code_entries import remove_element
from agent.refactor.rules.code_lang import (
    COMMENTS,
    GO,
    JAVA,
    JS,
    KOTLIN,
    PYTHON,
    STRINGS,
    is_docstring,
)
from agent.refactor.rules.code_passes import Ctx, remove_statement

_IMPORTS = frozenset(
    {"import_statement", "import_from_statement", "import_declaration", "import_header"}
)
_IMPORT_SPECS = frozenset({"import_spec"})


def _bindings(ctx: Ctx, node: Node) -> list[tuple[str, Node]]:
    """Names an import statement binds, each with the node to remove to drop it."""
    text = ctx.text(node)
    if ctx.lang == PYTHON:
        if node.type == "import_from_statement" and "*" in text:
            return []
        module = node.child_by_field_name("module_name")
        found = []
        for child in node.named_children:
            if module is not None and child.id == module.id:
                continue
            if child.type == "aliased_import":
                alias = child.child_by_field_name("alias")
                found.append((ctx.text(alias) if alias else ctx.text(child), child))
            elif child.type == "dotted_name":
                name = ctx.text(child)
                found.append(
                    (name.split(".")[0] if node.type == "import_statement" else name, child)
                )
        return found
    if ctx.lang == JS:
        found = []
        for child in ctx.source.subtree(node):
            if child.type == "import_specifier":
                alias = child.child_by_field_name("alias") or child.child_by_field_name("name")
                if alias is not None:
                    found.append((ctx.text(alias), child))
        return found
    if ctx.lang == GO:
        found = []
        for spec in ctx.source.subtree(node):
            if spec.type != "import_spec":
                continue
            alias = spec.child_by_field_name("name")
            path = spec.child_by_field_name("path")
            if path is None or (alias is not None and ctx.text(alias) in ("_", ".")):
                continue
            value = ctx.text(path).strip('"`')
            if alias is not None:
                found.append((ctx.text(alias), spec))
            elif "." not in value.split("/")[0]:
                # Standard library: the package name is the last path element.
                found.append((value.rsplit("/", 1)[-1], spec))
        return found
    if ctx.lang in (JAVA, KOTLIN):
        if "*" in text or re.match(r"import\s+static\b", text):
            return []
        match = re.match(r"import\s+([\w.]+)(?:\s+as\s+(\w+))?\s*;?\s*$", text.strip())
        if match:
            return [(match.group(2) or match.group(1).rsplit(".", 1)[-1], node)]
    return []


#: A whole word not preceded by a dot: for a name made of word characters, the places
#: ``(?<![\w.])name(?!\w)`` matches are exactly the words of the text equal to it.
_WORD_AFTER_NO_DOT = re.compile(r"(?<![\w.])\w+")
_WORD = re.compile(r"\w+")


class NameUses:
    """How often names occur in a text as used names: whole words, not after a dot.

    The first name is searched for with its regex; from the second on, the words of the text
    are counted once and looked up (a file importing one name pays one search, a file
    importing many pays one pass).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: Counter[str] | None = None
        self._searched = False

    def count(self, name: str) -> int:
        r"""How many times ``(?<![\w.])name(?!\w)`` matches the text."""
        if _WORD.fullmatch(name) is None or (self._words is None and not self._searched):
            self._searched = True
            return len(re.findall(rf"(?<![\w.]){re.escape(name)}(?!\w)", self.text))
        if self._words is None:
            self._words = Counter(_WORD_AFTER_NO_DOT.findall(self.text))
        return self._words[name]


def remove_unused_imports(ctx: Ctx) -> None:
    """Drop imports that were used before this edit and are used nowhere now."""
    if not ctx.edits.deleted and not ctx.edits.replaced:
        return
    statements = ctx.source.of_type(_IMPORTS)
    if ctx.lang == KOTLIN:
        statements = [n for n in statements if n.type == "import_header"]
    in_imports = NameUses("\n".join(ctx.text(n) for n in statements))
    before = NameUses(ctx.source.text)
    after = NameUses(ctx.edits.build()[0])
    for statement in statements:
        bindings = _bindings(ctx, statement)
        dead = []
        for name, node in bindings:
            inside = in_imports.count(name)
            was_used = before.count(name) > inside
            still_used = after.count(name) > inside
            if was_used and not still_used:
                dead.append(node)
        if not dead:
            continue
        if len(dead) == len(bindings) and ctx.lang != GO:
            if remove_statement(ctx, statement):
                ctx.count("import")
            continue
        for node in dead:
            container = node.parent
            if node.id == statement.id or container is None:
                removed = remove_statement(ctx, node)
            elif ctx.lang == GO and ctx.source.alone_on_lines(node, "//"):
                removed = ctx.edits.delete_lines(
                    ctx.source.first_line(node), ctx.source.last_line(node)
                )
            else:
                removed = remove_element(ctx, container, node)
            if removed:
                ctx.count("import")


def insert_helpers(ctx: Ctx) -> None:
    """Define the fail-fast error (and stand-in) once, right after the imports."""
    if ctx.lang == GO:
        _import_errors(ctx)
        return
    if ctx.lang not in (PYTHON, JS) or not ctx.uses & {"raise", "standin"}:
        return
    text = ctx.source.text
    blocks = []
    if "class DatabaseDecommissionedError" not in text:
        blocks.append(_error_class(ctx))
    if "standin" in ctx.uses and not re.search(
        r"(class _|function )[dD]ecommissionedDatabase", text
    ):
        blocks.append(_stand_in(ctx))
    if not blocks:
        return
    anchor = _anchor(ctx)
    src = ctx.source
    nl = src.newline
    gap = 2 if ctx.lang == PYTHON else 1
    joined = (nl * (gap + 1)).join(nl.join(b) for b in blocks) + nl
    following = 0
    line = anchor + 1
    while line <= len(src.lines) and (line in ctx.edits.deleted or src.is_blank(line)):
        following += 0 if line in ctx.edits.deleted else 1
        line += 1
    following = min(following, gap)
    after = nl * (gap - following) if line <= len(src.lines) else ""
    before = nl * gap if anchor > 0 else ""
    ctx.edits.insert(anchor + 1, before + joined + after)


def _anchor(ctx: Ctx) -> int:
    """The line after which the helpers go: the last import, else the docstring, else 0."""
    anchor = 0
    for statement in ctx.source.root.named_children:
        if (
            statement.type in _IMPORTS
            or statement.type == "future_import_statement"
            or _is_require(ctx, statement)
        ):
            if not ctx.edits.covers_node(statement):
                anchor = ctx.source.last_line(statement)
            continue
        if statement.type == "comment":
            continue
        if anchor == 0 and (is_docstring(statement) or _directive(ctx, statement)):
            anchor = ctx.source.last_line(statement)  # module docstring or "use strict"
            continue
        break
    return anchor


def _is_require(ctx: Ctx, statement: Node) -> bool:
    """CommonJS: ``const { Pool } = require("pg")`` is an import too."""
    if ctx.lang != JS or statement.type not in ("lexical_declaration", "variable_declaration"):
        return False
    return bool(re.search(r"=\s*require\(", ctx.text(statement)))


def _directive(ctx: Ctx, statement: Node) -> bool:
    inner = statement.named_children[0] if statement.named_children else None
    return (
        ctx.lang == JS
        and statement.type == "expression_statement"
        and inner is not None
        and inner.type == "string"
    )


def _error_class(ctx: Ctx) -> list[str]:
    unit = ctx.source.indent_unit()
    q = ctx.quote
    if ctx.lang == PYTHON:
        return [
            "class DatabaseDecommissionedError(RuntimeError):",
            f'{unit}"""Raised where this module used a database that was decommissioned."""',
        ]
    semi = ";" if _uses_semicolons(ctx) else ""
    typed = ctx.source.grammar != "javascript"
    return [
        "/** Thrown where this module used a database that was decommissioned. */",
        "class DatabaseDecommissionedError extends Error {",
        f"{unit}constructor(message{': string' if typed else ''}) {{",
        f"{unit * 2}super(message){semi}",
        f"{unit * 2}this.name = {q}DatabaseDecommissionedError{q}{semi}",
        f"{unit}}}",
        "}",
    ]


def _stand_in(ctx: Ctx) -> list[str]:
    unit = ctx.source.indent_unit()
    if ctx.lang == PYTHON:
        return [
            "class _DecommissionedDatabase:",
            f'{unit}"""Stands in for a handle to a decommissioned database: any use raises."""',
            "",
            f"{unit}def __init__(self, message):",
            f"{unit * 2}self._message = message",
            "",
            f"{unit}def __getattr__(self, name):",
            f'{unit * 2}if name.startswith("__"):',
            f"{unit * 3}raise AttributeError(name)",
            f"{unit * 2}raise DatabaseDecommissionedError(self._message)",
            "",
            f"{unit}def __call__(self, *args, **kwargs):",
            f"{unit * 2}raise DatabaseDecommissionedError(self._message)",
            "",
            f"{unit}def __enter__(self):",
            f"{unit * 2}raise DatabaseDecommissionedError(self._message)",
            "",
            f"{unit}def __exit__(self, *exc_info):",
            f"{unit * 2}return False",
        ]
    semi = ";" if _uses_semicolons(ctx) else ""
    typed = ctx.source.grammar != "javascript"
    string_type, any_type, never = (": string", ": any", ": never") if typed else ("", "", "")
    return [
        "/** Stands in for a client of a decommissioned database: any use throws. */",
        f"function decommissionedDatabase(message{string_type}){any_type} {{",
        f"{unit}const fail = (){never} => {{",
        f"{unit * 2}throw new DatabaseDecommissionedError(message){semi}",
        f"{unit}}}{semi}",
        f"{unit}return new Proxy(fail, {{ get: fail, apply: fail }}){semi}",
        "}",
    ]


def _uses_semicolons(ctx: Ctx) -> bool:
    """Whether the file ends its simple statements with semicolons (not "standard" style)."""
    kinds = frozenset(
        {
            "lexical_declaration",
            "variable_declaration",
            "expression_statement",
            "import_statement",
        }
    )
    statements = ctx.source.of_type(kinds)
    ended = sum(1 for n in statements if ctx.text(n).rstrip().endswith(";"))
    return ended * 2 >= len(statements)


def _import_errors(ctx: Ctx) -> None:
    """Go: import "errors" where ``errors.New`` was introduced."""
    if "errors" not in ctx.uses:
        return
    src = ctx.source
    specs = src.of_type(_IMPORT_SPECS)
    if any(ctx.text(s).strip() in ('"errors"',) for s in specs):
        return
    grouped = [s for s in specs if s.parent is not None and s.parent.type == "import_spec_list"]
    nl = src.newline
    if grouped:
        standard: list[Node] = []
        for spec in grouped:
            path = ctx.text(spec).split()[-1].strip('"`')
            if "." in path.split("/")[0]:
                break
            if standard and src.first_line(spec) > src.last_line(standard[-1]) + 1:
                break
            standard.append(spec)
        later = [s for s in standard if ctx.text(s).split()[-1].strip('"') > "errors"]
        if later:
            line = src.first_line(later[0])
        elif standard:
            line = src.last_line(standard[-1]) + 1
        else:
            line = src.first_line(grouped[0])
        indent = src.indent_of(src.first_line(grouped[0]))
        ctx.edits.insert(line, f'{indent}"errors"{nl}')
        return
    declarations = [n for n in src.root.named_children if n.type == "import_declaration"]
    if declarations:
        ctx.edits.insert(src.first_line(declarations[0]), f'import "errors"{nl}')
        return
    package = next((n for n in src.root.named_children if n.type == "package_clause"), None)
    line = src.last_line(package) + 1 if package is not None else 1
    ctx.edits.insert(line, f'{nl}import "errors"{nl}')


def leftovers(ctx: Ctx, diff: LineDiff) -> list[str]:
    """Every line of ``diff``'s new text that still names the database, with the passes' notes."""
    old_lines, new_lines = diff.old_lines, diff.new_lines
    # Worked out when the first line that still names the database asks for them.
    mapping: dict[int, int] | None = None
    comments: set[int] | None = None
    notes = dict(ctx.notes)
    for number, line in enumerate(new_lines, start=1):
        text = body(line)
        if DECOM_MARK in text or not _mentions(ctx, text):
            continue
        if mapping is None:
            mapping = diff.original_lines()
        original = max(1, mapping.get(number, 1))
        if original in notes:
            continue
        handle = next((h for h in sorted(ctx.handles) if re.search(rf"\b{h}\b", text)), None)
        if comments is None:
            comments = _comment_lines(ctx)
        if original in comments:
            notes[original] = (
                f"comment or docstring still mentions {ctx.database}; reword or drop it"
            )
        elif handle is not None:
            notes[original] = f"uses {handle}, which now raises; remove this code path"
        else:
            notes[original] = f"still refers to {ctx.database}: {text.strip()[:80]}"
    changed = ctx.edits.changed_lines() if ctx.refs.ref_lines else set()
    for number in sorted(ctx.refs.ref_lines):
        if number not in notes and number not in changed:
            if 1 <= number <= len(old_lines) and not _mentions(ctx, body(old_lines[number - 1])):
                notes[number] = f"reported as a reference to {ctx.database}; check it"
    return [f"{n}: {why}" for n, why in sorted(notes.items())]


def _mentions(ctx: Ctx, text: str) -> bool:
    return ctx.refs.mentions(text)


def _comment_lines(ctx: Ctx) -> set[int]:
    src = ctx.source
    lines: set[int] = set()
    strings = STRINGS.get(ctx.lang, frozenset())
    for node in src.of_type(COMMENTS | strings):
        is_doc = ctx.lang == PYTHON and node.type in strings and is_docstring(node)
        if node.type in COMMENTS or is_doc:
            lines.update(range(src.first_line(node), src.last_line(node) + 1))
    return lines
