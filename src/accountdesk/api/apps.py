from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "accountdesk.api"
    label = "api"
