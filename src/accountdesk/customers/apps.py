from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "accountdesk.customers"
    label = "customers"

    def ready(self) -> None:
        from accountdesk.customers.tabs import register_tab

        register_tab("dashboard", "Dashboard", "tabs:dashboard", group="overview", order=10)
        register_tab("details", "Details", "tabs:customer_details", group="details", order=20)
        register_tab("contacts", "Contacts", "tabs:contacts", group="contact", order=30)
        register_tab("custom_fields", "Custom fields", "tabs:custom_fields", group="details", order=260)
