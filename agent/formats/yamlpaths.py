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
    Lines under the same keys share one tuple (it changes only where a key is entered or
    left).
    """
    indents: list[int] = []  # the indentation of each key of ``path``
    path: tuple[str, ...] = ()
    paths: list[tuple[str, ...]] = []
    for raw in lines:
        line = raw.rstrip("\r")
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            paths.append(path)
            continue
        m = _KEY.match(line) if ":" in line else None  # every key ends with a colon
        if m is None:
            if not stripped.startswith("-"):
                indent = len(line) - len(line.lstrip(" "))
                while indents and indents[-1] >= indent:
                    indents.pop()
                    path = path[:-1]
            paths.append(path)
            continue
        dash_indent = len(m.group(1))
        key_indent = dash_indent + len(m.group(2))
        key = (m.group(3) or m.group(4) or m.group(5)).strip()
        if mark_lists and m.group(2):
            while indents and indents[-1] >= dash_indent:
                indents.pop()
                path = path[:-1]
            indents.append(dash_indent)
            path = (*path, "[]")
        while indents and indents[-1] >= key_indent:
            indents.pop()
            path = path[:-1]
        indents.append(key_indent)
        path = (*path, key)
        paths.append(path)
    return paths
