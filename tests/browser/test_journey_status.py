"""An agent signs in, finds a customer, blocks it with a reason, checks the status history and the
activity tile naming them, then reactivates it."""

import re

import pytest

from accountdesk.core.actors import Actor
from accountdesk.customers.models import StatusChange
from accountdesk.customers.services import contact_add
from accountdesk.notes.services import note_add
from tests.factories import CustomerFactory, GroupFactory, ProviderFactory, TagFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "accountdesk-demo"


@pytest.fixture
def acme(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    agent = UserFactory(
        provider=provider, role="agent", email="agent@acme.test", name="Alex Agent", password=PASSWORD
    )
    admin = UserFactory(provider=provider, role="admin", email="admin@acme.test", name="Ada Admin")
    gold = GroupFactory(provider=provider, name="Business Gold")
    vip = TagFactory(provider=provider, name="vip")
    for i, name in enumerate(
        ["Marguerite Ortiz", "Samuel Okafor", "Priya Raman", "Tomas Lindqvist", "Hana Sato"]
    ):
        CustomerFactory(
            provider=provider, name=name, status=["active", "prospect", "blocked", "active", "deactivated"][i]
        )
    target = CustomerFactory(
        provider=provider,
        name="Northwind Traders",
        type="business",
        group=gold,
        email="accounts@northwind.test",
        phone="555-201-7788",
        billing_line1="12 Harbour Road",
        billing_city="Portland",
        billing_country="US",
        service_line1="12 Harbour Road",
        service_city="Portland",
        service_latitude="45.512300",
        service_longitude="-122.658700",
    )
    target.tags.add(vip)
    contact_add(
        customer=target,
        data={"name": "Maria Anders", "title": "Accounts payable", "email": "maria@northwind.test"},
        actor=Actor.staff(admin),
    )
    note_add(customer=target, body="Asked for paper invoices from next month.", actor=Actor.staff(admin))
    return {"provider": provider, "agent": agent, "customer": target}


def test_it_blocks_and_reactivates_a_customer(page, live_server, acme, shot):
    customer = acme["customer"]
    page.goto(f"{live_server.url}/login/")
    shot(page, "01-sign-in")
    page.get_by_label("Email").fill("agent@acme.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/customers/$"))
    shot(page, "02-customer-list")

    # "/" focuses the global search.
    page.keyboard.press("/")
    page.keyboard.type("northwind")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=northwind"))
    results = page.locator("#customer-results")
    assert results.get_by_role("link", name="Northwind Traders").is_visible()
    assert "Marguerite Ortiz" not in results.inner_text()
    shot(page, "03-search")
    results.get_by_role("link", name="Northwind Traders").click()
    page.wait_for_url(re.compile(rf"/customers/{customer.pk}/$"))
    shot(page, "04-dashboard")

    page.get_by_role("button", name="Change status").click()
    dialog = page.locator("#status-change-dialog")
    dialog.get_by_label("New status").select_option("blocked")
    dialog.get_by_role("button", name="Change status").click()
    dialog.get_by_text("Give a reason for this change.").wait_for()  # inline validation, dialog still open
    shot(page, "05-block-dialog-error")
    dialog.get_by_label("Reason").fill("Three invoices unpaid; customer asked us to hold service")
    dialog.get_by_role("button", name="Change status").click()
    page.wait_for_selector(".customer-top .badge.status-blocked")
    page.get_by_text("Status changed to blocked.").wait_for()
    shot(page, "06-blocked")

    page.get_by_role("button", name="Details of the status history").click()
    history = page.locator("#status-history-dialog")
    history.get_by_text("Three invoices unpaid").wait_for()
    assert "Alex Agent" in history.inner_text()
    shot(page, "07-status-history")
    page.keyboard.press("Escape")
    assert not history.is_visible()

    tabs = page.get_by_role("navigation", name="Customer sections")
    tabs.get_by_role("button", name="History").click()
    tabs.get_by_role("link", name="Activity").click()
    tile = page.locator(".tile", has_text="Status changed from active to blocked").first
    tile.locator("summary").click()
    assert "Alex Agent" in tile.inner_text() and "agent@acme.test" in tile.inner_text()
    shot(page, "08-activity-tile")

    page.get_by_role("button", name="Change status").click()
    dialog.get_by_label("New status").select_option("active")
    dialog.get_by_label("Reason").fill("Paid in full")
    dialog.get_by_role("button", name="Change status").click()
    page.wait_for_selector(".customer-top .badge.status-active")
    shot(page, "09-reactivated")

    changes = list(
        StatusChange.objects.filter(customer=customer).order_by("at", "id").values_list("new", "actor")
    )
    assert changes[-2:] == [("blocked", acme["agent"].pk), ("active", acme["agent"].pk)]


def test_it_reads_well_on_a_tablet(browser, live_server, acme, shot):
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill("agent@acme.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/customers/$"))
    shot(page, "10-tablet-list")
    page.goto(f"{live_server.url}/customers/{acme['customer'].pk}/")
    shot(page, "11-tablet-dashboard")
    # One column and no horizontal scrolling of the page itself.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
