import json
import logging
import os

import boto3

from db import get_connection

logger = logging.getLogger()
logger.setLevel(logging.INFO)

sqs = boto3.client("sqs")
QUEUE_URL = os.environ["SHIPMENT_TRACKING_EVENTS_QUEUE_URL"]

INSERT_EVENT = (
    "INSERT INTO shipment_tracking.tracking_events "
    "(carrier, tracking_number, status, occurred_at, payload) "
    "VALUES (%s, %s, %s, %s, %s)"
)


def lambda_handler(event, context):
    carrier = event["pathParameters"]["carrier"]
    body = json.loads(event["body"])
    logger.info("shipment-tracking-webhook received %d events from %s", len(body["events"]), carrier)

    conn = get_connection()
    with conn.cursor() as cur:
        for e in body["events"]:
            cur.execute(INSERT_EVENT, (carrier, e["trackingNumber"], e["status"], e["occurredAt"], json.dumps(e)))
            sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=json.dumps({"carrier": carrier, **e}))

    # customers see shipment tracking on the order page within a minute
    return {"statusCode": 202, "body": json.dumps({"accepted": len(body["events"])})}
