from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "accountdesk.billing"
    label = "billing"

    def ready(self) -> None:
        from accountdesk.billing import kinds, run, tabs  # noqa: F401
