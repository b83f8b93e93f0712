from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "accountdesk.tenancy"
    label = "tenancy"

    def ready(self) -> None:
        from accountdesk.tenancy.settings_sections import register_settings_section as add

        # Other apps add theirs in their own ready(): customers 30-60, usage 70, contracts 75,
        # network 80, audit (the security log) 90.
        add("overview", "Modules and limits", "settings:overview", order=10)
        add("staff", "Staff", "settings:staff", order=20)
        add("security", "Sign-in security", "settings:security", order=25)
