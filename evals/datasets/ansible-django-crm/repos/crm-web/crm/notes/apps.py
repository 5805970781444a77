from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "crm.notes"
    verbose_name = "CRM notes"
