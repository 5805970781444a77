"""Account endpoints used by the storefront."""
import logging

import requests
from django.conf import settings
from django.db import OperationalError, connections
from rest_framework.decorators import api_view
from rest_framework.response import Response

from checkout.models import Order
from reporting.models import ClosedOrder

log = logging.getLogger(__name__)

MAX_ROWS = 100


@api_view(["GET"])
def past_orders(request, customer_id):
    """Everything behind the "view your order history" link in the account menu.

    Orders from the last 30 days come from the orders database; older ones were
    moved to order_history by the nightly copy job, so we read both and merge.
    """
    recent = list(
        Order.objects.filter(customer_id=customer_id, closed_at__isnull=False)
        .order_by("-closed_at")
        .values("id", "total_cents", "currency", "closed_at")[:MAX_ROWS]
    )
    try:
        older = list(
            ClosedOrder.objects.using("history")
            .filter(customer_id=customer_id)
            .order_by("-closed_at")
            .values("order_id", "total_cents", "currency", "closed_at")[:MAX_ROWS]
        )
    except OperationalError:
        # Degrade to order-history-api while the database is unreachable (failover, maintenance).
        log.warning("past orders: database unavailable for %s, using the API", customer_id, exc_info=True)
        resp = requests.get(
            f"{settings.ORDER_HISTORY_API_URL}/v1/customers/{customer_id}/orders",
            params={"limit": MAX_ROWS},
            timeout=2,
        )
        resp.raise_for_status()
        older = resp.json()["orders"]
    return Response({"recent": recent, "older": older})


@api_view(["GET"])
def healthz(request):
    checks = {}
    for alias in ("default", "history"):
        try:
            with connections[alias].cursor() as cur:
                cur.execute("SELECT 1")
            checks[alias] = "ok"
        except OperationalError as exc:
            checks[alias] = f"error: {exc.__class__.__name__}"
    status = 200 if all(v == "ok" for v in checks.values()) else 503
    return Response(checks, status=status)
