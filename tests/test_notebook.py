"""notebooks/quickstart.ipynb runs headless, top to bottom, on copies of the examples.

The kernel is this virtual environment's Python: a kernelspec written for the test (first on
``JUPYTER_PATH``) runs ``sys.executable -m ipykernel_launcher``, so no other ``python3``
kernel on the machine can be picked up instead.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT, git
from tests.llm_fakes import MODEL_ENV

NOTEBOOK = ROOT / "notebooks" / "quickstart.ipynb"
#: Seconds one cell may take (the first one importing LangGraph is the slowest).
CELL_TIMEOUT = 180
BRANCH = "decommission/payroll_ledger"


@pytest.fixture
def kernel_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A ``python3`` kernelspec of this venv first on JUPYTER_PATH; no model; temp files here."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    kernel = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "decom test kernel",
        "language": "python",
    }
    (spec / "kernel.json").write_text(json.dumps(kernel))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the notebook's copies land in the test's folder
    for name in MODEL_ENV:
        monkeypatch.delenv(name, raising=False)


def outputs_text(cell: Any) -> str:
    """Everything a cell showed: streams, plain text and HTML."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        data = output.get("data", {})
        parts.append(data.get("text/plain", ""))
        parts.append(data.get("text/html", ""))
    return "\n".join(parts)


def test_the_notebook_is_committed_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)


@pytest.mark.usefixtures("kernel_env")
def test_the_quickstart_runs_headless_and_leaves_branches() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell

    shown = [outputs_text(c) for c in nb.cells if c.cell_type == "code"]
    everything = "\n".join(shown)
    (copied,) = [
        line.split(":", 1)[1].strip()
        for line in everything.splitlines()
        if line.startswith("Repositories copied to:")
    ]
    work = Path(copied)
    for changed in ("payroll-api", "payroll-infra", "platform-ops"):
        assert git(work / changed, "branch", "--list", BRANCH).strip(), changed
    assert git(work / "marketing-site", "branch", "--list", BRANCH).strip() == ""
    runbook = "runbooks/payroll-ledger.md"
    kept = git(work / "platform-ops", "show", f"{BRANCH}:{runbook}")
    assert kept == (ROOT / "examples" / "platform-ops" / runbook).read_text()

    assert "waiting for approval" in everything
    assert "+++ /dev/null" in everything  # the deleted file's diff
    assert "excluded by the reviewer" in everything
    assert "runbook kept: True" in everything
    assert "notebook done {'changed': 3, 'no_references': 1}" in everything  # decom runs
    assert "DECOM_MODEL=openai:gpt-4o-mini" in shown[-1]  # chat without a model explains
