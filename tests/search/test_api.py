import datetime as dt
import json

import pytest
from django.test import Client

from accountdesk.activity.models import Activity
from accountdesk.api.models import IdempotencyKey
from accountdesk.billing.models import Payment
from accountdesk.search.engine import DENIED
from tests.api.conftest import assert_error
from tests.factories import CustomerFactory, ProviderFactory, UserFactory
from tests.fieldservice.factories import JobFactory
from tests.search.builders import invoice, pay
from tests.servicedesk.factories import TicketFactory
from tests.subscriptions.factories import SubscriptionFactory


def url(customer) -> str:
    return f"/api/v1/customers/{customer.pk}/ask"


@pytest.fixture
def account(customer, system, staff):
    """Something behind every kind of question, so each answer cites a record."""
    first = invoice(customer, system, "150.00", dt.date(2025, 1, 5))
    pay(customer, system, "20.00", on=dt.date(2025, 1, 10), invoice=first, reference="R-9")
    SubscriptionFactory(customer=customer)
    JobFactory(customer=customer, scheduled_start=dt.datetime(2025, 2, 4, 9, tzinfo=dt.UTC))
    TicketFactory(customer=customer, created_at=dt.datetime(2025, 1, 20, 9, tzinfo=dt.UTC))
    return customer


def test_it_answers_with_a_sentence_and_its_citations(api_as, account):
    response = api_as("agent").post(url(account), {"question": "what's the balance"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"answer", "citations", "suggestions"}
    assert body["suggestions"] == []
    assert body["answer"].startswith("Grace Hopper owes $130.00 on 1 open invoice")
    [citation] = body["citations"]
    assert set(citation) == {"type", "id", "label", "url"}
    assert citation["type"] == "invoice"
    assert citation["url"] == f"/customers/{account.pk}/invoices/{citation['id']}/"


QUESTIONS = [
    "what's the balance",
    "when did they last pay",
    "unpaid invoices over 100",
    "which plan are they on",
    "open jobs next week",
    "tickets this year",
    "who changed the status",
]


def test_its_citations_link_to_pages_that_show_the_records(api_as, account, client, staff, system):
    from accountdesk.customers import services as customers

    customers.customer_status_change(customer=account, status="blocked", reason="Unpaid", actor=system)
    client.force_login(staff["admin"])
    api = api_as("admin")
    seen = set()
    for question in QUESTIONS:
        citations = api.post(url(account), {"question": question}).json()["citations"]
        assert citations, question
        for citation in citations:
            seen.add(citation["type"])
            assert client.get(citation["url"]).status_code == 200, citation
    assert seen == {"invoice", "payment", "subscription", "job", "ticket", "status_change"}


def test_it_tells_a_technician_no_money_with_200(api_as, account):
    response = api_as("technician").post(url(account), {"question": "how much do they owe"})
    assert response.status_code == 200
    assert response.json() == {"answer": DENIED["billing.view"], "citations": [], "suggestions": []}


def test_it_says_the_module_is_not_enabled(db):
    provider = ProviderFactory(name="No Jobs", slug="nojobs")
    user = UserFactory(provider=provider, role="agent")
    customer = CustomerFactory(provider=provider)
    from tests.conftest import ApiClient

    response = ApiClient(user).post(url(customer), {"question": "open jobs next week"})
    assert response.status_code == 200
    assert response.json()["answer"].startswith("Field Service is not enabled")


def test_it_answers_a_question_it_does_not_understand_with_what_it_can(api_as, customer):
    response = api_as("readonly").post(url(customer), {"question": "what colour is the sky"})
    assert response.status_code == 200
    body = response.json()
    assert body["citations"] == []
    assert body["answer"] == "I can\u2019t answer that. Try one of these questions instead."
    assert len(body["suggestions"]) == 3


def test_it_answers_404_for_another_providers_customer(api_as, foreign_customer):
    TicketFactory(customer=foreign_customer)
    response = api_as("admin").post(url(foreign_customer), {"question": "tickets this year"})
    assert_error(response, 404, "not_found")


def test_it_answers_404_for_an_unknown_customer(api_as, customer):
    response = api_as("admin").post("/api/v1/customers/999999/ask", {"question": "balance"})
    assert_error(response, 404, "not_found")


def test_it_wants_authentication(customer):
    response = Client().post(url(customer), {"question": "balance"}, content_type="application/json")
    assert_error(response, 401, "unauthorized")


def _state(customer) -> tuple:
    return (
        Activity.objects.filter(customer=customer).count(),
        Payment.objects.filter(customer=customer).count(),
        IdempotencyKey.objects.count(),
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"question": ""},
        {"question": "   \n\t "},
        {"question": "x" * 501},
        {"question": 42},
        {"question": None},
        {"question": ["balance"]},
    ],
)
def test_it_refuses_a_missing_empty_or_too_long_question(api_as, account, body):
    before = _state(account)
    response = api_as("agent").post(url(account), body)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"question"}
    assert _state(account) == before


def test_it_refuses_a_body_that_is_not_json(api_as, account):
    response = api_as("agent").post(url(account), raw="question=balance")
    assert response.status_code in (400, 422)
    assert set(response.json()) == {"error"}


def test_it_trims_the_question_before_measuring_it(api_as, account):
    response = api_as("agent").post(url(account), {"question": "  balance" + " " * 600})
    assert response.status_code == 200
    padded = "what's the balance" + " " * 10 + "?" * (500 - 28)
    longest = api_as("agent").post(url(account), {"question": f"  {padded}  "})
    assert longest.status_code == 200
    # Both are answered as the balance question they are.
    assert response.json()["answer"] == longest.json()["answer"]
    assert " owes " in response.json()["answer"]


def test_it_ignores_an_idempotency_key_and_answers_from_the_books_as_they_are(api_as, account, system):
    """Asking writes nothing: no key is stored, and a retry answers the question afresh."""
    api = api_as("billing")
    headers = {"Idempotency-Key": "ask-1"}
    first = api.post(url(account), {"question": "balance"}, headers=headers)
    pay(account, system, "30.00", on=dt.date(2025, 1, 30))
    again = api.post(url(account), {"question": "balance"}, headers=headers)
    assert "$130.00" in first.json()["answer"]
    assert "$100.00" in again.json()["answer"]
    assert "Idempotent-Replayed" not in again
    assert not IdempotencyKey.objects.exists()


def test_it_works_with_the_browser_session_and_its_csrf_token(account, staff):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff["agent"])
    body = json.dumps({"question": "when did they last pay"})
    refused = browser.post(url(account), body, content_type="application/json")
    assert_error(refused, 401, "unauthorized")
    browser.get(f"/customers/{account.pk}/")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post(url(account), body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    expected = "Grace Hopper last paid $20.00 on 10 Jan 2025 by card (reference R-9)."
    assert response.json()["answer"] == expected


def test_it_is_listed_in_the_openapi_document(api_as):
    paths = api_as("readonly").get("/api/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/customers/{customer_id}/ask"]
