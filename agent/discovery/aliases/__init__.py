"""Transitive discovery: learn other names of the database from the definitions found so far.

Each learner looks at one file that already holds references and returns :class:`Alias`
values: a Terraform address, a compose service, an env var holding the DSN, a Helm value
path... The engine then searches for the aliases and feeds the new references back here until
nothing new is learned (bounded by ``max_rounds``).
"""

from __future__ import annotations

from collections.abc import Callable

from agent.discovery.aliases.code import learn_from_code
from agent.discovery.aliases.config_types import LEARNED_TYPES
from agent.discovery.aliases.connect import learn_from_connections
from agent.discovery.aliases.context import FileContext, is_distinctive
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

#: The configuration learner is imported with the first file of a type it reads, the
#: Terraform learner (and the HCL scanner) with the first Terraform file: a scan of
#: application code never compiles their patterns (~5 ms).
_CONFIG_TYPES = LEARNED_TYPES

#: The learners in the order they run (terraform, config, code, connections), per file type.
_BY_TYPE: dict[SourceType, tuple[Learner, ...]] = {}


def learners_for(source_type: SourceType) -> tuple[Learner, ...]:
    """The learners that can find aliases in a file of ``source_type``, in their order."""
    learners = _BY_TYPE.get(source_type)
    if learners is None:
        chosen: list[Learner] = []
        if source_type is SourceType.TERRAFORM:
            from agent.discovery.aliases.terraform import learn_from_terraform

            chosen.append(learn_from_terraform)
        if source_type in _CONFIG_TYPES:
            from agent.discovery.aliases.config import learn_from_config

            chosen.append(learn_from_config)
        chosen += [learn_from_code, learn_from_connections]
        learners = _BY_TYPE[source_type] = tuple(chosen)
    return learners


def learns_from(source_type: SourceType) -> bool:
    """Whether any learner reads files of this type (others are never loaded for learning)."""
    return source_type not in _NOT_LEARNED


def learn_aliases(ctx: FileContext) -> list[Alias]:
    """Every alias the learners find in one file."""
    found: list[Alias] = []
    for learner in learners_for(ctx.source_type):
        found.extend(learner(ctx))
    return found


__all__ = ["FileContext", "is_distinctive", "learn_aliases", "learners_for", "learns_from"]
