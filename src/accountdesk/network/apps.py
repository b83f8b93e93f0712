from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "accountdesk.network"
    label = "network"

    def ready(self) -> None:
        from accountdesk.customers.search_index import register_search_contributor
        from accountdesk.customers.tabs import register_tab
        from accountdesk.network import kinds  # noqa: F401  (registers the activity kinds)
        from accountdesk.network.search import equipment_search_terms
        from accountdesk.tenancy.settings_sections import register_settings_section

        register_tab(
            "equipment", "Equipment", "tabs:network_equipment", group="services", order=200, module="network"
        )
        register_search_contributor(equipment_search_terms)
        register_settings_section(
            "device_types", "Device types", "settings:device_types", order=80, module="network"
        )
