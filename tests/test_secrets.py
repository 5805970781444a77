"""Fake credentials set for a full run never show up in any output, log or file it writes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.conftest import DECOM, MakeRepo

SECRETS = {
    "GITHUB_TOKEN": "ghp_fAkE0000000000000000000000000000000000",
    "OPENAI_API_KEY": "sk-fake-0000000000000000000000000000",
    "SLACK_BOT_TOKEN": "xoxb-000000000000-fake-token-for-tests",
}


def test_no_secret_in_outputs_logs_or_state(
    make_repo: MakeRepo, tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/chat.postMessage").respond_with_json(
        {"ok": True, "channel": "C1", "ts": "1.1"}
    )
    httpserver.expect_request("/chat.update").respond_with_json({"ok": True})
    repo = make_repo(
        "svc",
        {"app.env": "PAYROLL_LEDGER_URL=postgres://app:hunter2@h/payroll_ledger\n"},
        git_init=True,
    )
    env = {
        **os.environ,
        **SECRETS,
        "DECOM_SLACK_CHANNEL": "C1",
        "DECOM_SLACK_BASE_URL": httpserver.url_for("/"),
    }
    state = tmp_path / "state"
    done = subprocess.run(
        [DECOM, "run", "payroll_ledger", str(repo), "--state-dir", str(state), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert httpserver.log, "the Slack stand-in was called"
    texts = [done.stdout, done.stderr]
    texts += [
        p.read_text(errors="replace")
        for p in state.rglob("*")
        if p.is_file() and p.suffix != ".sqlite"
    ]
    texts += [p.read_bytes().decode("latin-1") for p in state.rglob("*.sqlite*")]
    texts.append(
        subprocess.run(["git", "config", "--list"], cwd=repo, capture_output=True, text=True).stdout
    )
    for name, secret in SECRETS.items():
        assert not any(secret in text for text in texts), f"{name} leaked"
