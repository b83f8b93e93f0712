from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "accountdesk.audit"
    label = "audit"
    verbose_name = "Security log and tamper evidence"

    def ready(self) -> None:
        from accountdesk.audit.services import security_record
        from accountdesk.core.security_log import security_recorder_install
        from accountdesk.tenancy.settings_sections import register_settings_section

        security_recorder_install(security_record)

        register_settings_section("security_log", "Security log", "settings:security_log", order=90)
