"""Keyboard use of a customer's pages: focus on the heading, a skip link to the tabs, tabs that
follow the ARIA tabs pattern, and a status dialog that starts on its first field."""

import re

import pytest

from tests.browser.sign_in import sign_in
from tests.factories import CustomerFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE_ID = "document.activeElement && document.activeElement.id"


@pytest.fixture
def acme(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    agent = UserFactory(provider=provider, role="agent", name="Alex Agent")
    customer = CustomerFactory(provider=provider, name="Northwind Traders", status="active")
    return {"agent": agent, "customer": customer}


@pytest.fixture
def customer_url(page, live_server, acme):
    sign_in(page, live_server, acme["agent"])
    return f"{live_server.url}/customers/{acme['customer'].pk}/"


def test_opening_a_customer_puts_focus_on_its_heading(page, customer_url, shot):
    page.goto(customer_url)
    page.wait_for_function(f"{ACTIVE_ID} === 'customer-heading'")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Northwind Traders"
    shot(page, "keyboard-heading-focus")


def test_a_skip_link_leads_to_the_tabs(page, customer_url, shot):
    page.goto(customer_url)
    page.wait_for_function(f"{ACTIVE_ID} === 'customer-heading'")
    skip = page.get_by_role("link", name="Skip to the sections")
    skip.focus()
    assert skip.is_visible()
    shot(page, "keyboard-skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE_ID) == "tab-dashboard"


def test_tabs_follow_the_aria_tabs_pattern(page, customer_url, shot):
    page.goto(customer_url)
    tablist = page.get_by_role("tablist", name="Customer sections")
    tabs = tablist.get_by_role("tab")
    names = [t.inner_text() for t in tabs.all()]
    assert names[:3] == ["Dashboard", "Details", "Contacts"]
    dashboard = tablist.get_by_role("tab", name="Dashboard")
    assert dashboard.get_attribute("aria-selected") == "true" and dashboard.get_attribute("tabindex") == "0"
    assert [t.get_attribute("tabindex") for t in tabs.all()].count("0") == 1  # one Tab stop
    assert page.get_by_role("tabpanel").get_attribute("aria-labelledby") == "tab-dashboard"

    dashboard.focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate(ACTIVE_ID) == "tab-details"
    assert tablist.get_by_role("tab", name="Details").get_attribute("tabindex") == "0"
    assert dashboard.get_attribute("tabindex") == "-1"
    assert dashboard.get_attribute("aria-selected") == "true"  # moving focus opens nothing
    page.keyboard.press("End")
    last_id = page.evaluate(ACTIVE_ID)
    assert last_id == tabs.last.get_attribute("id")
    page.keyboard.press("ArrowRight")  # wraps to the first
    assert page.evaluate(ACTIVE_ID) == "tab-dashboard"
    page.keyboard.press("ArrowLeft")  # wraps to the last
    assert page.evaluate(ACTIVE_ID) == last_id
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(ACTIVE_ID) == "tab-contacts"
    shot(page, "keyboard-tabs-focus")

    # Enter follows the link, and the new page keeps focus on the tab bar.
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/contacts/$"))
    page.wait_for_function(f"{ACTIVE_ID} === 'tab-contacts'")
    contacts = page.get_by_role("tab", name="Contacts")
    assert contacts.get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press(" ")  # Space opens a tab too
    page.wait_for_url(re.compile(r"/details/$"))


def test_the_status_dialog_starts_on_its_first_field(page, customer_url, shot):
    page.goto(customer_url)
    page.get_by_role("button", name="Change status").click()
    dialog = page.locator("#status-change-dialog")
    select = dialog.get_by_label("New status")
    select.wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.tagName === 'SELECT'")
    assert page.evaluate("document.activeElement.closest('dialog').id") == "status-change-dialog"
    assert not page.evaluate("document.activeElement.hasAttribute('data-close-dialog')")
    shot(page, "keyboard-status-dialog")
    # Submitting without a reason keeps the dialog open and puts focus on the field to fix.
    page.keyboard.press("ArrowDown")
    dialog.get_by_role("button", name="Change status").click()
    dialog.get_by_text("Give a reason for this change.").wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.closest('.has-error') !== null")
