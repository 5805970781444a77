"""The real-model tier: decom run with every role on a local llama.cpp server (opt-in).

Run with ``./dev test-llm``, which builds the server, starts it and sets
``DECOM_LLM_TIER_URL``. The model (SmolLM2-135M) is tiny: this proves the real HTTP path,
parsing, retries and fallbacks, and that a run with a model is never worse than without.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from agent.discovery.api import find_references
from tests.conftest import DECOM, ROOT, git

URL = os.environ.get("DECOM_LLM_TIER_URL")
pytestmark = pytest.mark.skipif(
    not URL, reason="opt-in real-model tier: run ./dev test-llm (builds llama.cpp, ~10 min)"
)


def copy_examples(target: Path) -> list[Path]:
    repos = []
    for example in sorted((ROOT / "examples").iterdir()):
        repo = target / example.name
        shutil.copytree(example, repo)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "initial")
        repos.append(repo)
    return repos


def run(repos: list[Path], state: Path, env: dict[str, str]) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [DECOM, "run", "payroll_ledger", *map(str, repos), "--exclude-name",
         "payroll_ledger_archive", "--state-dir", str(state), "--json"],
        capture_output=True, text=True, env=env, timeout=3600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def residual(repos: list[Path], scratch: Path) -> int:
    count = 0
    for repo in repos:
        if not git(repo, "branch", "--list", "decommission/payroll_ledger").strip():
            continue
        out = scratch / f"{repo.name}.after"
        out.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", "decommission/payroll_ledger"], cwd=repo, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
        refs = find_references("payroll_ledger", [out], exclude_names=["payroll_ledger_archive"])
        count += sum(1 for r in refs.references if "decom:" not in r.text)
    return count


def test_a_real_model_is_never_worse_than_deterministic_mode(tmp_path: Path) -> None:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("DECOM_", "OPENAI_"))}
    plain = copy_examples(tmp_path / "plain")
    deterministic = run(plain, tmp_path / "plain-state", base_env)
    llm_env = {
        **base_env,
        "DECOM_MODEL": "openai:smollm2",
        "OPENAI_BASE_URL": str(URL),
        "OPENAI_API_KEY": "sk-local-llama-cpp",
        "DECOM_MODEL_TIMEOUT_SECONDS": "120",
    }
    with_model = run(copy_examples(tmp_path / "llm"), tmp_path / "llm-state", llm_env)
    assert with_model["summary"]["tokens"]["total"]["total_tokens"] > 0
    statuses = {r["repo"]: r["status"] for r in with_model["repos"]}
    assert "failed" not in statuses.values()
    assert residual([tmp_path / "llm" / p.name for p in plain], tmp_path / "s1") <= residual(
        plain, tmp_path / "s2"
    )
    assert deterministic["summary"]["counts"]["failed"] == 0
