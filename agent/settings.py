"""decom's one settings object.

Precedence, highest first: command-line flags > environment > ``decom.toml`` (or
``[tool.decom]`` in ``pyproject.toml``) in the current directory > defaults. decom's own
settings read ``DECOM_*`` variables; credentials and endpoints use the ecosystem's usual
names (``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``GITHUB_TOKEN``, ``SLACK_BOT_TOKEN``,
``SLACK_WEBHOOK_URL``). Secrets are :class:`~pydantic.SecretStr`: they never appear in a
repr, a log line or an error.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from agent.errors import InputError


class Settings(BaseSettings):
    """Everything decom can be configured with."""

    model_config = SettingsConfigDict(
        env_prefix="DECOM_", extra="ignore", populate_by_name=True, frozen=True
    )

    state_dir: Path = Field(Path(".decom"), description="checkpoints, records, logs")
    max_concurrent_repos: int = Field(4, ge=1, le=256, description="repositories in flight")
    max_concurrent_model_calls: int = Field(4, ge=1, le=64, description="LLM calls in flight")
    max_concurrent_forge_writes: int = Field(2, ge=1, le=16, description="forge write calls")
    max_qa_iterations: int = Field(3, ge=1, le=10, description="critic loop bound")
    max_file_bytes: int = Field(2 * 1024 * 1024, ge=1, description="larger files are skipped")

    model: str | None = Field(
        None, description='"provider:model" for every LLM role, e.g. "openai:gpt-4o-mini"'
    )
    discovery_model: str | None = Field(None, description="overrides model for discovery")
    refactor_model: str | None = Field(None, description="overrides model for the refactor agent")
    critic_model: str | None = Field(None, description="overrides model for the QA critic")
    writer_model: str | None = Field(None, description="overrides model for the PR writer")
    judge_model: str | None = Field(
        None, description="the evals' PR-description judge (default: the critic's model)"
    )
    model_timeout_seconds: float = Field(60.0, gt=0)
    repo_token_budget: int = Field(200_000, ge=0, description="LLM tokens per repository")

    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("OPENAI_API_KEY", "openai_api_key")
    )
    openai_base_url: str | None = Field(
        None, validation_alias=AliasChoices("OPENAI_BASE_URL", "openai_base_url")
    )
    github_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("GITHUB_TOKEN", "github_token")
    )
    github_base_url: str = Field(
        "https://api.github.com",
        validation_alias=AliasChoices("GITHUB_API_URL", "DECOM_GITHUB_BASE_URL", "github_base_url"),
    )
    github_app_id: str | None = Field(None, description="GitHub App id (with a private key)")
    github_app_private_key: SecretStr | None = None
    github_app_installation_id: int | None = None
    slack_bot_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "slack_bot_token")
    )
    slack_webhook_url: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_WEBHOOK_URL", "slack_webhook_url")
    )
    slack_channel: str | None = Field(None, description="channel for the bot token")
    slack_base_url: str = Field("https://slack.com/api/", description="Slack Web API root")
    fork_owner: str | None = Field(
        None, description="fork into this user/org when decom may not push to a repository"
    )
    pr_labels: list[str] = Field(default_factory=lambda: ["decommission"])
    pr_reviewers: list[str] = Field(default_factory=list, description="user logins")
    pr_team_reviewers: list[str] = Field(default_factory=list, description="team slugs")
    repomix_command: str | None = Field(None, description="repomix executable (default: find)")
    database_url: SecretStr | None = Field(
        None,
        description="PostgreSQL URL of the ledger and checkpoints shared by distributed workers "
        "(default: SQLite under the state directory)",
    )
    broker_url: SecretStr | None = Field(None, description="Celery broker URL (Redis)")
    celery_queue: str = Field("decom", min_length=1, description="Celery queue of the tasks")
    celery_visibility_timeout: float = Field(
        3600.0, gt=0, description="seconds before a task a dead worker held is redelivered"
    )
    lease_seconds: float = Field(
        120.0, gt=0, description="a worker's claim on a repository lasts this long unrenewed"
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Flags (init) > environment > decom.toml / pyproject.toml > defaults."""
        return (init_settings, env_settings, _FileSource(settings_cls))

    def ledger_url(self) -> str | None:
        """The PostgreSQL ledger's URL, or None for SQLite under the state directory."""
        return self.database_url.get_secret_value() if self.database_url else None

    def model_for(self, role: str) -> str | None:
        """The ``provider:model`` string of one role, or None for deterministic mode."""
        specific: str | None = getattr(self, f"{role}_model", None)
        return specific or self.model


class _FileSource(PydanticBaseSettingsSource):
    """``decom.toml`` (top-level keys) or ``[tool.decom]`` in ``pyproject.toml``."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        return load_file_settings(Path.cwd())


def load_file_settings(folder: Path) -> dict[str, Any]:
    """Settings from ``decom.toml`` or ``pyproject.toml`` in ``folder`` (empty if none).

    Raises:
        InputError: the file exists but is not valid TOML.
    """
    for name, table in (("decom.toml", None), ("pyproject.toml", ("tool", "decom"))):
        path = folder / name
        if not path.is_file():
            continue
        try:
            data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, OSError) as exc:
            raise InputError(f"cannot read {path}: {exc}") from exc
        if table is not None:
            for key in table:
                data = data.get(key, {})
        if data:
            return {k.replace("-", "_"): v for k, v in data.items()}
    return {}


def load_settings(**flags: Any) -> Settings:
    """The settings, with command-line ``flags`` (None values ignored) on top.

    Raises:
        InputError: a value is invalid (one line: the first of pydantic's message), or
            ``decom.toml`` cannot be read.
    """
    try:
        return Settings(**{k: v for k, v in flags.items() if v is not None})
    except ValueError as exc:  # pydantic's ValidationError
        raise InputError(f"invalid settings: {str(exc).splitlines()[0]}") from None
