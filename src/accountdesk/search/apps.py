from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "accountdesk.search"
    label = "search"

    def ready(self) -> None:
        from accountdesk.tenancy.settings_sections import register_settings_section

        register_settings_section("unanswered", "Unanswered questions", "settings:unanswered", order=95)
