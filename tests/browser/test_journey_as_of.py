"""A billing user asks why the account owes what it owes, follows a line of the explanation, then
looks at the account as it stood a year ago: sets the "as of" date, reads the banner, finds the
figures and the name of then and no action to take, and returns to today."""

import datetime as dt
import re

import pytest

from accountdesk.billing import services as billing
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.customers import services as customers
from accountdesk.notes.services import note_add
from tests.browser.sign_in import sign_in
from tests.factories import ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def account(transactional_db):
    """A customer with two years of monthly bills and payments, renamed and blocked this year."""
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    user = UserFactory(provider=provider, role="admin", email="admin@acme.test", name="Ada Admin")
    actor = Actor.staff(user)
    today = dt.date.today()
    start = dt.datetime.combine(today - dt.timedelta(days=730), dt.time(10), tzinfo=dt.UTC)
    try:
        clock.freeze(start)
        customer = customers.customer_create(
            provider=provider, data={"name": "Harbour Cafe", "status": "active"}, actor=actor
        )
        customers.contact_add(
            customer=customer, data={"name": "Iris Long", "email": "iris@harbour.test"}, actor=actor
        )
        for month in range(24):
            clock.freeze(start + dt.timedelta(days=30 * month))
            billing.invoice_issue(
                customer=customer, lines=[{"description": "Fibre 500", "unit_price": "59.00"}], actor=actor
            )
            if month < 20:
                clock.freeze(start + dt.timedelta(days=30 * month + 12))
                billing.payment_record(customer=customer, amount="59.00", method="card", actor=actor)
        clock.freeze(start + dt.timedelta(days=200))
        note_add(customer=customer, body="Asked about the business plan.", actor=actor)
        clock.freeze(start + dt.timedelta(days=600))
        customers.customer_update(customer=customer, data={"name": "Harbour Cafe & Bakery"}, actor=actor)
        customers.customer_status_change(
            customer=customer, status="blocked", reason="Four bills unpaid", actor=actor
        )
    finally:
        clock.freeze(None)
    return {"user": user, "customer": customer, "year_ago": today - dt.timedelta(days=365)}


def test_it_shows_the_account_a_year_ago_and_returns_to_today(page, live_server, account, shot):
    customer = account["customer"]
    page.set_default_timeout(60_000)  # the first page of a cold server on a busy machine
    sign_in(page, live_server, account["user"])
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    heading = page.locator("#customer-heading")
    assert heading.inner_text() == "Harbour Cafe & Bakery"
    assert page.get_by_role("button", name="Change status").is_visible()
    assert page.get_by_role("button", name="Record payment").is_visible()
    shot(page, "as-of-01-today")

    # Why is the total due what it is: the panel's lines add up to it; follow one to its invoice.
    page.locator("#explain-total_due").click()
    dialog = page.locator("#explain-dialog")
    dialog.locator("tr[data-line-type=invoice] a").first.wait_for()
    assert "Adds up to" in dialog.inner_text()
    shot(page, "as-of-01b-total-due-explained")
    line = dialog.locator("tr[data-line-type=invoice] a").first
    number = re.search(r"INV-\d+", line.inner_text()).group(0)
    line.click()
    page.wait_for_url(re.compile(rf"/customers/{customer.pk}/invoices/\d+/"))
    assert number in page.locator("main").inner_text()
    page.go_back()
    page.wait_for_url(re.compile(rf"/customers/{customer.pk}/$"))

    page.get_by_label("As of", exact=True).fill(account["year_ago"].isoformat())
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url(re.compile(rf"as_of={account['year_ago'].isoformat()}"))
    banner = page.locator("#as-of-banner")
    assert "A view of the past" in banner.inner_text()
    assert "Nothing can be changed here." in banner.inner_text()
    assert heading.inner_text() == "Harbour Cafe"
    assert page.locator(".customer-top .badge.status-active").is_visible()
    metrics = page.locator("#dash-metrics").inner_text()
    assert "Nothing to pay" in metrics or "0.00" in metrics
    # No action on the past: no status change, no dialog buttons, no form that posts.
    assert page.get_by_role("button", name="Change status").count() == 0
    assert page.get_by_role("button", name="Record payment").count() == 0
    assert page.get_by_role("button", name="Add note").count() == 0
    assert page.locator("#tab-panel form[method=post], .customer-top form[method=post]").count() == 0
    shot(page, "as-of-02-a-year-ago")

    page.get_by_role("link", name="Back to today").click()
    page.wait_for_url(re.compile(rf"/customers/{customer.pk}/$"))
    assert page.locator("#as-of-banner").count() == 0
    assert heading.inner_text() == "Harbour Cafe & Bakery"
    assert page.get_by_role("button", name="Record payment").is_visible()
    shot(page, "as-of-03-back-to-today")
