"""
Django settings for checkout-api.

Started from `django-admin startproject` (Django 3.2) and edited by hand since.
Everything environment-specific comes from env vars; see .env.example.
"""
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "checkout",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Databases ----------------------------------------------------------------
# "default" is the main orders database (checkout writes here).
# "history" is the Order History database: orders closed more than 30 days ago,
# copied nightly by checkout.tasks.copy_closed_orders. It is read by the
# reporting app and by the account "past orders" endpoint.
ORDERS_DATABASE_URL = os.environ["ORDERS_DATABASE_URL"]

DATABASES = {
    "default": dj_database_url.parse(ORDERS_DATABASE_URL, conn_max_age=60),
    "history": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("ORDER_HISTORY_DB_NAME", "order_history"),
        "USER": os.environ.get("ORDER_HISTORY_DB_USER", "orderhistory_rw"),
        "PASSWORD": os.environ.get("ORDER_HISTORY_DB_PASSWORD", ""),
        "HOST": os.environ.get("ORDER_HISTORY_DB_HOST", "order-history-db.internal"),
        "PORT": int(os.environ.get("ORDER_HISTORY_DB_PORT", "5432")),
        "CONN_MAX_AGE": 60,
        "OPTIONS": {"sslmode": os.environ.get("DB_SSLMODE", "require"), "connect_timeout": 5},
        "TEST": {"NAME": "test_order_history"},
    },
}
DATABASE_ROUTERS = ["config.db_router.ReportingRouter"]

# SQLAlchemy URL for the reporting jobs (same database as DATABASES["history"]).
ORDER_HISTORY_URL = os.environ["ORDER_HISTORY_DATABASE_URL"]

# Public read API (order-history-api) that replaces direct SQL reads; see DATA-1182.
ORDER_HISTORY_API_URL = os.environ.get("ORDER_HISTORY_API_URL", "http://order-history-api.svc.cluster.local:8080")

# --- Kafka / Celery -------------------------------------------------------------
KAFKA_BOOTSTRAP_SERVERS = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092")
ORDER_EVENTS_TOPIC = os.environ.get("ORDER_EVENTS_TOPIC", "order_events")

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 60

SLACK_WEBHOOK_URL = os.environ.get("SLACK_WEBHOOK_URL", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
