"""``langgraph.json``: the graphs it names load from their paths and run on an example."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

from agent.models import RepoStatus
from agent.pipeline.request import RunRequest
from graph.context import Context
from graph.state import RepoState, RunInput
from tests.conftest import git

ROOT = Path(__file__).resolve().parents[1]


def load(spec: str) -> object:
    """What LangGraph's tools load for ``./path/to/file.py:attribute``."""
    path, _, attribute = spec.rpartition(":")
    module_spec = importlib.util.spec_from_file_location("studio_under_test", ROOT / path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return getattr(module, attribute)


def example(tmp_path: Path, name: str) -> Path:
    copy = tmp_path / name
    shutil.copytree(ROOT / "examples" / name, copy)
    git(copy, "init", "-q", "-b", "main")
    git(copy, "add", "-A")
    git(copy, "commit", "-qm", "initial")
    return copy


def test_the_config_names_loadable_graphs() -> None:
    config = json.loads((ROOT / "langgraph.json").read_text())
    assert config["dependencies"] == ["."]
    for spec in config["graphs"].values():
        graph = load(spec)
        assert hasattr(graph, "invoke") and hasattr(graph, "get_graph")


def test_the_run_graph_runs_on_an_example(tmp_path: Path) -> None:
    config = json.loads((ROOT / "langgraph.json").read_text())
    graph = load(config["graphs"]["decom"])
    infra = example(tmp_path, "payroll-infra")
    request = RunRequest(
        database="payroll_ledger",
        repos=[str(infra)],
        exclude_names=["payroll_ledger_archive"],
        state_dir=str(tmp_path / "state"),
    )
    result = graph.invoke(RunInput(run_id="studio", request=request), context=Context())  # type: ignore[attr-defined]
    (outcome,) = result["summary"].repos
    assert (
        outcome.status is RepoStatus.CHANGED and outcome.files_changed + outcome.files_deleted > 0
    )
    assert "decommission/payroll_ledger" in git(infra, "branch", "--list")


def test_the_repository_graph_has_the_pipeline_nodes(tmp_path: Path) -> None:
    config = json.loads((ROOT / "langgraph.json").read_text())
    graph = load(config["graphs"]["decom_repository"])
    nodes = set(graph.get_graph().nodes)  # type: ignore[attr-defined]
    assert {"discover", "plan", "approve", "refactor", "qa_critic", "open_pr", "notify"} <= nodes
    site = example(tmp_path, "marketing-site")
    request = RunRequest(database="payroll_ledger", repos=[str(site)], state_dir=str(tmp_path))
    state = RepoState(run_id="studio", request=request, repo=str(site))
    result = graph.invoke(state, context=Context())  # type: ignore[attr-defined]
    assert [o.status for o in result["outcomes"]] in (
        [RepoStatus.NO_REFERENCES],
        [RepoStatus.CHANGED],
    )
