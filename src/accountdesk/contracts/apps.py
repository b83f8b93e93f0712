from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "accountdesk.contracts"
    label = "contracts"
