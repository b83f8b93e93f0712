from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "accountdesk.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from accountdesk.activity.listeners import listen
        from accountdesk.tenancy.settings_sections import register_settings_section
        from accountdesk.webhooks import kinds  # noqa: F401  (registers the security-log kinds)
        from accountdesk.webhooks.events import KINDS_HEARD
        from accountdesk.webhooks.services import outbox_listener

        register_settings_section("webhooks", "Webhooks", "settings:webhooks", order=85)
        listen(outbox_listener, kinds=KINDS_HEARD)
