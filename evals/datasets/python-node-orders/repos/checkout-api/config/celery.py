import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("checkout")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.imports = ("reporting.daily_summary",)

# The nightly jobs hold long transactions on order_history; they run on the
# dedicated "reporting" queue (concurrency 2) so they never starve checkout.
app.conf.task_routes = {
    "checkout.tasks.copy_closed_orders": {"queue": "reporting"},
    "checkout.tasks.purge_expired_rows": {"queue": "reporting"},
    "reporting.daily_summary.*": {"queue": "reporting"},
}

app.conf.beat_schedule = {
    "copy-closed-orders": {
        "task": "checkout.tasks.copy_closed_orders",
        "schedule": crontab(hour=2, minute=15),
    },
    "purge-expired-rows": {
        "task": "checkout.tasks.purge_expired_rows",
        "schedule": crontab(hour=3, minute=0, day_of_week="sun"),
    },
    "daily-summary": {
        "task": "reporting.daily_summary.build_daily_summary",
        "schedule": crontab(hour=5, minute=30),
    },
}
