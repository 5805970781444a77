"""Connection helper for the Shipment Tracking database."""
import json
import os

import boto3
import pymysql

DB_HOST = os.environ["TRACKING_DB_HOST"]
DB_NAME = os.environ.get("TRACKING_DB_NAME", "shipment_tracking")
SECRET_ARN = os.environ["SHIPMENT_TRACKING_DB_SECRET_ARN"]

_secrets = boto3.client("secretsmanager")
_conn = None


def _credentials():
    raw = _secrets.get_secret_value(SecretId=SECRET_ARN)["SecretString"]
    return json.loads(raw)


def get_connection():
    """Reuse one pymysql connection per warm Lambda container."""
    global _conn
    if _conn is None or not _conn.open:
        creds = _credentials()
        _conn = pymysql.connect(
            host=DB_HOST,
            user=creds["username"],
            password=creds["password"],
            database=DB_NAME,
            connect_timeout=5,
            autocommit=True,
        )
    return _conn
