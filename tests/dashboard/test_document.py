"""The dashboard JSON document: its shape, its rules, its permissions and its fixed cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountdesk.tenancy.models import MODULES
from tests.dashboard.builders import busy_customer, new_customer


def url(customer, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/v1/customers/{customer.pk}/dashboard" + (f"?{query}" if query else "")


def fetch(client, customer, **params):
    doc, queries = fetch_sql(client, customer, **params)
    return doc, len(queries)


def fetch_sql(client, customer, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(customer, **params))
    assert response.status_code == 200, response.content
    return response.json(), [q["sql"] for q in queries.captured_queries]


def test_it_has_every_section_of_the_contract(api_as, provider, staff):
    customer = busy_customer(provider, staff)
    doc, _ = fetch(api_as("agent").client, customer)
    assert set(doc) >= {
        "customer",
        "alert_banners",
        "metrics",
        "alerts",
        "payment_method",
        "billing",
        "contacts",
        "subscriptions",
        "recent_invoices",
        "instalments",
        "payments",
        "service_requests",
        "notes",
        "activity",
    }
    assert set(doc["metrics"]) == {
        "total_due",
        "account_credit",
        "net_due",
        "lifetime_value",
        "account_current",
        "open_jobs",
    }
    assert doc["customer"]["tags"] == ["fibre", "vip"]


def test_it_applies_each_sections_limit(api_as, provider, staff):
    customer = busy_customer(provider, staff)
    doc, _ = fetch(api_as("agent").client, customer)
    assert len(doc["contacts"]) == 3 and doc["contacts"][0]["is_primary"]
    assert len(doc["recent_invoices"]) == 3
    assert len(doc["payments"]) == 3
    assert len(doc["instalments"]) == 3
    assert len(doc["service_requests"]) == 3
    assert len(doc["alerts"]) == 3
    assert len(doc["notes"]) == 5 and all(n["kind"] == "note" for n in doc["notes"])
    assert doc["subscriptions"]["total"] == 5 and len(doc["subscriptions"]["items"]) == 3
    assert doc["metrics"]["open_jobs"] == 3


def test_it_costs_the_same_queries_for_a_new_and_a_busy_customer(api_as, provider, staff):
    client = api_as("agent").client
    light = new_customer(provider)
    heavy = busy_customer(provider, staff, invoices=40, notes=60)
    fetch(client, light)  # warm the per-process caches (content types, sessions)
    _, light_queries = fetch(client, light)
    _, heavy_queries = fetch(client, heavy)
    assert light_queries == heavy_queries
    # The whole request: token auth (1) plus the dashboard's sections with every module on, all in
    # one statement.
    assert heavy_queries == DASHBOARD_QUERIES_ALL_MODULES


DASHBOARD_QUERIES_ALL_MODULES = 2
MODULE_TABLES = (
    "usage_usagenotification",
    "servicedesk_ticket",
    "billing_instalmentpurchase",
    "fieldservice_job",
)


def test_it_gives_null_for_modules_the_provider_lacks_and_spends_no_query_on_them(api_as, provider, staff):
    customer = busy_customer(provider, staff)
    client = api_as("agent").client
    _, with_modules = fetch_sql(client, customer)
    assert all(table in with_modules[-1] for table in MODULE_TABLES)
    for module in MODULES:
        setattr(provider, module, False)
    provider.save()
    doc, without_modules = fetch_sql(client, customer)
    assert doc["alerts"] is None
    assert doc["service_requests"] is None
    assert doc["instalments"] is None
    assert doc["metrics"]["open_jobs"] is None
    # Alerts, service requests, instalments and open jobs are not read at all.
    assert len(without_modules) == len(with_modules)
    assert not any(table in sql for sql in without_modules for table in MODULE_TABLES)


def test_it_shows_no_money_to_a_technician(api_as, provider, staff):
    customer = busy_customer(provider, staff)
    doc, _ = fetch(api_as("technician").client, customer)
    for key in ("payment_method", "billing", "recent_invoices", "instalments", "payments"):
        assert key not in doc
    assert set(doc["metrics"]) == {"open_jobs"}
    assert doc["subscriptions"]["items"] and all(s["price"] is None for s in doc["subscriptions"]["items"])


def test_it_merges_tickets_into_the_notes_when_asked(api_as, provider, staff):
    customer = busy_customer(provider, staff)
    doc, _ = fetch(api_as("agent").client, customer, include_tickets_in_notes="true")
    kinds = [n["kind"] for n in doc["notes"]]
    assert len(kinds) == 5 and "ticket" in kinds


@pytest.mark.parametrize("role", ["admin", "billing", "agent", "technician", "readonly"])
def test_it_answers_every_role(api_as, provider, staff, role):
    customer = new_customer(provider)
    response = api_as(role).get(url(customer))
    assert response.status_code == 200
    doc = response.json()
    assert doc["customer"]["id"] == customer.pk and doc["metrics"]["open_jobs"] == 0
    # Every role but the technician sees the account's money.
    assert ("total_due" in doc["metrics"]) is (role != "technician")


def test_it_hides_another_providers_customer(api_as, foreign_customer):
    response = api_as("agent").get(url(foreign_customer))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "99999999999999999999"])
def test_it_answers_bad_ids_with_4xx(api_as, db, bad):
    response = api_as("agent").get(f"/api/v1/customers/{bad}/dashboard")
    assert 400 <= response.status_code < 500


def test_it_carries_server_timing(api_as, provider):
    response = api_as("agent").get(url(new_customer(provider)))
    assert 'queries"' in response["Server-Timing"]
