from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "accountdesk.tenancy"
    label = "tenancy"
