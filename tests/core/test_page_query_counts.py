"""Every tab of the customer page costs a fixed number of queries, however long the history.

Each tab is opened on an account with a small history and again after hundreds more rows of every
kind (tests/history.py); both cost the number pinned here, so a change in a tab's cost is seen.
A tab registered without a pin fails `test_every_registered_tab_is_pinned`.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountdesk.customers.tabs import TABS
from tests.history import grow_history

# tab -> (queries, what a grown row looks like on it). Every page starts with the session and its
# user (2); the tab's reads follow. The customer's own fields are all the Details tab shows.
TAB_QUERIES = {
    "dashboard": (3, r"Entry \d+-\d+"),
    "details": (4, r"C-\d{6}"),
    "contacts": (6, r"Contact \d+-\d+"),  # + the contacts' portal accounts
    "billing": (6, r"•••• 4242"),
    "invoices": (4, r"G\d+-\d{5}"),
    "recurring_invoices": (4, r"Rent \d+-\d+"),
    "payments": (4, r"\$5\.00"),
    "credits": (6, r"Credit \d+-\d+"),
    "ledger": (6, r"credit_issued \d+"),  # + the open disputes on the page's entries
    "statement": (9, r"credit_issued \d+"),
    "subscriptions": (4, r"Metered \d+"),
    "instalments": (4, r"Router \d+-\d+"),
    "estimates": (4, r"E\d+-\d{5}"),
    "agreements": (4, r"Agreement \d+-\d+"),
    "jobs": (5, r"J\d+-\d{5}"),
    "future_jobs": (5, r"J\d+-\d{5}"),
    "schedule": (4, r"J\d+-\d{5}"),
    "tickets": (5, r"T\d+-\d{5}"),
    "call_logs": (6, r"Call \d+"),
    "equipment": (5, r"02:00:00:[0-9A-F]{2}:"),
    "usage": (9, r"Metered \d+"),
    "contracts": (7, r"Signer"),
    "notes": (4, r"Note \d+-\d+"),
    "activity": (4, r"Entry \d+-\d+"),
    "messages": (4, r"Message \d+-\d+"),
    "event_log": (4, r"Entry \d+-\d+"),
    "custom_fields": (5, r"Field \d+-\d+"),
}


def test_every_registered_tab_is_pinned():
    assert set(TABS) == set(TAB_QUERIES)


def _open(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


@pytest.mark.parametrize("key", sorted(TAB_QUERIES))
def test_a_tab_costs_the_same_for_a_small_and_a_grown_history(client, staff, customer, key):
    expected, grown_row = TAB_QUERIES[key]
    client.force_login(staff["admin"])  # every permission; the provider has every module
    url = reverse(TABS[key].url_name, args=[customer.pk])
    client.get(url)  # warm the per-process caches (content types, compiled statements)
    grow_history(customer, 4)
    small, _ = _open(client, url)
    grow_history(customer, 120)
    large, html = _open(client, url)
    assert re.search(grown_row, html), f"the {key} tab shows none of the grown history"
    assert (small, large) == (expected, expected)
