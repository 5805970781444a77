"""Key paths of YAML lines, by indentation, without parsing.

Helm templates and values files are often not valid YAML (Go template actions), and discovery
needs line numbers, so this indexer works on text: each line gets the dotted key path it sits
under (``spring.datasource.ledger.url``). List items do not add a path segment.
"""

from __future__ import annotations

import re

_KEY = re.compile(
    r"""^(\s*)((?:-\s+)*)(?:"([^"]+)"|'([^']+)'|([^\s#'"{}\[\],&*!|>%@`-][^:#]*?|[\w.-]+))\s*:(?:\s|$)"""
)


def key_paths(lines: list[str], mark_lists: bool = False) -> list[tuple[str, ...]]:
    """For each line, the key path it defines or belongs to (``()`` at the top level).

    With ``mark_lists``, a key that starts a list item (``- name: x``) and the keys under it
    get a ``"[]"`` segment before them, so callers can tell list entries from mappings.
    """
    stack: list[tuple[int, str]] = []
    paths: list[tuple[str, ...]] = []
    for raw in lines:
        line = raw.rstrip("\r")
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            paths.append(tuple(k for _, k in stack))
            continue
        m = _KEY.match(line)
        indent = len(line) - len(line.lstrip(" "))
        if m is None:
            while stack and stack[-1][0] >= indent and not stripped.startswith("-"):
                stack.pop()
            paths.append(tuple(k for _, k in stack))
            continue
        key_indent = len(m.group(1)) + len(m.group(2))
        key = (m.group(3) or m.group(4) or m.group(5)).strip()
        dash_indent = len(m.group(1))
        if mark_lists and m.group(2):
            while stack and stack[-1][0] >= dash_indent:
                stack.pop()
            stack.append((dash_indent, "[]"))
        while stack and stack[-1][0] >= key_indent:
            stack.pop()
        stack.append((key_indent, key))
        paths.append(tuple(k for _, k in stack))
    return paths
