"""Base settings for crm-web (Django 4.2). Environment-specific values come from env vars."""
from pathlib import Path

import environ
from celery.schedules import crontab

env = environ.Env()
BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "crm.accounts",
    "crm.contacts",
    "crm.notes",
]

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Databases ---------------------------------------------------------------
# default: crm_core (accounts, contacts, deals).
# notes:   crm_notes on the shared pg-crm cluster, reached through HAProxy + pgbouncer.
# archive: read-only crm_notes_archive (notes older than two years).
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://crm:crm@localhost:5432/crm_core"),
    "notes": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": env("CRM_NOTES_DB_NAME", default="crm_notes"),
        "USER": env("CRM_NOTES_DB_USER", default="crm_notes_rw"),
        "PASSWORD": env("CRM_NOTES_DB_PASSWORD", default=""),
        "HOST": env("CRM_NOTES_DB_HOST", default="notes-db"),
        "PORT": env.int("CRM_NOTES_DB_PORT", default=5432),
        "CONN_MAX_AGE": 0,  # pgbouncer runs in transaction mode
        "OPTIONS": {"connect_timeout": 5},
        "TEST": {"NAME": "crm_notes_test"},
    },
    "archive": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": env("CRM_NOTES_ARCHIVE_DB_NAME", default="crm_notes_archive"),
        "HOST": env("CRM_NOTES_ARCHIVE_DB_HOST", default="localhost"),
        "USER": "crm_archive_ro",
        "OPTIONS": {"options": "-c default_transaction_read_only=on"},
    },
}
DATABASE_ROUTERS = ["crm.db_routers.NotesRouter"]

# --- Celery ------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://localhost:6379/0")
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "sync-contacts-from-hubspot": {
        "task": "crm.contacts.tasks.sync_from_hubspot",
        "schedule": crontab(minute="*/15"),
    },
    # Nightly purge of soft-deleted notes from the crm_notes database.
    "purge-deleted-notes": {
        "task": "crm.notes.tasks.purge_deleted_notes",
        "schedule": crontab(hour=3, minute=15),
        "kwargs": {"using": "notes", "older_than_days": 30},
    },
}

STATIC_URL = "static/"
