from django.apps import AppConfig


class ServicedeskConfig(AppConfig):
    name = "accountdesk.servicedesk"
    label = "servicedesk"

    def ready(self) -> None:
        from accountdesk.customers.tabs import register_tab
        from accountdesk.servicedesk import kinds  # noqa: F401  (registers the activity kinds)

        register_tab(
            "tickets", "Tickets", "tabs:servicedesk_tickets", group="work", order=180, module="service_desk"
        )
        register_tab(
            "call_logs",
            "Call logs",
            "tabs:servicedesk_call_logs",
            group="work",
            order=190,
            module="service_desk",
        )
