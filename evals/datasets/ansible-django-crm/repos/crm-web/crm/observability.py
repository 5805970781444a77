"""Sentry + Datadog APM setup, called from crm/wsgi.py and crm/celery.py."""
import os

import sentry_sdk
from ddtrace import config, patch
from sentry_sdk.integrations.django import DjangoIntegration

# One Datadog service per Django DB alias so slow notes queries show up on their own.
DD_DB_SERVICE_BY_ALIAS = {
    "default": "crm-core-db",
    "notes": "crm-notes-db",
}


def init():
    patch(django=True, psycopg=True, celery=True)
    config.django["database_service_name_prefix"] = "crm-"
    sentry_sdk.init(
        dsn=os.environ.get("SENTRY_DSN", ""),
        integrations=[DjangoIntegration()],
        traces_sample_rate=0.05,
    )
    sentry_sdk.set_tag("db.notes", os.environ.get("CRM_NOTES_DB_NAME", "crm_notes"))
