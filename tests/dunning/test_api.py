"""/api/v1/collections/policy, /customers/{id}/collections and /customers/{id}/promise-to-pay."""

import pytest

from accountdesk.dunning.models import DunningPolicy, DunningState
from accountdesk.dunning.services import dunning_run
from tests.dunning.conftest import STEPS, days_after_due, on

pytestmark = pytest.mark.django_db

POLICY = "/api/v1/collections/policy"


def test_an_admin_sets_and_reads_the_policy(api_as):
    admin = api_as("admin")
    response = admin.post(POLICY, {"enabled": True, "steps": STEPS})
    assert response.status_code == 200
    body = response.json()
    assert [(s["days"], s["action"], s["fee"]) for s in body["steps"]] == [
        (5, "email", None), (10, "sms", None), (15, "fee", "5.00"), (30, "block", None),
    ]  # fmt: skip
    assert admin.get(POLICY).json()["steps"] == body["steps"]


def test_steps_out_of_order_answer_422_naming_the_step(api_as):
    admin = api_as("admin")
    response = admin.post(
        POLICY, {"steps": [{"days": 10, "action": "block"}, {"days": 7, "action": "block"}]}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "steps.2.days" in error["fields"]
    assert not DunningPolicy.objects.exists()
    assert admin.post(POLICY, {"steps": "all of them"}).status_code == 422
    assert admin.post(POLICY, {"steps": [{"days": 3, "action": "fee", "fee": 2.5}]}).status_code == 422
    assert not DunningPolicy.objects.exists()


@pytest.mark.parametrize("role", ["agent", "billing", "technician", "readonly"])
def test_only_admins_read_or_set_the_policy(api_as, role):
    assert api_as(role).get(POLICY).status_code == 403
    assert api_as(role).post(POLICY, {"steps": STEPS}).status_code == 403
    assert not DunningPolicy.objects.exists()


def test_a_customers_collections_and_a_promise(api_as, customer, policy, overdue_invoice):
    on(days_after_due(12))
    dunning_run(provider=customer.provider, on=days_after_due(12))
    agent = api_as("agent")
    body = agent.get(f"/api/v1/customers/{customer.pk}/collections").json()
    assert body["in_collections"] is True
    assert (body["stage_days"], body["stage_action"], body["overdue_since"]) == (10, "sms", "2025-03-31")
    assert [s["days"] for s in body["recent_steps"]] == [10, 5]
    response = agent.post(
        f"/api/v1/customers/{customer.pk}/promise-to-pay",
        {"until": "2025-04-30", "note": "Salary on the 28th"},
    )
    assert response.status_code == 201
    assert response.json()["promise_until"] == "2025-04-30"
    assert DunningState.objects.get(customer=customer).promise_note == "Salary on the 28th"


def test_a_bad_promise_answers_422_and_changes_nothing(api_as, customer):
    response = api_as("agent").post(f"/api/v1/customers/{customer.pk}/promise-to-pay", {"until": "yesterday"})
    assert response.status_code == 422
    assert "until" in response.json()["error"]["fields"]
    assert not DunningState.objects.exists()


def test_readonly_makes_no_promise(api_as, customer):
    response = api_as("readonly").post(
        f"/api/v1/customers/{customer.pk}/promise-to-pay", {"until": "2025-03-20"}
    )
    assert response.status_code == 403
    assert not DunningState.objects.exists()


def test_another_providers_customer_is_not_found(api_as, foreign_customer):
    agent = api_as("agent")
    assert agent.get(f"/api/v1/customers/{foreign_customer.pk}/collections").status_code == 404
    response = agent.post(f"/api/v1/customers/{foreign_customer.pk}/promise-to-pay", {"until": "2025-03-20"})
    assert response.status_code == 404
    assert not DunningState.objects.exists()
