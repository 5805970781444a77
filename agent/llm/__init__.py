"""decom's optional LLM layer: four roles on top of the deterministic pipeline.

With no model configured (``DECOM_MODEL`` and the ``DECOM_<ROLE>_MODEL`` settings unset) none
of this is used and decom behaves exactly as without it. With a model:

- :mod:`agent.llm.discovery`: confirms or rejects uncertain candidates, proposes aliases that
  decom's engine then searches for;
- :mod:`agent.llm.refactor`: edits files no rule handles, through confined tools;
- :mod:`agent.llm.critic`: adds findings to the deterministic QA checks (never removes any);
- :mod:`agent.llm.writer`: writes the pull request's title and summary.

Models come from :mod:`agent.llm.factory`; every call goes through
:class:`~agent.llm.session.LlmSession` (budget, deadline, one retry, fallback) and is counted
in its :class:`~agent.llm.ledger.TokenLedger`. Prompts and output schemas live in ``prompts/``.
This package imports langchain, never LangGraph: the tool loop is in ``graph/refactor_agent.py``.
"""
