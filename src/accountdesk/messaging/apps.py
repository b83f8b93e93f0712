from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "accountdesk.messaging"
    label = "messaging"

    def ready(self) -> None:
        from accountdesk.customers.tabs import register_tab
        from accountdesk.messaging import kinds  # noqa: F401

        # Not in the product's tab list: the Messages log sits after the Activity tab (240).
        register_tab("messages", "Messages", "tabs:messages", group="history", order=245)
