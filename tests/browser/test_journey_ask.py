"""An agent asks about a customer from the dashboard: the answer and its links appear in place,
without a page load; an empty question is refused next to the box; a link opens the invoice."""

import datetime as dt
import re

import pytest

from accountdesk.billing import services as billing
from accountdesk.core.actors import Actor
from accountdesk.search import understanding
from tests.factories import CustomerFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "accountdesk-demo"


@pytest.fixture
def acme(transactional_db):
    understanding.model()  # trained before the journey: the first question does not wait for it
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    UserFactory(provider=provider, role="agent", email="agent@acme.test", password=PASSWORD)
    customer = CustomerFactory(provider=provider, name="Northwind Traders")
    invoice = billing.invoice_issue(
        customer=customer,
        lines=[{"description": "Fibre 300", "unit_price": "145.00", "tax_rate": "0"}],
        issued_on=dt.date.today() - dt.timedelta(days=3),
        actor=Actor.system(provider),
    )
    return {"customer": customer, "invoice": invoice}


def test_it_answers_in_place_and_links_the_records(page, live_server, acme, shot):
    customer, invoice = acme["customer"], acme["invoice"]
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill("agent@acme.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/customers/$"))
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.evaluate("window.__sameDocument = true")

    box = page.get_by_label("Ask about this customer")
    box.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Type a question").wait_for()
    assert box.get_attribute("aria-invalid") == "true"
    shot(page, "ask-01-empty")

    page.get_by_label("Ask about this customer").fill("unpaid invoices over $100")
    page.keyboard.press("Enter")
    answer = page.locator("#ask-answer")
    answer.get_by_text("Northwind Traders has 1 unpaid invoice").wait_for()
    assert "$145.00" in answer.inner_text()
    assert page.evaluate("window.__sameDocument") is True  # no page load
    assert page.get_by_label("Ask about this customer").get_attribute("aria-invalid") is None
    shot(page, "ask-02-answer")

    # The answer opens over the page; Escape puts it away, and asking again brings it back.
    page.keyboard.press("Escape")
    assert not answer.is_visible()
    page.get_by_label("Ask about this customer").press("Enter")
    answer.get_by_text("Northwind Traders has 1 unpaid invoice").wait_for()

    answer.get_by_role("link", name=re.compile(invoice.number)).click()
    page.wait_for_url(re.compile(rf"/customers/{customer.pk}/invoices/{invoice.pk}/$"))
