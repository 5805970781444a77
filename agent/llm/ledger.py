"""Token and cost accounting per role and per repository, and the per-repository budget.

Every model answer's ``usage_metadata`` (input and output tokens, as langchain reports them
for every provider) is recorded under the repository and role that asked. A repository whose
recorded tokens reach ``Settings.repo_token_budget`` gets no more model calls; the run goes on
deterministically for it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage

#: US dollars per million (input, output) tokens, matched by model-name prefix (longest
#: first). Models not listed are counted in tokens and in ``unpriced_calls``, never guessed.
PRICES_PER_MILLION_TOKENS: Mapping[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
}


@dataclass(frozen=True, slots=True)
class TokenUsage:
    """Tokens and cost of some model calls.

    Attributes:
        input_tokens: prompt tokens, as the server reported them.
        output_tokens: completion tokens, as the server reported them.
        calls: answers received (including those without usage data).
        cost_usd: cost of the priced calls.
        unpriced_calls: calls whose model has no price in the table (cost unknown).
    """

    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0
    cost_usd: float = 0.0
    unpriced_calls: int = 0

    @property
    def total_tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.calls + other.calls,
            self.cost_usd + other.cost_usd,
            self.unpriced_calls + other.unpriced_calls,
        )

    def to_json(self) -> dict[str, Any]:
        """The usage as a JSON object (for summaries and logs)."""
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "total_tokens": self.total_tokens,
            "calls": self.calls,
            "cost_usd": round(self.cost_usd, 6),
            "unpriced_calls": self.unpriced_calls,
        }


def usage_of(message: AIMessage, model_name: str | None = None) -> TokenUsage:
    """The usage one answer reports (zero tokens when the server sent none)."""
    meta = message.usage_metadata
    tokens_in = int(meta["input_tokens"]) if meta else 0
    tokens_out = int(meta["output_tokens"]) if meta else 0
    name = str(message.response_metadata.get("model_name") or model_name or "")
    price = price_of(name)
    if price is None:
        return TokenUsage(tokens_in, tokens_out, 1, 0.0, 1)
    cost = (tokens_in * price[0] + tokens_out * price[1]) / 1_000_000
    return TokenUsage(tokens_in, tokens_out, 1, cost, 0)


def price_of(model_name: str) -> tuple[float, float] | None:
    """Price per million (input, output) tokens of a model name, None when unknown."""
    for prefix in sorted(PRICES_PER_MILLION_TOKENS, key=len, reverse=True):
        if model_name.startswith(prefix):
            return PRICES_PER_MILLION_TOKENS[prefix]
    return None


class TokenLedger:
    """Usage per (repository, role), shared by every call of a run (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._usage: dict[tuple[str, str], TokenUsage] = {}
        self._exhausted: set[str] = set()
        self._context: dict[str, int] = {}

    def note_context(self, repo: str, tokens: int) -> None:
        """Record the size (in tokens, as Repomix counts them) of a packed repository."""
        with self._lock:
            self._context[repo] = tokens

    def record(self, repo: str, role: str, usage: TokenUsage) -> None:
        """Add ``usage`` to the repository's and role's totals."""
        with self._lock:
            key = (repo, role)
            self._usage[key] = self._usage.get(key, TokenUsage()) + usage

    def tokens(self, repo: str) -> int:
        """Tokens spent for one repository, every role together."""
        return self.for_repo(repo).total_tokens

    def for_repo(self, repo: str) -> TokenUsage:
        """Usage of one repository, every role together."""
        with self._lock:
            parts = [u for (r, _), u in self._usage.items() if r == repo]
        return sum(parts, TokenUsage())

    def by_repo(self) -> dict[str, TokenUsage]:
        """Usage per repository."""
        with self._lock:
            items = list(self._usage.items())
        totals: dict[str, TokenUsage] = {}
        for (repo, _), usage in items:
            totals[repo] = totals.get(repo, TokenUsage()) + usage
        return totals

    def by_role(self) -> dict[str, TokenUsage]:
        """Usage per role."""
        with self._lock:
            items = list(self._usage.items())
        totals: dict[str, TokenUsage] = {}
        for (_, role), usage in items:
            totals[role] = totals.get(role, TokenUsage()) + usage
        return totals

    def total(self) -> TokenUsage:
        """Usage of the whole run."""
        return sum(self.by_repo().values(), TokenUsage())

    def mark_exhausted(self, repo: str) -> bool:
        """Note that the repository ran out of budget; True the first time."""
        with self._lock:
            first = repo not in self._exhausted
            self._exhausted.add(repo)
            return first

    @property
    def exhausted(self) -> frozenset[str]:
        """Repositories that ran out of budget."""
        with self._lock:
            return frozenset(self._exhausted)

    def to_json(self) -> dict[str, Any]:
        """Totals per repository and role, per role, and for the run."""
        with self._lock:
            items = sorted(self._usage.items())
            context = dict(sorted(self._context.items()))
        return {
            "total": self.total().to_json(),
            "repomix_context_tokens": context,
            "by_role": {role: u.to_json() for role, u in sorted(self.by_role().items())},
            "by_repo": {
                repo: {
                    "total": usage.to_json(),
                    "by_role": {role: u.to_json() for (r, role), u in items if r == repo},
                    "budget_exhausted": repo in self.exhausted,
                }
                for repo, usage in sorted(self.by_repo().items())
            },
        }
