"""Decide the :class:`ReferenceKind` of a reference from its line and its file's type."""

from __future__ import annotations

import re

from agent.discovery.models import ReferenceKind, SourceType
from agent.discovery.names import PUBLIC_TLDS

_DSN = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*://|jdbc:|\b(?:Server|Data Source|Host)=[^;]+;|\bdbname=",
    re.IGNORECASE,
)
_IAM = re.compile(r"aws_iam_|iam_policy|iam_role|rds-db:connect|\"Action\"|\bActions?\b|\bgrant\b")
_SECRET = re.compile(
    r"secret|password|passwd|credential|\bcreds\b|ssm_parameter|aws_ssm|vault|kms|token",
    re.IGNORECASE,
)
_ENV_ASSIGN = re.compile(
    r"(?:^|\s|export\s+|\$\{?|env\.|getenv\(\s*['\"]|environ\[['\"]|ENV\[['\"])"
    r"[A-Z][A-Z0-9]*_[A-Z0-9_]+"
)
_HOST_AFTER = re.compile(r"[A-Za-z0-9_-]*(?:\.[A-Za-z0-9-]+)+|[A-Za-z0-9_-]*:\d{2,5}\b")
_HOST_NAMED = re.compile(r"[A-Za-z0-9_-]*\.[a-z][a-z0-9-]*\.")
_HOST_PORT = re.compile(r"[A-Za-z0-9_-]*(?:\.[a-z0-9-]+)*:\d{2,5}\b")
_HOST_PRIVATE = re.compile(r"[A-Za-z0-9_-]*\.(?:internal|local|svc|lan)\b")

# The same tests as ``_DSN``, ``_SECRET`` and ``_IAM`` taken apart, for speed: a
# case-insensitive regex costs several microseconds a line, and a scheme (``[A-Za-z]...://``)
# is tried at every letter. On an ASCII line, matching the lower-cased line case-sensitively
# is the same as matching it case-insensitively, and each alternative is only tried where
# plain substring search says it can match. Other lines keep the regexes above.
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*://")
_KEY_VALUE = re.compile(r"\b(?:server|data source|host)=[^;]+;|\bdbname=")
_SECRET_WORDS = (
    "secret",
    "password",
    "passwd",
    "credential",
    "ssm_parameter",
    "aws_ssm",
    "vault",
    "kms",
    "token",
)
_CREDS = re.compile(r"\bcreds\b")
_IAM_WORDS = ("aws_iam_", "iam_policy", "iam_role", "rds-db:connect", '"Action"')
_ACTION = re.compile(r"\bActions?\b")
_GRANT = re.compile(r"\bgrant\b")


def _is_dsn(line: str, lower: str | None) -> bool:
    """``_DSN.search(line)``, with ``lower`` the lower-cased line when it is ASCII."""
    if lower is None:
        return _DSN.search(line) is not None
    return (
        ("://" in lower and _SCHEME.search(lower) is not None)
        or "jdbc:" in lower
        or ("=" in lower and _KEY_VALUE.search(lower) is not None)
    )


def _is_secret(line: str, lower: str | None) -> bool:
    """``_SECRET.search(line)``, with ``lower`` the lower-cased line when it is ASCII."""
    if lower is None:
        return _SECRET.search(line) is not None
    for word in _SECRET_WORDS:
        if word in lower:
            return True
    return "creds" in lower and _CREDS.search(lower) is not None


def _is_iam(line: str) -> bool:
    """``_IAM.search(line)``."""
    for word in _IAM_WORDS:
        if word in line:
            return True
    return ("Action" in line and _ACTION.search(line) is not None) or (
        "grant" in line and _GRANT.search(line) is not None
    )


_BY_TYPE: dict[SourceType, ReferenceKind] = {
    SourceType.CI_GITHUB_ACTIONS: ReferenceKind.CI,
    SourceType.CI_OTHER: ReferenceKind.CI,
    SourceType.PROMETHEUS: ReferenceKind.MONITORING,
    SourceType.GRAFANA: ReferenceKind.MONITORING,
    SourceType.DATADOG: ReferenceKind.MONITORING,
    SourceType.ALERTING_OTHER: ReferenceKind.MONITORING,
    SourceType.MARKDOWN: ReferenceKind.DOCS,
    SourceType.RST: ReferenceKind.DOCS,
    SourceType.TEXT: ReferenceKind.DOCS,
    SourceType.HELM_VALUES: ReferenceKind.HELM_VALUE,
    SourceType.HELM_TEMPLATE: ReferenceKind.HELM_VALUE,
    SourceType.HELM_CHART: ReferenceKind.HELM_VALUE,
    SourceType.DOCKER_COMPOSE: ReferenceKind.COMPOSE_SERVICE,
    SourceType.SQL: ReferenceKind.SQL_STATEMENT,
    SourceType.PYTHON: ReferenceKind.CODE,
    SourceType.JAVA: ReferenceKind.CODE,
    SourceType.KOTLIN: ReferenceKind.CODE,
    SourceType.GO: ReferenceKind.CODE,
    SourceType.JAVASCRIPT: ReferenceKind.CODE,
    SourceType.TYPESCRIPT: ReferenceKind.CODE,
    SourceType.RUBY: ReferenceKind.CODE,
    SourceType.PHP: ReferenceKind.CODE,
    SourceType.CSHARP: ReferenceKind.CODE,
    SourceType.ENV_FILE: ReferenceKind.ENV_VAR,
}


def classify_kind(line: str, column: int, end: int, source_type: SourceType) -> ReferenceKind:
    """The kind of the reference spanning ``line[column:end]`` in a file of ``source_type``."""
    lower = line.lower() if line.isascii() else None
    if _is_dsn(line, lower):
        return ReferenceKind.CONNECTION_STRING
    if source_type is SourceType.TERRAFORM:
        if _is_iam(line):
            return ReferenceKind.IAM
        if _is_secret(line, lower):
            return ReferenceKind.SECRET
        return ReferenceKind.TERRAFORM_RESOURCE
    by_type = _BY_TYPE.get(source_type)
    if by_type in (ReferenceKind.CI, ReferenceKind.MONITORING, ReferenceKind.DOCS):
        return by_type
    if source_type is SourceType.ENV_FILE or _is_env_var(line, column, end):
        return ReferenceKind.ENV_VAR
    if _is_secret(line, lower):
        return ReferenceKind.SECRET
    if _HOST_AFTER.match(line, end) and not line[end : end + 1].isspace():
        if (
            _HOST_NAMED.match(line, end)
            or _HOST_PORT.match(line, end)
            or _HOST_PRIVATE.match(line, end)
        ):
            return ReferenceKind.HOSTNAME
    if "." in line[column:end] and _names_host(line[column:end]):
        return ReferenceKind.HOSTNAME  # the match is a host itself (a learned DNS name)
    if by_type is not None:
        return by_type
    if source_type in (SourceType.SHELL, SourceType.POWERSHELL, SourceType.DOCKERFILE):
        return ReferenceKind.CODE
    return ReferenceKind.OTHER


_HOST_LABELS = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")
#: Last labels of host names: public top-level domains and private zones. A dotted name that
#: ends otherwise (``spring.datasource.profiles``) is a key or a path, not a host.
_HOST_ENDINGS = PUBLIC_TLDS | frozenset("internal local svc lan corp intra intranet".split())


def _names_host(span: str) -> bool:
    """Whether ``span`` is itself a DNS name (``ledger-db.internal.acme.net``)."""
    return (
        _HOST_LABELS.fullmatch(span) is not None
        and span.rpartition(".")[2].lower() in _HOST_ENDINGS
    )


def _is_env_var(line: str, column: int, end: int) -> bool:
    """Whether the match is part of an UPPER_SNAKE environment variable name."""
    left = column
    while left > 0 and (line[left - 1].isalnum() or line[left - 1] == "_"):
        left -= 1
    right = end
    while right < len(line) and (line[right].isalnum() or line[right] == "_"):
        right += 1
    word = line[left:right]
    return "_" in word and word.isupper() and len(word) > 3
