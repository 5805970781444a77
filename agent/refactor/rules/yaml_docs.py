"""Placeholder until the YAML rules land: every file goes to a human."""

from __future__ import annotations

from agent.discovery.models import SourceType
from agent.refactor.base import Action, FileEdit, Rewrite


class YamlRule:
    """Sends every file to a human (no automatic rewrite yet)."""

    name = "yaml"
    source_types = frozenset(
        {
            SourceType.YAML_CONFIG,
            SourceType.HELM_VALUES,
            SourceType.HELM_CHART,
            SourceType.KUBERNETES,
            SourceType.DOCKER_COMPOSE,
            SourceType.CI_GITHUB_ACTIONS,
            SourceType.CI_OTHER,
            SourceType.PROMETHEUS,
            SourceType.ALERTING_OTHER,
        }
    )

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """No automatic rewrite: needs a human."""
        return Rewrite(Action.NEEDS_HUMAN, "no automatic rewrite for this file type yet", None)


class HelmTemplateRule:
    """Sends every file to a human (no automatic rewrite yet)."""

    name = "helm_template"
    source_types = frozenset({SourceType.HELM_TEMPLATE})

    def rewrite(self, edit: FileEdit) -> Rewrite:
        """No automatic rewrite: needs a human."""
        return Rewrite(Action.NEEDS_HUMAN, "no automatic rewrite for this file type yet", None)
