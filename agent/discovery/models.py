"""Typed values produced by discovery.

These are frozen dataclasses rather than pydantic models on purpose: `decom scan` must start in
tens of milliseconds (see ``bench/scan_bench.py``) and importing pydantic alone costs ~100 ms.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)

if TYPE_CHECKING:
    from typing import Any


class SourceType(StrEnum):
    """What kind of file a path is, which decides how it is read and rewritten."""

    TERRAFORM = "terraform"
    HELM_CHART = "helm_chart"
    HELM_VALUES = "helm_values"
    HELM_TEMPLATE = "helm_template"
    KUBERNETES = "kubernetes"
    DOCKER_COMPOSE = "docker_compose"
    DOCKERFILE = "dockerfile"
    CI_GITHUB_ACTIONS = "ci_github_actions"
    CI_OTHER = "ci_other"
    PROMETHEUS = "prometheus"
    GRAFANA = "grafana"
    DATADOG = "datadog"
    ALERTING_OTHER = "alerting_other"
    SQL = "sql"
    PYTHON = "python"
    JAVA = "java"
    KOTLIN = "kotlin"
    GO = "go"
    JAVASCRIPT = "javascript"
    TYPESCRIPT = "typescript"
    RUBY = "ruby"
    PHP = "php"
    BICEP = "bicep"
    CSHARP = "csharp"
    XML = "xml"
    SHELL = "shell"
    POWERSHELL = "powershell"
    ENV_FILE = "env_file"
    PROPERTIES = "properties"
    INI = "ini"
    TOML = "toml"
    YAML_CONFIG = "yaml_config"
    JSON_CONFIG = "json_config"
    MARKDOWN = "markdown"
    RST = "rst"
    TEXT = "text"
    CODEOWNERS = "codeowners"
    MAKEFILE = "makefile"
    OTHER = "other"


class ReferenceKind(StrEnum):
    """What a reference is, independent of the file it is in."""

    CONNECTION_STRING = "connection_string"
    HOSTNAME = "hostname"
    ENV_VAR = "env_var"
    TERRAFORM_RESOURCE = "terraform_resource"
    HELM_VALUE = "helm_value"
    COMPOSE_SERVICE = "compose_service"
    SQL_STATEMENT = "sql_statement"
    CODE = "code"
    SECRET = "secret"
    IAM = "iam"
    CI = "ci"
    MONITORING = "monitoring"
    DOCS = "docs"
    OTHER = "other"


class AliasForm(StrEnum):
    """How an alias is spelled, which decides how it is searched for."""

    #: A name such as a host, a service or an env var: exact, bounded by non-identifier chars.
    IDENTIFIER = "identifier"
    #: A dotted address (``aws_db_instance.main``, ``.Values.db.host``): exact, then ``.`` or end.
    ADDRESS = "address"
    #: A quoted string literal (a Django database alias): ``"ledger"`` or ``'ledger'``.
    QUOTED = "quoted"
    #: A configuration key prefix (``spring.datasource.ledger``): dotted or nested YAML keys.
    KEY_PREFIX = "key_prefix"


@dataclass(frozen=True, slots=True)
class Location:
    """A line in a repository."""

    repo: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Alias:
    """Another name that denotes the database, learned from a definition.

    Attributes:
        name: the alias text as it is searched for.
        form: how it is matched.
        defined_at: where it was learned.
        reason: a short human explanation (``"terraform address of a block naming it"``).
        repo: only search this repository (``None``: all repositories).
        directory: only search this directory of ``repo`` (Terraform module scope).
        source_types: only search files of these types (``None``: all).
    """

    name: str
    form: AliasForm
    defined_at: Location | None
    reason: str
    repo: str | None = None
    directory: str | None = None
    source_types: frozenset[SourceType] | None = None
    path: str | None = None

    def applies_to(self, repo: str, path: str, source_type: SourceType) -> bool:
        """Whether this alias is searched for in the given file."""
        if self.repo is not None and self.repo != repo:
            return False
        if self.path is not None and self.path != path:
            return False
        if self.directory is not None and path.rpartition("/")[0] != self.directory:
            return False
        return self.source_types is None or source_type in self.source_types


@dataclass(frozen=True, slots=True)
class Via:
    """Why a reference that does not spell the name is one: the alias and where it came from."""

    alias: str
    path: str
    line: int
    repo: str


@dataclass(frozen=True, slots=True)
class Reference:
    """One line of one file that refers to the database."""

    repo: str
    path: str
    line: int
    column: int
    source_type: SourceType
    kind: ReferenceKind
    text: str
    via: Via | None = None

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape of a reference (see README, `decom scan --json`)."""
        via = None
        if self.via is not None:
            via = {"alias": self.via.alias, "path": self.via.path, "line": self.via.line}
        return {
            "repo": self.repo,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            # ``_value_`` is what ``.value`` returns, read without enum's property descriptor
            # (a Python call per reference).
            "source_type": self.source_type._value_,
            "kind": self.kind._value_,
            "text": self.text,
            "via": via,
        }


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file (or a vendored folder) discovery did not read, and why."""

    repo: str
    path: str
    reason: str

    def to_json(self) -> dict[str, str]:
        """The public JSON shape of a skipped entry."""
        return {"repo": self.repo, "path": self.path, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ScanStats:
    """How much work a scan did."""

    files_scanned: int
    bytes_scanned: int
    seconds: float


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything one scan found."""

    database: str
    references: tuple[Reference, ...]
    skipped: tuple[SkippedFile, ...]
    stats: ScanStats
    aliases: tuple[Alias, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The public JSON object printed by `decom scan --json`."""
        return {
            "database": self.database,
            "references": [r.to_json() for r in self.references],
            "skipped": [s.to_json() for s in self.skipped],
            "stats": asdict(self.stats),
        }
