"""A user creates a read-only API token from the user menu, uses it once, and revokes it; an agent's
credit above the 30-day limit waits, and a billing user approves it on the Credits tab."""

import re

import pytest
from playwright.sync_api import expect

from accountdesk.billing.models import Credit, CreditRequest
from tests.factories import CustomerFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "accountdesk-demo"


@pytest.fixture
def acme(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    provider.agent_credit_limit_30d = 0
    provider.save()
    agent = UserFactory(
        provider=provider, role="agent", email="agent@acme.test", name="Alex Agent", password=PASSWORD
    )
    billing = UserFactory(
        provider=provider, role="billing", email="billing@acme.test", name="Bea Billing", password=PASSWORD
    )
    customer = CustomerFactory(provider=provider, name="Northwind Traders", status="active")
    return {"agent": agent, "billing": billing, "customer": customer}


def _sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/customers/$"))


def test_a_user_creates_uses_and_revokes_a_read_only_token(page, live_server, acme, shot):
    _sign_in(page, live_server, "agent@acme.test")
    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="API tokens").click()
    page.wait_for_url(re.compile(r"/account/tokens/$"))
    page.get_by_label("Name").fill("Nightly report")
    page.get_by_label("Read-only").check()
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").input_value()
    assert token.startswith("adk_")
    assert "Copy it now" in page.content()
    shot(page, "tokens-01-created")

    api = f"{live_server.url}/api/v1/customers"
    headers = {"Authorization": f"Bearer {token}"}
    assert page.request.get(api, headers=headers).status == 200
    write = page.request.post(
        f"{api}/{acme['customer'].pk}/notes", headers=headers, data={"body": "Not allowed"}
    )
    assert write.status == 403 and write.json()["error"]["code"] == "read_only_token"

    page.goto(f"{live_server.url}/account/tokens/")
    assert token not in page.content()  # shown once only
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile(r"^Revoke")).click()
    expect(page.get_by_text("revoked: it no longer works")).to_be_visible()
    assert page.locator("tr[data-token] .badge").inner_text() == "Revoked"
    shot(page, "tokens-02-revoked")
    assert page.request.get(api, headers=headers).status == 401


def test_a_credit_above_the_limit_waits_for_approval(page, live_server, acme, shot):
    customer = acme["customer"]
    credits_url = f"{live_server.url}/customers/{customer.pk}/credits/"
    _sign_in(page, live_server, "agent@acme.test")
    page.goto(credits_url)
    page.get_by_role("button", name="Issue credit").click()
    dialog = page.locator("#billing-dialog")
    dialog.get_by_label("Amount").fill("20.00")
    dialog.get_by_label("Reason").fill("Three-day outage")
    dialog.get_by_role("button", name="Issue credit").click()
    expect(page.get_by_text("Credit of $20.00 awaits approval")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Awaiting approval"))).to_be_visible()
    shot(page, "credit-01-awaiting")
    assert not Credit.objects.exists()

    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server, "billing@acme.test")
    page.goto(credits_url)
    page.get_by_role("button", name="Approve").click()
    page.locator("#billing-dialog").get_by_role("button", name="Approve and issue").click()
    expect(page.get_by_text("Credit of $20.00 issued, as Alex Agent asked.")).to_be_visible()
    shot(page, "credit-02-approved")
    request = CreditRequest.objects.get()
    assert request.status == "approved" and request.credit.actor_name == "Bea Billing"
