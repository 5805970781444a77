"""Classify a file into a :class:`SourceType` from its path, and a peek at its content.

Path rules come first because they are cheap and unambiguous (``.tf``, ``Dockerfile``,
``.github/workflows``); content is only consulted for the generic containers YAML and JSON,
where the same extension holds Kubernetes manifests, Prometheus rules or Grafana dashboards,
and for extension-less scripts (shebang). Content checks look for a structural marker (a
top-level key), never count keyword hits, so a Python file full of SQL stays Python.
"""

from __future__ import annotations

import re

from agent.discovery.models import SourceType

_EXTENSIONS: dict[str, SourceType] = {
    ".tf": SourceType.TERRAFORM,
    ".tfvars": SourceType.TERRAFORM,
    ".hcl": SourceType.TERRAFORM,
    ".sql": SourceType.SQL,
    ".psql": SourceType.SQL,
    ".ddl": SourceType.SQL,
    ".py": SourceType.PYTHON,
    ".pyi": SourceType.PYTHON,
    ".java": SourceType.JAVA,
    ".kt": SourceType.KOTLIN,
    ".kts": SourceType.KOTLIN,
    ".go": SourceType.GO,
    ".js": SourceType.JAVASCRIPT,
    ".mjs": SourceType.JAVASCRIPT,
    ".cjs": SourceType.JAVASCRIPT,
    ".jsx": SourceType.JAVASCRIPT,
    ".ts": SourceType.TYPESCRIPT,
    ".tsx": SourceType.TYPESCRIPT,
    ".mts": SourceType.TYPESCRIPT,
    ".cts": SourceType.TYPESCRIPT,
    ".rb": SourceType.RUBY,
    ".php": SourceType.PHP,
    ".bicep": SourceType.BICEP,
    ".cs": SourceType.CSHARP,
    ".xml": SourceType.XML,
    ".xsd": SourceType.XML,
    ".rake": SourceType.RUBY,
    ".gemspec": SourceType.RUBY,
    ".sh": SourceType.SHELL,
    ".bash": SourceType.SHELL,
    ".zsh": SourceType.SHELL,
    ".ksh": SourceType.SHELL,
    ".ps1": SourceType.POWERSHELL,
    ".psm1": SourceType.POWERSHELL,
    ".psd1": SourceType.POWERSHELL,
    ".env": SourceType.ENV_FILE,
    ".properties": SourceType.PROPERTIES,
    ".ini": SourceType.INI,
    ".cfg": SourceType.INI,
    ".cnf": SourceType.INI,
    ".conf": SourceType.INI,
    ".toml": SourceType.TOML,
    ".md": SourceType.MARKDOWN,
    ".markdown": SourceType.MARKDOWN,
    ".rst": SourceType.RST,
    ".txt": SourceType.TEXT,
    ".adoc": SourceType.TEXT,
    ".mk": SourceType.MAKEFILE,
    ".tpl": SourceType.HELM_TEMPLATE,
    ".dockerfile": SourceType.DOCKERFILE,
    ".json": SourceType.JSON_CONFIG,
    ".yaml": SourceType.YAML_CONFIG,
    ".yml": SourceType.YAML_CONFIG,
}

_NAMES: dict[str, SourceType] = {
    "dockerfile": SourceType.DOCKERFILE,
    "containerfile": SourceType.DOCKERFILE,
    "makefile": SourceType.MAKEFILE,
    "gemfile": SourceType.RUBY,
    "rakefile": SourceType.RUBY,
    "gnumakefile": SourceType.MAKEFILE,
    "codeowners": SourceType.CODEOWNERS,
    "jenkinsfile": SourceType.CI_OTHER,
    ".gitlab-ci.yml": SourceType.CI_OTHER,
    ".travis.yml": SourceType.CI_OTHER,
    ".drone.yml": SourceType.CI_OTHER,
    "azure-pipelines.yml": SourceType.CI_OTHER,
    "bitbucket-pipelines.yml": SourceType.CI_OTHER,
    "cloudbuild.yaml": SourceType.CI_OTHER,
    "cloudbuild.yml": SourceType.CI_OTHER,
    "buildspec.yml": SourceType.CI_OTHER,
    "chart.yaml": SourceType.HELM_CHART,
    "chart.lock": SourceType.HELM_CHART,
    "alertmanager.yml": SourceType.ALERTING_OTHER,
    "alertmanager.yaml": SourceType.ALERTING_OTHER,
    "prometheus.yml": SourceType.PROMETHEUS,
    "prometheus.yaml": SourceType.PROMETHEUS,
    "pyproject.toml": SourceType.TOML,
    "setup.cfg": SourceType.INI,
    "tox.ini": SourceType.INI,
    "my.cnf": SourceType.INI,
    "pgpass": SourceType.INI,
    ".pgpass": SourceType.INI,
}

_CI_DIRS = (".circleci/", ".buildkite/", ".tekton/", ".woodpecker/", ".gitlab/ci/")
_MONITORING_DIRS: tuple[tuple[str, SourceType], ...] = (
    ("grafana", SourceType.GRAFANA),
    ("dashboards", SourceType.GRAFANA),
    ("datadog", SourceType.DATADOG),
    ("prometheus", SourceType.PROMETHEUS),
    ("alertmanager", SourceType.ALERTING_OTHER),
    ("pagerduty", SourceType.ALERTING_OTHER),
    ("opsgenie", SourceType.ALERTING_OTHER),
    ("alerts", SourceType.ALERTING_OTHER),
    ("nagios", SourceType.ALERTING_OTHER),
)
_SHEBANG = re.compile(rb"^#!\s*(\S+)(?:\s+(?:-\S+\s+)*(\S+))?")
_SHEBANG_TYPES = {
    b"sh": SourceType.SHELL,
    b"bash": SourceType.SHELL,
    b"zsh": SourceType.SHELL,
    b"ksh": SourceType.SHELL,
    b"dash": SourceType.SHELL,
    b"python": SourceType.PYTHON,
    b"node": SourceType.JAVASCRIPT,
    b"ruby": SourceType.RUBY,
    b"pwsh": SourceType.POWERSHELL,
}
_K8S = re.compile(rb"^apiVersion:\s*\S+", re.MULTILINE)
_K8S_KIND = re.compile(rb"^kind:\s*[A-Z]\w+", re.MULTILINE)
_PROM_RULES = re.compile(rb"^\s*-?\s*(?:alert|record):\s", re.MULTILINE)
_COMPOSE = re.compile(rb"^services:\s*$", re.MULTILINE)
_GRAFANA = re.compile(rb'"panels"\s*:|"dashboard"\s*:\s*\{|"datasource"\s*:\s*\{')
_DATADOG = re.compile(rb'"type"\s*:\s*"(?:metric|query|service check|log) alert"')
_ALERTMANAGER = re.compile(rb"^route:\s*$", re.MULTILINE)


#: Types decided by extension alone that a peek at the content may refine.
NEEDS_CONTENT: frozenset[SourceType] = frozenset(
    {SourceType.YAML_CONFIG, SourceType.JSON_CONFIG, SourceType.OTHER}
)


def chart_root(path: str, chart_dirs: frozenset[str]) -> str | None:
    """The Helm chart directory ``path`` belongs to, if any (the nearest with a Chart.yaml)."""
    parts = path.split("/")[:-1]
    while parts:
        candidate = "/".join(parts)
        if candidate in chart_dirs:
            return candidate
        parts.pop()
    return "" if "" in chart_dirs else None


#: Suffixes of the files that ``chart_dirs`` can make Helm templates or values.
_HELM_SUFFIXES = (".yaml", ".yml", ".tpl", ".txt", ".json")


def _suffix(name: str) -> str:
    """``.ext`` of a lower-case file name, "" without a dot."""
    _, dot, ext = name.rpartition(".")
    return "." + ext if dot else ""


def may_be_helm(path: str) -> bool:
    """Whether :func:`classify` reads ``chart_dirs`` for ``path`` (a Helm template or values).

    For any other path the Chart.yaml lookups can be skipped: the result is the same.
    """
    return _suffix(path.lower().rpartition("/")[2]) in _HELM_SUFFIXES


#: Cron tables: ``crontab``, ``etc/cron.d/backups``, ``cron/pg-maintenance``, ``x.cron``.
_CRON = re.compile(r"(^|/)(crontabs?|cron\.d|cron)(/|$)|(^|/)crontab[^/]*$|\.cron$")


def classify(path: str, head: bytes = b"", chart_dirs: frozenset[str] = frozenset()) -> SourceType:
    """Classify the file at repository-relative POSIX ``path``.

    Args:
        path: path relative to the repository root, ``/``-separated.
        head: the first few KiB of the file (may be empty when unknown).
        chart_dirs: directories of the repository that hold a ``Chart.yaml``.
    """
    lower = path.lower()
    name = lower.rpartition("/")[2]
    suffix = _suffix(name)
    if lower.startswith(".github/workflows/") and suffix in (".yml", ".yaml"):
        return SourceType.CI_GITHUB_ACTIONS
    if lower.startswith(".github/") and name == "codeowners":
        return SourceType.CODEOWNERS
    if name in _NAMES:
        return _NAMES[name]
    if lower.startswith(_CI_DIRS):
        return SourceType.CI_OTHER
    if name.startswith(("dockerfile", "containerfile")):
        return SourceType.DOCKERFILE
    if (name.startswith((".env", "env.")) and suffix not in _EXTENSIONS) or name.endswith(".env"):
        return SourceType.ENV_FILE
    if name.startswith(("docker-compose", "compose.", "compose-")) and suffix in (".yml", ".yaml"):
        return SourceType.DOCKER_COMPOSE
    if suffix in _HELM_SUFFIXES and chart_dirs:
        chart = chart_root(path, chart_dirs)
        if chart is not None:
            rel = path[len(chart) + 1 :] if chart else path
            if rel.startswith("templates/"):
                return SourceType.HELM_TEMPLATE
            if "/" not in rel and name.startswith("values") and suffix != ".tpl":
                return SourceType.HELM_VALUES
    if suffix in (".yaml", ".yml", ".json"):
        return _classify_structured(lower, suffix, head)
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if _CRON.search(lower) and suffix in ("", ".cron", ".crontab", ".txt"):
        return SourceType.SHELL  # one command a line, after its schedule; '#' comments
    if head.startswith(b"#!"):
        m = _SHEBANG.match(head)
        if m is not None:
            program = m.group(1).rpartition(b"/")[2]
            if program == b"env" and m.group(2):
                program = m.group(2)
            program = program.rstrip(b"0123456789.")
            if program in _SHEBANG_TYPES:
                return _SHEBANG_TYPES[program]
    return SourceType.OTHER


def _classify_structured(lower: str, suffix: str, head: bytes) -> SourceType:
    folders = lower.split("/")[:-1]
    if suffix == ".json":
        if _GRAFANA.search(head):
            return SourceType.GRAFANA
        if _DATADOG.search(head):
            return SourceType.DATADOG
    else:
        if _PROM_RULES.search(head) and b"expr:" in head:
            return SourceType.PROMETHEUS
        if _ALERTMANAGER.search(head) and b"receiver" in head:
            return SourceType.ALERTING_OTHER
        if _COMPOSE.search(head) and (b"image:" in head or b"build:" in head):
            return SourceType.DOCKER_COMPOSE
        if _K8S.search(head) and _K8S_KIND.search(head):
            return SourceType.KUBERNETES
    for folder in folders:
        for marker, source_type in _MONITORING_DIRS:
            if marker in folder:
                return source_type
    return SourceType.JSON_CONFIG if suffix == ".json" else SourceType.YAML_CONFIG
