from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "accountdesk.contracts"
    label = "contracts"

    def ready(self) -> None:
        from accountdesk.contracts import kinds  # noqa: F401  (registers the activity kinds)
        from accountdesk.customers.tabs import register_tab

        register_tab("contracts", "Contracts", "tabs:contracts_queue", order=220, module="contracts")
