"""The dashboard page: its sections for each role and module set, the section refreshes, the note
dialog, other providers' ids, and a query count that does not grow with the account's history."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountdesk.tenancy.models import MODULES
from tests.dashboard.builders import busy_customer, new_customer
from tests.dashboard.test_document import MODULE_TABLES
from tests.factories import ContactFactory

ALL_SECTIONS = {
    "metrics",
    "summary",
    "alerts",
    "payment_method",
    "billing",
    "contacts",
    "subscriptions",
    "invoices",
    "instalments",
    "payments",
    "service_requests",
    "notes",
    "activity",
}
MONEY_SECTIONS = {"payment_method", "billing", "invoices", "instalments", "payments"}


def page_url(customer) -> str:
    return reverse("tabs:dashboard", args=[customer.pk])


def section_url(customer, name: str) -> str:
    return reverse("tabs:dashboard_section", args=[customer.pk, name])


def open_page(client, user, customer, **params):
    client.force_login(user)
    response = client.get(page_url(customer), params)
    assert response.status_code == 200
    return response.content.decode()


def sections_in(html: str) -> set[str]:
    return set(re.findall(r'id="dash-([a-z_]+)"', html))


def section_of(html: str, name: str) -> str:
    start = html.index(f'id="dash-{name}"')
    return html[start : html.index("</section>", start)]


def action_buttons_in(html: str) -> set[str]:
    return set(re.findall(r'id="act-([a-z]+)"', html))


def test_it_shows_an_agent_every_section_in_the_products_order(client, provider, staff):
    html = open_page(client, staff["agent"], busy_customer(provider, staff))
    assert sections_in(html) == ALL_SECTIONS
    order = [m.group(1) for m in re.finditer(r'id="dash-([a-z_]+)"', html)]
    assert order == [
        "metrics",
        "summary",
        "alerts",
        "payment_method",
        "billing",
        "contacts",
        "subscriptions",
        "invoices",
        "instalments",
        "payments",
        "service_requests",
        "notes",
        "activity",
    ]
    # The busy customer has an overdue invoice: a promise to pay can pause collections.
    assert action_buttons_in(html) == {"credit", "note", "email", "sms", "ticket", "job", "promise"}


def test_it_shows_the_rules_of_each_section(client, provider, staff):
    customer = busy_customer(provider, staff)
    customer.service_latitude, customer.service_longitude = "51.500000", "-0.120000"
    customer.save()
    html = open_page(client, staff["agent"], customer)
    assert "openstreetmap.org/?mlat=51.500000&amp;mlon=-0.120000" in html
    assert "Router" in html and "RT-1" in html  # the custom field flagged for the overview
    assert html.count('role="tooltip"') == 3  # three contacts of five, each with its address hint
    assert html.count('class="note-row kind-note"') == 5
    assert "View all (5)" in section_of(html, "subscriptions")
    assert section_of(html, "subscriptions").count("<tr>") == 4  # the header and three rows
    for name in ("invoices", "payments", "instalments", "alerts", "service_requests"):
        assert section_of(html, name).count("<tr>") == 4, name
    assert 'class="money"' in section_of(html, "invoices")


def test_it_puts_the_primary_contact_first_and_leaves_out_the_fourth(client, provider, staff):
    customer = new_customer(provider)
    contacts = [ContactFactory(customer=customer, name=f"Contact {i}", is_primary=(i == 3)) for i in range(4)]
    html = open_page(client, staff["agent"], customer)
    shown = re.findall(r'<span class="contact-name">([^<]+)</span>', html)
    assert shown == ["Contact 3", "Contact 0", "Contact 1"]
    assert contacts[2].name not in html


def test_it_shows_a_technician_no_money(client, provider, staff):
    html = open_page(client, staff["technician"], busy_customer(provider, staff))
    assert not sections_in(html) & MONEY_SECTIONS
    for text in ("Total due", "Account credit", "Lifetime value", "Account current", "$"):
        assert text not in html, text
    assert "Open jobs" in html
    assert action_buttons_in(html) == {"note", "job"}


def test_it_shows_readonly_users_no_actions(client, provider, staff):
    html = open_page(client, staff["readonly"], busy_customer(provider, staff))
    assert sections_in(html) == ALL_SECTIONS
    assert action_buttons_in(html) == set()
    assert "Change status" not in html


def test_it_shows_billing_staff_the_payment_action_and_not_the_agents_ones(client, provider, staff):
    html = open_page(client, staff["billing"], new_customer(provider))
    assert action_buttons_in(html) == {"credit", "payment", "note", "email", "sms"}


def test_it_leaves_out_the_modules_the_provider_lacks(client, provider, staff):
    customer = busy_customer(provider, staff)
    for module in MODULES:
        setattr(provider, module, False)
    provider.save()
    html = open_page(client, staff["admin"], customer)
    assert sections_in(html) == ALL_SECTIONS - {"alerts", "instalments", "service_requests"}
    assert "Open jobs" not in html and "include_tickets" not in html
    assert action_buttons_in(html) == {"credit", "payment", "note", "email", "sms", "promise"}


def test_it_shows_a_new_customer_plain_empty_states(client, provider, staff):
    html = open_page(client, staff["agent"], new_customer(provider))
    for text in (
        "No payments yet",
        "No approved invoices yet",
        "No notes yet",
        "No contacts yet",
        "No current subscriptions",
        "No automated payment method",
    ):
        assert text in html, text


def test_it_answers_404_for_another_providers_customer(client, agent, foreign_customer):
    client.force_login(agent)
    assert client.get(page_url(foreign_customer)).status_code == 404
    assert client.get(section_url(foreign_customer, "notes")).status_code == 404
    assert client.get(reverse("tabs:dashboard_note", args=[foreign_customer.pk, 1])).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, customer):
    response = client.get(page_url(customer))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# ---------- the page's fixed cost ----------


def page_sql(client, customer) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(customer))
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def count_queries(client, customer) -> int:
    return len(page_sql(client, customer))


def test_it_costs_the_same_queries_for_a_new_and_a_busy_customer(client, provider, staff):
    client.force_login(staff["agent"])
    light = new_customer(provider)
    heavy = busy_customer(provider, staff, invoices=40, notes=60)
    count_queries(client, light)  # warm the per-process caches (content types)
    light_queries = count_queries(client, light)
    heavy_queries = count_queries(client, heavy)
    assert light_queries == heavy_queries
    assert heavy_queries == PAGE_QUERIES_ALL_MODULES


# The session and its user (2) and the dashboard's one statement with every module on, the same
# as the JSON document's (test_document.py, which has the token lookup instead of the session).
# The page's frame (tabs, banners) reuses what dashboard_get() read and adds nothing.
PAGE_QUERIES_ALL_MODULES = 3


def test_it_spends_no_query_on_modules_the_provider_lacks(client, provider, staff):
    customer = busy_customer(provider, staff)
    client.force_login(staff["agent"])
    with_modules = page_sql(client, customer)
    assert all(table in with_modules[-1] for table in MODULE_TABLES)
    for module in MODULES:
        setattr(provider, module, False)
    provider.save()
    # Alerts, service requests, instalments and open jobs are not read at all.
    without_modules = page_sql(client, customer)
    assert len(without_modules) == len(with_modules)
    assert not any(table in sql for sql in without_modules for table in MODULE_TABLES)


def test_it_carries_server_timing(client, agent, customer):
    client.force_login(agent)
    assert 'queries"' in client.get(page_url(customer))["Server-Timing"]


# ---------- one section at a time ----------


def test_it_refreshes_the_notes_alone_with_tickets_merged_by_date(client, provider, staff):
    customer = busy_customer(provider, staff)
    client.force_login(staff["agent"])
    response = client.get(
        section_url(customer, "notes"), {"include_tickets": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert sections_in(html) == {"notes"}
    assert "kind-ticket" in html and html.count('class="note-row') == 5
    assert 'name="include_tickets" value="1" id="include-tickets" checked' in html
    assert response["HX-Push-Url"] == page_url(customer) + "?include_tickets=1"
    plain = client.get(section_url(customer, "notes"), headers={"HX-Request": "true"})
    assert "kind-ticket" not in plain.content.decode()
    assert plain["HX-Push-Url"] == page_url(customer)


def test_it_reads_only_the_section_asked_for(client, provider, staff):
    customer = busy_customer(provider, staff)
    client.force_login(staff["agent"])
    with CaptureQueriesContext(connection) as queries:
        client.get(section_url(customer, "payments"))
    # Session, user, and one statement reading the customer and the payments, nothing else.
    assert len(queries) == 3
    statement = queries.captured_queries[-1]["sql"]
    assert "billing_payment" in statement
    for table in ("billing_invoice", "activity_activity", "notes_note", "customers_contact"):
        assert table not in statement


def test_it_keeps_the_ticket_choice_on_a_reload(client, provider, staff):
    html = open_page(client, staff["agent"], busy_customer(provider, staff), include_tickets="1")
    assert "kind-ticket" in html


@pytest.mark.parametrize("name", ["nope", "invoice", "customer"])
def test_it_answers_404_for_unknown_sections(client, agent, customer, name):
    client.force_login(agent)
    assert client.get(section_url(customer, name)).status_code == 404


@pytest.mark.parametrize("name", sorted(MONEY_SECTIONS))
def test_it_refuses_a_technician_the_money_sections(client, staff, customer, name):
    client.force_login(staff["technician"])
    assert client.get(section_url(customer, name)).status_code == 404


def test_it_refuses_sections_of_modules_the_provider_lacks(client, provider, staff, customer):
    provider.service_desk = False
    provider.save()
    client.force_login(staff["agent"])
    assert client.get(section_url(customer, "service_requests")).status_code == 404
    html = client.get(section_url(customer, "notes"), {"include_tickets": "1"}).content.decode()
    assert "include_tickets" not in html


# ---------- a note in full ----------


def test_it_opens_a_note_in_full(client, provider, staff):
    from accountdesk.notes.models import Note

    customer = busy_customer(provider, staff)
    note = Note.objects.filter(customer=customer).order_by("-created_at").first()
    note.body = "Line one\n\nA second paragraph that the excerpt would cut."
    note.save()
    client.force_login(staff["readonly"])
    response = client.get(
        reverse("tabs:dashboard_note", args=[customer.pk, note.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "A second paragraph that the excerpt would cut." in response.content.decode()


def test_it_hides_another_customers_note(client, provider, staff, customer):
    other = busy_customer(provider, staff)
    note = other.notes.first()
    client.force_login(staff["agent"])
    assert client.get(reverse("tabs:dashboard_note", args=[customer.pk, note.pk])).status_code == 404


def test_it_orders_notes_and_tickets_at_the_same_moment_note_first(client, provider, staff):
    from accountdesk.notes.models import Note
    from tests.servicedesk.factories import TicketFactory

    customer = new_customer(provider)
    moment = dt.datetime(2025, 1, 30, 9, 0, tzinfo=dt.UTC)
    Note.objects.create(
        provider=provider, customer=customer, created_at=moment, author_name="A", body="Same time"
    )
    TicketFactory(customer=customer, created_at=moment, subject="Ticket at the same time")
    client.force_login(staff["agent"])
    html = client.get(section_url(customer, "notes"), {"include_tickets": "1"}).content.decode()
    assert html.index("Same time") < html.index("Ticket at the same time")
