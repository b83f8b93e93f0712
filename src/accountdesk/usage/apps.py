from django.apps import AppConfig


class UsageConfig(AppConfig):
    name = "accountdesk.usage"
    label = "usage"

    def ready(self) -> None:
        from accountdesk.customers.tabs import register_tab
        from accountdesk.tenancy.settings_sections import register_settings_section
        from accountdesk.usage import kinds  # noqa: F401

        register_tab("usage", "Usage", "tabs:usage", group="services", order=210, module="usage")
        register_settings_section("usage", "Usage notifications", "settings:usage", order=70, module="usage")
