"""Each read of a customer in /api/v1 costs a fixed number of queries, however long the history.

Every GET route of the OpenAPI document under /api/v1/customers/{customer_id} that reads the
customer or a list of its records is pinned here (`test_every_customer_read_is_pinned` fails for a
new one): it is called on a small history and again after hundreds more rows of every kind
(tests/history.py), and costs the pinned number both times.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountdesk.api.api import api as api_v1
from tests.history import grow_history

# Every read starts with the token lookup (user and provider joined); most then read the customer
# (group, manager joined) and one page of rows with what they show joined in.
READS = {
    "": 3,  # the customer + its tags
    "dashboard": 2,  # the token, then one statement for every section (core/bundle.py)
    "contacts": 4,  # + one page of contacts + their primary addresses
    "custom-fields": 4,  # + the provider's definitions + the customer's values
    "status-history": 3,
    "notes": 3,
    "activity": 3,
    "messages": 3,
    "invoices": 3,
    "payments": 3,
    "credits": 3,
    "credit-requests": 3,
    "ledger": 3,
    "statement": 7,  # opening balance, the period's lines, the aging as it stood at the end
    "instalments": 3,
    "recurring-invoices": 3,
    "estimates": 3,
    "agreements": 3,
    "subscriptions": 3,
    "usage": 6,  # the subscription, its package and period, then the roll-ups
    "usage-notifications": 3,
    "tickets": 3,
    "call-logs": 3,
    "jobs": 3,
    "equipment": 3,
    "contracts": 3,
    "collections": 4,  # the token, the customer, its collections stage, its last steps
}
# Customer routes that are not reads of a history: the statement as a PDF (tests/billing) and the
# tabs' exports (tests/exports), both files rather than pages of rows.
NOT_READS = {"statement.pdf", "{tab}/export"}
PREFIX = "/api/v1/customers/{customer_id}"


def test_every_customer_read_is_pinned():
    schema = api_v1.get_openapi_schema()
    routes = {
        path.removeprefix(PREFIX).removeprefix("/")
        for path, operations in schema["paths"].items()
        if path.startswith(PREFIX) and "get" in operations
    }
    reads = {r for r in routes - NOT_READS if "{" not in r}  # one record by its id is not a history
    assert reads == set(READS)


def _count(api, path) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


@pytest.mark.parametrize("read", READS, ids=lambda r: r or "customer")
def test_a_read_costs_the_same_for_a_new_and_a_long_history(api_as, customer, read):
    expected = READS[read]
    path = f"/api/v1/customers/{customer.pk}/{read}".rstrip("/")
    api = api_as("agent" if read != "credit-requests" else "billing")
    grow_history(customer, 3)
    small, _ = _count(api, path)
    grow_history(customer, 120)
    large, body = _count(api, path)
    if isinstance(body, dict) and "items" in body:  # a full page of the grown history
        assert len(body["items"]) == 50
    assert (small, large) == (expected, expected)


# The key metrics explained (/metrics/{metric}/explain): the token, the customer, then the
# metric's reads: the summary row, one page of records, one aggregate of the rest, and for money
# lines what they rest on (payments and credits applied, the ledger entries, their open disputes).
EXPLAIN_READS = {
    "total_due": 9,
    "account_credit": 7,
    "lifetime_value": 7,
    "account_current": 7,
    "open_jobs": 4,
}


@pytest.mark.parametrize("metric", EXPLAIN_READS)
def test_an_explanation_costs_the_same_for_a_new_and_a_long_history(api_as, customer, metric):
    api = api_as("agent")
    path = f"/api/v1/customers/{customer.pk}/metrics/{metric}/explain"
    grow_history(customer, 3)
    small, _ = _count(api, path)
    grow_history(customer, 120)
    large, body = _count(api, path)
    assert body["lines"]
    assert (small, large) == (EXPLAIN_READS[metric], EXPLAIN_READS[metric])
