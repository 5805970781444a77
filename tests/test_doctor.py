"""`decom doctor`: real tools, a real HTTP server standing in for GitHub."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from agent.doctor import Status, check_github, check_state_dir, run_checks
from agent.models import RepoStatus
from agent.notify import FanoutNotifier
from agent.pipeline import steps
from agent.pipeline.request import RunRequest
from agent.settings import Settings
from graph import runner
from tests.conftest import MakeRepo, run_decom

TOKEN = "ghp_000000000000000000000000000000000000"


def test_unconfigured_integrations_are_off_not_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("GITHUB_TOKEN", "DECOM_MODEL", "SLACK_BOT_TOKEN", "SLACK_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    results = {c.name: c for c in run_checks(Settings(state_dir=tmp_path / "s"))}
    assert results["git"].status is Status.OK
    assert results["ripgrep"].status is Status.OK
    assert results["github"].status is Status.OFF
    assert results["model"].status is Status.OFF


def test_github_token_is_checked_against_the_api(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/user", headers={"Authorization": f"Bearer {TOKEN}"}
    ).respond_with_json({"login": "octo"}, headers={"X-OAuth-Scopes": "repo, read:org"})
    httpserver.expect_request("/rate_limit").respond_with_json(
        {"resources": {"core": {"remaining": 4999}}}
    )
    settings = Settings(github_token=TOKEN, github_base_url=httpserver.url_for("/"))
    check = check_github(settings)
    assert check.status is Status.OK
    assert "octo" in check.detail and "4999" in check.detail
    assert TOKEN not in check.detail


def test_invalid_or_narrow_tokens_get_a_fix(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/user").respond_with_json({}, status=401)
    settings = Settings(github_token=TOKEN, github_base_url=httpserver.url_for("/"))
    bad = check_github(settings)
    assert bad.status is Status.FAIL and "invalid or expired" in bad.detail
    httpserver.expect_request("/user").respond_with_json(
        {"login": "octo"}, headers={"X-OAuth-Scopes": "read:user"}
    )
    httpserver.expect_request("/rate_limit").respond_with_json({"resources": {}})
    narrow = check_github(settings)
    assert narrow.status is Status.WARN and "repo scope" in narrow.detail


def test_unwritable_state_dir_fails(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    check = check_state_dir(Settings(state_dir=blocker / "state"))
    assert check.status is Status.FAIL and check.required


def test_doctor_command_prints_a_line_per_check(tmp_path: Path) -> None:
    done = run_decom("doctor", "--state-dir", str(tmp_path / "state"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert any(line.startswith("ok") and "git" in line for line in lines)
    assert len(lines) >= 5


def test_model_check_makes_one_cheap_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from agent.doctor import check_model
    from tests.llm_fakes import Reply, completion, fake_openai_server

    with fake_openai_server([Reply(completion("OK"))]) as server:
        settings = Settings(
            model="openai:tiny",
            openai_base_url=server.url,
            openai_api_key="sk-test-0000000000000000",
        )
        check = check_model(settings)
    assert check.status is Status.OK and "openai:tiny" in check.detail
    assert len(server.requests) == 1


def test_model_check_reports_an_unreachable_server(tmp_path: Path) -> None:
    from agent.doctor import check_model

    settings = Settings(
        model="openai:tiny",
        openai_base_url="http://127.0.0.1:9/v1",
        openai_api_key="sk-test-0000000000000000",
        model_timeout_seconds=3,
    )
    check = check_model(settings)
    assert check.status is Status.FAIL and "OPENAI_BASE_URL" in check.detail
    assert "sk-test" not in check.detail


def test_a_run_checks_only_what_can_stop_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_repo: MakeRepo
) -> None:
    """The integrations' lines are not shown by a run, so their cost is not paid per run."""
    marker = tmp_path / "repomix-was-started"
    fake = tmp_path / "repomix"
    fake.write_text(f"#!/bin/sh\ntouch {marker}\necho 1.0.0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")  # node may be missing
    (tmp_path / "node").symlink_to("/bin/true")
    settings = Settings(state_dir=tmp_path / "state", repomix_command=str(fake))
    repo = make_repo("svc", {"README.md": "Uses payroll_ledger.\n"}, git_init=True)
    request = RunRequest(
        database="payroll_ledger", repos=[str(repo)], state_dir=str(tmp_path / "state")
    )
    summary = runner.execute(request, "r1", FanoutNotifier([]), settings=settings)
    assert summary.repos[0].status is RepoStatus.CHANGED
    assert not marker.exists()
    lines = steps.validate_environment(request, settings, integrations=False)
    assert [line.split(":")[0] for line in lines] == ["ok git", "ok ripgrep", "ok state dir"]
    assert not marker.exists()
    lines = steps.validate_environment(request, settings)
    assert marker.exists() and any(line.startswith("ok repomix: 1.0.0") for line in lines)
