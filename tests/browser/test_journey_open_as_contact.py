"""An agent opens the portal as a customer's contact from the Contacts tab, sees the banner that
says so, changes the billing address there, and comes back: the customer's activity shows the
opening and the leaving under the agent's name with the contact's, and the change as the agent
acting for the contact."""

import pytest
from django.contrib.auth.hashers import make_password

from accountdesk.activity.models import Activity
from accountdesk.audit.models import SecurityEvent
from accountdesk.core.actors import Actor
from accountdesk.portal.services import portal_access_grant
from tests.browser.sign_in import sign_in
from tests.factories import ContactFactory, CustomerFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def acme(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    agent = UserFactory(provider=provider, role="agent", email="agent@acme.test", name="Alex Agent")
    customer = CustomerFactory(
        provider=provider, name="Northwind Traders", billing_line1="12 Harbour Road", billing_city="Portland",
        billing_country="US", status="active",
    )  # fmt: skip
    contact = ContactFactory(
        customer=customer, name="Maria Anders", email="maria@northwind.test", is_primary=True
    )
    portal_access_grant(
        contact=contact, actor=Actor.staff(agent), password_hash=make_password("portal passphrase 1")
    )
    return {"agent": agent, "customer": customer}


def test_an_agent_opens_the_portal_as_a_contact_and_both_ends_are_logged(browser, live_server, acme, shot):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, acme["agent"])
    customer = acme["customer"]
    page.goto(f"{live_server.url}/customers/{customer.pk}/contacts/")
    page.get_by_role("link", name="Open portal Maria Anders").click()
    page.locator("#portal-access-dialog").get_by_role("button", name="Open the portal").click()

    banner = page.locator(".portal-staff-banner")
    banner.wait_for()
    assert "You (Alex Agent) are using the portal as Maria Anders" in banner.inner_text()
    assert "Alex Agent for Maria Anders" in banner.inner_text()
    shot(page, "portal-as-contact-banner")

    page.get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="Change billing address").click()
    dialog = page.locator("#portal-dialog")
    dialog.get_by_label("Address line 1").fill("48 Quay Street")
    dialog.get_by_role("button", name="Save address").click()
    page.get_by_text("Your billing address is saved.").wait_for()

    banner.get_by_role("button", name="Back to the customer").click()
    page.wait_for_url(f"**/customers/{customer.pk}/contacts/")
    context.close()

    opened = Activity.objects.get(customer=customer, kind="portal.opened_as_contact")
    closed = Activity.objects.get(customer=customer, kind="portal.closed_as_contact")
    for entry in (opened, closed):
        assert (entry.actor_type, entry.actor_id) == ("staff", acme["agent"].pk)
        assert "Alex Agent" in entry.summary and "Maria Anders" in entry.summary
    assert SecurityEvent.objects.filter(kind="portal.opened_as_contact", actor_id=acme["agent"].pk).exists()
    assert SecurityEvent.objects.filter(kind="portal.closed_as_contact", actor_id=acme["agent"].pk).exists()
    change = Activity.objects.get(customer=customer, kind="customer.updated")
    assert (change.actor_type, change.actor_name) == ("staff", "Alex Agent for Maria Anders")
    assert change.details["billing_line1"] == ["12 Harbour Road", "48 Quay Street"]
