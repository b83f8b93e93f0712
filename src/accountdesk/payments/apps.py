from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "accountdesk.payments"
    label = "payments"

    def ready(self) -> None:
        from accountdesk.payments import checks, kinds  # noqa: F401
