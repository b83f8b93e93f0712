from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "accountdesk.portal"
    label = "portal"

    def ready(self) -> None:
        from accountdesk.customers.contact_extras import register_contact_extra
        from accountdesk.portal import kinds  # noqa: F401
        from accountdesk.portal.nav import register_section
        from accountdesk.portal.selectors import portal_accounts_of

        register_section("home", "Home", "portal:home", order=10)
        register_section("invoices", "Invoices", "portal:invoices", order=20)
        register_section("payments", "Payments", "portal:payments", order=30)
        register_section("statement", "Statement", "portal:statement", order=40)
        register_section("subscriptions", "Services", "portal:subscriptions", order=50)
        register_section("usage", "Usage", "portal:usage", order=60, module="usage")
        register_section("tickets", "Support", "portal:tickets", order=70, module="service_desk")
        register_section("jobs", "Appointments", "portal:jobs", order=75, module="field_service")
        register_section("contracts", "Contracts", "portal:contracts", order=80, module="contracts")
        register_section("profile", "Profile", "portal:profile", order=90)
        # The Contacts tab: each contact's portal access, and the buttons to change it.
        register_contact_extra("portal", "portal/_contact_access.html", portal_accounts_of)
