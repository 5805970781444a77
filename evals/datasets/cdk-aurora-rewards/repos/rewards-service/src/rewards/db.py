"""SQLAlchemy engine for the rewards_ledger Aurora PostgreSQL cluster."""
import json
import os
from functools import lru_cache

import boto3
from sqlalchemy import create_engine
from sqlalchemy.engine import URL

SECRET_PARAM = os.environ.get("REWARDS_LEDGER_DB_SECRET", "/rewards/ledger/db-secret-arn")


@lru_cache(maxsize=1)
def _rewards_ledger_url():
    local = os.environ.get("DATABASE_URL")
    if local:
        return local
    ssm = boto3.client("ssm")
    secret_arn = ssm.get_parameter(Name=SECRET_PARAM)["Parameter"]["Value"]
    secret = json.loads(boto3.client("secretsmanager").get_secret_value(SecretId=secret_arn)["SecretString"])
    return URL.create(
        "postgresql+psycopg2",
        username=secret["username"],
        password=secret["password"],
        host=secret["host"],
        port=secret["port"],
        database=secret.get("dbname", "rewards_ledger"),
    )


LEDGER_ENGINE = create_engine(_rewards_ledger_url(), pool_size=1, max_overflow=0, pool_pre_ping=True)


def ping() -> bool:
    with LEDGER_ENGINE.connect() as conn:
        return conn.exec_driver_sql("select 1").scalar() == 1
