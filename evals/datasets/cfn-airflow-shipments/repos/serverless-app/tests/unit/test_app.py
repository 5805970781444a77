import json
import sys
from unittest import mock

import pytest


@pytest.fixture(autouse=True)
def env(monkeypatch):
    monkeypatch.setenv("TRACKING_DB_HOST", "localhost")
    monkeypatch.setenv("SHIPMENT_TRACKING_DB_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:0:secret:test")
    monkeypatch.setenv("SHIPMENT_TRACKING_EVENTS_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/0/shipment-tracking-events")
    sys.path.insert(0, "src/webhook")
    with mock.patch("boto3.client"):
        yield


def test_handler_inserts_and_publishes():
    import app

    conn = mock.MagicMock()
    with mock.patch.object(app, "get_connection", return_value=conn):
        event = json.load(open("events/webhook-event.json"))
        resp = app.lambda_handler(event, None)
    assert resp["statusCode"] == 202
    sql = conn.cursor.return_value.__enter__.return_value.execute.call_args[0][0]
    assert "shipment_tracking.tracking_events" in sql
