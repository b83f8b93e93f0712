from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "accountdesk.notes"
    label = "notes"
