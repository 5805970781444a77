"""Aliases from application code: Django database aliases, module-level handles, Spring beans."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from agent.discovery.aliases.context import FileContext, is_distinctive
from agent.discovery.models import Alias, AliasForm, SourceType

CODE_TYPES: frozenset[SourceType] = frozenset(
    {
        SourceType.PYTHON,
        SourceType.JAVA,
        SourceType.KOTLIN,
        SourceType.GO,
        SourceType.JAVASCRIPT,
        SourceType.TYPESCRIPT,
    }
)
_DICT_KEY = re.compile(r"""^(\s*)["']([\w-]+)["']\s*:\s*(.*)$""")


def _lazy(source: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A pattern compiled on first use.

    The rules of one language or framework (PHP, Spring, Bicep...) need theirs only in a scan
    that meets it, and each compile costs 0.1-0.5 ms.
    """
    compiled: list[re.Pattern[str]] = []

    def pattern() -> re.Pattern[str]:
        if not compiled:
            compiled.append(re.compile(source, flags))
        return compiled[0]

    return pattern


#: Module-level assignments, per language: group 1 is the name, group 2 the value.
_MODULE_ASSIGNMENT: dict[SourceType, Callable[[], re.Pattern[str]]] = {
    SourceType.PYTHON: _lazy(r"^([A-Za-z_]\w*)\s*(?::\s*[\w\[\], .|]+)?=(?!=)\s*(.+)$"),
    SourceType.JAVASCRIPT: _lazy(r"^(?:export\s+)?(?:const|let|var)\s+(\w+)\s*=\s*(.+)$"),
    SourceType.TYPESCRIPT: _lazy(
        r"^(?:export\s+)?(?:const|let|var)\s+(\w+)\s*(?::\s*[^=]+)?=\s*(.+)$"
    ),
    SourceType.GO: _lazy(r"^\s*(?:var\s+)?(\w+)\s*(?:[\w.*]+\s*)?:?=\s*(.+)$"),
    SourceType.JAVA: _lazy(
        r"^\s*(?:(?:public|private|protected|static|final)\s+)+[\w<>\[\]]+\s+(\w+)\s*=\s*(.+)$"
    ),
    SourceType.KOTLIN: _lazy(
        r"^\s*(?:(?:private|internal|const)\s+)*va[lr]\s+(\w+)\s*(?::\s*[\w<>?]+)?\s*=\s*(.+)$"
    ),
}
#: What a value must look like for its name to denote the database: a connection or its address.
_HANDLE_VALUE = re.compile(
    r"create_engine\(|create_async_engine\(|sessionmaker\(|\bconnect\(|Pool\(|DataSource\(|"
    r"sql\.Open\(|pgx\w*\.\w+\(|knex\(|Sequelize\(|createConnection\(|createPool\(|"
    r"MongoClient\(|psycopg\w*\.\w+\(|asyncpg\.\w+\(|getenv\(|environ\b|process\.env|"
    r"pgxpool\.\w+\(|NewWithConfig\(|ParseConfig\(|"
    # ORM and driver clients by their class names: PrismaClient, MongoClient, Kysely...
    r"\bnew\s+\w*(?:Client|Pool|Connection|DataSource|Database|Sequelize|Kysely)\s*[<(]|"
    r"\bdrizzle\(|\bcreateClient\(|"
    r"://|jdbc:|^[\"']"
)
#: Calls that open a connection or build its configuration.
_CONNECT = re.compile(
    r"create_engine\(|create_async_engine\(|sessionmaker\(|\bconnect\(|Pool\(|DataSource\(|"
    r"sql\.Open\(|pgx\w*\.\w+\(|knex\(|Sequelize\(|createConnection\(|createPool\(|"
    r"MongoClient\(|psycopg\w*\.\w+\(|asyncpg\.\w+\(|NewWithConfig\(|ParseConfig\("
)
#: Strings every match of ``_CONNECT`` holds (a line without them opens no connection).
_CONNECT_WORDS = (
    "engine(",
    "sessionmaker(",
    "connect(",
    "Pool(",
    "DataSource(",
    "sql.Open(",
    "pgx",
    "knex(",
    "Sequelize(",
    "createConnection(",
    "MongoClient(",
    "psycopg",
    "asyncpg.",
    "NewWithConfig(",
    "ParseConfig(",
)
#: ``name = value`` / ``name := value`` / ``a, err = value`` / ``const name = value`` anywhere.
_LOCAL_ASSIGNMENT = re.compile(
    r"^\s*(?:(?:const|let|var|val|final|auto)\s+)?([A-Za-z_]\w*)(?:\s*,\s*\w+)*"
    r"\s*(?::\s*[\w.<>\[\]| ]+)?\s*:?=(?!=)\s*(.+)$"
)
_BEAN_NAMES = _lazy(r"""@Bean\s*\(\s*(?:name\s*=\s*|value\s*=\s*)?\{?\s*((?:"[\w-]+"\s*,?\s*)+)""")
_BEAN_METHOD = _lazy(
    r"(?:public|protected|private|fun)?\s*(?:[\w.<>]*(?:DataSource|EntityManagerFactory|"
    r"TransactionManager|JdbcTemplate|Properties|Flyway|Liquibase|Pool|Client)[\w<>]*\s+)?"
    r"(\w+)\s*\("
)


def learn_from_code(ctx: FileContext) -> list[Alias]:
    """Aliases defined in application code."""
    if ctx.source_type is SourceType.PHP:
        return _php_connections(ctx)
    if ctx.source_type is SourceType.XML:
        return _xml_beans(ctx)
    if ctx.source_type is SourceType.CSHARP:
        return _dotnet_contexts(ctx)
    if ctx.source_type is SourceType.BICEP:
        return _bicep_symbols(ctx)
    if ctx.source_type not in CODE_TYPES:
        return []
    aliases = (
        _module_handles(ctx)
        + _handed_on(ctx)
        + _cloud_identifiers(ctx)
        + _file_bound_resources(ctx)
    )
    if ctx.source_type is SourceType.PYTHON:
        aliases.extend(_django_aliases(ctx))
    if ctx.source_type in (SourceType.JAVA, SourceType.KOTLIN):
        aliases.extend(_spring_beans(ctx))
    return aliases


def _code_alias(ctx: FileContext, name: str, line: int, reason: str, form: AliasForm) -> Alias:
    # Identifiers are searched in every file of the repository (docs and scripts mention
    # them too); quoted Django aliases only in code, where a string literal is a use.
    types = CODE_TYPES | {SourceType.PHP} if form is AliasForm.QUOTED else None
    return ctx.alias(name, form, line, reason, source_types=types)


def _handed_on(ctx: FileContext) -> list[Alias]:
    """``dsn := os.Getenv("LEDGER_DSN")`` then ``ledgerPool, err := pgxpool.New(ctx, dsn)``.

    A local variable holding a reference (even a generic one like ``dsn`` or ``cfg``) that
    flows, through other generic locals, into a connection constructor within the next lines
    makes the constructed handle an alias, when the handle's name is distinctive.
    """
    aliases = []
    for number in ctx.code_refs():
        text = ctx.lines[number - 1]
        m = _LOCAL_ASSIGNMENT.match(text) if "=" in text else None
        if m is None:
            continue
        # Most assignments hand nothing on: skip the line-by-line walk when no connection
        # call appears in the lines it would read.
        following = "\n".join(ctx.lines[number : number + 25])
        if not any(word in following for word in _CONNECT_WORDS):
            continue
        carriers = {m.group(1)}
        for follow in range(number + 1, min(len(ctx.lines), number + 25) + 1):
            step = _LOCAL_ASSIGNMENT.match(ctx.lines[follow - 1])
            if step is None or not _CONNECT.search(step.group(2)):
                continue
            if not any(_has_word(step.group(2), c) for c in carriers):
                continue
            name = step.group(1)
            if is_distinctive(name) and not ctx.names_database(name):
                aliases.append(
                    _code_alias(ctx, name, follow, "handle built from it", AliasForm.IDENTIFIER)
                )
                break
            carriers.add(name)
    return aliases


def _has_word(text: str, word: str) -> bool:
    """``re.search(rf"\\b{re.escape(word)}\\b", text)`` for an identifier, without a regex."""
    at = text.find(word)
    while at != -1:
        end = at + len(word)
        if (at == 0 or not _is_word_char(text[at - 1])) and (
            end == len(text) or not _is_word_char(text[end])
        ):
            return True
        at = text.find(word, at + 1)
    return False


def _is_word_char(char: str) -> bool:
    """What ``\\w`` matches (and ``\\b`` looks at) in a ``str`` regex."""
    return char.isalnum() or char == "_"


_IDENTITY_KEY = re.compile(
    r"""^\s*["']?(?:identifier|clusterIdentifier|cluster_identifier|dbInstanceIdentifier|"""
    r"""db_instance_identifier|instanceIdentifier|DBInstanceIdentifier|DBClusterIdentifier|"""
    r"""parameterName|parameter_name|secretName|secret_name)"""
    r"""["']?\s*[:=]\s*["']([/A-Za-z0-9][\w./-]{2,120})["']"""
)
#: Strings every match of ``_IDENTITY_KEY`` holds.
_IDENTITY_WORDS = ("dentifier", "parameterName", "parameter_name", "secretName", "secret_name")


_CONSTRUCT = re.compile(r"""^new\s+[\w.]+\(\s*(?:(?:this|scope|self)\s*,\s*)?["']([^"']+)["']""")
_RESOURCE_CALL = re.compile(
    r"""^(?:[\w]+\.)*[A-Z]\w*\(\s*(?:self|this|scope)?\s*,?\s*["']([^"']+)["']"""
)


def _file_bound_resources(ctx: FileContext) -> list[Alias]:
    """``const db = new aws.rds.Instance("payroll-ledger-pg", ...)`` in Pulumi or CDK.

    The resource's logical name spells the database, so within this one file the variable
    holding it (however generic: ``db``) is the database, as a Terraform address is within
    its module. The alias is searched in this file only.
    """
    if ctx.source_type not in (SourceType.JAVASCRIPT, SourceType.TYPESCRIPT, SourceType.PYTHON):
        return []
    pattern = _MODULE_ASSIGNMENT[ctx.source_type]()
    aliases = []
    for number in ctx.code_refs():
        text = ctx.lines[number - 1]
        if "=" not in text or "(" not in text:
            continue  # no assignment of a constructor call
        # CDK builds resources inside a stack's constructor: indented, still one per file.
        m = pattern.match(text.rstrip("\r").lstrip())
        if m is None or ctx.names_database(m.group(1)):
            continue
        value = m.group(2).strip()
        # A resource class (Capitalized, as ``aws.rds.Instance``), not any function call.
        construct = _CONSTRUCT.match(value) or _RESOURCE_CALL.match(value)
        if construct is None or not ctx.names_database(construct.group(1)):
            continue
        alias = ctx.alias(m.group(1), AliasForm.IDENTIFIER, number, "resource bound in this file")
        aliases.append(replace(alias, path=ctx.path))
    return aliases


def _cloud_identifiers(ctx: FileContext) -> list[Alias]:
    """Infrastructure as code in a programming language (Pulumi, CDK, boto3).

    ``identifier: "pl-prod-01"`` next to a line naming the database (the same object
    literal) makes the instance identifier another name of it, in every repository, as
    Terraform's ``identifier`` does; so do the names of its secret and SSM parameter
    (``parameterName: '/ledger/db-secret-arn'``), which is how other code finds it.
    """
    aliases = []
    for first, last in _spans(ctx.code_refs(), 8, len(ctx.lines)):
        # One substring test over the lines near references before a regex on each of them.
        near = "\n".join(ctx.lines[first - 1 : last])
        if not any(word in near for word in _IDENTITY_WORDS):
            continue
        for number in range(first, last + 1):
            m = _IDENTITY_KEY.match(ctx.lines[number - 1])
            if m is None or ctx.names_database(m.group(1)) or not is_distinctive(m.group(1)):
                continue
            aliases.append(
                ctx.alias(
                    m.group(1),
                    AliasForm.IDENTIFIER,
                    number,
                    "instance identifier",
                    repo_scoped=False,
                )
            )
    return aliases


def _spans(numbers: Iterable[int], reach: int, count: int) -> list[tuple[int, int]]:
    """The lines within ``reach`` of ``numbers`` (clipped to 1..count), as ascending spans."""
    spans: list[tuple[int, int]] = []
    for number in sorted(numbers):
        first, last = max(1, number - reach), min(count, number + reach)
        if first > last:
            continue
        if spans and first <= spans[-1][1] + 1:
            if last > spans[-1][1]:
                spans[-1] = (spans[-1][0], last)
        else:
            spans.append((first, last))
    return spans


_WORDS_STRING = re.compile(r"""^["'][^"']*\s[^"']*["']\s*$""")


def _module_handles(ctx: FileContext) -> list[Alias]:
    """``LEDGER_ENGINE = create_engine(...)``, also when the reference is on a later line."""
    pattern = _MODULE_ASSIGNMENT[ctx.source_type]()
    aliases = []
    for number, ref in ctx.code_refs().items():
        found = _assignment_holding(ctx, pattern, number)
        if found is None:
            continue
        line, name, value = found
        if ctx.names_database(name) or not is_distinctive(name):
            continue
        refers = ctx.names_database(value) or (ref.via is not None and ref.via.alias in value)
        if _WORDS_STRING.match(value.strip()):
            continue  # ``SCREEN_TITLE = "Your Payroll Ledger"``: words, not an address
        if refers and _HANDLE_VALUE.search(value):
            aliases.append(
                _code_alias(ctx, name, line, "handle built from it", AliasForm.IDENTIFIER)
            )
    return aliases


#: Languages whose module-level assignment pattern allows indentation (the others start at
#: column 0 with a letter, so an indented or blank line is skipped without a regex).
_INDENTED_ASSIGNMENTS = frozenset({SourceType.GO, SourceType.JAVA, SourceType.KOTLIN})


def _assignment_holding(
    ctx: FileContext, pattern: re.Pattern[str], number: int
) -> tuple[int, str, str] | None:
    """The module-level assignment whose value spans line ``number``: (line, name, value)."""
    indented = ctx.source_type in _INDENTED_ASSIGNMENTS
    for start in range(number, max(0, number - 12), -1):
        raw = ctx.lines[start - 1]
        if not indented and not raw[:1].strip():
            continue  # blank or indented: no module-level assignment, no new statement
        line = raw.rstrip("\r")
        m = pattern.match(line)
        if m is None:
            if start < number and line[:1].strip() and not line.lstrip().startswith(("#", "//")):
                return None  # a new top-level statement (``def handler():``) ends the search
            continue
        value = "\n".join([m.group(2), *(ctx.lines[i - 1] for i in range(start + 1, number + 1))])
        depth = sum(value.count(c) for c in "([{") - sum(value.count(c) for c in ")]}")
        # The reference must sit inside the value: same line, or brackets still open above it.
        opened = "\n".join([m.group(2), *(ctx.lines[i - 1] for i in range(start + 1, number))])
        still_open = sum(opened.count(c) for c in "([{") > sum(opened.count(c) for c in ")]}")
        if start == number:
            return start, m.group(1), value
        # Across lines only a constructor call counts (``new Pool({``), not a settings object.
        if still_open and depth >= 0 and _HANDLE_VALUE.search(m.group(2)):
            return start, m.group(1), value
        return None
    return None


_PHP_KEY = _lazy(r"""^(\s*)["']([\w-]+)["']\s*=>\s*(?:\[|array\()""")


_XML_BEAN = _lazy(r'<(?:bean|jee:jndi-lookup|util:\w+|[\w-]+:datasource)\b[^>]*?\bid="([\w.-]+)"')


def _xml_beans(ctx: FileContext) -> list[Alias]:
    """Spring XML: ``<jee:jndi-lookup id="legacyClaimsDataSource" jndi-name=".../LedgerDS"/>``.

    A bean defined on a line about the database (its JNDI name, its URL, or another such
    bean it is built from) is how Java code picks it (``@Qualifier("legacyClaimsJdbc")``).
    """
    aliases = []
    for number in ctx.refs:
        for m in _XML_BEAN().finditer(ctx.lines[number - 1]):
            name = m.group(1)
            if is_distinctive(name) and not ctx.names_database(name):
                why = "Spring bean of the database"
                aliases.append(_code_alias(ctx, name, number, why, AliasForm.IDENTIFIER))
    return aliases


_ADD_DB_CONTEXT = _lazy(r"\bAdd(?:DbContext|DbContextPool|DbContextFactory)<(\w+)>")


def _dotnet_contexts(ctx: FileContext) -> list[Alias]:
    """``AddDbContext<TelemetryDbContext>(o => o.UseSqlServer(...("FleetTelemetry")))``.

    The context class registered with the database's connection is how the code uses it.
    """
    aliases = []
    for number in ctx.refs:
        if ctx.lines[number - 1].lstrip().startswith("//"):
            continue
        for near in range(number, max(0, number - 4), -1):
            if near < number and ";" in ctx.lines[near - 1]:
                break  # another statement: the reference is not in this call
            m = _ADD_DB_CONTEXT().search(ctx.lines[near - 1])
            if m is None:
                continue
            if is_distinctive(m.group(1)) and not ctx.names_database(m.group(1)):
                why = "EF Core context registered with its connection"
                aliases.append(_code_alias(ctx, m.group(1), near, why, AliasForm.IDENTIFIER))
            break
    return aliases


_BICEP_RESOURCE = _lazy(r"^\s*resource\s+(\w+)\s+'[^']+'\s*=")
_BICEP_NAME = _lazy(r"^\s*name\s*:")


def _bicep_symbols(ctx: FileContext) -> list[Alias]:
    """``resource db 'Microsoft.Sql/servers/databases@...' = { name: 'fleet_telemetry' }``.

    The symbolic name of a resource whose name is the database is the database in that file
    (``scope: db``, ``db.id``), as a Terraform address is in its module.
    """
    aliases = []
    for number in ctx.refs:
        if not _BICEP_NAME().match(ctx.lines[number - 1]):
            continue
        for start in range(number - 1, max(0, number - 6), -1):
            m = _BICEP_RESOURCE().match(ctx.lines[start - 1])
            if m is not None:
                if is_distinctive(m.group(1)) or len(m.group(1)) >= 2:
                    if not ctx.names_database(m.group(1)):
                        why = "Bicep resource made for it"
                        alias = ctx.alias(m.group(1), AliasForm.ADDRESS, start, why)
                        aliases.append(replace(alias, path=ctx.path))
                break
    return aliases


def _php_connections(ctx: FileContext) -> list[Alias]:
    """Laravel's ``'connections' => ['subscriptions' => ['driver' => 'mysql', ...]]``.

    The key of a connection block (it has a ``'driver'``) whose settings name the database
    is how the code picks it (``DB::connection('subscriptions')``, ``$connection =
    'subscriptions'``): the quoted key is an alias in the repository's PHP files, as a Django
    ``DATABASES`` key is in its Python files.
    """
    aliases = []
    for number in ctx.refs:
        if not ctx.names_database(ctx.lines[number - 1]):
            continue  # a use of an alias, not the connection's own settings
        indent = len(ctx.lines[number - 1]) - len(ctx.lines[number - 1].lstrip())
        for start in range(number - 1, max(0, number - 40), -1):
            text = ctx.lines[start - 1].rstrip("\r")
            m = _PHP_KEY().match(text)
            if m is None or len(m.group(1)) >= indent:
                continue
            block = []  # the key's own block: until a line indented no deeper than the key
            for line in ctx.lines[start:]:
                if line.strip() and len(line) - len(line.lstrip()) <= len(m.group(1)):
                    break
                block.append(line)
            key = m.group(2)
            if any("'driver'" in line or '"driver"' in line for line in block) and not (
                ctx.names_database(key) or key in ("default", "connections")
            ):
                aliases.append(
                    _code_alias(ctx, key, start, "Laravel database connection", AliasForm.QUOTED)
                )
            break
    return aliases


def _django_aliases(ctx: FileContext) -> list[Alias]:
    """``DATABASES = {"ledger": {"NAME": "payroll_ledger"}}``: the key ``"ledger"``."""
    # Cheap test first: a DATABASES dict entry is indented and quoted.
    if not any(
        _DICT_KEY.match(ctx.lines[n - 1]) or ctx.lines[n - 1][:1].isspace() for n in ctx.refs
    ):
        return []
    if "DATABASES" not in ctx.text:  # one C-level search, not one per line
        return []
    aliases = []
    for number in ctx.refs:
        text = ctx.lines[number - 1].rstrip("\r")
        indent = len(text) - len(text.lstrip())
        own = _DICT_KEY.match(text)
        if (
            own is not None
            and own.group(3).strip() not in ("{", "dict(")
            and own.group(2) != "NAME"
        ):
            key, line = own.group(2), number
        else:
            found = _enclosing_key(ctx.lines, number, indent)
            if found is None:
                continue
            key, line = found
        if key != "default" and not key.isupper() and not ctx.names_database(key):
            aliases.append(_code_alias(ctx, key, line, "Django database alias", AliasForm.QUOTED))
    return aliases


def _enclosing_key(lines: list[str], number: int, indent: int) -> tuple[str, int] | None:
    for back in range(number - 1, max(0, number - 15), -1):
        text = lines[back - 1].rstrip("\r")
        m = _DICT_KEY.match(text)
        if (
            m is not None
            and len(m.group(1)) < indent
            and m.group(3).strip().startswith(("{", "dict("))
        ):
            return m.group(2), back
    return None


_QUOTED_NAME = _lazy(r'"([\w-]+)"')
_TYPE_DECLARATION = _lazy(
    r"(?:(?:public|private|protected|internal|abstract|final|open|data)\s+)*"
    r"(?:class|interface|object|record|enum)\b"
)


def _spring_beans(ctx: FileContext) -> list[Alias]:
    """A ``@Bean`` built from the database's properties: its method and bean names."""
    aliases = []
    for number in ctx.refs:
        if not ctx.lines[number - 1].lstrip().startswith("@"):
            continue
        for follow in range(number, min(len(ctx.lines), number + 6)):
            text = ctx.lines[follow - 1].strip()
            names = _BEAN_NAMES().search(text)
            if names is not None:
                for bean in _QUOTED_NAME().findall(names.group(1)):
                    if is_distinctive(bean) and not ctx.names_database(bean):
                        aliases.append(
                            _code_alias(
                                ctx, bean, follow, "Spring bean of it", AliasForm.IDENTIFIER
                            )
                        )
            if text.startswith("@") or not text:
                continue
            if _TYPE_DECLARATION().match(text):
                break
            method = _BEAN_METHOD().search(text)
            if method is not None and is_distinctive(method.group(1)):
                if not ctx.names_database(method.group(1)):
                    aliases.append(
                        _code_alias(
                            ctx, method.group(1), follow, "Spring bean of it", AliasForm.IDENTIFIER
                        )
                    )
            break
    return aliases
