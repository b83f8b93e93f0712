from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "accountdesk.tenancy"
    label = "tenancy"

    def ready(self) -> None:
        from accountdesk.tenancy.settings_sections import register_settings_section as add

        # Other apps add theirs in their own ready() (Contract templates: 75).
        add("overview", "Modules and limits", "settings:overview", order=10)
        add("staff", "Staff", "settings:staff", order=20)
        add("security", "Sign-in security", "settings:security", order=25)
        add("custom_fields", "Custom fields", "settings:custom_fields", order=30)
        add("alerts", "Alert banners", "settings:alerts", order=40)
        add("groups", "Groups", "settings:groups", order=50)
        add("tags", "Tags", "settings:tags", order=60)
        add("usage", "Usage notifications", "settings:usage", order=70, module="usage")
        add("device_types", "Device types", "settings:device_types", order=80, module="network")
        add("security_log", "Security log", "settings:security_log", order=90)
