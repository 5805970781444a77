"""The checkpoint serializer: decom's values survive a checkpoint exactly, by pydantic-core."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import ormsgpack
import pytest
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

from agent.discovery.api import find_references
from agent.discovery.models import ScanResult
from agent.models import RepoOutcome
from agent.notify import FanoutNotifier
from agent.pipeline.models import Changeset, Plan
from agent.pipeline.request import RunRequest
from graph import runner
from graph.builder import build_repo_graph
from graph.serde import ALLOWED, MARK, TYPE, CheckpointSerializer
from tests.conftest import MakeRepo

FILES = {
    "infra/db.tf": ('resource "aws_db_instance" "ledger" {\n  identifier = "payroll-ledger"\n}\n'),
    "infra/outputs.tf": ('output "ledger_host" {\n  value = aws_db_instance.ledger.address\n}\n'),
    ".env": "ORDERS_URL=postgres://orders\nPAYROLL_LEDGER_URL=postgres://payroll_ledger\n",
    "docs/README.md": "# Ops\n\nThe payroll_ledger database is restored nightly.\n",
    "big.sql": "-- payroll_ledger\n" + "select 1;\n" * 2000,
}


def _scan(root: Path) -> ScanResult:
    return find_references("payroll_ledger", [root], max_file_bytes=4096)


def test_a_scan_with_aliases_vias_and_skips_round_trips_exactly(make_repo: MakeRepo) -> None:
    scan = _scan(make_repo("infra", FILES))
    assert scan.aliases and scan.skipped and any(r.via for r in scan.references)
    serde = CheckpointSerializer()
    kind, data = serde.dumps_typed(scan)
    assert kind == TYPE
    back = serde.loads_typed((kind, data))
    assert back == scan
    assert isinstance(back.references, tuple) and isinstance(
        back.aliases[0].source_types, (frozenset, type(None))
    )


def _finished_run(make_repo: MakeRepo, tmp_path: Path) -> tuple[RunRequest, dict[str, object]]:
    repo = make_repo("infra", FILES, git_init=True)
    request = RunRequest(
        database="payroll_ledger", repos=[str(repo)], state_dir=str(tmp_path / "state")
    )
    runner.execute(request, "r1", FanoutNotifier([]))
    with runner.checkpointer(tmp_path / "state") as saver:
        graph = build_repo_graph().compile(checkpointer=saver)
        values = graph.get_state({"configurable": {"thread_id": f"r1:{repo}"}}).values
    return request, values


def test_a_finished_repository_reads_back_what_it_worked_from(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    _, values = _finished_run(make_repo, tmp_path)
    scan = values["scan"]
    assert isinstance(scan, ScanResult) and isinstance(scan.references, tuple)
    assert scan.references == find_references("payroll_ledger", [values["repo"]]).references
    assert isinstance(values["plan"], Plan) and isinstance(values["changes"], Changeset)
    outcomes = values["outcomes"]
    assert isinstance(outcomes, list) and isinstance(outcomes[0], RepoOutcome)
    assert outcomes[0].files_changed


def test_the_sqlite_checkpoint_holds_decom_values_as_json(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    _finished_run(make_repo, tmp_path)
    conn = sqlite3.connect(tmp_path / "state" / "checkpoints.sqlite")
    kind, blob = conn.execute(
        "SELECT type, checkpoint FROM checkpoints ORDER BY rowid DESC LIMIT 1"
    ).fetchone()
    conn.close()
    assert kind == "msgpack"
    raw = ormsgpack.unpackb(blob, option=ormsgpack.OPT_NON_STR_KEYS)
    values = raw["channel_values"]
    assert values["scan"][MARK] == "ScanResult"
    assert values["plan"][MARK] == "Plan"
    assert values["outcomes"][MARK] == "RepoOutcome[]"


def test_every_channel_value_survives_the_whole_checkpoint(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    _, values = _finished_run(make_repo, tmp_path)
    serde = CheckpointSerializer()
    checkpoint = {"v": 4, "id": "x", "channel_values": dict(values), "channel_versions": {}}
    back = serde.loads_typed(serde.dumps_typed(checkpoint))
    assert back["channel_values"].keys() == values.keys()
    for key, value in values.items():
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            value = [list(item) for item in value]  # msgpack has no tuples
        assert back["channel_values"][key] == value, key


def test_a_checkpoint_written_before_still_loads(make_repo: MakeRepo, tmp_path: Path) -> None:
    _, values = _finished_run(make_repo, tmp_path)
    old = JsonPlusSerializer(allowed_msgpack_modules=ALLOWED)
    checkpoint = {"v": 4, "id": "x", "channel_values": dict(values)}
    back = CheckpointSerializer().loads_typed(old.dumps_typed(checkpoint))["channel_values"]
    assert list(back["scan"].references) == list(values["scan"].references)  # type: ignore[attr-defined]
    assert back["plan"] == values["plan"]


def test_only_decom_types_are_revived() -> None:
    serde = CheckpointSerializer()
    with pytest.raises(ValueError, match="unknown decom type"):
        serde.loads_typed((TYPE, b"Popen\0{}"))
    tampered = JsonPlusSerializer().dumps_typed(
        {"channel_values": {"scan": {MARK: "os.system", "json": b'"id"'}}}
    )
    with pytest.raises(ValueError, match="unknown decom type"):
        serde.loads_typed(tampered)


def test_other_values_keep_langgraph_encoding() -> None:
    serde = CheckpointSerializer()
    for value in ([], ["a"], [("plan", 0.5)], {"k": 1}, "text", None):
        kind, data = serde.dumps_typed(value)
        assert kind != TYPE
        assert serde.loads_typed((kind, data)) == JsonPlusSerializer().loads_typed(
            JsonPlusSerializer().dumps_typed(value)
        )
