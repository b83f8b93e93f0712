"""Printing a list tab prints every row of it, over as many pages as it takes, headers repeated."""

import re

import pytest

from tests.billing.factories import issue_invoice
from tests.factories import CustomerFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "accountdesk-demo"


def test_printing_the_ledger_prints_all_its_rows(page, live_server, shot, tmp_path):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    UserFactory(provider=provider, role="billing", email="billing@acme.test", password=PASSWORD)
    customer = CustomerFactory(provider=provider, name="Northwind Traders", status="active")
    for i in range(50):
        issue_invoice(customer, amount=f"{10 + i}.00", description=f"Service month {i + 1}")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill("billing@acme.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/customers/$"))
    page.goto(f"{live_server.url}/customers/{customer.pk}/ledger/")
    rows = page.locator(".table-wrap tbody tr")
    assert rows.count() == 50

    # On screen the table scrolls inside its box ...
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("el => el.scrollHeight > el.clientHeight")

    # ... in print nothing is clipped, and the header row repeats on each page.
    page.emulate_media(media="print")
    assert wrap.evaluate("el => el.scrollHeight <= el.clientHeight + 1")
    assert wrap.evaluate("el => getComputedStyle(el).overflowY") == "visible"
    header = page.locator(".table thead")
    assert header.evaluate("el => getComputedStyle(el).display") == "table-header-group"
    assert page.locator(".table thead th").first.evaluate("el => getComputedStyle(el).position") == "static"
    last = rows.last
    assert last.is_visible()
    assert "INV-000001" in last.inner_text()
    shot(page, "print-ledger", full_page=True)

    pdf = page.pdf(path=str(tmp_path / "ledger.pdf"), format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages >= 2
