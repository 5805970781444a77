"""Celery tasks owned by the checkout team."""
import json
import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from kafka import KafkaProducer

from checkout.models import Order
from reporting.models import ClosedOrder

log = logging.getLogger(__name__)

COPY_AFTER = timedelta(days=30)
RETENTION = timedelta(days=7 * 365)
BATCH_SIZE = 2_000

_producer = None


def _get_producer():
    global _producer
    if _producer is None:
        _producer = KafkaProducer(
            bootstrap_servers=settings.KAFKA_BOOTSTRAP_SERVERS,
            value_serializer=lambda v: json.dumps(v).encode(),
            acks="all",
        )
    return _producer


@shared_task(bind=True, max_retries=3, acks_late=True)
def copy_closed_orders(self):
    """Copy orders closed more than 30 days ago from the orders DB into order_history.

    Rows are inserted with ignore_conflicts so a retried run is idempotent. Once
    a batch is committed on the reporting side we emit ``order.archived`` so
    search and notifications can drop their hot copies.
    """
    cutoff = timezone.now() - COPY_AFTER
    pending = Order.objects.filter(closed_at__lt=cutoff, archived_at__isnull=True).order_by("id")
    copied = 0
    while True:
        batch = list(pending[:BATCH_SIZE])
        if not batch:
            break
        rows = [
            ClosedOrder(
                order_id=o.id,
                customer_id=o.customer_id,
                total_cents=o.total_cents,
                refunded_cents=o.refunded_cents,
                currency=o.currency,
                closed_at=o.closed_at,
            )
            for o in batch
        ]
        with transaction.atomic(using="history"):
            ClosedOrder.objects.using("history").bulk_create(rows, ignore_conflicts=True)
        Order.objects.filter(id__in=[o.id for o in batch]).update(archived_at=timezone.now())
        producer = _get_producer()
        for o in batch:
            producer.send(settings.ORDER_EVENTS_TOPIC, {"type": "order.archived", "order_id": o.id})
        producer.flush()
        copied += len(batch)
    log.info("copied %d closed orders to order_history", copied)
    return copied


@shared_task
def purge_expired_rows():
    """Delete rows past the 7-year retention from the Order History database."""
    cutoff = timezone.now() - RETENTION
    with connections["history"].cursor() as cur:
        cur.execute("DELETE FROM public.orders_closed WHERE closed_at < %s", [cutoff])
        log.info("purged %d expired rows", cur.rowcount)
