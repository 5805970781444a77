from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from crm.notes.models import Note


@login_required
def note_list(request, account_id):
    notes = Note.objects.using("notes").filter(account_id=account_id, deleted_at__isnull=True)[:200]
    return render(request, "notes/list.html", {"notes": notes, "account_id": account_id})
