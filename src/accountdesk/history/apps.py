from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "accountdesk.history"
    label = "history"
