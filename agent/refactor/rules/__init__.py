"""Rewrite rules, one module per family of file types, and the registry that picks one."""

from __future__ import annotations

from agent.discovery.models import SourceType
from agent.refactor.base import Rule


def _load() -> tuple[Rule, ...]:
    # Imported lazily: each rule module pulls in its parser (ruamel, tree-sitter...).
    from agent.refactor.rules.code import CodeRule
    from agent.refactor.rules.docs import CodeownersRule, DocsRule
    from agent.refactor.rules.json_docs import JsonRule
    from agent.refactor.rules.settings import SettingsRule
    from agent.refactor.rules.shell import ShellRule
    from agent.refactor.rules.sql import SqlRule
    from agent.refactor.rules.terraform import TerraformRule
    from agent.refactor.rules.yaml_docs import HelmTemplateRule, YamlRule

    return (
        TerraformRule(),
        YamlRule(),
        HelmTemplateRule(),
        JsonRule(),
        SettingsRule(),
        SqlRule(),
        ShellRule(),
        CodeRule(),
        DocsRule(),
        CodeownersRule(),
    )


_REGISTRY: dict[SourceType, Rule] | None = None


#: Monitoring types whose files may be written in YAML as well as JSON.
_CONTAINER_NEUTRAL = frozenset({SourceType.GRAFANA, SourceType.DATADOG})


def rule_for(source_type: SourceType, path: str = "") -> Rule | None:
    """The rule that rewrites files of ``source_type`` (and, where it matters, this path)."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = {t: rule for rule in _load() for t in rule.source_types}
    if source_type in _CONTAINER_NEUTRAL and path.endswith((".yml", ".yaml")):
        # A Datadog monitor or dashboard kept as YAML is edited as YAML.
        return _REGISTRY.get(SourceType.ALERTING_OTHER)
    return _REGISTRY.get(source_type)
