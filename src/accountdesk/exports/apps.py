from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "accountdesk.exports"
    label = "exports"
