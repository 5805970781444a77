"""The checkpoint serializer: LangGraph's, with decom's own state values encoded by pydantic-core.

LangGraph's msgpack path encodes an object it does not know through a Python hook that tries
some twenty types in turn, and every nested object is packed on its own. A repository's exit
checkpoint holds its scan (a dataclass per reference, an enum per field) and its plan: ~5-10 ms
per repository through that path. Here the values whose type decom owns are encoded as JSON by
pydantic-core (a TypeAdapter per type, ~0.2 ms for the same checkpoint) and decoded by the
same adapter. Only the types listed in ``_OWN`` are decoded that way, so a tampered
checkpoint can build nothing else; everything else (LangGraph's own bookkeeping, interrupts,
older checkpoints) goes through LangGraph's serializer and its allow-list as before.
"""

from __future__ import annotations

import functools
from typing import Any

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from pydantic import TypeAdapter

from agent.discovery.models import ScanResult
from agent.models import QualityAssuranceResult, RepoOutcome
from agent.pipeline.models import Changeset, Plan, RepoContext
from agent.pipeline.request import RunRequest

#: Classes LangGraph's own path may revive (it refuses unknown types).
ALLOWED: list[tuple[str, str]] = [
    ("agent.discovery.models", name)
    for name in (
        "ScanResult", "ScanStats", "Reference", "SkippedFile", "Alias", "Via", "Location",
        "SourceType", "ReferenceKind", "AliasForm",
    )
] + [
    ("agent.pipeline.models", name)
    for name in ("RepoContext", "Plan", "PlannedFile", "NameSearch", "Changeset", "FileChange")
] + [
    ("agent.models", name)
    for name in (
        "QualityAssuranceResult", "ValidationResult", "Finding", "CheckStatus", "RepoOutcome",
        "RepoStatus", "FileProcessingResult", "WorkflowStepResult", "DecommissioningSummary",
    )
] + [
    ("agent.refactor.base", "Action"),
    ("agent.pipeline.request", "RunRequest"),
    ("graph.state", "RepoState"),
    ("graph.state", "RunState"),
]  # fmt: skip

#: The state values encoded as JSON, by name (a list of one is named ``<name>[]``).
_OWN: dict[str, type] = {
    cls.__name__: cls
    for cls in (ScanResult, RunRequest, RepoContext, Plan, Changeset, QualityAssuranceResult,
                RepoOutcome)
}  # fmt: skip
#: The serialized type of a value encoded here (``<name>\0<json>``).
TYPE = "decom-json"
#: A checkpoint's channel value encoded here: ``{MARK: name, "json": bytes}``.
MARK = "__decom_json__"


@functools.cache
def _adapter(name: str) -> TypeAdapter[Any]:
    """The adapter of an own type (``KeyError`` for any other name)."""
    if name.endswith("[]"):
        return TypeAdapter(list[_OWN[name[:-2]]])  # type: ignore[arg-type,misc]
    return TypeAdapter(_OWN[name])


def _own_name(value: object) -> str | None:
    """The name ``value`` is encoded under, or None when LangGraph's path takes it."""
    name = type(value).__name__
    if _OWN.get(name) is type(value):
        return name
    if type(value) is list and value:
        first = type(value[0]).__name__
        if _OWN.get(first) is type(value[0]) and all(type(v) is type(value[0]) for v in value):
            return first + "[]"
    return None


def _encode(name: str, value: object) -> bytes:
    return _adapter(name).dump_json(value)


def _decode(name: str, data: bytes) -> Any:
    try:
        adapter = _adapter(name)
    except KeyError:
        raise ValueError(f"checkpoint holds an unknown decom type {name!r}") from None
    return adapter.validate_json(data)


class CheckpointSerializer(JsonPlusSerializer):
    """LangGraph's JSON+msgpack serializer; decom's own values go through pydantic-core.

    Handles both ways a saver stores state: one value at a time (the in-memory and Postgres
    savers keep each channel in its own blob) and whole checkpoints (the SQLite saver).
    """

    def __init__(self) -> None:
        super().__init__(allowed_msgpack_modules=ALLOWED)

    def dumps_typed(self, obj: Any) -> tuple[str, bytes]:
        """``obj`` as (type, bytes): an own value, or a checkpoint with its own values as JSON."""
        name = _own_name(obj)
        if name is not None:
            return TYPE, name.encode() + b"\0" + _encode(name, obj)
        values = obj.get("channel_values") if isinstance(obj, dict) else None
        if isinstance(values, dict):
            packed = {}
            for key, value in values.items():
                own = _own_name(value)
                packed[key] = value if own is None else {MARK: own, "json": _encode(own, value)}
            obj = {**obj, "channel_values": packed}
        return super().dumps_typed(obj)

    def loads_typed(self, data: tuple[str, bytes]) -> Any:
        """What :meth:`dumps_typed` (or LangGraph's serializer, for older data) wrote."""
        kind, payload = data
        if kind == TYPE:
            name, _, body = payload.partition(b"\0")
            return _decode(name.decode(), body)
        obj = super().loads_typed(data)
        values = obj.get("channel_values") if isinstance(obj, dict) else None
        if isinstance(values, dict):
            for key, value in values.items():
                if isinstance(value, dict) and MARK in value:
                    values[key] = _decode(value[MARK], value["json"])
        return obj
