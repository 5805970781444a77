"""The one place chat models come from: ``"provider:model"`` per role, or None.

No model configured for a role means deterministic mode for that role: callers get None and
keep decom's rule-based behaviour unchanged. With ``provider`` ``openai`` the model talks to
any OpenAI-compatible Chat Completions server (OpenAI, Azure OpenAI's ``/openai/v1`` endpoint,
vLLM, Ollama, llama.cpp) at ``OPENAI_BASE_URL``.

Tests swap in scripted models with :func:`overridden_models`; nothing else needs patching.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

from langchain.chat_models import init_chat_model
from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from agent.errors import InputError
from agent.logs import redact
from agent.settings import Settings


class LlmRole(StrEnum):
    """The LLM roles; each value is the prefix of its ``<role>_model`` setting."""

    DISCOVERY = "discovery"
    REFACTOR = "refactor"
    CRITIC = "critic"
    WRITER = "writer"


#: Output tokens one call of a role may generate (sent as ``max_tokens`` and
#: ``max_completion_tokens``, since servers read one or the other).
MAX_OUTPUT_TOKENS: Mapping[LlmRole, int] = {
    LlmRole.DISCOVERY: 2048,
    LlmRole.REFACTOR: 4096,
    LlmRole.CRITIC: 2048,
    LlmRole.WRITER: 1024,
}

#: Providers spoken to through ``langchain_openai.ChatOpenAI`` with decom's endpoint settings.
OPENAI_COMPATIBLE = frozenset({"openai"})

#: Some local servers (llama.cpp, Ollama, vLLM) need no key, but the OpenAI client insists on
#: one; this placeholder is sent to a custom ``OPENAI_BASE_URL`` only.
_NO_KEY = SecretStr("not-needed")

_overrides: dict[LlmRole, BaseChatModel] = {}
_overrides_lock = threading.Lock()


@contextmanager
def overridden_models(
    models: BaseChatModel | Mapping[LlmRole | str, BaseChatModel],
) -> Iterator[None]:
    """Within the block, :func:`chat_model` returns these models instead of configured ones.

    Args:
        models: one model for every role, or a model per role (other roles unchanged).
    """
    if isinstance(models, BaseChatModel):
        chosen = dict.fromkeys(LlmRole, models)
    else:
        chosen = {LlmRole(role): model for role, model in models.items()}
    with _overrides_lock:
        saved = dict(_overrides)
        _overrides.update(chosen)
    try:
        yield
    finally:
        with _overrides_lock:
            _overrides.clear()
            _overrides.update(saved)


def chat_model(settings: Settings, role: LlmRole | str) -> BaseChatModel | None:
    """The chat model of ``role``, or None when no model is configured for it.

    Raises:
        InputError: the model setting is not ``provider:model``, the provider's package is
            not installed, or the provider refuses the settings (no API key...).
    """
    role = LlmRole(role)
    with _overrides_lock:
        override = _overrides.get(role)
    if override is not None:
        return override
    spec = settings.model_for(role.value)
    if not spec:
        return None
    provider, _, name = spec.partition(":")
    if not provider or not name:
        raise InputError(
            f"model {spec!r} for the {role.value} role is not 'provider:model' "
            "(for example 'openai:gpt-4o-mini')"
        )
    try:
        model: BaseChatModel = init_chat_model(
            name, model_provider=provider, **model_options(settings, role)
        )
    except Exception as exc:  # noqa: BLE001 - providers raise their own types (OpenAIError...)
        message = redact(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        raise InputError(f"cannot set up the {role.value} model {spec!r}: {message}") from None
    return model


def model_options(settings: Settings, role: LlmRole) -> dict[str, Any]:
    """Keyword arguments for the chat model class of ``role``'s provider.

    For OpenAI-compatible servers: the endpoint and key from the settings (the key stays a
    :class:`~pydantic.SecretStr`), the Chat Completions API (which every such server speaks),
    and ``max_tokens`` both as langchain-openai sends it (``max_completion_tokens``) and in
    the request body as ``max_tokens``, which llama.cpp and older vLLM read instead.
    """
    limit = MAX_OUTPUT_TOKENS[role]
    options: dict[str, Any] = {
        "timeout": settings.model_timeout_seconds,
        "max_retries": 1,
        "max_tokens": limit,
    }
    provider = (settings.model_for(role.value) or "").partition(":")[0]
    if provider not in OPENAI_COMPATIBLE:
        return options
    key = settings.openai_api_key
    if key is None and settings.openai_base_url:
        key = _NO_KEY
    options.update(use_responses_api=False, extra_body={"max_tokens": limit})
    if key is not None:
        options["api_key"] = key
    if settings.openai_base_url:
        options["base_url"] = settings.openai_base_url
    return options
