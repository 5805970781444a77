"""Prompts of decom's LLM roles: one module per role, each with its output schema beside it.

- :mod:`prompts.discovery`: the discovery adjudicator (uncertain candidates, aliases).
- :mod:`prompts.refactor`: the refactor agent (tool loop over files no rule handles).
- :mod:`prompts.critic`: the QA critic (reviews the diff, adds findings).
- :mod:`prompts.pr_writer`: the pull-request writer (title and summary).
- :mod:`prompts.answers`: what every structured answer is told (JSON only, one retry).

Prompt texts are ``str.format`` templates; each module documents its placeholders. Repository
content is always passed as quoted data inside a placeholder, never spliced into instructions.
"""
