"""agent.formats.yamlpaths: key paths by indentation, as the stack-of-keys definition gives them."""

from __future__ import annotations

import random
from pathlib import Path

from agent.formats.yamlpaths import _KEY, key_paths

ROOT = Path(__file__).resolve().parents[1]


def reference_key_paths(lines: list[str], mark_lists: bool = False) -> list[tuple[str, ...]]:
    """The plain definition: a stack of (indent, key), its keys copied for every line."""
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


PIECES = [
    *["  ", "    ", "- ", "-  ", "- - y:", "\t", "\r", " ", ":", "x"],
    *["key:", "k2: v", '"q k": 1', "'s': x", "# c", "---", "...", "a.b:", "{{ .Values }}:"],
    *["url: jdbc://a:b", "[a]:"],
]


def test_key_paths_follow_the_definition() -> None:
    rng = random.Random("yaml-key-paths")
    documents = [
        ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 4))) for _ in range(20)]
        for _ in range(3000)
    ]
    documents += [
        path.read_text(encoding="utf-8").split("\n")
        for path in sorted((ROOT / "evals" / "datasets").rglob("*.y*ml"))
    ]
    for lines in documents:
        for mark_lists in (False, True):
            assert key_paths(lines, mark_lists) == reference_key_paths(lines, mark_lists), lines


def test_key_paths_of_a_document() -> None:
    lines = [
        "spring:",
        "  datasource:",
        "    ledger:",
        "      url: jdbc:postgresql://db/ledger",
        "  # a comment",
        "databases:",
        "  - name: x",
        "    host: y",
    ]
    assert key_paths(lines) == [
        ("spring",),
        ("spring", "datasource"),
        ("spring", "datasource", "ledger"),
        ("spring", "datasource", "ledger", "url"),
        ("spring", "datasource", "ledger", "url"),
        ("databases",),
        ("databases", "name"),
        ("databases", "host"),
    ]
    assert key_paths(lines, mark_lists=True)[6:] == [
        ("databases", "[]", "name"),
        ("databases", "[]", "host"),
    ]
