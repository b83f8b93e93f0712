from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "accountdesk.network"
    label = "network"
