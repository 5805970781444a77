from django.db import models


class Note(models.Model):
    """A free-text note on an account or contact.

    Stored in crm_notes (see crm/db_routers.py), so account and contact are plain ids.
    """

    account_id = models.BigIntegerField(db_index=True)
    contact_id = models.BigIntegerField(null=True, blank=True)
    author_id = models.BigIntegerField()
    body = models.TextField()
    pinned = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "notes_note"
        ordering = ["-pinned", "-created_at"]
        verbose_name = "CRM note"


class Mention(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="mentions")
    user_id = models.BigIntegerField(db_index=True)
