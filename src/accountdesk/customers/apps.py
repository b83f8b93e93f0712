from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "accountdesk.customers"
    label = "customers"

    def ready(self) -> None:
        from accountdesk.audit.verify import register_chain_source
        from accountdesk.customers.activity_chains import ACTIVITY_CHAINS
        from accountdesk.customers.tabs import register_tab
        from accountdesk.tenancy.settings_sections import register_settings_section as add_section

        register_tab("dashboard", "Dashboard", "tabs:dashboard", group="overview", order=10)
        register_tab("details", "Details", "tabs:customer_details", group="details", order=20)
        register_tab("contacts", "Contacts", "tabs:contacts", group="contact", order=30)
        # The activity log's tabs (accountdesk.activity sits under customers: these pages are here).
        register_tab(
            "activity", "Activity", "tabs:activity", group="history", order=240, permission="activity.view"
        )
        register_tab(
            "event_log", "Event log", "tabs:event_log", group="history", order=250, permission="activity.view"
        )
        register_tab("custom_fields", "Custom fields", "tabs:custom_fields", group="details", order=260)
        add_section("custom_fields", "Custom fields", "settings:custom_fields", order=30)
        add_section("alerts", "Alert banners", "settings:alerts", order=40)
        add_section("groups", "Groups", "settings:groups", order=50)
        add_section("tags", "Tags", "settings:tags", order=60)
        register_chain_source(ACTIVITY_CHAINS)
