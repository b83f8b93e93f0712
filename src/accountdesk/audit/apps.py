from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "accountdesk.audit"
    label = "audit"
    verbose_name = "Security log and tamper evidence"
