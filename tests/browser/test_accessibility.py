"""axe-core on every kind of page: sign-in, the customer list, a busy customer's dashboard and every
tab of its tab bar, an invoice and a ticket, an open tab menu and open dialogs (a dashboard action,
a tab's action, the status change), every Settings page and the account pages. Any serious or
critical violation fails the test, which lists them all (page, rule, element, what to fix).

One browser, one live server, one signed-in page walking through everything."""

import re

import pytest

from accountdesk.customers.tabs import TABS
from tests.browser.axe import axe_violations, describe
from tests.browser.sign_in import sign_in
from tests.dashboard.builders import busy_customer
from tests.factories import ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def acme(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    admin = UserFactory(provider=provider, role="admin", name="Ada Admin")
    return {"admin": admin, "customer": busy_customer(provider, {"admin": admin})}


def test_every_kind_of_page_has_no_serious_or_critical_violation(page, live_server, acme):
    base = live_server.url
    found: dict[str, list[dict]] = {}

    def check(name: str) -> None:
        violations = axe_violations(page)
        if violations:
            found[name] = violations

    def visit(name: str, url: str) -> None:
        page.goto(url if url.startswith("http") else base + url)
        check(name)

    def open_dialog(name: str, button: str) -> None:
        page.get_by_role("button", name=button, exact=True).first.click()
        page.locator("dialog[open] form").wait_for()
        check(name)
        page.keyboard.press("Escape")

    visit("sign-in", "/login/")
    sign_in(page, live_server, acme["admin"])
    visit("customer list", "/customers/")
    visit("new customer", "/customers/new/")

    customer = f"/customers/{acme['customer'].pk}/"
    visit("dashboard", customer)
    open_dialog("dashboard: Issue credit dialog", "Issue credit")
    open_dialog("dashboard: Change status dialog", "Change status")
    page.get_by_role("button", name="Billing").click()
    page.locator("#tab-invoices").wait_for()
    check("dashboard: Billing menu open")

    # Every tab of the bar (the bar itself lists them: a new tab is checked without a change here),
    # an invoice and a ticket from their lists, and a tab's action dialog.
    tab_urls = page.eval_on_selector_all("[data-tab-bar] .tabs a[href]", "links => links.map((a) => a.href)")
    assert len(tab_urls) == len(TABS)
    for url in tab_urls[1:]:
        tab = re.sub(r"^.*/customers/\d+/", "", url).strip("/")
        visit(f"tab {tab}", url)
        if tab in ("invoices", "tickets"):
            visit(f"one of the {tab}", page.locator(f"table a[href*='/{tab}/']").first.get_attribute("href"))
        elif tab == "payments":
            open_dialog("payments: Record payment dialog", "Record payment")

    page.goto(f"{base}/settings/")
    menu = page.get_by_role("navigation", name="Settings sections")
    for url in menu.locator("a[href]").evaluate_all("links => links.map((a) => a.href)"):
        visit(f"settings {url.removeprefix(base)}", url)
    for url in ("/account/security/", "/account/tokens/", "/account/exports/"):
        visit(f"account {url}", url)
    visit("not found", "/customers/0/")

    if found:
        pytest.fail("axe-core found serious or critical violations:\n" + describe(found), pytrace=False)
