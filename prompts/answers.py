"""Instructions shared by every role that answers with a JSON object.

Placeholders:
    JSON_ANSWER_INSTRUCTION:
        ``{schema}``: the JSON schema of the expected answer (``model_json_schema()``).
    RETRY_AFTER_INVALID_ANSWER:
        ``{error}``: why the previous answer was rejected (parse or validation errors).
"""

from __future__ import annotations

#: Appended to a role's system prompt when the role answers with a JSON object.
JSON_ANSWER_INSTRUCTION = """\
Answer with exactly one JSON object and nothing else (no prose, no code fences). \
It must validate against this JSON schema:
{schema}"""

#: Sent once after an answer that is not valid JSON or does not match the schema.
RETRY_AFTER_INVALID_ANSWER = """\
Your previous answer was rejected: {error}
Answer again with one JSON object that matches the schema, and nothing else."""
