"""The dashboard as of a past day: the document of that day's end, the refusals, the page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accountdesk.billing import services as billing
from accountdesk.billing.models import Invoice
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.customers import services as customers
from accountdesk.customers.models import CustomFieldDefinition
from accountdesk.history.models import MoneySnapshot
from accountdesk.notes import services as notes
from tests.dashboard.builders import busy_customer
from tests.factories import ContactFactory, CustomerFactory


def url(customer, as_of=None):
    return f"/api/v1/customers/{customer.pk}/dashboard" + (f"?as_of={as_of}" if as_of else "")


def document(client, customer, as_of=None):
    response = client.get(url(customer, as_of))
    assert response.status_code == 200, response.content
    return response.json()


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def test_as_of_today_is_exactly_todays_document(api_as, provider, staff):
    customer = busy_customer(provider, staff)
    client = api_as("agent").client
    today = clock.today()
    assert document(client, customer, today.isoformat()) == document(client, customer)


def test_as_of_today_through_the_rebuild_equals_todays_document(api_as, provider, staff):
    """The rebuild itself, asked for an instant after every write, gives today's sections."""
    from accountdesk.dashboard.asof import dashboard_as_of
    from accountdesk.dashboard.document import dashboard_document
    from accountdesk.dashboard.selectors import dashboard_get

    customer = busy_customer(provider, staff)
    user = staff["billing"]
    live = dashboard_document(dashboard_get(user=user, customer_id=customer.pk))
    # A day after every row the builder wrote (its tickets and jobs carry their own dates).
    day = dt.date(2030, 1, 1)
    clock.freeze(at(day + dt.timedelta(days=1)))
    rebuilt = dashboard_document(dashboard_as_of(user=user, customer_id=customer.pk, day=day))
    assert rebuilt.pop("as_of") == {"date": day, "not_rebuilt": []}
    live["metrics"].pop("account_current")
    rebuilt["metrics"].pop("account_current")
    for section in ("instalments",):  # their estimated end counts from the day shown
        live.pop(section), rebuilt.pop(section)
    assert rebuilt == live


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("2025-02-01", "Choose today or a day before."),
        ("2019-12-31", "The customer had not joined by then."),
        ("2025-02-30", "Enter a date as YYYY-MM-DD."),
        ("yesterday", "Enter a date as YYYY-MM-DD."),
    ],
)
def test_a_day_in_the_future_or_before_joining_is_refused_naming_the_field(api_as, provider, as_of, message):
    customer = CustomerFactory(provider=provider, joined_on=dt.date(2020, 1, 1))
    response = api_as("agent").client.get(url(customer, as_of))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["fields"] == {"as_of": message}


def test_another_providers_customer_is_not_found(api_as, foreign_customer):
    response = api_as("agent").client.get(url(foreign_customer, "2025-01-01"))
    assert response.status_code == 404


def test_the_past_shows_money_status_fields_and_rows_as_they_were(api_as, provider, staff):
    system = Actor.system(provider)
    day1 = dt.date(2024, 3, 10)
    clock.freeze(at(day1, 9))
    customer = customers.customer_create(
        provider=provider,
        data={"name": "Old Name", "status": "active", "email": "old@example.test"},
        actor=system,
    )
    contact = ContactFactory(customer=customer, name="First Contact", is_primary=True)
    field = CustomFieldDefinition.objects.create(provider=provider, name="Router", show_on_overview=True)
    customers.custom_field_set(customer=customer, definition=field, value="RT-1", actor=system)
    invoice = billing.invoice_issue(
        customer=customer, lines=[{"description": "March", "unit_price": "100.00"}], actor=system
    )
    billing.payment_record(customer=customer, amount="30.00", method="card", actor=system)
    notes.note_add(customer=customer, body="Called on day one", actor=system)
    client = api_as("billing").client
    clock.freeze(at(day1, 23))
    snapshot = document(client, customer)

    # Months later: everything moves on.
    clock.freeze(at(dt.date(2024, 9, 2)))
    customers.customer_update(
        customer=customer, data={"name": "New Name", "email": "new@example.test"}, actor=system
    )
    customers.customer_status_change(customer=customer, status="blocked", reason="Unpaid", actor=system)
    customers.contact_update(contact=contact, data={"name": "Renamed Contact"}, actor=system)
    customers.custom_field_set(customer=customer, definition=field, value="RT-2", actor=system)
    billing.payment_record(customer=customer, amount="70.00", method="card", actor=system)
    billing.invoice_issue(
        customer=customer, lines=[{"description": "Sept", "unit_price": "50.00"}], actor=system
    )
    notes.note_add(customer=customer, body="Called later", actor=system)

    past = document(client, customer, day1.isoformat())
    assert past.pop("as_of") == {"date": "2024-03-10", "not_rebuilt": []}
    assert past == snapshot
    assert past["customer"]["name"] == "Old Name" and past["customer"]["status"] == "active"
    assert past["metrics"]["total_due"] == "70.00"
    assert past["recent_invoices"][0]["id"] == invoice.pk and past["recent_invoices"][0]["balance"] == "70.00"
    assert Invoice.objects.get(pk=invoice.pk).balance == Decimal("0.00")
    assert past["contacts"][0]["name"] == "First Contact"
    # Due on 9 April: not overdue on 10 March, and the page says so too.
    client_page = Client()
    client_page.force_login(staff["admin"])
    html = client_page.get(f"/customers/{customer.pk}/?as_of={day1.isoformat()}").content.decode()
    invoices_card = html.split('id="dash-invoices"', 1)[1].split("</section>", 1)[0]
    assert invoice.number in invoices_card and "Overdue" not in invoices_card
    assert past["custom_fields"] == [{"name": "Router", "value": "RT-1"}]


def test_a_month_is_snapshotted_once_and_reused(api_as, provider, staff):
    customer = busy_customer(provider, staff)
    client = api_as("billing").client
    document(client, customer, "2024-06-15")
    assert list(MoneySnapshot.objects.filter(customer=customer).values_list("month", flat=True)) == [
        dt.date(2024, 6, 1)
    ]
    first = document(client, customer, "2024-06-20")
    assert MoneySnapshot.objects.filter(customer=customer).count() == 1
    MoneySnapshot.objects.all().delete()
    assert document(client, customer, "2024-06-20") == first


def test_the_page_of_the_past_has_a_banner_and_no_action(client, provider, staff):
    customer = busy_customer(provider, staff)
    client.force_login(staff["admin"])
    page = client.get(f"/customers/{customer.pk}/?as_of=2024-06-20")
    assert page.status_code == 200
    html = page.content.decode()
    assert "A view of the past" in html and 'data-as-of="2024-06-20"' in html
    assert 'id="as-of-today"' in html
    account = html.split('class="customer-top"', 1)[1]  # below the header (its sign-out form)
    assert 'method="post"' not in account
    assert f'hx-get="/customers/{customer.pk}/dashboard/actions/' not in account
    assert "Change status" not in account
    assert 'class="explain-btn' not in account  # explanations are of today's figures
    today = client.get(f"/customers/{customer.pk}/")
    assert "A view of the past" not in today.content.decode()
    assert "Change status" in today.content.decode()
    assert f'hx-get="/customers/{customer.pk}/dashboard/actions/' in today.content.decode()
    assert 'class="explain-btn' in today.content.decode()


def test_the_page_refuses_a_day_in_the_future_with_a_400_and_shows_today(client, provider, staff):
    customer = busy_customer(provider, staff)
    client.force_login(staff["admin"])
    page = client.get(f"/customers/{customer.pk}/?as_of=2031-01-01")
    assert page.status_code == 400
    assert "Choose today or a day before." in page.content.decode()


@pytest.mark.parametrize("where", ["api", "page"])
def test_as_of_costs_the_same_for_a_small_and_a_grown_history(api_as, client, staff, customer, where):
    """Pinned: the token (or the session and its user), one statement for every section
    (dashboard.asof.AS_OF), then the money: the month's snapshot, the month's ledger entries, and
    in one statement what they moved (history.money.replay)."""
    from tests.history import grow_history

    day = "2025-01-20"
    if where == "api":
        api = api_as("billing").client
        url_ = url(customer, day)
    else:
        api = client
        client.force_login(staff["admin"])
        url_ = f"/customers/{customer.pk}/?as_of={day}"
    counts = []
    for rows in (4, 120):
        grow_history(customer, rows)
        MoneySnapshot.objects.all().delete()
        assert api.get(url_).status_code == 200  # writes the month's snapshot
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url_).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts == [PINNED[where]] * 2


PINNED = {"api": 5, "page": 6}  # the page signs in with the session and its user
