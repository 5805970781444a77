"""What is really configured: one line per check, with a fix for anything wrong.

Used by ``decom doctor`` and by the graph's ``validate_environment`` step. Integrations that
are not configured read as "off", not as errors; only what every run needs (git, ripgrep, a
writable state directory) can fail a run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import httpx

from agent.settings import Settings


class Status(StrEnum):
    """Outcome of one check."""

    OK = "ok"
    OFF = "off"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report."""

    name: str
    status: Status
    detail: str
    required: bool = False


def _version(command: list[str]) -> str | None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip().splitlines()[0] if done.returncode == 0 and done.stdout else None


def check_git(settings: Settings) -> Check:
    """git 2.30 or newer is required (worktree-free plumbing, update-ref guards)."""
    version = _version(["git", "--version"])
    if version is None:
        return Check("git", Status.FAIL, "git not found: install git 2.30 or newer", True)
    m = re.search(r"(\d+)\.(\d+)", version)
    if m and (int(m.group(1)), int(m.group(2))) < (2, 30):
        return Check("git", Status.FAIL, f"{version}: upgrade to git 2.30 or newer", True)
    return Check("git", Status.OK, version, True)


def check_ripgrep(settings: Settings) -> Check:
    """ripgrep does the walk and the search."""
    from agent.discovery.ripgrep import find_rg
    from agent.errors import ToolMissingError

    try:
        binary = find_rg()
    except ToolMissingError as exc:
        return Check("ripgrep", Status.FAIL, str(exc), True)
    version = _version([binary, "--version"])
    return Check("ripgrep", Status.OK, version or binary, True)


def check_state_dir(settings: Settings) -> Check:
    """The state directory must be writable."""
    folder = settings.state_dir.resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".doctor-probe"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        return Check("state dir", Status.FAIL, f"{folder}: {exc.strerror}; pass --state-dir", True)
    return Check("state dir", Status.OK, str(folder), True)


def find_repomix(settings: Settings) -> str | None:
    """The repomix executable: configured, project-local (``./dev setup``), or on PATH."""
    if settings.repomix_command:
        return settings.repomix_command
    local = Path(__file__).resolve().parents[1] / ".tools" / "node_modules" / ".bin" / "repomix"
    if local.is_file():
        return str(local)
    return shutil.which("repomix")


def check_repomix(settings: Settings) -> Check:
    """Repomix is optional: without it the refactor agent reads files by line ranges only."""
    if shutil.which("node") is None:
        return Check("repomix", Status.OFF, "node not found: install Node.js 18+ to enable it")
    binary = find_repomix(settings)
    if binary is None:
        return Check("repomix", Status.OFF, "not installed: run ./dev setup to install it")
    version = _version([binary, "--version"])
    if version is None:
        return Check("repomix", Status.WARN, f"{binary} did not run: reinstall with ./dev setup")
    return Check("repomix", Status.OK, f"{version} ({binary})")


def check_github(settings: Settings, client: httpx.Client | None = None) -> Check:
    """With a token: is it valid, which scopes, how much rate limit is left."""
    if settings.github_token is None:
        return Check("github", Status.OFF, "GITHUB_TOKEN not set (local forge only)")
    headers = {
        "Authorization": f"Bearer {settings.github_token.get_secret_value()}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
    }
    owned = client is None
    http = client or httpx.Client(base_url=settings.github_base_url, timeout=15)
    try:
        user = http.get("/user", headers=headers)
        if user.status_code == 401:
            return Check("github", Status.FAIL, "GITHUB_TOKEN is invalid or expired: create one")
        user.raise_for_status()
        limit = http.get("/rate_limit", headers=headers)
        remaining = limit.json().get("resources", {}).get("core", {}).get("remaining", "?")
    except httpx.HTTPError as exc:
        return Check(
            "github", Status.FAIL, f"cannot reach {settings.github_base_url}: {type(exc).__name__}"
        )
    finally:
        if owned:
            http.close()
    scopes = user.headers.get("x-oauth-scopes", "")
    login = user.json().get("login", "?")
    detail = f"as {login}; scopes: {scopes or 'fine-grained token'}; {remaining} calls left"
    if scopes and "repo" not in {s.strip() for s in scopes.split(",")}:
        return Check("github", Status.WARN, detail + " (needs the repo scope to push and open PRs)")
    return Check("github", Status.OK, detail)


def check_model(settings: Settings) -> Check:
    """A configured model answers one cheap call; none configured means deterministic mode."""
    from agent.errors import DecomError
    from agent.llm.factory import LlmRole, chat_model
    from agent.logs import redact

    roles = [r for r in LlmRole if settings.model_for(r.value)]
    if not roles:
        return Check("model", Status.OFF, "no model configured: deterministic mode (DECOM_MODEL)")
    spec = settings.model_for(roles[0].value)
    try:
        model = chat_model(settings, roles[0])
        if model is None:
            return Check("model", Status.OFF, "no model configured")
        model.invoke("Reply with the single word OK.")
    except DecomError as exc:
        return Check("model", Status.FAIL, f"{spec}: {exc}")
    except Exception as exc:  # noqa: BLE001 - any client error is reported with its fix
        reason = redact(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)[:160]
        fix = "check OPENAI_BASE_URL, OPENAI_API_KEY and the model name"
        return Check("model", Status.FAIL, f"{spec} did not answer ({reason}): {fix}")
    return Check("model", Status.OK, f"{spec} answered ({', '.join(r.value for r in roles)})")


def check_slack_config(settings: Settings) -> Check:
    """Slack: a bot token is checked with auth.test; a webhook is never called."""
    from agent.notify_slack import check_slack

    outcome, detail = check_slack(settings)
    status = {"ok": Status.OK, "off": Status.OFF}.get(outcome, Status.FAIL)
    return Check("slack", status, detail)


Checker = Callable[[Settings], Check]

#: What every run needs: a failure stops the run.
REQUIRED: list[Checker] = [check_git, check_ripgrep, check_state_dir]

CHECKS: list[Checker] = [
    *REQUIRED,
    check_repomix,
    check_github,
    check_slack_config,
    check_model,
]


def run_checks(settings: Settings, checks: list[Checker] | None = None) -> list[Check]:
    """Every check, in order; a check that crashes is reported, never raised."""
    results = []
    for checker in checks or CHECKS:
        try:
            results.append(checker(settings))
        except Exception as exc:  # noqa: BLE001 - the doctor must report, not crash
            name = checker.__name__.removeprefix("check_")
            results.append(Check(name, Status.FAIL, f"check crashed: {type(exc).__name__}"))
    return results
