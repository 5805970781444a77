"""Unmanaged models over tables in the order_history database.

The schema is owned by Alembic (see alembic/); Django never migrates it, and
config.db_router.ReportingRouter sends every query for this app to the right
connection.
"""
from django.db import models


class ClosedOrder(models.Model):
    order_id = models.BigIntegerField(primary_key=True)
    customer_id = models.UUIDField(db_index=True)
    total_cents = models.BigIntegerField()
    refunded_cents = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    closed_at = models.DateTimeField()
    copied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        managed = False
        db_table = "orders_closed"
        app_label = "reporting"
        ordering = ["-closed_at"]
