"""Transitive discovery: names learned from definitions, each with its reason."""

from __future__ import annotations

from agent.discovery.api import find_references
from agent.discovery.models import ScanResult
from tests.conftest import MakeRepo


def refs(result: ScanResult) -> dict[tuple[str, int], str | None]:
    return {(r.path, r.line): (r.via.alias if r.via else None) for r in result.references}


def test_terraform_address_and_identifier_aliases(make_repo: MakeRepo) -> None:
    infra = make_repo(
        "infra",
        {
            "rds.tf": (
                'resource "aws_db_instance" "main" {\n'  # 1
                '  identifier = "payroll-ledger-prod"\n'  # 2
                '  engine     = "postgres"\n'  # 3
                "}\n"  # 4
                'resource "aws_db_instance" "ledger2" {\n'  # 5
                '  identifier = "payroll_ledger"\n'  # 6
                '  db_name    = "pl_prod_01"\n'  # 7
                "}\n"  # 8
            ),
            "outputs.tf": (
                'output "endpoint" {\n'  # 1
                "  value = aws_db_instance.main.endpoint\n"  # 2
                "}\n"  # 3
                'output "other" { value = aws_db_instance.mainframe.id }\n'  # 4
                "locals {\n"  # 5
                "  ledger_host = aws_db_instance.main.address\n"  # 6
                "}\n"  # 7
                'resource "x" "y" { host = local.ledger_host }\n'  # 8
            ),
            "other/main.tf": "value = aws_db_instance.main.endpoint\n",
        },
    )
    ops = make_repo("ops", {"dash.json": '{"DBInstanceIdentifier": "pl_prod_01"}\n'})
    result = find_references("payroll_ledger", [infra, ops])
    found = refs(result)
    assert found[("rds.tf", 1)] == "aws_db_instance.main"
    assert found[("rds.tf", 2)] is None
    assert found[("outputs.tf", 2)] == "aws_db_instance.main"
    assert ("outputs.tf", 4) not in found
    assert found[("outputs.tf", 6)] == "aws_db_instance.main"
    assert found[("outputs.tf", 8)] == "local.ledger_host"
    # Terraform addresses are scoped to their module directory.
    assert ("other/main.tf", 1) not in found
    # Identifier values travel across repositories.
    assert found[("dash.json", 1)] == "pl_prod_01"
    via = next(r.via for r in result.references if r.path == "dash.json")
    assert via is not None and (via.path, via.line) == ("rds.tf", 7)


def test_env_var_holding_the_dsn_is_an_alias_in_its_repo_only(make_repo: MakeRepo) -> None:
    api = make_repo(
        "api",
        {
            ".env": "DATABASE_URL=postgres://app@payroll-ledger-db.internal/payroll_ledger\n",
            "app/db.py": (
                "import os\nURL = os.environ['DATABASE_URL']\nREPORTING_DATABASE_URL = 1\n"
            ),
        },
    )
    other = make_repo("other", {"db.py": "URL = os.environ['DATABASE_URL']\n"})
    found = refs(find_references("payroll_ledger", [api, other]))
    assert found[("app/db.py", 2)] == "DATABASE_URL"
    assert ("app/db.py", 3) not in found
    assert ("db.py", 1) not in found


def test_compose_service_kubernetes_name_and_helm_value(make_repo: MakeRepo) -> None:
    repo = make_repo(
        "deploy",
        {
            "docker-compose.yml": (
                "services:\n"  # 1
                "  history-db:\n"  # 2
                "    image: postgres:16\n"  # 3
                "    environment:\n"  # 4
                "      POSTGRES_DB: payroll_ledger\n"  # 5
                "  api:\n"  # 6
                "    image: acme/api\n"  # 7
                "    depends_on:\n"  # 8
                "      - history-db\n"  # 9
                "      - history-db-backup\n"  # 10
            ),
            "k8s/svc.yaml": (
                "apiVersion: v1\n"
                "kind: Service\n"
                "metadata:\n"
                "  name: cp-postgres\n"  # 4
                "spec:\n"
                "  type: ExternalName\n"
                "  externalName: payroll-ledger.abc.rds.amazonaws.com\n"  # 7
            ),
            "k8s/job.yaml": "apiVersion: batch/v1\nkind: CronJob\nspec:\n  host: cp-postgres\n",
            "chart/Chart.yaml": "apiVersion: v2\nname: api\n",
            "chart/values.yaml": "database:\n  host: payroll-ledger-db.internal\n  port: 5432\n",
            "chart/templates/deploy.yaml": (
                "env:\n"
                "  - name: DB_HOST\n"
                "    value: {{ .Values.database.host | quote }}\n"  # 3
                "  - name: DB_PORT\n"
                "    value: {{ .Values.database.port | quote }}\n"  # 5
            ),
        },
    )
    found = refs(find_references("payroll_ledger", [repo]))
    assert found[("docker-compose.yml", 2)] == "history-db"
    assert found[("docker-compose.yml", 9)] == "history-db"
    assert ("docker-compose.yml", 10) not in found
    assert found[("k8s/svc.yaml", 4)] == "cp-postgres"
    assert found[("k8s/job.yaml", 4)] == "cp-postgres"
    assert found[("chart/templates/deploy.yaml", 3)] == ".Values.database.host"
    assert ("chart/templates/deploy.yaml", 5) not in found


def test_django_alias_module_handle_and_spring_prefix(make_repo: MakeRepo) -> None:
    repo = make_repo(
        "svc",
        {
            "settings.py": (
                "DATABASES = {\n"
                "    'default': {'NAME': 'orders'},\n"
                "    'history': {\n"  # 3
                "        'ENGINE': 'django.db.backends.postgresql',\n"
                "        'NAME': 'payroll_ledger',\n"  # 5
                "    },\n"
                "}\n"
            ),
            "reports.py": (
                "from sqlalchemy import create_engine\n"
                "LEDGER_ENGINE = create_engine(settings.PAYROLL_LEDGER_URL)\n"  # 2
                "rows = Invoice.objects.using('history').all()\n"  # 3
                "with LEDGER_ENGINE.connect() as c:\n"  # 4
                "    pass\n"
                "x = {'history_events': 1}\n"  # 6
            ),
            "src/main/resources/application.yml": (
                "spring:\n"
                "  datasource:\n"
                "    ledger:\n"  # 3
                "      url: jdbc:postgresql://db:5432/payroll_ledger\n"  # 4
                "      username: ledger_app\n"  # 5
                "    customers:\n"
                "      username: cust\n"  # 7
            ),
            "src/main/java/Cfg.java": (
                "class Cfg {\n"
                '  @ConfigurationProperties("spring.datasource.ledger")\n'  # 2
                "  @Bean\n"
                "  public DataSource ledgerDataSource() { return null; }\n"  # 4
                '  Repo(@Qualifier("ledgerDataSource") DataSource ds) {}\n'  # 5
                "}\n"
            ),
        },
    )
    found = refs(find_references("payroll_ledger", [repo]))
    assert found[("settings.py", 3)] == "history"
    assert found[("reports.py", 3)] == "history"
    assert ("reports.py", 6) not in found
    assert found[("reports.py", 4)] == "LEDGER_ENGINE"
    assert found[("src/main/resources/application.yml", 3)] == "spring.datasource.ledger"
    assert ("src/main/resources/application.yml", 5) not in found
    assert ("src/main/resources/application.yml", 7) not in found
    assert found[("src/main/java/Cfg.java", 2)] == "spring.datasource.ledger"
    assert found[("src/main/java/Cfg.java", 5)] == "ledgerDataSource"


def test_user_alias_is_searched_with_all_its_spellings(make_repo: MakeRepo) -> None:
    repo = make_repo("x", {"a.env": "PL_DB_HOST=1\n", "b.txt": "pl-db replica\n"})
    result = find_references("payroll_ledger", [repo], aliases=["pl_db"])
    assert {r.path for r in result.references} == {"a.env", "b.txt"}
    assert all(r.via is not None and r.via.alias == "pl_db" for r in result.references)


def test_handle_built_through_generic_locals_and_cloud_sql_names(make_repo: MakeRepo) -> None:
    repo = make_repo(
        "svc",
        {
            "pool.go": (
                "package db\n"
                "func Open(ctx context.Context) error {\n"
                '\tdsn := os.Getenv("PAYROLL_LEDGER_DSN")\n'  # 3
                "\tcfg, err := pgxpool.ParseConfig(dsn)\n"  # 4
                "\tledgerPool, err = pgxpool.NewWithConfig(ctx, cfg)\n"  # 5
                "\treturn err\n"
                "}\n"
                "func Ping() error { return ledgerPool.Ping(ctx) }\n"  # 8
            ),
            "config.ts": (
                'const required = ["PAYROLL_LEDGER_URL", "ORDERS_URL"];\n'
                "const missing = required.filter((n) => !process.env[n]);\n"  # 2
            ),
            "sql.tf": (
                'resource "google_sql_database_instance" "payroll_ledger_replica" {\n'
                '  name = "pl-replica-01"\n'  # 2
                "}\n"
            ),
            "alerts.tf": 'resource "x" "y" { display_name = "pl-replica-01 lag" }\n',
        },
    )
    found = refs(find_references("payroll_ledger", [repo]))
    assert found[("pool.go", 5)] == "ledgerPool"
    assert found[("pool.go", 8)] == "ledgerPool"
    assert ("pool.go", 4) not in found
    assert ("config.ts", 2) not in found
    assert found[("alerts.tf", 1)] == "pl-replica-01"


def test_secret_names_and_connection_string_env_vars(make_repo: MakeRepo) -> None:
    infra = make_repo(
        "infra",
        {
            "kv.tf": (
                'resource "azurerm_key_vault_secret" "loyalty_points" {\n'
                '  name = "lp-pg-connstr"\n'  # 2
                "}\n"
            )
        },
    )
    api = make_repo(
        "api",
        {
            "patch.yaml": (
                "env:\n"
                "  - name: DB_CONNECTION\n"  # 2
                '    value: "Server=psql-loyalty-points-prod;Database=loyalty_points;'
                'Ssl Mode=Require"\n'
            ),
            "Program.cs": 'var target = Environment.GetEnvironmentVariable("DB_CONNECTION");\n',
            "pipeline.yml": "SecretsFilter: lp-pg-connstr\n",
        },
    )
    found = refs(find_references("loyalty_points", [infra, api]))
    assert found[("pipeline.yml", 1)] == "lp-pg-connstr"
    assert found[("Program.cs", 1)] == "DB_CONNECTION"


def test_pulumi_resources_identifiers_and_nomad_templates(make_repo: MakeRepo) -> None:
    platform = make_repo(
        "platform",
        {
            "infra/index.ts": (
                'const db = new aws.rds.Instance("audit-events-pg", {\n'  # 1
                '    identifier: "aevt-prod-01",\n'  # 2
                "});\n"
                "export const endpoint = db.endpoint;\n"  # 4
            ),
            "infra/other.ts": "export const db = connect();\nconsole.log(db.endpoint);\n",
            "jobs/backup.nomad.hcl": (
                "template {\n"
                "  data = <<-EOT\n"
                "  EVENTS_BACKUP_URL=postgresql://{{ .Data.username }}@h:5432/audit_events\n"  # 3
                "  EOT\n"
                "}\n"
            ),
            "backup.sh": 'pg_dump "$EVENTS_BACKUP_URL"\n',
            "rules.yml": "- alert: AuditEventsDbConnectionsHigh\n",
        },
    )
    ops = make_repo("ops", {"runbook.md": "Check `aevt-prod-01` in the console.\n"})
    found = refs(find_references("audit_events", [platform, ops]))
    assert found[("infra/index.ts", 4)] == "db"
    assert ("infra/other.ts", 2) not in found  # the generic name is bound in one file only
    assert found[("runbook.md", 1)] == "aevt-prod-01"
    assert found[("backup.sh", 1)] == "EVENTS_BACKUP_URL"
    assert found[("rules.yml", 1)] is None


def test_cloudformation_logical_ids(make_repo: MakeRepo) -> None:
    repo = make_repo(
        "app",
        {
            "template.yaml": (
                "Resources:\n"
                "  TrackingCluster:\n"  # 2
                "    Type: AWS::RDS::DBCluster\n"
                "    Properties:\n"
                "      DBClusterIdentifier: shipment-tracking-aurora\n"  # 5
                "  Webhook:\n"
                "    Type: AWS::Serverless::Function\n"
                "    Properties:\n"
                "      Environment:\n"
                "        Variables:\n"
                "          TRACKING_DB_HOST: !GetAtt TrackingCluster.Endpoint.Address\n"  # 11
            ),
            "other.yaml": "Resources:\n  X:\n    DependsOn: TrackingCluster\n",
        },
    )
    found = refs(find_references("shipment_tracking", [repo]))
    assert found[("template.yaml", 2)] == "TrackingCluster"
    assert found[("template.yaml", 11)] == "TrackingCluster"
    assert ("other.yaml", 3) not in found


def test_generic_field_names_never_become_aliases_and_tagged_env_values(
    make_repo: MakeRepo,
) -> None:
    repo = make_repo(
        "app",
        {
            "dag.py": 'conn_id = "shipment_tracking_mysql"\nhook = Hook(mysql_conn_id=conn_id)\n',
            "other.py": 'hook = Hook(conn_id="orders_mysql")\n',
            "template.yaml": (
                "Resources:\n"
                "  TrackingCluster:\n"
                "    Type: AWS::RDS::DBCluster\n"
                "    Properties:\n"
                "      DBClusterIdentifier: shipment-tracking-aurora\n"
                "  Fn:\n"
                "    Properties:\n"
                "      Environment:\n"
                "        Variables:\n"
                "          TRACKING_DB_HOST: !GetAtt TrackingCluster.Endpoint.Address\n"
            ),
            "check.sh": 'nc -z "$TRACKING_DB_HOST" 3306\n',
        },
    )
    found = refs(find_references("shipment_tracking", [repo]))
    assert ("other.py", 1) not in found
    assert found[("check.sh", 1)] == "TRACKING_DB_HOST"


def test_a_function_call_naming_it_binds_no_resource(make_repo: MakeRepo) -> None:
    repo = make_repo(
        "lib",
        {
            "client.py": (
                '_pool_logger = logging.getLogger("urllib3.connection_pool")\n'
                "_pool_logger.debug('x')\n"
            )
        },
    )
    found = refs(find_references("connection_pool", [repo]))
    assert ("client.py", 2) not in found


def test_an_orm_client_built_from_its_url_is_an_alias_everywhere(make_repo: MakeRepo) -> None:
    repo = make_repo(
        "web",
        {
            "packages/db/src/client.ts": (
                'import { PrismaClient } from "./generated/client";\n'
                "export const ledgerDb = new PrismaClient({\n"  # 2
                "  datasourceUrl: process.env.PAYROLL_LEDGER_DATABASE_URL,\n"  # 3
                "});\n"
                "export const coreDb = new PrismaClient({\n"  # 5
                "  datasourceUrl: process.env.DATABASE_URL,\n"
                "});\n"
            ),
            "apps/api/src/pay.ts": (
                'import { ledgerDb, coreDb } from "@acme/db";\n'  # 1
                "export async function pay(id: string) {\n"
                "  await coreDb.order.update({ where: { id } });\n"  # 3
                "  return ledgerDb.entry.create({ data: { id } });\n"  # 4
                "}\n"
            ),
        },
    )
    found = refs(find_references("payroll_ledger", [repo]))
    assert found[("packages/db/src/client.ts", 2)] == "ledgerDb"
    assert found[("apps/api/src/pay.ts", 4)] == "ledgerDb"
    assert found[("apps/api/src/pay.ts", 1)] == "ledgerDb"
    assert ("apps/api/src/pay.ts", 3) not in found
    assert ("packages/db/src/client.ts", 5) not in found


def test_a_database_operator_resource_names_its_services_and_secrets(make_repo: MakeRepo) -> None:
    repo = make_repo(
        "deploy",
        {
            "mongodb/payroll-ledger.yaml": (
                "apiVersion: mongodbcommunity.mongodb.com/v1\n"
                "kind: MongoDBCommunity\n"
                "metadata:\n"
                "  name: payroll-ledger\n"  # 4
                "spec:\n"
                "  users:\n"
                "    - name: app\n"
                "      connectionStringSecretName: ledger-rw-connection\n"  # 8
                "      passwordSecretRef:\n"
                "        name: app-password\n"
            ),
            "base/deployment.yaml": (
                "env:\n"
                "  - name: LEDGER_HOST\n"
                "    value: payroll-ledger-svc.data.svc.cluster.local\n"  # 3
                "  - name: LEDGER_URI\n"
                "    valueFrom:\n"
                "      secretKeyRef:\n"
                "        name: ledger-rw-connection\n"  # 7
                "  - name: OTHER_HOST\n"
                "    value: orders-svc.data.svc.cluster.local\n"  # 9
            ),
        },
    )
    found = refs(find_references("payroll_ledger", [repo]))
    assert found[("base/deployment.yaml", 3)] == "payroll-ledger-svc"
    assert found[("base/deployment.yaml", 7)] == "ledger-rw-connection"
    assert found[("mongodb/payroll-ledger.yaml", 8)] in (None, "ledger-rw-connection")
    assert ("base/deployment.yaml", 9) not in found


def test_laravel_connections_and_dns_record_names(make_repo: MakeRepo) -> None:
    app = make_repo(
        "app",
        {
            "config/database.php": (
                "<?php\n"
                "return [\n"
                "    'connections' => [\n"
                "        'mysql' => ['driver' => 'mysql', 'database' => env('DB_DATABASE')],\n"
                "        'ledger' => [\n"  # 5
                "            'driver' => 'mysql',\n"
                "            'database' => env('PAYROLL_LEDGER_DB', 'payroll_ledger'),\n"  # 7
                "        ],\n"
                "    ],\n"
                "];\n"
            ),
            "config/queue.php": (
                "<?php\n"
                "return [\n"
                "    'batching' => [\n"  # 3
                "        'database' => 'ledger',\n"  # 4
                "        'table' => 'job_batches',\n"
                "    ],\n"
                "];\n"
            ),
            "app/Models/Entry.php": (
                "<?php\n"
                "class Entry extends Model\n"
                "{\n"
                "    protected $connection = 'ledger';\n"  # 4
                "    protected $table = 'entries';\n"
                "}\n"
            ),
            ".env": "DB_HOST=ledger-db.internal.acme.net\n",  # 1
        },
    )
    infra = make_repo(
        "infra",
        {
            "dns.tf": (
                'resource "aws_route53_record" "payroll_ledger_db" {\n'
                '  name    = "ledger-db.internal.acme.net"\n'  # 2
                '  type    = "CNAME"\n'
                "}\n"
            ),
        },
    )
    found = refs(find_references("payroll_ledger", [app, infra]))
    assert found[("config/database.php", 5)] == "ledger"
    assert found[("config/queue.php", 4)] == "ledger"
    assert ("config/queue.php", 3) not in found
    assert found[("app/Models/Entry.php", 4)] == "ledger"
    assert found[(".env", 1)] == "ledger-db.internal.acme.net"
    assert ("config/database.php", 4) not in found


def test_oracle_connect_identifiers_jdbc_hosts_and_spring_xml_beans(make_repo: MakeRepo) -> None:
    app = make_repo(
        "portal",
        {
            "deploy/standalone-ds.xml": (
                "<datasources>\n"
                '  <datasource jndi-name="java:/jdbc/PayrollLedgerDS"'
                ' pool-name="PayrollLedgerDS">\n'
                "    <connection-url>jdbc:oracle:thin:@//pl-db.corp.example:1521/PLEDGER"  # 3
                "</connection-url>\n"
                "  </datasource>\n"
                '  <datasource jndi-name="java:/jdbc/CoreDS" pool-name="CoreDS">\n'
                "    <connection-url>jdbc:oracle:thin:@//core-db.corp.example:1521/CORE"  # 6
                "</connection-url>\n"
                "  </datasource>\n"
                "</datasources>\n"
            ),
            "src/main/resources/applicationContext.xml": (
                "<beans>\n"
                '  <jee:jndi-lookup id="legacyLedgerSource"'
                ' jndi-name="java:/jdbc/PayrollLedgerDS"/>\n'
                '  <bean id="legacyLedgerJdbc" class="org.springframework.jdbc.core.JdbcTemplate"'
                ' c:dataSource-ref="legacyLedgerSource"/>\n'  # 3
                "</beans>\n"
            ),
            "src/main/java/Report.java": (
                "class Report {\n"
                '  Report(@Qualifier("legacyLedgerJdbc") JdbcTemplate jdbc) {}\n'  # 2
                "}\n"
            ),
        },
    )
    ops = make_repo(
        "ops",
        {
            "bin/export.sh": 'expdp "/@PLEDGER" schemas=PAYROLL_LEDGER directory=DUMPS\n',
            "nagios/hosts.cfg": "host_name pl-db\naddress pl-db.corp.example\nhost_name core-db\n",
            "tnsnames.ora": "PLEDGER =\n  (SERVICE_NAME = PLEDGER)\nCORE =\n",
            "mail.txt": "write to dba@CORPMAIL if in doubt\n",
        },
    )
    found = refs(find_references("payroll_ledger", [app, ops]))
    assert found[("deploy/standalone-ds.xml", 3)] in ("pl-db.corp.example", "PLEDGER", "pl-db")
    assert found[("src/main/resources/applicationContext.xml", 3)] == "legacyLedgerSource"
    assert found[("src/main/java/Report.java", 2)] == "legacyLedgerJdbc"
    assert {("nagios/hosts.cfg", 1), ("nagios/hosts.cfg", 2), ("tnsnames.ora", 1)} <= set(found)
    assert ("deploy/standalone-ds.xml", 6) not in found
    assert ("nagios/hosts.cfg", 3) not in found and ("tnsnames.ora", 3) not in found
    assert ("mail.txt", 1) not in found


def test_cdk_constructs_ssm_parameters_and_what_is_not_a_handle(make_repo: MakeRepo) -> None:
    infra = make_repo(
        "infra",
        {
            "lib/stack.ts": (
                "export class LedgerStack extends cdk.Stack {\n"
                "  constructor(scope: Construct, id: string) {\n"
                "    super(scope, id);\n"
                "    const cluster = new rds.DatabaseCluster(this, 'PayrollLedgerCluster', {\n"  # 4
                "      engine: rds.DatabaseClusterEngine.auroraPostgres({}),\n"
                "    });\n"
                "    new ssm.StringParameter(this, 'PayrollLedgerSecretArn', {\n"  # 7
                "      parameterName: '/payroll/ledger/secret-arn',\n"  # 8
                "      stringValue: cluster.secret!.secretArn,\n"  # 9
                "    });\n"
                "  }\n"
                "}\n"
            ),
        },
    )
    app = make_repo(
        "app",
        {
            "src/db.py": (
                'PARAM = os.environ.get("LEDGER_PARAM", "/payroll/ledger/secret-arn")\n'  # 1
                'TITLE = "Your Payroll Ledger"\n'  # 2
                'BUCKET = os.environ.get("BUCKET", "acme-exports")\n'  # 3
                "\n"
                "def handler(event):\n"
                "    return {\n"
                '        "title": TITLE,\n'  # 7
                '        "bucket": BUCKET,\n'  # 8
                "    }\n"
            ),
            "README.md": (
                "Help: https://help.acme-payroll.com/payroll-ledger/export\n"  # 1
                "Runbook: https://github.com/acme/ops/blob/main/runbooks/payroll-ledger.md\n"  # 2
            ),
        },
    )
    found = refs(find_references("payroll_ledger", [infra, app]))
    assert found[("lib/stack.ts", 9)] == "cluster"
    assert found[("src/db.py", 1)] == "/payroll/ledger/secret-arn"
    assert ("src/db.py", 7) not in found  # a screen title is no handle
    assert ("src/db.py", 3) not in found and ("src/db.py", 8) not in found
    assert ("README.md", 1) not in found  # a help-centre page about the feature
    assert ("README.md", 2) in found  # the database's runbook


def test_named_entries_warehouses_bicep_symbols_and_ef_contexts(make_repo: MakeRepo) -> None:
    data = make_repo(
        "analytics",
        {
            "models/sources.yml": (
                "sources:\n"
                "  - name: ledger\n"  # 2
                "    database: PAYROLL_LEDGER\n"
                "  - name: core\n"
                "    database: RETAIL_CORE\n"
            ),
            "models/stg.sql": (
                "select * from {{ source('ledger', 'entries') }}\n"  # 1
                "union all select * from {{ source('core', 'entries') }}\n"  # 2
            ),
            "airflow_settings.yaml": (
                "connections:\n"
                "  - conn_id: snowflake_ledger\n"  # 2
                "    conn_extra:\n"
                "      database: PAYROLL_LEDGER\n"
            ),
            "dags/daily.py": (
                'op = SnowflakeOperator(snowflake_conn_id="snowflake_ledger")\n'  # 1
                'tags = ["finance", "ledger"]\n'  # 2
            ),
            "warehouse.tf": (
                'resource "snowflake_warehouse" "payroll_ledger" {\n'
                '  name = "LEDGER_WH"\n'  # 2
                "}\n"
            ),
            "profiles.yml": "warehouse: LEDGER_WH\n",  # 1
        },
    )
    azure = make_repo(
        "azure",
        {
            "modules/sql.bicep": (
                "resource db 'Microsoft.Sql/servers/databases@2022-05-01-preview' = {\n"  # 1
                "  name: 'payroll_ledger'\n"
                "}\n"
                "resource core 'Microsoft.Sql/servers/databases@2022-05-01-preview' = {\n"
                "  name: 'core'\n"
                "}\n"
                "output ledgerId string = db.id\n"  # 7
                "output coreId string = core.id\n"  # 8
            ),
            "src/Program.cs": (
                "// Payroll Ledger database below\n"
                'services.AddDbContext<CoreContext>(o => o.UseSqlServer(cs("Core")));\n'  # 2
                "services.AddDbContext<LedgerContext>(o =>\n"  # 3
                '    o.UseSqlServer(config.GetConnectionString("PayrollLedger")));\n'
            ),
            "src/Job.cs": "class Job { Job(LedgerContext db, CoreContext core) {} }\n",  # 1
        },
    )
    found = refs(find_references("payroll_ledger", [data, azure]))
    assert found[("models/stg.sql", 1)] == "ledger" and ("models/stg.sql", 2) not in found
    assert found[("dags/daily.py", 1)] == "snowflake_ledger"
    assert ("dags/daily.py", 2) not in found  # a word in Python, not a quoted source name
    assert found[("profiles.yml", 1)] == "LEDGER_WH"
    assert found[("modules/sql.bicep", 7)] == "db" and ("modules/sql.bicep", 8) not in found
    assert found[("src/Job.cs", 1)] == "LedgerContext"
    assert ("src/Program.cs", 2) not in found


def test_the_config_learner_is_loaded_for_the_types_it_reads() -> None:
    from agent.discovery import aliases
    from agent.discovery.aliases import config

    assert aliases._CONFIG_TYPES is config.LEARNED_TYPES


def test_a_host_serving_other_databases_is_not_an_alias(make_repo: MakeRepo) -> None:
    """A URL reaching another database through the host makes it a shared server."""
    app = make_repo(
        "stock",
        {
            ".env": (
                "ORDERS_DATABASE_URL=postgresql://app:pw@pg-shared-01:5432/orders\n"  # 1
                "LEDGER_URL=postgresql://app:pw@pg-shared-01:5432/payroll_ledger\n"  # 2
            ),
            "scripts/check.sh": "#!/bin/sh\npsql -h pg-shared-01 -d orders -c 'select 1'\n",
        },
    )
    ops = make_repo(
        "ops",
        {
            "hosts.yaml": "ledger: postgresql://ledger-db-7.internal/payroll_ledger\n",
            "probe.sh": "pg_isready -h ledger-db-7.internal\n",  # only the ledger's host
            # Every server has a postgres database: a URL to it proves nothing.
            "admin.env": "ADMIN=postgresql://ledger-db-7.internal/postgres\n",
        },
    )
    found = refs(find_references("payroll_ledger", [app, ops]))
    assert found.keys() >= {(".env", 2), ("hosts.yaml", 1)}
    assert (".env", 1) not in found and ("scripts/check.sh", 2) not in found
    assert found[("probe.sh", 1)] == "ledger-db-7.internal"


def test_a_compose_server_of_several_databases_is_not_an_alias(make_repo: MakeRepo) -> None:
    shared = make_repo(
        "svc",
        {
            "docker-compose.yml": (
                "services:\n"  # 1
                "  app:\n"  # 2
                "    depends_on: [pg]\n"  # 3
                "  pg:\n"  # 4
                "    image: postgres:16\n"  # 5
                "    environment:\n"  # 6
                "      POSTGRES_MULTIPLE_DATABASES: orders,payroll_ledger\n"  # 7
                "    healthcheck:\n"  # 8
                '      test: ["CMD", "pg_isready", "-d", "orders"]\n'  # 9
            )
        },
    )
    found = refs(find_references("payroll_ledger", [shared]))
    assert found == {("docker-compose.yml", 7): None}
