from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "accountdesk.demo"
    label = "demo"
