import datetime as dt

import pytest

from accountdesk.billing import services
from accountdesk.billing.models import Credit, Invoice, Payment
from accountdesk.core.actors import Actor
from accountdesk.fieldservice import services as fieldservice
from tests.billing.factories import issue_invoice, pay

TABS = [
    "billing",
    "invoices",
    "recurring_invoices",
    "payments",
    "credits",
    "ledger",
    "statement",
    "instalments",
    "estimates",
    "agreements",
]


@pytest.fixture
def books(customer, actors):
    issue_invoice(customer, "30.00", issued_on=dt.date(2025, 1, 1))
    pay(customer, "10.00")
    services.credit_issue(customer=customer, amount="5.00", reason="Outage", actor=actors["billing"])
    services.instalment_create(
        customer=customer, description="Router", total="120.00", instalments_total=12, actor=actors["agent"]
    )
    fieldservice.estimate_create(
        customer=customer, description="Survey", total="80.00", actor=actors["agent"]
    )
    return customer


@pytest.mark.parametrize("tab", TABS)
def test_it_renders_every_billing_tab(browser_client, staff, books, tab):
    from django.urls import reverse

    response = browser_client(staff["agent"]).get(reverse(f"tabs:{tab}", args=[books.pk]))
    assert response.status_code == 200
    assert b"Grace Hopper" in response.content


def test_it_formats_money_for_the_customers_currency(browser_client, staff, books):
    response = browser_client(staff["agent"]).get(f"/customers/{books.pk}/invoices/")
    assert "$30.00" in response.content.decode()


@pytest.mark.parametrize("tab", ["invoices", "payments", "ledger", "statement"])
def test_it_hides_money_tabs_from_technicians(browser_client, staff, books, tab):
    assert (
        browser_client(staff["technician"]).get(f"/customers/{books.pk}/{tab.replace('_', '-')}/").status_code
        == 403
    )


def test_it_answers_404_for_another_providers_customer(browser_client, staff, foreign_customer):
    assert browser_client(staff["admin"]).get(f"/customers/{foreign_customer.pk}/ledger/").status_code == 404


def test_it_answers_404_for_a_disabled_modules_tab(browser_client, staff, customer):
    customer.provider.instalments = False
    customer.provider.save()
    assert browser_client(staff["admin"]).get(f"/customers/{customer.pk}/instalments/").status_code == 404


def test_it_records_a_payment_from_the_dialog(browser_client, staff, books):
    client = browser_client(staff["billing"])
    url = f"/customers/{books.pk}/payments/new/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"amount": "20.00", "method": "card", "reference": "desk"})
    assert response.status_code == 302
    assert Payment.objects.filter(reference="desk").exists()


def test_it_names_how_each_payment_came_in_words(browser_client, staff, books):
    services.payment_record(
        customer=books, amount="7.00", method="bank_transfer", actor=Actor.system(books.provider)
    )
    html = browser_client(staff["agent"]).get(f"/customers/{books.pk}/payments/").content.decode()
    assert "<td>Bank transfer</td>" in html and "bank_transfer" not in html


def test_it_shows_a_bad_amount_inline_and_records_nothing(browser_client, staff, books):
    response = browser_client(staff["billing"]).post(
        f"/customers/{books.pk}/payments/new/", {"amount": "12.345", "method": "card"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "two decimal places" in response.content.decode()
    assert Payment.objects.count() == 1


def test_it_refuses_the_payment_dialog_to_agents(browser_client, staff, books):
    response = browser_client(staff["agent"]).post(
        f"/customers/{books.pk}/payments/new/", {"amount": "1", "method": "card"}
    )
    assert response.status_code == 403
    assert Payment.objects.count() == 1


def test_it_shows_the_agent_limit_on_the_credit_dialog(browser_client, staff, books):
    response = browser_client(staff["agent"]).post(
        f"/customers/{books.pk}/credits/new/", {"amount": "500.00", "reason": "x"}
    )
    assert response.status_code == 400 and "at most" in response.content.decode()
    assert Credit.objects.count() == 1


def test_it_approves_and_voids_from_the_invoices_tab(browser_client, staff, books, actors):
    draft = services.invoice_create_draft(
        customer=books, actor=actors["billing"], lines=[{"description": "Setup", "unit_price": "15.00"}]
    )
    client = browser_client(staff["billing"])
    assert client.post(f"/customers/{books.pk}/invoices/{draft.pk}/approve/").status_code == 302
    assert Invoice.objects.get(pk=draft.pk).number == "INV-000002"
    assert (
        client.post(f"/customers/{books.pk}/invoices/{draft.pk}/void/", {"reason": "Duplicate"}).status_code
        == 302
    )
    assert Invoice.objects.get(pk=draft.pk).status == "void"


def test_it_edits_the_billing_period(browser_client, staff, books):
    client = browser_client(staff["billing"])
    data = {
        "cycle": "monthly",
        "anchor_day": "15",
        "terms": "net14",
        "billing_type": "business",
        "delivery": "post",
    }
    assert client.post(f"/customers/{books.pk}/billing/edit/", data).status_code == 302
    assert books.billing_profile.anchor_day == 15


def test_it_serves_the_statement_pdf_page(browser_client, staff, books):
    response = browser_client(staff["agent"]).get(f"/customers/{books.pk}/statement.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_it_opens_the_ledger_on_the_latest_entries(browser_client, staff, customer):
    first = issue_invoice(customer, "11.00", issued_on=dt.date(2025, 1, 5))
    latest = issue_invoice(customer, "22.00", issued_on=dt.date(2025, 3, 1))
    html = browser_client(staff["billing"]).get(f"/customers/{customer.pk}/ledger/").content.decode()
    assert html.index(latest.number) < html.index(first.number)


@pytest.fixture
def pending(books, actors):
    from accountdesk.billing.models import CreditRequest

    books.provider.agent_credit_limit_30d = 0
    books.provider.save()
    request = services.credit_issue(
        customer=books, amount="20.00", reason="Long outage", actor=actors["agent"]
    )
    assert isinstance(request, CreditRequest)
    return request


def test_an_agent_is_told_the_credit_awaits_approval(browser_client, staff, books):
    books.provider.agent_credit_limit_30d = 0
    books.provider.save()
    client = browser_client(staff["agent"])
    response = client.post(
        f"/customers/{books.pk}/credits/new/", {"amount": "20.00", "reason": "x"}, follow=True
    )
    assert "Credit of $20.00 awaits approval" in response.content.decode()
    assert Credit.objects.count() == 1


def test_the_credits_tab_lists_pending_requests_with_actions_for_billing(
    browser_client, staff, books, pending
):
    from django.urls import reverse

    url = reverse("tabs:credits", args=[books.pk])
    approve = reverse("tabs:billing_credit_request_approve", args=[books.pk, pending.pk])
    agent_page = browser_client(staff["agent"]).get(url).content.decode()
    assert "Awaiting approval" in agent_page and "Long outage" in agent_page and approve not in agent_page
    billing_page = browser_client(staff["billing"]).get(url).content.decode()
    assert approve in billing_page


def test_billing_approves_from_the_credits_tab(browser_client, staff, books, pending):
    client = browser_client(staff["billing"])
    response = client.post(f"/customers/{books.pk}/credits/requests/{pending.pk}/approve/")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.credit.actor == staff["billing"]
    again = client.post(f"/customers/{books.pk}/credits/requests/{pending.pk}/approve/")
    assert again.status_code == 400 and Credit.objects.count() == 2


def test_billing_declines_from_the_credits_tab_with_a_reason(browser_client, staff, books, pending):
    client = browser_client(staff["billing"])
    url = f"/customers/{books.pk}/credits/requests/{pending.pk}/decline/"
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Not eligible"}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == "declined" and pending.decline_reason == "Not eligible"
    assert Credit.objects.count() == 1


def test_an_agent_cannot_approve_from_the_page(browser_client, staff, books, pending):
    client = browser_client(staff["agent"])
    assert client.post(f"/customers/{books.pk}/credits/requests/{pending.pk}/approve/").status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_another_customers_request_is_a_404(browser_client, staff, books, pending, provider):
    from tests.factories import CustomerFactory

    other = CustomerFactory(provider=provider)
    client = browser_client(staff["billing"])
    assert client.post(f"/customers/{other.pk}/credits/requests/{pending.pk}/approve/").status_code == 404
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_it_shows_a_payment_received_in_the_future_inline_and_records_nothing(browser_client, staff, books):
    response = browser_client(staff["billing"]).post(
        f"/customers/{books.pk}/payments/new/",
        {"amount": "10.00", "method": "card", "received_on": "2030-01-01"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "A payment cannot be received in the future." in response.content.decode()
    assert Payment.objects.count() == 1


def test_the_invoices_to_apply_credit_to_read_their_balance_as_money_and_due_date_in_words(
    browser_client, staff, customer
):
    invoice = issue_invoice(customer, "30.00", issued_on=dt.date(2025, 1, 1))
    response = browser_client(staff["billing"]).get(f"/customers/{customer.pk}/credits/apply/")
    html = response.content.decode()
    assert f"{invoice.number}: $30.00 open, due {invoice.due_on:%d %b %Y}" in html
    assert invoice.due_on.isoformat() not in html.split("<select", 1)[1].split("</select>", 1)[0]
