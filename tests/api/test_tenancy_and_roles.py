"""Every foundation endpoint: another provider's ids are not found, and each role gets exactly its rights."""

import pytest

from accountdesk.customers.models import Customer
from tests.api.conftest import ENDPOINTS, ROLES, assert_error, call, endpoint_id, fill, snapshot
from tests.factories import CustomerFactory


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=endpoint_id)
def test_it_answers_not_found_for_another_providers_customer(api_as, world, endpoint):
    method, path, body, _, _ = endpoint
    theirs = world["theirs"]
    before = snapshot(theirs["customer"])
    response = call(api_as("admin"), method, fill(path, theirs), body)
    assert_error(response, 404, "not_found")
    assert snapshot(theirs["customer"]) == before


@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if "{contact}" in e[1] or "{field}" in e[1]], ids=endpoint_id
)
def test_it_answers_not_found_for_another_providers_sub_record_under_our_customer(api_as, world, endpoint):
    method, path, body, _, _ = endpoint
    ours, theirs = world["ours"], world["theirs"]
    mixed = {**ours, "contact": theirs["contact"], "field": theirs["field"]}
    before = (snapshot(ours["customer"]), snapshot(theirs["customer"]))
    response = call(api_as("admin"), method, fill(path, mixed), body)
    assert_error(response, 404, "not_found")
    assert (snapshot(ours["customer"]), snapshot(theirs["customer"])) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=endpoint_id)
@pytest.mark.parametrize("role", ROLES)
def test_it_gives_each_role_exactly_its_permissions(api_as, world, endpoint, role):
    method, path, body, allowed, ok = endpoint
    ours = world["ours"]
    before = snapshot(ours["customer"])
    response = call(api_as(role), method, fill(path, ours), body)
    if allowed == "all" or role in allowed:
        assert response.status_code == ok, response.content
    else:
        assert_error(response, 403, "permission_denied")
        assert snapshot(ours["customer"]) == before


def test_readonly_cannot_change_a_status(api_as, customer):
    response = api_as("readonly").post(
        f"/api/v1/customers/{customer.pk}/status", {"status": "blocked", "reason": "Unpaid"}
    )
    assert_error(response, 403, "permission_denied")
    customer.refresh_from_db()
    assert customer.status == "active"
    assert not customer.status_changes.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_and_agents_create_customers(api_as, role, provider):
    response = api_as(role).post("/api/v1/customers", {"name": "Brand New"})
    if role in {"admin", "agent"}:
        assert response.status_code == 201
        assert Customer.objects.filter(provider=provider, name="Brand New").exists()
    else:
        assert_error(response, 403, "permission_denied")
        assert not Customer.objects.filter(name="Brand New").exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_unarchive(api_as, provider, role):
    archived = CustomerFactory(provider=provider, status="archived", status_before_archive="blocked")
    response = api_as(role).post(f"/api/v1/customers/{archived.pk}/unarchive")
    archived.refresh_from_db()
    if role == "admin":
        assert response.status_code == 200
        assert archived.status == "blocked"
    else:
        assert_error(response, 403, "permission_denied")
        assert archived.status == "archived"


def test_a_search_never_returns_another_providers_customers(api_as, world):
    theirs = world["theirs"]["customer"]
    api = api_as("admin")
    for q in [theirs.name, theirs.number, theirs.email, world["theirs"]["contact"].name, ""]:
        items = api.get("/api/v1/customers", q=q, include_archived="true").json()["items"]
        assert theirs.pk not in {i["id"] for i in items}, q


def test_a_filter_by_another_providers_group_or_tag_finds_nothing(api_as, world):
    theirs = world["theirs"]
    theirs["customer"].tags.add(theirs["tag"])
    response = api_as("admin").get("/api/v1/customers", tag_id=theirs["tag"].pk)
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_an_inactive_users_token_is_refused(api_as, staff, customer):
    api = api_as("agent")
    staff["agent"].is_active = False
    staff["agent"].save()
    assert_error(api.get(f"/api/v1/customers/{customer.pk}"), 401, "unauthorized")


def test_a_wrong_token_is_refused(client, customer):
    response = client.get(f"/api/v1/customers/{customer.pk}", HTTP_AUTHORIZATION="Bearer adk_nope")
    assert_error(response, 401, "unauthorized")
