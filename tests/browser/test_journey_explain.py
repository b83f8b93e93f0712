"""An agent asks why the total due is what it is: opens the explanation from the keyboard, reads it,
closes it with Escape, opens it again and follows a line to its invoice; raises a dispute on a
payment from the panel and sees it on the line and on the Ledger tab; opens an invoice's balance."""

import datetime as dt
import re

import pytest

from accountdesk.billing import services as billing
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from tests.browser.axe import axe_violations, describe
from tests.browser.sign_in import sign_in
from tests.factories import CustomerFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = "document.activeElement"


@pytest.fixture
def acme(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    agent = UserFactory(provider=provider, role="agent", name="Alex Agent")
    staff = UserFactory(provider=provider, role="billing", name="Bea Billing")
    customer = CustomerFactory(provider=provider, name="Northwind Traders", status="active")
    actor = Actor.staff(staff)
    today = clock.today()
    late = billing.invoice_issue(
        customer=customer,
        lines=[{"description": "Fibre 100", "unit_price": "120.00"}],
        issued_on=today - dt.timedelta(days=75),
        actor=actor,
    )
    billing.invoice_issue(
        customer=customer,
        lines=[{"description": "Fibre 100", "unit_price": "45.50"}],
        issued_on=today - dt.timedelta(days=5),
        actor=actor,
    )
    payment = billing.payment_record(
        customer=customer, amount="50.00", method="card", reference="CH-1", actor=actor
    )
    billing.payment_refund(payment=payment, amount="5.00", reason="fee back", actor=actor)
    return {"agent": agent, "customer": customer, "late": late}


def test_the_total_due_explained_from_the_keyboard(page, live_server, acme, shot):
    customer = acme["customer"]
    sign_in(page, live_server, acme["agent"])
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    figure = page.locator("#explain-total_due")
    assert figure.evaluate("el => el.tagName") == "BUTTON"
    figure.focus()
    shot(page, "explain-figure-focused")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Total due")
    dialog.get_by_text("Total due is $120.50").wait_for()
    # Focus moved into the panel, on its first line's link.
    page.wait_for_function(f"{FOCUSED}.closest('#explain-dialog') && {FOCUSED}.tagName === 'A'")
    assert page.evaluate(f"{FOCUSED}.textContent").startswith("Invoice INV-000001")
    assert dialog.get_by_text("Adds up to").is_visible()
    assert dialog.get_by_role("link", name=re.compile(r"^Statement, ")).is_visible()
    shot(page, "explain-total-due")
    violations = axe_violations(page)
    assert not violations, describe({"explain": violations})

    page.keyboard.press("Escape")
    page.wait_for_function("!document.getElementById('explain-dialog').open")
    assert page.evaluate(f"{FOCUSED}.id") == "explain-total_due"

    page.keyboard.press("Enter")
    dialog.get_by_text("Total due is $120.50").wait_for()
    page.wait_for_function(f"{FOCUSED}.closest('#explain-dialog') && {FOCUSED}.tagName === 'A'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/customers/{customer.pk}/invoices/{acme['late'].pk}/")
    page.get_by_role("heading", name=re.compile("Invoice INV-000001")).wait_for()


def test_a_dispute_raised_from_the_panel_shows_on_the_line(page, live_server, acme, shot):
    customer = acme["customer"]
    sign_in(page, live_server, acme["agent"])
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.locator("#explain-total_due").click()
    dialog = page.locator("#explain-dialog")
    button = dialog.locator("tr[data-line-type=payment]").get_by_role("button")
    assert button.get_attribute("hx-get").startswith(f"/customers/{customer.pk}/ledger/")
    button.click()
    dialog.get_by_role("heading", name="Dispute an entry").wait_for()
    dialog.get_by_label("What the customer disputes").fill("Paid in cash at the shop, not by card")
    shot(page, "explain-dispute-form")
    dialog.get_by_role("button", name="Raise dispute").click()
    page.wait_for_url(f"**/customers/{customer.pk}/")
    page.get_by_text("Dispute raised").first.wait_for()

    page.locator("#explain-total_due").click()
    dialog.get_by_text("Paid in cash at the shop, not by card").wait_for()
    shot(page, "explain-disputed-line")
    page.keyboard.press("Escape")

    page.goto(f"{live_server.url}/customers/{customer.pk}/ledger/")
    row = page.locator("tr.is-disputed")
    assert row.count() == 1 and "Paid in cash at the shop" in row.inner_text()
    shot(page, "ledger-disputed-row")


def test_an_invoice_balance_explained(page, live_server, acme, shot):
    customer = acme["customer"]
    sign_in(page, live_server, acme["agent"])
    page.goto(f"{live_server.url}/customers/{customer.pk}/invoices/{acme['late'].pk}/")
    page.locator("#explain-balance").click()
    dialog = page.get_by_role("dialog", name="Open balance of INV-000001")
    dialog.get_by_text("Invoice INV-000001 has $75.00 open").wait_for()
    shot(page, "explain-invoice-balance")
