from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "accountdesk.billing"
    label = "billing"

    def ready(self) -> None:
        from accountdesk.billing import kinds, run, tabs, verify  # noqa: F401
        from accountdesk.billing.selectors import invoice_number_match
        from accountdesk.customers.search_index import register_search_matcher

        register_search_matcher(invoice_number_match)

        from accountdesk.billing.selectors import customer_balance_expression
        from accountdesk.customers.list_columns import register_customer_column

        # Sorting by it joins each customer to its one summary row (unique on customer) and sorts
        # the provider's matching customers: no index can serve an order across the join (and a
        # customer without billing yet has no row: balance 0). Measured in the README.
        register_customer_column(
            "balance", "Balance", customer_balance_expression(), kind="money", permission="billing.view"
        )
