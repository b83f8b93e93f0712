from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "accountdesk.activity"
    label = "activity"
