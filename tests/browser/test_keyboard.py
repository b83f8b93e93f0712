"""Keyboard use of a customer's pages: focus on the heading, a skip link to the tabs, a tab bar of
groups that follows the disclosure pattern (and opens without script), and a status dialog that
starts on its first field."""

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


def test_the_tab_bar_follows_the_disclosure_pattern(page, customer_url, shot):
    page.goto(customer_url)
    bar = page.get_by_role("navigation", name="Customer sections")
    places = bar.locator(".tabs > li > a, .tabs > li > .tab-group > button")
    assert [p.inner_text() for p in places.all()] == [
        "Dashboard", "Billing", "Services", "Jobs & tickets", "Contacts", "History", "Details",
    ]  # fmt: skip
    assert bar.get_by_role("link", name="Dashboard").get_attribute("aria-current") == "page"
    billing = bar.get_by_role("button", name="Billing")
    menu = page.locator("#tab-menu-billing")
    assert billing.get_attribute("aria-controls") == "tab-menu-billing"
    assert billing.get_attribute("aria-expanded") == "false" and not menu.is_visible()

    # Enter and Space open and close the group; focus stays on its button.
    billing.focus()
    page.keyboard.press("Enter")
    assert billing.get_attribute("aria-expanded") == "true" and menu.is_visible()
    assert page.evaluate(ACTIVE_ID) == "tab-group-billing"
    page.keyboard.press("Enter")
    assert not menu.is_visible()
    page.keyboard.press(" ")
    assert menu.is_visible()
    page.keyboard.press("Escape")
    assert not menu.is_visible() and page.evaluate(ACTIVE_ID) == "tab-group-billing"

    # ArrowDown opens it on its first tab; the arrows move (and wrap), Home and End jump.
    page.keyboard.press("ArrowDown")
    assert menu.is_visible() and page.evaluate(ACTIVE_ID) == "tab-billing"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(ACTIVE_ID) == "tab-invoices"
    page.keyboard.press("End")
    assert page.evaluate(ACTIVE_ID) == "tab-agreements"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(ACTIVE_ID) == "tab-billing"
    page.keyboard.press("ArrowUp")
    assert page.evaluate(ACTIVE_ID) == "tab-agreements"
    shot(page, "keyboard-tab-menu")
    page.keyboard.press("Escape")
    assert not menu.is_visible() and page.evaluate(ACTIVE_ID) == "tab-group-billing"

    # Left and Right move between the bar's places; ArrowUp opens a group on its last tab.
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(ACTIVE_ID) == "tab-dashboard"
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(ACTIVE_ID) == "tab-group-details"
    page.keyboard.press("ArrowUp")
    assert page.evaluate(ACTIVE_ID) == "tab-custom_fields"
    page.keyboard.press("ArrowRight")  # out of a menu: the next place, the menu closed
    assert page.evaluate(ACTIVE_ID) == "tab-dashboard"
    assert not page.locator("#tab-menu-details").is_visible()

    # Tab leaves an open menu closed behind it.
    page.locator("#tab-group-history").focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_ID) == "tab-group-details"
    assert not page.locator("#tab-menu-history").is_visible()

    # Enter follows a tab's link; the new page marks the tab and its group and keeps focus on the bar.
    billing.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/invoices/$"))
    page.wait_for_function(f"{ACTIVE_ID} === 'tab-group-billing'")
    billing = page.get_by_role("button", name=re.compile(r"^Billing\W+Invoices$"))
    assert billing.get_attribute("aria-current") == "true"
    assert page.locator("#tab-invoices").get_attribute("aria-current") == "page"
    assert bar.locator("[aria-current]").count() == 2
    page.keyboard.press("ArrowDown")
    page.keyboard.press(" ")  # Space opens a tab too
    page.wait_for_url(re.compile(r"/billing/$"))


def test_a_tab_is_one_click_away_and_a_click_elsewhere_closes_the_menu(page, customer_url, shot):
    page.goto(customer_url)
    bar = page.get_by_role("navigation", name="Customer sections")
    bar.get_by_role("button", name="History").click()
    bar.get_by_role("button", name="Services").click()  # one menu open at a time
    assert not page.locator("#tab-menu-history").is_visible()
    assert page.locator("#tab-menu-services").is_visible()
    page.locator("#customer-heading").click()
    assert not page.locator("#tab-menu-services").is_visible()
    bar.get_by_role("button", name="History").click()
    bar.get_by_role("link", name="Notes").click()
    page.wait_for_url(re.compile(r"/notes/$"))
    history = bar.get_by_role("button", name=re.compile(r"^History\W+Notes$"))
    assert history.get_attribute("aria-current") == "true"


def test_the_tab_menus_open_without_javascript(browser, live_server, acme):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, acme["agent"])
    page.goto(f"{live_server.url}/customers/{acme['customer'].pk}/")
    invoices = page.locator("#tab-invoices")
    assert not invoices.is_visible()
    page.locator("summary", has_text="Billing").click()
    invoices.click()
    page.wait_for_url(re.compile(r"/invoices/$"))
    assert page.locator("summary", has_text="Billing").get_attribute("aria-current") == "true"
    context.close()


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
