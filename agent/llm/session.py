"""Guarded model calls: budget, concurrency, deadline, usage, one retry, then fallback.

A model that errors, hangs or answers garbage never fails a run: every call here returns None
instead, the caller keeps its deterministic result, and the reason is logged. A structured
answer that does not parse or validate gets exactly one retry that quotes the error.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import structlog
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError

from agent.llm.factory import LlmRole, chat_model
from agent.llm.ledger import TokenLedger, usage_of
from agent.logs import redact
from agent.settings import Settings
from prompts.answers import JSON_ANSWER_INSTRUCTION, RETRY_AFTER_INVALID_ANSWER

log = structlog.get_logger("decom")
Answer = TypeVar("Answer", bound=BaseModel)
Result = TypeVar("Result")

#: Characters of a validation error quoted back to the model in the retry.
MAX_ERROR_CHARS = 2000


class DeadlineExceededError(TimeoutError):
    """A model call took longer than ``Settings.model_timeout_seconds``."""


def run_with_deadline(work: Callable[[], Result], seconds: float) -> Result:
    """Run ``work`` in a daemon thread; raise :class:`DeadlineExceededError` after ``seconds``.

    A call that overruns is abandoned (its thread ends when the call does), so a model that
    hangs cannot hold up the run or the interpreter's exit.
    """
    outcome: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=1)

    def target() -> None:
        try:
            outcome.put((True, work()))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome.put((False, exc))

    threading.Thread(target=target, name="decom-model-call", daemon=True).start()
    try:
        ok, value = outcome.get(timeout=seconds)
    except queue.Empty:
        raise DeadlineExceededError(f"no answer within {seconds:g} s") from None
    if not ok:
        assert isinstance(value, BaseException)
        raise value
    return value  # type: ignore[return-value]


def describe_failure(exc: BaseException) -> str:
    """A short, credential-free description of why a call failed."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return redact(f"{type(exc).__name__}: {text}"[:300])


@dataclass
class LlmSession:
    """The LLM side of one run: models per role, the ledger, the concurrency gate.

    Attributes:
        settings: the run's settings (models, timeout, budget, concurrency).
        ledger: where every answer's usage is recorded.
    """

    settings: Settings
    ledger: TokenLedger = field(default_factory=TokenLedger)
    _models: dict[LlmRole, BaseChatModel | None] = field(default_factory=dict, repr=False)
    _gate: threading.BoundedSemaphore = field(init=False, repr=False)
    _models_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._gate = threading.BoundedSemaphore(self.settings.max_concurrent_model_calls)

    def model(self, role: LlmRole) -> BaseChatModel | None:
        """The role's model (None in deterministic mode), created once per session.

        Raises:
            InputError: the role's model setting is unusable (see :func:`chat_model`).
        """
        with self._models_lock:
            if role not in self._models:
                self._models[role] = chat_model(self.settings, role)
            return self._models[role]

    def check_models(self) -> list[LlmRole]:
        """Set up every role's model now (call before a run starts); the roles that have one.

        Raises:
            InputError: a model setting is unusable, so the run should not start.
        """
        return [role for role in LlmRole if self.model(role) is not None]

    def tokens_left(self, repo: str) -> int:
        """Tokens the repository may still spend."""
        return max(0, self.settings.repo_token_budget - self.ledger.tokens(repo))

    def usable(self, role: LlmRole, repo: str) -> bool:
        """Whether ``role`` has a model and ``repo`` has budget left (logs exhaustion once)."""
        if self.model(role) is None:
            return False
        if self.tokens_left(repo) > 0:
            return True
        if self.ledger.mark_exhausted(repo):
            log.warning(
                "llm_budget_exhausted",
                repo=repo,
                role=role.value,
                tokens=self.ledger.tokens(repo),
                budget=self.settings.repo_token_budget,
            )
        return False

    def record(self, role: LlmRole, repo: str, answers: Sequence[BaseMessage]) -> None:
        """Record the usage of model answers produced outside :meth:`invoke` (tool loops)."""
        model = self.model(role)
        name = getattr(model, "model_name", None) if model is not None else None
        for answer in answers:
            if isinstance(answer, AIMessage):
                self.ledger.record(repo, role.value, usage_of(answer, name))

    def guarded(
        self, role: LlmRole, repo: str, work: Callable[[], Result], *, calls: int = 1
    ) -> Result | None:
        """Run model work under the gate and the deadline; None (logged) when it fails.

        Args:
            role: the role asking (for the log).
            repo: the repository asking (for the log).
            work: the model call(s).
            calls: how many model calls ``work`` may make; the deadline is that many timeouts.
        """
        started = time.perf_counter()
        try:
            with self._gate:
                return run_with_deadline(work, self.settings.model_timeout_seconds * calls)
        except Exception as exc:  # noqa: BLE001 - a model failure falls back, never fails a run
            log.warning(
                "llm_fallback",
                role=role.value,
                repo=repo,
                reason=describe_failure(exc),
                seconds=round(time.perf_counter() - started, 3),
            )
            return None

    def invoke(self, role: LlmRole, repo: str, messages: Sequence[BaseMessage]) -> AIMessage | None:
        """One model call: its answer, or None when skipped (no model, no budget) or failed."""
        model = self.model(role)
        if model is None or not self.usable(role, repo):
            return None
        # Imported here: the OpenAI SDK costs half a second to import, and a deterministic run
        # (no model) never gets this far.
        from langchain_openai.chat_models.base import BaseChatOpenAI

        runnable = model
        if isinstance(model, BaseChatOpenAI):
            # JSON mode is understood by OpenAI, vLLM, Ollama and llama.cpp alike.
            runnable = model.bind(response_format={"type": "json_object"})  # type: ignore[assignment]
        started = time.perf_counter()
        answer = self.guarded(role, repo, lambda: runnable.invoke(list(messages)))
        if not isinstance(answer, AIMessage):
            return None
        self.record(role, repo, [answer])
        meta = answer.usage_metadata
        log.info(
            "llm_call",
            role=role.value,
            repo=repo,
            input_tokens=meta["input_tokens"] if meta else None,
            output_tokens=meta["output_tokens"] if meta else None,
            seconds=round(time.perf_counter() - started, 3),
        )
        return answer

    def structured(
        self,
        role: LlmRole,
        repo: str,
        system: str,
        user: str,
        schema: type[Answer],
    ) -> Answer | None:
        """Ask for a JSON answer of ``schema``; one retry quoting the error; else None."""
        schema_text = json.dumps(schema.model_json_schema(), separators=(",", ":"))
        messages: list[BaseMessage] = [
            SystemMessage(system + "\n\n" + JSON_ANSWER_INSTRUCTION.format(schema=schema_text)),
            HumanMessage(user),
        ]
        for attempt in (1, 2):
            answer = self.invoke(role, repo, messages)
            if answer is None:
                return None
            parsed, error = parse_answer(answer, schema)
            if parsed is not None:
                return parsed
            log.warning("llm_invalid_answer", role=role.value, repo=repo, attempt=attempt)
            retry = HumanMessage(RETRY_AFTER_INVALID_ANSWER.format(error=error))
            messages = [*messages, answer, retry]
        log.warning("llm_fallback", role=role.value, repo=repo, reason="invalid answer twice")
        return None


def parse_answer(answer: AIMessage, schema: type[Answer]) -> tuple[Answer | None, str]:
    """The answer's JSON object validated against ``schema``, or None and why not."""
    text = str(answer.text).strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        return None, "the answer contains no JSON object"
    try:
        data = json.loads(text[start : end + 1])
    except json.JSONDecodeError as exc:
        return None, f"the answer is not valid JSON ({exc.msg} at character {exc.pos})"
    try:
        return schema.model_validate(data), ""
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}"
            for e in exc.errors(include_url=False, include_input=False)
        )
        return None, f"the JSON does not match the schema: {problems}"[:MAX_ERROR_CHARS]
