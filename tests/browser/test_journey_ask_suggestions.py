"""An agent asks something the box cannot answer: it says so and offers the closest questions as
buttons; clicking one asks it in place, and its answer appears with its links. An admin then sees
the question under Settings > Unanswered questions."""

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
    UserFactory(provider=provider, role="admin", email="admin@acme.test", password=PASSWORD)
    customer = CustomerFactory(provider=provider, name="Northwind Traders")
    invoice = billing.invoice_issue(
        customer=customer,
        lines=[{"description": "Fibre 300", "unit_price": "145.00", "tax_rate": "0"}],
        issued_on=dt.date.today() - dt.timedelta(days=3),
        actor=Actor.system(provider),
    )
    billing.payment_record(
        customer=customer, amount="45.00", method="card", reference="R-77",
        received_on=dt.date.today() - dt.timedelta(days=1), actor=Actor.system(provider),
    )  # fmt: skip
    return {"customer": customer, "invoice": invoice}


def test_a_suggestion_clicked_is_asked_in_place(page, live_server, acme, shot):
    customer = acme["customer"]
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill("admin@acme.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/customers/$"))
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.evaluate("window.__sameDocument = true")

    box = page.get_by_label("Ask about this customer")
    box.fill("refund the last payment")
    box.press("Enter")
    answer = page.locator("#ask-answer")
    answer.get_by_text("I can\u2019t answer that.").wait_for()
    offered = answer.get_by_role("list", name="Questions I can answer").get_by_role("button")
    assert offered.count() == 3
    assert "when did they last pay" in offered.all_inner_texts()
    shot(page, "ask-suggestions-01-offered")

    answer.get_by_role("button", name="when did they last pay").click()
    answer.get_by_text("Northwind Traders last paid $45.00").wait_for()
    assert box.input_value() == "when did they last pay"
    assert answer.get_by_role("link", name=re.compile("R-77")).is_visible()
    assert page.evaluate("window.__sameDocument") is True  # asked in place
    shot(page, "ask-suggestions-02-answered")

    # The unanswered question is kept for the admins, without the customer's name.
    page.goto(f"{live_server.url}/settings/unanswered-questions/")
    row = page.get_by_role("row", name=re.compile("refund the last payment"))
    row.wait_for()
    assert "1" in row.inner_text()
    shot(page, "ask-suggestions-03-settings")
