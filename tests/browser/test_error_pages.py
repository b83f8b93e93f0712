"""What a person sees on a missing page, a page their role cannot open, and a server error."""

from types import SimpleNamespace

import pytest

from tests.browser.sign_in import sign_in
from tests.factories import CustomerFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def acme(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    provider.usage = False
    provider.save()
    return {
        "provider": provider,
        "agent": UserFactory(provider=provider, role="agent", name="Alex Agent"),
        "technician": UserFactory(provider=provider, role="technician", name="Tess Tech"),
        "customer": CustomerFactory(provider=provider, name="Northwind Traders"),
    }


def test_a_bookmarked_tab_of_a_disabled_module_shows_our_404(page, live_server, acme, shot):
    sign_in(page, live_server, acme["agent"])
    response = page.goto(f"{live_server.url}/customers/{acme['customer'].pk}/usage/")
    assert response.status == 404
    assert page.get_by_role("heading", name="This page does not exist").is_visible()
    assert page.get_by_role("navigation", name="Main").is_visible()  # the product's header
    assert "Traceback" not in page.content()
    shot(page, "error-404")
    page.get_by_role("link", name="Go to the customer list").click()
    page.get_by_role("heading", name="Customers").wait_for()


def test_a_technician_opening_billing_sees_our_403_with_a_way_back(page, live_server, acme, shot):
    sign_in(page, live_server, acme["technician"])
    customer_url = f"{live_server.url}/customers/{acme['customer'].pk}/"
    page.goto(customer_url)
    response = page.goto(f"{customer_url}billing/")
    assert response.status == 403
    assert page.get_by_role("heading", name="Your role cannot open this page").is_visible()
    assert "Technician" in page.locator("main").inner_text()
    shot(page, "error-403")
    page.get_by_role("button", name="Back to the previous page").click()
    page.wait_for_url(customer_url)


def test_a_server_error_shows_our_500_page(page, live_server, acme, shot, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("internal detail: customers_customer")

    monkeypatch.setattr("accountdesk.customers.selectors.customer_list", explode)
    sign_in(page, live_server, acme["agent"])
    response = page.goto(f"{live_server.url}/customers/")
    assert response.status == 500
    assert page.get_by_role("heading", name="Something went wrong on our side").is_visible()
    assert "internal detail" not in page.content() and "RuntimeError" not in page.content()
    shot(page, "error-500")


def test_the_statement_past_the_users_rate_shows_our_429_page(
    page, live_server, acme, shot, settings, monkeypatch
):
    settings.WORK_RATES_PER_MINUTE = {**settings.WORK_RATES_PER_MINUTE, "statements": 1}
    # Both visits in one counting minute, wherever the clock stands when the test runs.
    monkeypatch.setattr("accountdesk.core.limits.time", SimpleNamespace(time=lambda: 1_700_000_010.0))
    sign_in(page, live_server, acme["agent"])
    url = f"{live_server.url}/customers/{acme['customer'].pk}/statement/"
    assert page.goto(url).status == 200  # the one statement allowed this minute
    response = page.goto(url)
    assert response.status == 429
    assert 0 < int(response.headers["retry-after"]) <= 60
    assert page.get_by_role("heading", name="Please wait a moment").is_visible()
    assert "At most 1 statement a minute per user." in page.locator("main").inner_text()
    shot(page, "error-429")
