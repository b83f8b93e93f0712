from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "accountdesk.activity"
    label = "activity"

    def ready(self) -> None:
        from accountdesk.customers.tabs import register_tab

        register_tab(
            "activity", "Activity", "tabs:activity", group="history", order=240, permission="activity.view"
        )
        register_tab(
            "event_log", "Event log", "tabs:event_log", group="history", order=250, permission="activity.view"
        )
