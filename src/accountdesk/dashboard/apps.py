from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "accountdesk.dashboard"
    label = "dashboard"
