from django.apps import AppConfig


class ServicedeskConfig(AppConfig):
    name = "accountdesk.servicedesk"
    label = "servicedesk"
