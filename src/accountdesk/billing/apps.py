from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "accountdesk.billing"
    label = "billing"

    def ready(self) -> None:
        from accountdesk.billing import kinds, run, tabs, verify  # noqa: F401
        from accountdesk.billing.selectors import invoice_number_match
        from accountdesk.customers.search_index import register_search_matcher

        register_search_matcher(invoice_number_match)
