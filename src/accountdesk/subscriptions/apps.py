from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "accountdesk.subscriptions"
    label = "subscriptions"

    def ready(self) -> None:
        from accountdesk.customers.tabs import register_tab
        from accountdesk.subscriptions import billable, kinds, verify  # noqa: F401

        register_tab("subscriptions", "Subscriptions", "tabs:subscriptions", group="services", order=110)
        billable.register()
        verify.register()
