from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "accountdesk.exports"
    label = "exports"

    def ready(self) -> None:
        from accountdesk.exports import kinds  # noqa: F401  (registers the activity kind)
