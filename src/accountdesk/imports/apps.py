from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "accountdesk.imports"
    label = "imports"

    def ready(self) -> None:
        from accountdesk.imports import kinds  # noqa: F401  (registers the activity kinds)
        from accountdesk.tenancy.settings_sections import register_settings_section

        register_settings_section("import", "Import", "settings:import", order=95)
