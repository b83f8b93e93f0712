from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "accountdesk.contracts"
    label = "contracts"

    def ready(self) -> None:
        from accountdesk.contracts import kinds  # noqa: F401  (registers the activity kinds)
        from accountdesk.customers.tabs import register_tab
        from accountdesk.tenancy.settings_sections import register_settings_section

        register_tab(
            "contracts", "Contracts", "tabs:contracts_queue", group="services", order=220, module="contracts"
        )
        register_settings_section(
            "contracts", "Contract templates", "contracts:templates", order=75, module="contracts"
        )
