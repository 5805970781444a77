import pytest

from crm.notes.models import Note


@pytest.fixture
def make_note(db):
    def _make(**kwargs):
        kwargs.setdefault("account_id", 1)
        kwargs.setdefault("author_id", 1)
        kwargs.setdefault("body", "Called, left a voicemail.")
        return Note.objects.using("notes").create(**kwargs)

    return _make
