"""The credit endpoint answers 202 with the pending request when an agent goes above the 30-day
limit; billing users list, approve and decline requests through the API."""

from decimal import Decimal as D

import pytest

from accountdesk.billing import services
from accountdesk.billing.models import Credit, CreditRequest
from tests.api.conftest import assert_error


@pytest.fixture
def limits(provider):
    provider.agent_credit_limit = D("50.00")
    provider.agent_credit_limit_30d = D("60.00")
    provider.save()
    return provider


def _credits(customer) -> str:
    return f"/api/v1/customers/{customer.pk}/credits"


def _requests(customer, tail: str = "") -> str:
    return f"/api/v1/customers/{customer.pk}/credit-requests{tail}"


@pytest.fixture
def pending(limits, api_as, customer):
    agent = api_as("agent")
    assert agent.post(_credits(customer), {"amount": "50.00", "reason": "Outage"}).status_code == 201
    response = agent.post(_credits(customer), {"amount": "20.00", "reason": "Second outage"})
    assert response.status_code == 202, response.content
    return response.json()


def test_a_credit_above_the_30_day_limit_answers_202_with_the_request(pending, customer, agent):
    assert pending["status"] == "pending" and pending["amount"] == "20.00"
    assert pending["requested_by"] == agent.display_name and pending["credit"] is None
    assert (pending["window_used"], pending["window_limit"]) == ("50.00", "60.00")
    assert Credit.objects.filter(customer=customer).count() == 1


def test_the_per_credit_cap_is_still_a_403(limits, api_as, customer):
    response = api_as("agent").post(_credits(customer), {"amount": "50.01", "reason": "Outage"})
    assert_error(response, 403, "permission_denied")
    assert not CreditRequest.objects.exists()


def test_billing_lists_pending_requests(pending, api_as, customer):
    body = api_as("billing").get(_requests(customer), status="pending").json()
    assert [r["id"] for r in body["items"]] == [pending["id"]] and body["next_cursor"] is None
    assert api_as("billing").get(_requests(customer), status="declined").json()["items"] == []


def test_billing_approves_a_request(pending, api_as, customer, staff):
    response = api_as("billing").post(_requests(customer, f"/{pending['id']}/approve"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "approved" and body["decided_by"] == staff["billing"].display_name
    assert body["credit"]["amount"] == "20.00" and body["credit"]["actor"] == staff["billing"].display_name
    again = api_as("admin").post(_requests(customer, f"/{pending['id']}/approve"))
    assert_error(again, 409, "conflict")
    assert Credit.objects.filter(customer=customer).count() == 2


def test_billing_declines_a_request_with_a_reason(pending, api_as, customer):
    billing = api_as("billing")
    url = _requests(customer, f"/{pending['id']}/decline")
    assert_error(billing.post(url, {}), 422, "validation_error")
    response = billing.post(url, {"reason": "Already refunded"})
    assert response.status_code == 200
    assert response.json()["status"] == "declined" and response.json()["decline_reason"] == "Already refunded"
    assert Credit.objects.filter(customer=customer).count() == 1


@pytest.mark.parametrize("role", ["agent", "technician", "readonly"])
def test_other_roles_cannot_decide(pending, api_as, customer, role):
    api = api_as(role)
    assert_error(api.post(_requests(customer, f"/{pending['id']}/approve")), 403, "permission_denied")
    response = api.post(_requests(customer, f"/{pending['id']}/decline"), {"reason": "no"})
    assert_error(response, 403, "permission_denied")
    assert CreditRequest.objects.get().status == "pending"


def test_another_providers_request_is_not_found(pending, api_as, customer, foreign_customer):
    from accountdesk.core.actors import Actor
    from tests.factories import UserFactory

    foreign_agent = Actor.staff(UserFactory(provider=foreign_customer.provider, role="agent"))
    foreign_customer.provider.agent_credit_limit_30d = D("0.00")
    foreign_customer.provider.save()
    theirs = services.credit_issue(customer=foreign_customer, amount="5.00", reason="x", actor=foreign_agent)
    billing = api_as("billing")
    assert_error(billing.post(_requests(customer, f"/{theirs.pk}/approve")), 404, "not_found")
    assert_error(billing.post(_requests(foreign_customer, f"/{theirs.pk}/approve")), 404, "not_found")
    assert_error(billing.get(_requests(foreign_customer)), 404, "not_found")
    assert CreditRequest.objects.get(pk=theirs.pk).status == "pending"


def test_an_idempotent_retry_of_a_request_makes_one_request(limits, api_as, customer):
    agent = api_as("agent")
    agent.post(_credits(customer), {"amount": "50.00", "reason": "Outage"})
    body = {"amount": "20.00", "reason": "Again"}
    first = agent.post(_credits(customer), body, headers={"Idempotency-Key": "req-1"})
    again = agent.post(_credits(customer), body, headers={"Idempotency-Key": "req-1"})
    assert first.status_code == again.status_code == 202 and again.json() == first.json()
    assert CreditRequest.objects.count() == 1
