"""Journeys on the customer dashboard: an agent reads a busy account, folds tickets into the notes
without a page load, reads a contact's address from its "details" hover, issues a credit and sees
the metrics change; a provider without Service Desk and Usage sees neither; a technician sees no
money. Screenshots go to artifacts/browser/dashboard-*.png."""

import datetime as dt
import re

import pytest

from accountdesk.activity.models import Activity
from accountdesk.billing import services as billing
from accountdesk.billing.models import Credit
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.customers.services import contact_add
from accountdesk.servicedesk.models import Ticket
from tests.dashboard.builders import busy_customer
from tests.factories import CustomerFactory, GroupFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "accountdesk-demo"
ADDRESS = {
    "line1": "48 Chapel Street",
    "city": "Bendigo",
    "region": "VIC",
    "postcode": "3550",
    "country": "AU",
}


def _user(provider, role, email, name):
    return UserFactory(provider=provider, role=role, email=email, name=name, password=PASSWORD)


@pytest.fixture
def acme(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    staff = {
        "agent": _user(provider, "agent", "agent@acme.test", "Alex Agent"),
        "technician": _user(provider, "technician", "technician@acme.test", "Toni Technician"),
        "admin": _user(provider, "admin", "admin@acme.test", "Ada Admin"),
    }
    customer = busy_customer(provider, staff)
    customer.name = "Northwind Traders"
    customer.type = "business"
    customer.group = GroupFactory(provider=provider, name="Business Gold")
    customer.email = "accounts@northwind.test"
    customer.service_line1, customer.service_city = "12 Harbour Road", "Portland"
    customer.service_latitude, customer.service_longitude = "45.512300", "-122.658700"
    customer.save()
    contact_add(
        customer=customer,
        data={"name": "Maria Anders", "title": "Accounts payable", "is_primary": True},
        address=ADDRESS,
        actor=Actor.staff(staff["admin"]),
    )
    billing.billing_profile_update(
        customer=customer, terms="net30", next_bill_date=dt.date(2025, 2, 1), actor=Actor.system(provider)
    )
    # Tickets newer than all notes but the latest, so folding them in changes the list.
    Ticket.objects.filter(customer=customer).update(created_at=clock.now() - dt.timedelta(minutes=30))
    return {"provider": provider, "customer": customer, **staff}


@pytest.fixture
def bluegum(transactional_db):
    provider = ProviderFactory(
        name="Bluegum Field Services", slug="bluegum", field_service=True, contracts=True, instalments=True
    )
    agent = _user(provider, "agent", "agent@bluegum.test", "Blake Agent")
    customer = CustomerFactory(provider=provider, name="Wattle Farm Supplies")
    return {"provider": provider, "agent": agent, "customer": customer}


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/customers/$"))


def section(page, title):
    return page.locator("section.card", has=page.get_by_role("heading", name=title, exact=True))


SECTIONS = [
    "Account summary",
    "Alerts",
    "Payment method",
    "Billing information",
    "Contacts",
    "Current package subscriptions",
    "Recent invoices",
    "Current instalment purchases",
    "Last payments",
    "Recent service requests",
    "Notes",
    "Activity",
]


def test_it_shows_an_agent_every_section_and_acts_in_place(page, live_server, acme, shot):
    customer = acme["customer"]
    sign_in(page, live_server, "agent@acme.test")
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    for title in SECTIONS:
        assert section(page, title).is_visible(), title
    metrics = page.get_by_role("region", name="Key metrics")
    assert "Total due" in metrics.inner_text() and "Open jobs" in metrics.inner_text()
    # Every section above the notes fits a 1440x900 screen, with no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    notes_top = section(page, "Notes").bounding_box()["y"]
    shot(page, "dashboard-01-agent")
    shot(page, "dashboard-02-agent-full", full_page=True)
    assert notes_top <= 900, f"the notes section starts at {notes_top}px"

    # Folding the tickets into the notes replaces that section alone: no page load happens.
    page.evaluate("window.__stillHere = true")
    notes = section(page, "Notes")
    assert notes.locator(".note-row.kind-ticket").count() == 0
    notes.get_by_label("Include service desk tickets").check()
    page.locator("#dash-notes .note-row.kind-ticket").first.wait_for()
    assert page.evaluate("window.__stillHere === true")
    assert page.locator("#dash-notes .note-row").count() == 5
    assert "include_tickets=1" in page.url
    shot(page, "dashboard-03-notes-with-tickets")

    # The contact's "details" shows the primary address on hover, and on keyboard focus.
    contacts = section(page, "Contacts")
    details = contacts.get_by_role("button", name="details of Maria Anders")
    details.hover()
    tooltip = page.get_by_role("tooltip").filter(has_text="Chapel Street")
    tooltip.wait_for()
    assert "48 Chapel Street, Bendigo" in tooltip.inner_text()
    shot(page, "dashboard-04-contact-address")
    page.mouse.move(0, 0)
    details.focus()
    assert tooltip.is_visible()

    # Issue a credit: a wrong amount is refused inline, a right one updates the metrics in place.
    before = metrics.inner_text()
    page.get_by_role("button", name="Issue credit").click()
    dialog = page.locator("#dashboard-action")
    dialog.get_by_label("Amount").fill("12.345")
    dialog.get_by_label("Reason").fill("Outage on 3 March")
    dialog.get_by_role("button", name="Issue credit").click()
    dialog.locator(".field-error").wait_for()
    shot(page, "dashboard-05-credit-error")
    dialog.get_by_label("Amount").fill("15.00")
    dialog.get_by_role("button", name="Issue credit").click()
    page.locator("#dashboard-toast", has_text="Credit of $15.00 issued.").wait_for()
    assert not dialog.is_visible()
    assert page.evaluate("window.__stillHere === true")
    assert metrics.inner_text() != before and "$25.00" in metrics.inner_text()
    assert section(page, "Activity").get_by_text("Credit of $15.00 issued: Outage on 3 March").is_visible()
    assert Credit.objects.filter(customer=customer, reason="Outage on 3 March").count() == 1
    shot(page, "dashboard-06-credit-issued")

    # Escape closes a dialog; focus returns to the button that opened it.
    page.get_by_role("button", name="Add note").click()
    dialog.get_by_label("Note").wait_for()
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.id") == "act-note"


def test_it_reads_as_one_column_on_a_tablet(browser, live_server, acme, shot):
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    sign_in(page, live_server, "agent@acme.test")
    page.goto(f"{live_server.url}/customers/{acme['customer'].pk}/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    lefts = {round(section(page, t).bounding_box()["x"]) for t in SECTIONS}
    assert len(lefts) == 1, lefts
    tops = [section(page, t).bounding_box()["y"] for t in SECTIONS]
    assert tops == sorted(tops)
    shot(page, "dashboard-07-tablet", full_page=True)
    context.close()


def test_it_leaves_out_what_bluegum_lacks(page, live_server, bluegum, shot):
    sign_in(page, live_server, "agent@bluegum.test")
    page.goto(f"{live_server.url}/customers/{bluegum['customer'].pk}/")
    section(page, "Current instalment purchases").wait_for()
    assert section(page, "Recent service requests").count() == 0
    assert section(page, "Alerts").count() == 0
    assert page.get_by_label("Include service desk tickets").count() == 0
    assert page.get_by_role("button", name="Open ticket").count() == 0
    assert "Open jobs" in page.get_by_role("region", name="Key metrics").inner_text()
    assert page.get_by_text("No payments yet").is_visible()
    shot(page, "dashboard-08-bluegum-new-customer")


def test_it_shows_a_technician_no_money(page, live_server, acme, shot):
    sign_in(page, live_server, "technician@acme.test")
    page.goto(f"{live_server.url}/customers/{acme['customer'].pk}/")
    section(page, "Contacts").wait_for()
    main = page.locator("main").inner_text()
    for absent in ("Total due", "Account credit", "Lifetime value", "Recent invoices", "Last payments"):
        assert absent not in main, absent
    assert section(page, "Payment method").count() == 0
    assert "$" not in main
    assert "Open jobs" in page.get_by_role("region", name="Key metrics").inner_text()
    assert page.get_by_role("button", name="Book job").is_visible()
    assert page.get_by_role("button", name="Issue credit").count() == 0
    shot(page, "dashboard-09-technician")
    assert Activity.objects.filter(customer=acme["customer"], actor=acme["technician"]).count() == 0


def test_it_opens_a_note_and_books_a_job_from_the_dashboard(page, live_server, acme, shot):
    customer = acme["customer"]
    sign_in(page, live_server, "agent@acme.test")
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    notes = section(page, "Notes")
    first = notes.locator(".note-row").first
    first.get_by_role("button").click()
    dialog = page.locator("#dashboard-action")
    dialog.get_by_text("Note 0").wait_for()
    shot(page, "dashboard-10-note-open")
    page.keyboard.press("Escape")

    metrics = page.get_by_role("region", name="Key metrics")
    assert "3" in metrics.get_by_role("button", name=re.compile("open jobs")).inner_text()
    page.get_by_role("button", name="Book job").click()
    dialog.get_by_label("Kind").select_option("install")
    dialog.get_by_label("Technician").select_option(label="Toni Technician")
    dialog.get_by_label("Description").fill("Fibre install, side gate code 4411")
    shot(page, "dashboard-11-book-job")
    dialog.get_by_role("button", name="Book job").click()
    page.locator("#dashboard-toast", has_text="booked").wait_for()
    assert metrics.get_by_role("button", name=re.compile("open jobs")).inner_text().splitlines()[0] == "4"
    assert page.evaluate("document.activeElement.id") == "act-job"
