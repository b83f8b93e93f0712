import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountdesk.customers.tabs import visible_tabs


@pytest.fixture
def without_usage(provider):
    provider.usage = False
    provider.save()
    return provider


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/usage", None),
        ("get", "/usage-notifications", None),
        ("post", "/usage", {"rows": [{"at": "2025-03-02T10:00:00Z", "quantity": 1}]}),
        ("post", "/usage-preference", {"channel": "sms"}),
    ],
)
def test_it_answers_module_not_enabled_without_spending_a_query(
    without_usage, api_as, customer, method, path, body
):
    client = api_as("admin")
    with CaptureQueriesContext(connection) as queries:
        target = f"/api/v1/customers/{customer.pk}{path}"
        response = client.get(target) if method == "get" else client.post(target, body)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "module_not_enabled"
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    # authentication reads the token; nothing of usage (nor the customer) is read
    assert "usage_" not in tables and "customers_customer" not in tables


def test_it_hides_the_usage_tab(without_usage, admin, customer, client):
    assert "usage" not in [t.key for t in visible_tabs(admin)]
    client.force_login(admin)
    assert client.get(f"/customers/{customer.pk}/usage/").status_code == 404


def test_it_shows_the_usage_tab_with_the_module(admin):
    assert "usage" in [t.key for t in visible_tabs(admin)]


def test_it_renders_the_usage_tab_with_the_period_graph(admin, customer, subscription, client):
    client.force_login(admin)
    response = client.get(f"/customers/{customer.pk}/usage/")
    assert response.status_code == 200
    assert b"usage-period-data" in response.content and b"uplot.min.js" in response.content
    assert b"Mobile 10 GB" in response.content


def test_it_says_so_when_nothing_is_metered(admin, customer, client):
    client.force_login(admin)
    assert b"has no package with metered usage" in client.get(f"/customers/{customer.pk}/usage/").content
