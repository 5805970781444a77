"""The file types the configuration learner reads.

Kept apart from :mod:`agent.discovery.aliases.config` so the package can tell, without
importing that learner (and compiling its patterns), whether a file needs it.
"""

from __future__ import annotations

from agent.discovery.models import SourceType

#: Files that set environment variables (``NAME=value`` or an ``env:`` list).
ENV_TYPES = frozenset(
    {
        SourceType.ENV_FILE,
        SourceType.DOCKER_COMPOSE,
        SourceType.KUBERNETES,
        SourceType.HELM_TEMPLATE,
        SourceType.HELM_VALUES,
        SourceType.CI_GITHUB_ACTIONS,
        SourceType.CI_OTHER,
        SourceType.SHELL,
        SourceType.POWERSHELL,
        SourceType.DOCKERFILE,
        SourceType.MAKEFILE,
        SourceType.YAML_CONFIG,
        SourceType.INI,
        SourceType.TOML,
        # Nomad jobs and Terraform heredocs render env files (``NAME=value`` lines).
        SourceType.TERRAFORM,
    }
)
#: Application configuration, where dotted key prefixes name datasources (Spring & co).
APP_CONFIG_TYPES = frozenset({SourceType.YAML_CONFIG, SourceType.PROPERTIES, SourceType.TOML})
#: Every type :func:`agent.discovery.aliases.config.learn_from_config` reads.
LEARNED_TYPES = (
    ENV_TYPES
    | APP_CONFIG_TYPES
    | {
        SourceType.DOCKER_COMPOSE,
        SourceType.KUBERNETES,
        SourceType.HELM_TEMPLATE,
        SourceType.HELM_VALUES,
        SourceType.YAML_CONFIG,
        SourceType.JSON_CONFIG,
        SourceType.CI_OTHER,
    }
)
