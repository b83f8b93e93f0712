from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "accountdesk.messaging"
    label = "messaging"

    def ready(self) -> None:
        from accountdesk.messaging import kinds  # noqa: F401
