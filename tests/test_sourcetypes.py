from __future__ import annotations

import pytest

from agent.discovery.models import SourceType as T
from agent.discovery.sourcetypes import classify

CHARTS = frozenset({"charts/ledger", "deploy/chart"})


@pytest.mark.parametrize(
    ("path", "head", "expected"),
    [
        ("infra/rds.tf", b"", T.TERRAFORM),
        ("envs/prod.tfvars", b"", T.TERRAFORM),
        ("live/terragrunt.hcl", b"", T.TERRAFORM),
        ("charts/ledger/Chart.yaml", b"apiVersion: v2", T.HELM_CHART),
        ("charts/ledger/values.yaml", b"image: x", T.HELM_VALUES),
        ("charts/ledger/values-prod.yaml", b"", T.HELM_VALUES),
        (
            "charts/ledger/templates/deployment.yaml",
            b"apiVersion: apps/v1\nkind: Deployment",
            T.HELM_TEMPLATE,
        ),
        ("charts/ledger/templates/_helpers.tpl", b"{{- define", T.HELM_TEMPLATE),
        ("deploy/chart/templates/NOTES.txt", b"", T.HELM_TEMPLATE),
        ("k8s/svc.yaml", b"apiVersion: v1\nkind: Service\n", T.KUBERNETES),
        ("docker-compose.yml", b"services:\n", T.DOCKER_COMPOSE),
        ("deploy/compose.prod.yaml", b"", T.DOCKER_COMPOSE),
        ("Dockerfile", b"FROM python", T.DOCKERFILE),
        ("crontab", b"30 3 * * * vacuumdb -d x\n", T.SHELL),
        ("etc/cron.d/pg-maintenance", b"", T.SHELL),
        ("ops/backups.cron", b"", T.SHELL),
        ("docs/cron.md", b"", T.MARKDOWN),
        ("src/cron/jobs.py", b"", T.PYTHON),
        ("docker/Dockerfile.worker", b"", T.DOCKERFILE),
        (".github/workflows/ci.yml", b"on: push", T.CI_GITHUB_ACTIONS),
        (".gitlab-ci.yml", b"", T.CI_OTHER),
        ("Jenkinsfile", b"", T.CI_OTHER),
        (".circleci/config.yml", b"", T.CI_OTHER),
        (
            "rules/db.yml",
            b"groups:\n- name: db\n  rules:\n  - alert: X\n    expr: up == 0\n",
            T.PROMETHEUS,
        ),
        ("monitoring/dash.json", b'{"title": "x", "panels": []}', T.GRAFANA),
        ("monitors/ledger.json", b'{"type": "metric alert", "query": "x"}', T.DATADOG),
        ("alertmanager/alertmanager.yml", b"route:\n  receiver: x\n", T.ALERTING_OTHER),
        ("db/schema.sql", b"CREATE TABLE", T.SQL),
        ("app/models.py", b"SELECT * FROM payroll FROM x FROM y", T.PYTHON),
        ("app/queries.py", b'Q = """SELECT a FROM b JOIN c FROM d"""\nFROM = 1\n', T.PYTHON),
        ("src/Main.java", b"", T.JAVA),
        ("src/Config.kt", b"", T.KOTLIN),
        ("cmd/main.go", b"", T.GO),
        ("config/database.php", b"", T.PHP),
        ("modules/sql.bicep", b"", T.BICEP),
        ("src/db.ts", b"", T.TYPESCRIPT),
        ("web/app.jsx", b"", T.JAVASCRIPT),
        ("scripts/backup.sh", b"#!/bin/bash", T.SHELL),
        ("bin/restore", b"#!/usr/bin/env bash\n", T.SHELL),
        ("bin/tool", b"#!/usr/bin/env python3\n", T.PYTHON),
        ("ops/rotate.ps1", b"", T.POWERSHELL),
        (".env", b"A=1", T.ENV_FILE),
        (".env.production", b"", T.ENV_FILE),
        ("config/app.env", b"", T.ENV_FILE),
        (".env.example", b"", T.ENV_FILE),
        ("alembic/env.py", b"", T.PYTHON),
        ("src/main/resources/application.properties", b"", T.PROPERTIES),
        ("setup.cfg", b"", T.INI),
        ("pyproject.toml", b"", T.TOML),
        ("config/app.yaml", b"database:\n  host: x\n", T.YAML_CONFIG),
        ("config/app.json", b'{"database": {}}', T.JSON_CONFIG),
        ("README.md", b"", T.MARKDOWN),
        ("docs/index.rst", b"", T.RST),
        ("NOTES.txt", b"", T.TEXT),
        ("CODEOWNERS", b"", T.CODEOWNERS),
        (".github/CODEOWNERS", b"", T.CODEOWNERS),
        ("Makefile", b"", T.MAKEFILE),
        ("app/models/invoice.rb", b"", T.RUBY),
        ("lib/tasks/db.rake", b"", T.RUBY),
        ("Gemfile", b"", T.RUBY),
        ("src/Api/Program.cs", b"", T.CSHARP),
        ("db/changelog/db.changelog-master.xml", b"<databaseChangeLog/>", T.XML),
        ("LICENSE", b"Apache", T.OTHER),
    ],
)
def test_classify(path: str, head: bytes, expected: T) -> None:
    assert classify(path, head, CHARTS) is expected


def test_yaml_outside_a_chart_is_not_helm() -> None:
    assert classify("templates/deployment.yaml", b"kind: Deployment", CHARTS) is T.YAML_CONFIG
    assert classify("other/values.yaml", b"a: 1", CHARTS) is T.YAML_CONFIG
