from django.apps import AppConfig


class UsageConfig(AppConfig):
    name = "accountdesk.usage"
    label = "usage"
