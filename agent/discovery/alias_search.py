"""How each form of alias is searched for: a ripgrep prefilter and an exact Python regex."""

from __future__ import annotations

import re

from agent.discovery.models import Alias, AliasForm


def prefilter(alias: Alias) -> str:
    """A loose regex for ripgrep that every occurrence of the alias matches."""
    if alias.form is AliasForm.KEY_PREFIX:
        # Nested YAML spells only the last segment on a line (``ledger:``).
        return re.escape(alias.name.rpartition(".")[2])
    return re.escape(alias.name)


def alias_regex(alias: Alias) -> re.Pattern[str]:
    """The exact regex of an alias within a line."""
    name = re.escape(alias.name)
    if alias.form is AliasForm.QUOTED:
        return re.compile(rf"([\"']){name}\1")
    if alias.form is AliasForm.ADDRESS:
        left = r"(?<![A-Za-z0-9_])" if alias.name.startswith(".") else r"(?<![A-Za-z0-9_.-])"
        return re.compile(rf"{left}{name}(?![A-Za-z0-9_-])")
    if alias.form is AliasForm.KEY_PREFIX:
        # Spring's relaxed binding also reads SPRING_DATASOURCE_LEDGER_URL from the environment.
        env = re.escape(re.sub(r"[.\-]", "_", alias.name).upper())
        return re.compile(rf"(?<![A-Za-z0-9_.-])(?:{name}(?![A-Za-z0-9_-])|{env}_[A-Z0-9_]+)")
    # Case matters for code names and env vars (LEDGER_DSN), not for host names (ledger-db).
    sensitive = alias.name != alias.name.lower()
    flags = 0 if sensitive else re.IGNORECASE
    return re.compile(rf"(?<![A-Za-z0-9_-]){name}(?![A-Za-z0-9_]|-[A-Za-z0-9])", flags)


def defines_key(line: str, key: str) -> bool:
    """Whether a YAML line is the one that defines ``key`` (not a continuation line)."""
    stripped = line.strip().lstrip("- ").strip("'\"")
    return stripped.startswith(key)
