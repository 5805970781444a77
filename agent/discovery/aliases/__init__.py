"""Transitive discovery: learn other names of the database from the definitions found so far.

Each learner looks at one file that already holds references and returns :class:`Alias`
values: a Terraform address, a compose service, an env var holding the DSN, a Helm value
path... The engine then searches for the aliases and feeds the new references back here until
nothing new is learned (bounded by ``max_rounds``).
"""

from __future__ import annotations

from collections.abc import Callable

from agent.discovery.aliases.code import learn_from_code
from agent.discovery.aliases.config import learn_from_config
from agent.discovery.aliases.connect import learn_from_connections
from agent.discovery.aliases.context import FileContext, is_distinctive
from agent.discovery.aliases.terraform import learn_from_terraform
from agent.discovery.models import Alias, SourceType

Learner = Callable[[FileContext], list[Alias]]

_NOT_LEARNED = frozenset(
    {
        SourceType.MARKDOWN,
        SourceType.RST,
        SourceType.TEXT,
        SourceType.SQL,
        SourceType.GRAFANA,
        SourceType.DATADOG,
        SourceType.PROMETHEUS,
        SourceType.ALERTING_OTHER,
        SourceType.CODEOWNERS,
        SourceType.JSON_CONFIG,
        SourceType.OTHER,
    }
)

LEARNERS: tuple[Learner, ...] = (
    learn_from_terraform,
    learn_from_config,
    learn_from_code,
    learn_from_connections,
)


def learns_from(source_type: SourceType) -> bool:
    """Whether any learner reads files of this type (others are never loaded for learning)."""
    return source_type not in _NOT_LEARNED


def learn_aliases(ctx: FileContext) -> list[Alias]:
    """Every alias the learners find in one file."""
    found: list[Alias] = []
    for learner in LEARNERS:
        found.extend(learner(ctx))
    return found


__all__ = ["FileContext", "is_distinctive", "learn_aliases", "learns_from"]
