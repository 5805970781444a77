"""Aliases from configuration: env vars, compose services, Kubernetes objects, Helm values.

All of these are scoped to the repository that defines them: ``DATABASE_URL`` denotes this
database only where its value was seen pointing at it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from agent.discovery.aliases.config_types import APP_CONFIG_TYPES as _APP_CONFIG_TYPES
from agent.discovery.aliases.config_types import ENV_TYPES as _ENV_TYPES
from agent.discovery.aliases.config_types import LEARNED_TYPES
from agent.discovery.aliases.context import FileContext, is_distinctive
from agent.discovery.models import Alias, AliasForm, SourceType

_ENV_ASSIGNMENT = re.compile(
    r"""^\s*(?:-\s+)?(?:export\s+|ENV\s+|set\s+|\$env:)?["']?(PG[A-Z]+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)["']?\s*[:=]\s*\S"""
)
_K8S_ENV_NAME = re.compile(
    r"""^\s*-\s+name:\s*["']?(PG[A-Z]+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)["']?\s*$"""
)
_K8S_VALUE = re.compile(r"^\s*value:\s*\S")
_YAML_TAG = re.compile(r"^!\w+\s+")
_CONNECTION = re.compile(r"://|^jdbc:|(?:^|;)\s*[\w ]+=[^;]*;", re.IGNORECASE)
_TEMPLATE = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
_SPACES = re.compile(r"\s+")
_LIST_MARK = re.compile(r"[,\s]")
_NAME_LIST_SEPARATOR = re.compile(r"[,\s]+")
_LISTED_NAME = re.compile(r"[A-Za-z][\w.-]*")
_COMPOUND = re.compile(r"[-_0-9]")
_SEPARATORS = re.compile(r"[-_.]")
_KIND = re.compile(r"^kind:\s*([A-Za-z]+)")
_METADATA_NAME = re.compile(r"^  name:\s*[\"']?([A-Za-z0-9][\w.-]*)[\"']?\s*$")
_PLAIN_KEY = re.compile(r"[A-Za-z_][\w]*")
_PROPERTY_KEY = re.compile(r"^\s*([\w.\-\[\]]+)\s*[=:]")
#: Last words of env var names that hold an address (``PGHOST``'s is ``PGHOST`` itself).
_ADDRESS_SUFFIXES = frozenset(
    "URL URI DSN HOST HOSTNAME ADDR ADDRESS ENDPOINT SERVER PGHOST CONNSTR CONNECTION".split()
)
_DB_IMAGE = re.compile(
    r"image:\s*\S*(?:postgres|postgis|timescale|mysql|mariadb|mongo|cockroach|pgbouncer|"
    r"mssql|oracle|redis|percona|supabase|yugabyte)",
    re.IGNORECASE,
)
_DB_SERVICE_WORDS = frozenset(
    "db database postgres postgresql pg mysql mariadb mongo mongodb sql rds pgbouncer".split()
)
_DEDICATED_KINDS = frozenset(
    "Service Secret ExternalSecret SealedSecret StatefulSet Endpoints PersistentVolumeClaim "
    "Database Cluster PostgresCluster postgresql Pooler ScheduledBackup Backup "
    "MongoDBCommunity MongoDB PerconaServerMongoDB PerconaXtraDBCluster InnoDBCluster "
    "MariaDB".split()
)
#: Leaves of a configuration block that point at a database server.
_CONNECTION_LEAVES = frozenset(
    "url jdbc-url jdbcurl jdbc_url uri dsn host hostname address endpoint server "
    "connection-string connectionstring connection_string database db dbname".split()
)
_GENERIC_SEGMENTS = frozenset(
    "spring datasource datasources database databases db dbs default primary main replica "
    "reader writer master connection connections sql postgres postgresql pg mysql jdbc r2dbc "
    "hikari config rds aurora cluster instance server data source sources".split()
)


def learn_from_config(ctx: FileContext) -> list[Alias]:
    """Aliases defined by configuration files."""
    aliases: list[Alias] = []
    if ctx.source_type not in LEARNED_TYPES:
        return aliases
    if ctx.source_type in _ENV_TYPES:
        aliases.extend(_env_vars(ctx))
    if ctx.source_type is SourceType.DOCKER_COMPOSE:
        aliases.extend(_compose_services(ctx))
    if ctx.source_type in (SourceType.KUBERNETES, SourceType.HELM_TEMPLATE):
        aliases.extend(_kubernetes_names(ctx))
    if ctx.source_type is SourceType.HELM_VALUES:
        aliases.extend(_helm_values(ctx))
    if ctx.source_type in _APP_CONFIG_TYPES:
        aliases.extend(_key_prefixes(ctx))
    if ctx.source_type in (SourceType.YAML_CONFIG, SourceType.JSON_CONFIG):
        aliases.extend(_cloudformation_resources(ctx))
    if ctx.source_type in (SourceType.YAML_CONFIG, SourceType.CI_OTHER, SourceType.HELM_VALUES):
        aliases.extend(_named_connections(ctx))
    return aliases


#: ``database: MARKETING_ATTRIBUTION`` and friends: the key that says which database an entry
#: (a dbt source, an Airflow connection, a BI connection) points at.
_DATABASE_KEY = re.compile(r"^(\s*)(?:-\s+)?(?:database|db|dbname|db_name|catalog|schema)\s*:\s*\S")
#: The key that names such an entry.
_ENTRY_NAME = re.compile(
    r"""^(\s*)(-\s+)?(?:name|conn_id|connection_id|id|alias)\s*:\s*["']?([A-Za-z][\w.-]*)["']?\s*$"""
)


def _named_connections(ctx: FileContext) -> list[Alias]:
    """An entry whose database is this one is named: the name is how the rest refers to it.

    ``sources: - name: attribution  database: MARKETING_ATTRIBUTION`` (dbt: then
    ``source('attribution', ...)``), ``- conn_id: snowflake_attribution ... schema: x``
    (Airflow: then ``snowflake_conn_id="snowflake_attribution"``). A compound name is searched
    as an identifier; a single word only where it is quoted, so the everyday word stays prose.
    """
    aliases = []
    for number in ctx.refs:
        m = _DATABASE_KEY.match(ctx.lines[number - 1])
        if m is None or not ctx.names_database(ctx.lines[number - 1]):
            continue
        # Up through the entry (and its nested keys) to its name; stop where the entry starts.
        for start in range(number - 1, max(0, number - 20), -1):
            line = ctx.lines[start - 1]
            e = _ENTRY_NAME.match(line)
            if e is not None and len(e.group(1)) < len(m.group(1)) + 4:
                name = e.group(3)
                if is_distinctive(name) and not ctx.names_database(name):
                    compound = _COMPOUND.search(name) is not None
                    form = AliasForm.IDENTIFIER if compound else AliasForm.QUOTED
                    # A one-word name is a use only where quoted in SQL/dbt and config files.
                    types = (
                        None if compound else frozenset({SourceType.SQL, SourceType.YAML_CONFIG})
                    )
                    aliases.append(
                        ctx.alias(name, form, start, "name of an entry for it", source_types=types)
                    )
                break
            if line.lstrip().startswith("- ") or (line.strip() and not line[:1].isspace()):
                break  # the entry began here without a name
    return aliases


_CFN_TYPE = re.compile(
    r"Type\W+AWS::(?:RDS|DocDB|Neptune|Redshift|SecretsManager|SSM|ElastiCache|DynamoDB)::"
    r"|Type\W+AWS::EC2::SecurityGroup\b"
)
_CFN_NAMING = re.compile(
    r"(?:DBClusterIdentifier|DBInstanceIdentifier|DatabaseName|DBName|Name|ClusterIdentifier|"
    r"GroupName|GroupDescription|DBSubnetGroupName|DBSubnetGroupDescription|Description)"
    r"""\W*:\s*["']?"""
)


def _cloudformation_resources(ctx: FileContext) -> list[Alias]:
    """CloudFormation/SAM: a database-ish resource whose naming property is the database.

    Its logical id (``TrackingCluster``) is then the database within this template
    (``!Ref TrackingCluster``, ``!GetAtt TrackingCluster.Endpoint.Address``), as a Terraform
    address is within its module.
    """
    text = ctx.text
    if not (text.startswith("Resources:") or "\nResources:" in text):  # a line starting so
        return []
    paths = ctx.key_paths()
    resources: dict[str, list[int]] = {}
    for number, path in enumerate(paths, start=1):
        if len(path) >= 2 and path[0] == "Resources":
            resources.setdefault(path[1], []).append(number)
    aliases = []
    refs = ctx.code_refs()
    for logical_id, numbers in resources.items():
        body = "\n".join(ctx.lines[n - 1] for n in numbers)
        if ctx.names_database(logical_id) or not _CFN_TYPE.search(body):
            continue
        if not any(n in refs and _CFN_NAMING.search(ctx.lines[n - 1]) for n in numbers):
            continue
        alias = ctx.alias(logical_id, AliasForm.IDENTIFIER, numbers[0], "CloudFormation resource")
        aliases.append(replace(alias, path=ctx.path))
    return aliases


def _env_vars(ctx: FileContext) -> list[Alias]:
    """``NAME=<address of the database>``: NAME denotes the database in this repository.

    Only a full address counts (a URL, or a host under a HOST/URL/DSN-like name): a variable
    holding the bare database name (``POSTGRES_DB=payroll_ledger``) is per-container
    configuration that every other database's container sets too.
    """
    aliases = []
    for number, ref in ctx.code_refs().items():
        text = ctx.lines[number - 1].rstrip("\r")
        m = _ENV_ASSIGNMENT.match(text)
        if m is not None:
            name, value = m.group(1), text[m.end(1) :].lstrip(" :=").strip("\"' ")
        elif _K8S_VALUE.match(text) and number >= 2:
            prev = _K8S_ENV_NAME.match(ctx.lines[number - 2].rstrip("\r"))
            if prev is None:
                continue
            name, value, number = prev.group(1), text.split(":", 1)[1].strip("\"' "), number - 1
        else:
            continue
        value = _TEMPLATE.sub(lambda t: "{{" + _SPACES.sub("", t.group(1)) + "}}", value)
        value = _YAML_TAG.sub("", value)  # CloudFormation: !GetAtt Cluster.Endpoint.Address
        # A list of databases (``DBS=orders,payroll_ledger``) names several things; a
        # connection string (``Server=h;Database=x;Ssl Mode=Require``) is one thing.
        if ctx.names_database(name) or (_LIST_MARK.search(value) and not _CONNECTION.search(value)):
            continue
        if _is_address(name, value) and (
            ctx.names_database(value) or (ref.via is not None and ref.via.alias in value)
        ):
            aliases.append(_env_alias(ctx, name, number))
    return aliases


def _is_address(name: str, value: str) -> bool:
    if "://" in value or value.startswith("jdbc:") or "@" in value:
        return True
    return name.rsplit("_", 1)[-1] in _ADDRESS_SUFFIXES


def _env_alias(ctx: FileContext, name: str, line: int) -> Alias:
    return ctx.alias(name, AliasForm.IDENTIFIER, line, "environment variable holding its address")


def _compose_services(ctx: FileContext) -> list[Alias]:
    paths = ctx.key_paths()
    services: dict[str, list[int]] = {}
    for number, path in enumerate(paths, start=1):
        if len(path) >= 2 and path[0] == "services":
            services.setdefault(path[1], []).append(number)
    aliases = []
    refs = ctx.code_refs()
    for service, numbers in services.items():
        # A line listing several databases (``POSTGRES_MULTIPLE_DATABASES: orders,ledger``)
        # says the service hosts them all: it is not this database's own.
        naming = [n for n in numbers if n in refs and not _lists_several(ctx.lines[n - 1])]
        if ctx.names_database(service) or not naming:
            continue
        body = "\n".join(ctx.lines[n - 1] for n in numbers)
        words = set(_SEPARATORS.split(service.lower()))
        if _DB_IMAGE.search(body) or words & _DB_SERVICE_WORDS:
            aliases.append(
                ctx.alias(
                    service, AliasForm.IDENTIFIER, numbers[0], "compose service of the database"
                )
            )
    return aliases


def _lists_several(line: str) -> bool:
    """Whether a ``key: value`` line's value is a list of names (``orders,ledger``).

    A command (``pg_isready -d ledger``) or a connection string is one thing, not a list.
    """
    value = line.split(":", 1)[1] if ":" in line else line.split("=", 1)[-1]
    words = [w.strip("\"'[]") for w in _NAME_LIST_SEPARATOR.split(value.strip())]
    words = [w for w in words if w]
    return len(words) >= 2 and all(_LISTED_NAME.fullmatch(w) for w in words)


def _kubernetes_names(ctx: FileContext) -> list[Alias]:
    aliases = []
    for begin, end in _documents(ctx.lines):
        kind = name = None
        name_line = 0
        for number in range(begin, end):
            text = ctx.lines[number - 1].rstrip("\r")
            if kind is None:
                m = _KIND.match(text)
                kind = m.group(1) if m else None
            if name is None:
                m = _METADATA_NAME.match(text)
                if m is not None:
                    name, name_line = m.group(1), number
        if kind is None or name is None or not any(begin <= n < end for n in ctx.code_refs()):
            continue
        if kind in _OPERATOR_KINDS and ctx.names_database(name):
            aliases += _operator_objects(ctx, kind, name, name_line, begin, end)
        if kind not in _DEDICATED_KINDS or ctx.names_database(name):
            continue
        if is_distinctive(name):
            aliases.append(
                ctx.alias(
                    name, AliasForm.IDENTIFIER, name_line, f"Kubernetes {kind} of the database"
                )
            )
    return aliases


#: Database operators' custom resources, with the Services each creates from the resource's
#: name (``<name><suffix>``): what applications and network policies then point at.
_OPERATOR_KINDS: dict[str, tuple[str, ...]] = {
    "MongoDBCommunity": ("-svc",),
    "MongoDB": ("-svc",),
    "PerconaServerMongoDB": ("-rs0", "-mongos"),
    "PerconaXtraDBCluster": ("-pxc", "-haproxy", "-proxysql"),
    "InnoDBCluster": ("-instances",),
    "MariaDB": ("-primary", "-secondary"),
    "Cluster": (),
    "PostgresCluster": ("-primary", "-replicas"),
    "postgresql": ("-repl",),
}
#: A spec key naming a Secret the operator writes or reads for the database.
_SECRET_KEY = re.compile(r"^\s+[\w]*[sS]ecret(?:Name|Ref)?:\s*[\"']?([A-Za-z0-9][\w.-]*)[\"']?\s*$")


def _operator_objects(
    ctx: FileContext, kind: str, name: str, line: int, begin: int, end: int
) -> list[Alias]:
    """What a database operator makes from a resource named after the database.

    Its Services (``catalog-media`` -> ``catalog-media-svc``) and the Secrets its spec
    names (``connectionStringSecretName: media-rw-connection``) denote the database too.
    """
    found = [
        ctx.alias(name + suffix, AliasForm.IDENTIFIER, line, f"Service the {kind} operator makes")
        for suffix in _OPERATOR_KINDS[kind]
    ]
    for number in range(begin, end):
        m = _SECRET_KEY.match(ctx.lines[number - 1].rstrip("\r"))
        if m is not None and is_distinctive(m.group(1)) and not ctx.names_database(m.group(1)):
            found.append(
                ctx.alias(m.group(1), AliasForm.IDENTIFIER, number, f"Secret of the {kind}")
            )
    return found


def _documents(lines: list[str]) -> list[tuple[int, int]]:
    """1-based ``[begin, end)`` line ranges of the YAML documents in a file."""
    bounds = [0] + [i for i, line in enumerate(lines, start=1) if line.rstrip("\r") == "---"]
    bounds.append(len(lines) + 1)
    return [(bounds[i] + 1, bounds[i + 1]) for i in range(len(bounds) - 1)]


def _helm_values(ctx: FileContext) -> list[Alias]:
    paths = ctx.key_paths()
    aliases = []
    for number, ref in ctx.code_refs().items():
        path = paths[number - 1]
        text = ctx.lines[number - 1]
        if not path or ctx.names_database(".".join(path)) or ":" not in text:
            continue
        value = text.split(":", 1)[1]
        if not ctx.names_database(value) and not (ref.via and ref.via.alias in value):
            continue
        if not all(_PLAIN_KEY.fullmatch(p) for p in path):
            continue
        aliases.append(
            ctx.alias(
                ".Values." + ".".join(path),
                AliasForm.ADDRESS,
                number,
                "Helm value holding its address",
                source_types=frozenset({SourceType.HELM_TEMPLATE}),
            )
        )
    return aliases


def _key_prefixes(ctx: FileContext) -> list[Alias]:
    aliases = []
    if ctx.source_type is SourceType.PROPERTIES:
        keyed = []
        for number in ctx.code_refs():
            m = _PROPERTY_KEY.match(ctx.lines[number - 1])
            if m is not None:
                keyed.append((number, tuple(m.group(1).split("."))))
    else:
        paths = ctx.key_paths(mark_lists=True)
        # An entry of a list (``databases: [- name: x, host: y]``) is not a config block.
        keyed = [(n, paths[n - 1]) for n in ctx.code_refs() if "[]" not in paths[n - 1]]
    for number, path in keyed:
        if len(path) < 2 or path[-1].lower() not in _CONNECTION_LEAVES:
            continue
        parent = path[:-1]
        last = parent[-1].lower()
        if last in _GENERIC_SEGMENTS or not is_distinctive(last) and len(last) < 4:
            continue
        if ctx.names_database(".".join(parent)):
            continue
        aliases.append(
            ctx.alias(".".join(parent), AliasForm.KEY_PREFIX, number, "configuration block of it")
        )
    return aliases
