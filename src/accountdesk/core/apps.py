from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "accountdesk.core"
    label = "core"
