"""A customer's contact pays an overdue bill on a phone (375 px) through the test gateway and sees
it paid; a declined card leaves the bill to pay; on a laptop (1440 px) the bank's confirmation step
comes between the card and the payment."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password

from accountdesk.billing import services as billing
from accountdesk.billing.models import Payment
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.portal.services import portal_access_grant
from tests.factories import ContactFactory, CustomerFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "portal passphrase 1"


@pytest.fixture
def northwind(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    agent = UserFactory(provider=provider, role="agent", email="agent@acme.test", name="Alex Agent")
    customer = CustomerFactory(provider=provider, name="Northwind Traders", status="active")
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
    return {"customer": customer, "invoice": invoice}


def _signed_in(browser, live_server, width: int):
    height = 812 if width < 500 else 900
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/portal/")
    page.get_by_label("Email").fill("maria@northwind.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Hello, Maria Anders").wait_for()
    return context, page


def _card(page, number: str) -> None:
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiry date (MM/YY)").fill("12/30")
    page.get_by_label("Security code (CVC)").fill("123")


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_contact_pays_an_overdue_bill_on_a_phone(browser, live_server, northwind, shot):
    context, page = _signed_in(browser, live_server, 375)
    page.get_by_text("Payment overdue.").wait_for()
    page.get_by_role("link", name="Pay now").click()
    page.get_by_role("heading", name="Pay your bill").wait_for()
    assert page.get_by_label("Amount").input_value() == "49.90"
    _fits(page, 375)
    shot(page, "pay-form-375", full_page=True)
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_text("Test payment gateway").wait_for()
    assert "/payments/test-gateway/" in page.url
    _card(page, "4242 4242 4242 4242")
    _fits(page, 375)
    shot(page, "pay-gateway-375", full_page=True)
    page.get_by_role("button", name="Pay $49.90").click()
    page.get_by_role("heading", name="Thank you: payment received").wait_for()
    _fits(page, 375)
    shot(page, "pay-result-375", full_page=True)
    page.get_by_role("link", name="Invoices").click()
    page.get_by_role("link", name=northwind["invoice"].number).click()
    assert page.locator("h1 .badge").inner_text() == "Paid"
    payment = Payment.objects.get()
    assert payment.method == "card" and payment.reference.startswith("tg_")
    context.close()


def test_a_declined_card_leaves_the_bill_to_pay(browser, live_server, northwind, shot):
    context, page = _signed_in(browser, live_server, 375)
    page.goto(f"{live_server.url}/portal/invoices/{northwind['invoice'].pk}/")
    page.get_by_role("link", name="Pay now").click()
    page.get_by_role("button", name="Continue to payment").click()
    _card(page, "4000 0000 0000 0002")
    page.get_by_role("button", name="Pay $49.90").click()
    page.get_by_role("heading", name="Your card was declined").wait_for()
    _fits(page, 375)
    shot(page, "pay-declined-375", full_page=True)
    assert not Payment.objects.exists()
    page.get_by_role("link", name="Try again").click()
    assert page.get_by_label("Amount").input_value() == "49.90"
    context.close()


def test_the_bank_asks_to_confirm_on_a_laptop(browser, live_server, northwind, shot):
    context, page = _signed_in(browser, live_server, 1440)
    page.get_by_role("link", name="Pay now").click()
    page.get_by_label("Save my card for next time").check()
    shot(page, "pay-form-1440")
    page.get_by_role("button", name="Continue to payment").click()
    _card(page, "4000 0000 0000 3220")
    shot(page, "pay-gateway-1440")
    page.get_by_role("button", name="Pay $49.90").click()
    page.get_by_role("heading", name="Confirm this payment").wait_for()
    shot(page, "pay-confirm-1440")
    page.get_by_role("button", name="Approve").click()
    page.get_by_role("heading", name="Thank you: payment received").wait_for()
    shot(page, "pay-result-1440")
    page.goto(f"{live_server.url}/portal/pay/")
    page.locator("strong", has_text="Visa •••• 3220").wait_for()
    shot(page, "pay-cards-1440")
    context.close()
