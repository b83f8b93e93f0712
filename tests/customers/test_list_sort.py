"""The customer list sorts by name, number, joined date and balance, either way, paged by keyset;
each sort but the balance's is served by an index."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountdesk.billing.models import AccountSummary
from accountdesk.core.pagination import BadCursor
from accountdesk.customers import list_columns, selectors
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

BALANCE = [c for c in list_columns.COLUMNS.values() if c.key == "balance"]


@pytest.fixture
def customers(provider):
    rows = [
        ("delta", "C-000004", dt.date(2021, 5, 1), "12.50"),
        ("Alpha", "C-000010", dt.date(2020, 1, 1), None),
        ("charlie", "C-000002", dt.date(2021, 5, 1), "-3.00"),
        ("Bravo", "C-000001", dt.date(2019, 7, 9), "120.00"),
        ("echo", "C-000003", dt.date(2022, 2, 2), "12.50"),
    ]
    made = []
    for name, number, joined, balance in rows:
        c = CustomerFactory(provider=provider, name=name, number=number, joined_on=joined)
        if balance is not None:
            AccountSummary.objects.create(provider=provider, customer=c, ledger_balance=Decimal(balance))
        c.balance = Decimal(balance or "0")
        made.append(c)
    return made


def _all_pages(provider, ordering: str, *, limit: int = 2) -> list[int]:
    seen, cursor = [], None
    while True:
        page = selectors.customer_list(
            provider=provider, ordering=ordering, limit=limit, cursor=cursor, columns=BALANCE
        )
        seen += [c.pk for c in page.items]
        if not page.next_cursor:
            return seen
        cursor = page.next_cursor


KEYS = {
    "name": lambda c: (c.name.lower(), c.pk),
    "number": lambda c: (c.number, c.pk),
    "joined": lambda c: (c.joined_on, c.pk),
    "balance": lambda c: (c.balance, c.pk),
}


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("descending", [False, True])
def test_it_sorts_each_way_across_keyset_pages(provider, customers, key, descending):
    expected = [c.pk for c in sorted(customers, key=KEYS[key], reverse=descending)]
    assert _all_pages(provider, f"{'-' if descending else ''}{key}") == expected


def test_it_shows_the_balance_from_the_summary_and_zero_without_one(provider, customers):
    page = selectors.customer_list(provider=provider, columns=BALANCE)
    assert {c.name: c.col_balance for c in page.items}["Alpha"] == Decimal("0")
    assert {c.name: c.col_balance for c in page.items}["Bravo"] == Decimal("120.00")


def test_a_cursor_of_another_sort_is_refused(provider, customers):
    page = selectors.customer_list(provider=provider, ordering="joined", limit=2)
    with pytest.raises(BadCursor):
        selectors.customer_list(provider=provider, ordering="number", limit=2, cursor=page.next_cursor)
    with pytest.raises(BadCursor):
        selectors.customer_list(provider=provider, ordering="-joined", limit=2, cursor=page.next_cursor)


def test_the_balance_costs_no_query_of_its_own(provider, customers, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.customer_list(provider=provider, ordering="-balance", columns=BALANCE)


@pytest.mark.parametrize(
    "ordering, index",
    [("name", "customer_by_name"), ("-number", "customer_by_number"), ("joined", "customer_by_joined"),
     ("-joined", "customer_by_joined")],
)  # fmt: skip
def test_each_sort_reads_its_index(provider, customers, ordering, index):
    with CaptureQueriesContext(connection) as queries:
        selectors.customer_list(provider=provider, ordering=ordering, limit=2)
    sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert index in plan, plan


def _page(client, user, **params) -> str:
    client.force_login(user)
    response = client.get("/customers/", params)
    assert response.status_code == 200
    return response.content.decode()


def _names(html: str, customers) -> list[str]:
    return sorted(
        (c.name for c in customers if f">{c.name}</a>" in html), key=lambda n: html.index(f">{n}</a>")
    )


def test_the_list_sorts_by_a_header_link_and_marks_the_current_sort(client, staff, customers):
    html = _page(client, staff["agent"])
    assert _names(html, customers) == ["Alpha", "Bravo", "charlie", "delta", "echo"]
    assert 'aria-sort="ascending"' in html and html.count("aria-sort=") == 1
    assert 'href="?sort=-name"' in html and 'href="?sort=joined"' in html and 'href="?sort=balance"' in html
    html = _page(client, staff["agent"], sort="-joined")
    assert _names(html, customers) == [
        "echo",
        "charlie",
        "delta",
        "Alpha",
        "Bravo",
    ]  # same day: newer id first
    assert 'aria-sort="descending"' in html and 'href="?sort=joined"' in html
    assert '<input type="hidden" name="sort" value="-joined">' in html  # the filters keep the sort
    html = _page(client, staff["agent"], sort="-balance")
    assert _names(html, customers) == ["Bravo", "echo", "delta", "Alpha", "charlie"]
    assert "$120.00" in html


def test_the_next_page_keeps_the_sort(client, staff, provider, customers):
    for i in range(55):
        CustomerFactory(provider=provider, name=f"Zed {i:02d}", joined_on=dt.date(2018, 1, 1))
    html = _page(client, staff["agent"], sort="-joined")
    next_url = html.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert "sort=-joined" in next_url and "cursor=" in next_url
    client.force_login(staff["agent"])
    second = client.get("/customers/" + next_url).content.decode()
    assert "Zed" in second and "echo" not in second


def test_roles_that_do_not_see_money_get_no_balance_column_nor_its_sort(client, staff, customers):
    html = _page(client, staff["technician"], sort="-balance")
    assert "Balance" not in html and "sort=balance" not in html
    assert _names(html, customers) == ["Alpha", "Bravo", "charlie", "delta", "echo"]  # by name


def test_an_unknown_sort_or_a_foreign_cursor_falls_back_to_the_first_page(client, staff, customers):
    assert _names(_page(client, staff["agent"], sort="shoe size"), customers)[0] == "Alpha"
    html = _page(client, staff["agent"], sort="joined", cursor="not-a-cursor")
    assert _names(html, customers)[0] == "Bravo"


def test_the_api_takes_the_same_sort(api_as, customers):
    body = api_as("agent").get("/api/v1/customers", sort="-joined", limit=2).json()
    assert [c["name"] for c in body["items"]] == ["echo", "charlie"]
    more = (
        api_as("agent").get("/api/v1/customers", sort="-joined", limit=10, cursor=body["next_cursor"]).json()
    )
    assert [c["name"] for c in more["items"]] == ["delta", "Alpha", "Bravo"]
    by_balance = api_as("billing").get("/api/v1/customers", sort="-balance").json()["items"]
    assert by_balance[0]["name"] == "Bravo"
    assert api_as("technician").get("/api/v1/customers", sort="balance").status_code == 403
    bad = api_as("agent").get("/api/v1/customers", sort="shoe")
    assert bad.status_code == 422 and "sort" in bad.json()["error"]["fields"]
    foreign = api_as("agent").get("/api/v1/customers", sort="number", cursor=body["next_cursor"])
    assert foreign.status_code == 400
