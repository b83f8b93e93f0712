"""An admin sets the collections policy in Settings > Collections; the daily run reminds, charges
a late fee; an agent sees the stage in the dashboard's top row and records a promise to pay."""

import datetime as dt
import re

import pytest

from accountdesk.billing import services as billing
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.dunning.models import DunningState, DunningStep
from accountdesk.dunning.services import dunning_run
from tests.browser.axe import axe_violations, describe
from tests.browser.sign_in import sign_in
from tests.factories import CustomerFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2025, 4, 18)  # the invoice below is 18 days overdue


@pytest.fixture
def acme(transactional_db):
    clock.freeze(dt.datetime.combine(dt.date(2025, 3, 1), dt.time(12), tzinfo=dt.UTC))
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    admin = UserFactory(provider=provider, role="admin", name="Ada Admin")
    agent = UserFactory(provider=provider, role="agent", name="Alex Agent")
    billing_user = UserFactory(provider=provider, role="billing", name="Bill Ing")
    customer = CustomerFactory(provider=provider, name="Northwind Traders", email="accounts@northwind.test")
    billing.invoice_issue(
        customer=customer,
        lines=[{"description": "Fibre 500, March", "unit_price": "59.99"}],
        actor=Actor.staff(billing_user),
        issued_on=dt.date(2025, 3, 1),
    )
    clock.freeze(dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC))
    yield {"provider": provider, "admin": admin, "agent": agent, "customer": customer}
    clock.freeze(None)


def test_policy_run_and_promise_to_pay(page, live_server, acme, shot):
    base = live_server.url
    sign_in(page, live_server, acme["admin"])
    page.goto(f"{base}/settings/")
    page.get_by_role("navigation", name="Settings sections").get_by_role("link", name="Collections").click()
    page.wait_for_url(re.compile(r"/settings/collections/$"))
    page.get_by_label("Run collections every day").check()
    steps = [
        (
            "5",
            "email",
            "Reminder: {amount_overdue} overdue",
            "Dear {customer.name}, {amount_overdue} is overdue.",
        ),
        ("10", "sms", "", "{provider.name}: {amount_overdue} is {days_overdue} days overdue."),
        ("15", "fee", "", ""),
        ("30", "block", "", ""),
    ]
    for n, (days, action, subject, body) in enumerate(steps, start=1):
        page.locator(f"[name='steps.{n}.days']").fill(days)
        page.locator(f"[name='steps.{n}.action']").select_option(action)
        if subject:
            page.locator(f"[name='steps.{n}.subject']").fill(subject)
        if body:
            page.locator(f"[name='steps.{n}.body']").fill(body)
    page.locator("[name='steps.3.fee']").fill("5.00")
    page.get_by_role("button", name="Save policy").click()
    page.wait_for_url(re.compile(r"/settings/collections/$"))
    assert page.get_by_text("Collections policy saved.").is_visible()
    assert list(DunningStep.objects.values_list("days", flat=True)) == [5, 10, 15, 30]
    assert not (found := axe_violations(page)), describe({"settings collections": found})
    shot(page, "settings-collections", full_page=True)

    # Steps out of order are refused inline.
    page.locator("[name='steps.4.days']").fill("12")
    page.get_by_role("button", name="Save policy").click()
    assert page.get_by_text("Step 4 at 12 days comes before step 3 at 15 days").first.is_visible()
    assert list(DunningStep.objects.values_list("days", flat=True)) == [5, 10, 15, 30]

    # The daily run on day 18: reminder, SMS and late fee.
    counts = dunning_run(provider=acme["provider"], on=TODAY)
    assert counts.steps == 3

    customer = acme["customer"]
    page.context.clear_cookies()
    sign_in(page, live_server, acme["agent"])
    page.goto(f"{base}/customers/{customer.pk}/")
    stage = page.locator("#collections-stage")
    assert stage.inner_text() == "Collections: late fee added (15 days)"
    shot(page, "dashboard-collections-stage")
    page.get_by_role("button", name="Promise to pay").click()
    dialog = page.get_by_role("dialog", name="Promise to pay")
    dialog.locator("form").wait_for()
    assert not (found := axe_violations(page)), describe({"promise to pay dialog": found})
    dialog.get_by_label("Pay by").fill("2025-04-25")
    dialog.get_by_label("Note").fill("Pays on Friday")
    dialog.get_by_role("button", name="Record promise").click()
    page.locator("#collections-stage", has_text="Promise to pay").wait_for()  # the page reloads
    assert page.locator("#collections-stage").inner_text() == "Promise to pay by 25 Apr 2025"
    assert DunningState.objects.get(customer=customer).promise_until == dt.date(2025, 4, 25)
    shot(page, "dashboard-promise-to-pay")
