"""A customer's contact signs in to the portal on a phone (375 px), downloads a bill as PDF, pays
the overdue bill through the test gateway and sees it paid, then changes the billing address; an
agent then finds the payment and the change in the customer's activity, by the customer, with the
old and new address."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.contrib.auth.hashers import make_password

from accountdesk.billing import services as billing
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.portal.services import portal_access_grant
from tests.browser.sign_in import sign_in as staff_sign_in
from tests.factories import ContactFactory, CustomerFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "portal passphrase 1"


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
    portal_access_grant(contact=contact, actor=Actor.staff(agent), password_hash=make_password(PASSWORD))
    invoice = billing.invoice_issue(
        customer=customer,
        lines=[{"description": "Fibre 100", "quantity": 1, "unit_price": Decimal("49.90")}],
        issued_on=clock.today() - dt.timedelta(days=60),
        actor=Actor.system(provider),
    )
    return {"agent": agent, "customer": customer, "invoice": invoice}


def test_a_contact_pays_and_moves_and_the_agent_sees_who(browser, live_server, acme, shot):
    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="en-US")
    page = phone.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/portal/")
    assert urlparse(page.url).path == "/portal/sign-in/"
    page.get_by_label("Email").fill("maria@northwind.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Hello, Maria Anders").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_text("Payment overdue.").wait_for()

    number = acme["invoice"].number
    page.get_by_role("link", name="Invoices").click()
    page.get_by_role("link", name=number).click()
    pdf_url = page.get_by_role("link", name="Download the bill (PDF)").get_attribute("href")
    pdf = page.context.request.get(f"{live_server.url}{pdf_url}")  # with the contact's session
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"

    page.get_by_role("link", name="Pay now").click()
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry date (MM/YY)").fill("12/30")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_role("button", name="Pay $49.90").click()
    page.get_by_role("heading", name="Thank you: payment received").wait_for()
    page.get_by_role("link", name="Invoices").click()
    page.get_by_role("link", name=number).click()
    assert page.locator("h1 .badge").inner_text() == "Paid"

    page.get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="Change billing address").click()
    dialog = page.locator("#portal-dialog")
    dialog.get_by_label("Address line 1").fill("48 Quay Street")
    dialog.get_by_label("City or town").fill("Seattle")
    shot(page, "portal-address-375")
    dialog.get_by_role("button", name="Save address").click()
    page.get_by_text("Your billing address is saved.").wait_for()
    assert "48 Quay Street, Seattle" in page.locator("main").inner_text()
    phone.close()

    desk = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    agent_page = desk.new_page()
    agent_page.set_default_timeout(10_000)
    staff_sign_in(agent_page, live_server, acme["agent"])
    agent_page.goto(f"{live_server.url}/customers/{acme['customer'].pk}/activity/")
    paid = agent_page.locator(".tile", has_text="Payment of $49.90 by card")
    assert "Maria Anders" in paid.inner_text()
    tile = agent_page.locator(".tile", has_text="Account edited")
    tile.locator("summary").click()
    details = tile.locator(".tile-details").inner_text()
    assert "Maria Anders" in details and "(Customer)" in details
    assert "12 Harbour Road" in details and "48 Quay Street" in details
    assert "Portland" in details and "Seattle" in details
    shot(agent_page, "portal-address-in-activity")
    desk.close()
