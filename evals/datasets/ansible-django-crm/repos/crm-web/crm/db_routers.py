"""Database routers for crm-web.

Everything in crm.notes lives in the crm_notes database (DATABASES["notes"]);
the rest stays on "default" (crm_core). No foreign keys cross the two.
"""
from django.apps import apps


def _is_notes_app(app_label):
    return apps.get_app_config(app_label).name == "crm.notes"


class NotesRouter:
    def db_for_read(self, model, **hints):
        return "notes" if _is_notes_app(model._meta.app_label) else None

    def db_for_write(self, model, **hints):
        return "notes" if _is_notes_app(model._meta.app_label) else None

    def allow_relation(self, obj1, obj2, **hints):
        if "notes" in {obj1._state.db, obj2._state.db}:
            return obj1._state.db == obj2._state.db
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == "notes":
            return _is_notes_app(app_label)
        if db == "archive":
            return False
        return not _is_notes_app(app_label)
