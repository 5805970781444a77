import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from crm.notes.models import Note

logger = logging.getLogger(__name__)


@shared_task
def purge_deleted_notes(using="notes", older_than_days=30):
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = Note.objects.using(using).filter(deleted_at__lt=cutoff).delete()
    logger.info("purged %s soft-deleted notes from %s", deleted, using)
    return deleted
