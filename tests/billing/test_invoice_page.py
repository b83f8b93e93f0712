"""The invoice page: /customers/<id>/invoices/<invoice_id>/, and the links that lead to it."""

import datetime as dt

import pytest
from django.urls import reverse

from accountdesk.billing import services
from accountdesk.billing.models import Invoice
from tests.billing.factories import issue_invoice, pay
from tests.factories import CustomerFactory


def _url(invoice) -> str:
    return reverse("tabs:billing_invoice", args=[invoice.customer_id, invoice.pk])


def _issue(customer, lines, **kwargs):
    return services.invoice_issue(customer=customer, lines=lines, actor=_system(customer), **kwargs)


def _system(customer):
    from accountdesk.core.actors import Actor

    return Actor.system(customer.provider)


@pytest.fixture
def invoice(customer):
    """Two lines: 2 x 30.00 at 20% tax (60.00 + 12.00) and 1 x 5.00 untaxed; 20.00 paid of 77.00."""
    invoice = _issue(
        customer,
        [
            {"description": "Fibre 100", "quantity": "2", "unit_price": "30.00", "tax_rate": "0.2"},
            {"description": "Router rental", "unit_price": "5.00"},
        ],
    )
    pay(customer, "20.00", reference="BANK-42")
    return invoice


def test_it_shows_the_invoice_its_lines_and_its_totals(browser_client, staff, invoice):
    response = browser_client(staff["agent"]).get(_url(invoice))
    html = response.content.decode()
    assert response.status_code == 200
    assert invoice.number in html and "Approved" in html
    assert "Fibre 100" in html and "Router rental" in html
    assert '<td class="num">2</td>' in html and '<td class="num">20%</td>' in html
    for figure in ["$30.00", "$72.00", "$5.00", "$65.00", "$12.00", "$77.00", "$57.00"]:
        assert figure in html, figure
    assert 'class="export-menu"' not in html  # one invoice is not the Invoices list to export
    assert 'aria-current="page">Invoices<' in html


def test_it_shows_what_has_been_applied_to_the_invoice(browser_client, staff, invoice, actors):
    services.credit_issue(customer=invoice.customer, amount="7.00", reason="Outage", actor=actors["billing"])
    services.credit_apply(invoice=invoice, actor=actors["billing"])
    html = browser_client(staff["agent"]).get(_url(invoice)).content.decode()
    assert "Card (BANK-42)" in html and "$20.00" in html
    assert "Outage" in html and "$7.00" in html
    assert "$50.00" in html  # the open balance after both


def test_it_shows_a_refund_taking_money_back_off_the_invoice(browser_client, staff, customer, actors):
    invoice = issue_invoice(customer, "40.00")
    payment = pay(customer, "40.00")
    services.payment_refund(payment=payment, amount="15.00", reason="Billing error", actor=actors["billing"])
    html = browser_client(staff["agent"]).get(_url(invoice)).content.decode()
    assert "Refund" in html and "Billing error" in html and "\u2212$15.00" in html


def test_it_says_when_nothing_has_been_applied(browser_client, staff, customer):
    invoice = issue_invoice(customer, "40.00")
    html = browser_client(staff["agent"]).get(_url(invoice)).content.decode()
    assert "Nothing applied to this invoice yet." in html


def test_it_marks_an_overdue_invoice(browser_client, staff, customer):
    overdue = issue_invoice(customer, "10.00", issued_on=dt.date(2025, 1, 1))
    current = issue_invoice(customer, "10.00")
    client = browser_client(staff["agent"])
    assert "Overdue" in client.get(_url(overdue)).content.decode()
    assert "Overdue" not in client.get(_url(current)).content.decode()


def test_it_shows_a_draft_with_its_approve_button(browser_client, staff, customer, actors):
    draft = services.invoice_create_draft(
        customer=customer, actor=actors["billing"], lines=[{"description": "Setup", "unit_price": "15.00"}]
    )
    html = browser_client(staff["billing"]).get(_url(draft)).content.decode()
    assert ">Draft<" in html
    assert f"/invoices/{draft.pk}/approve/?from=invoice" in html
    assert f"/invoices/{draft.pk}/void/?from=invoice" in html


def test_it_shows_a_void_invoice_with_its_reason_and_no_actions(browser_client, staff, invoice, actors):
    services.invoice_void(invoice=invoice, reason="Sent twice", actor=actors["billing"])
    html = browser_client(staff["billing"]).get(_url(invoice)).content.decode()
    assert "Void" in html and "Sent twice" in html
    assert "/approve/" not in html and "/void/" not in html


def test_it_returns_to_the_invoice_after_approving_it_there(browser_client, staff, customer, actors):
    draft = services.invoice_create_draft(
        customer=customer, actor=actors["billing"], lines=[{"description": "Setup", "unit_price": "15.00"}]
    )
    response = browser_client(staff["billing"]).post(
        reverse("tabs:billing_invoice_approve", args=[customer.pk, draft.pk]) + "?from=invoice"
    )
    assert response.status_code == 302 and response.url == _url(draft)
    assert Invoice.objects.get(pk=draft.pk).status == "approved"


def test_it_returns_to_the_invoice_after_voiding_it_there(browser_client, staff, invoice):
    response = browser_client(staff["billing"]).post(
        reverse("tabs:billing_invoice_void", args=[invoice.customer_id, invoice.pk]) + "?from=invoice",
        {"reason": "Duplicate"},
    )
    assert response.status_code == 302 and response.url == _url(invoice)
    assert Invoice.objects.get(pk=invoice.pk).status == "void"


@pytest.mark.parametrize(
    ("role", "status", "actions"),
    [
        ("admin", 200, True),
        ("billing", 200, True),
        ("agent", 200, False),
        ("readonly", 200, False),
        ("technician", 403, False),
    ],
)
def test_it_shows_the_page_and_its_actions_by_role(browser_client, staff, invoice, role, status, actions):
    response = browser_client(staff[role]).get(_url(invoice))
    assert response.status_code == status
    assert (f"/invoices/{invoice.pk}/void/" in response.content.decode()) is actions


def test_it_refuses_the_page_as_the_invoices_tab_does(browser_client, staff, invoice):
    client = browser_client(staff["technician"])
    tab = client.get(reverse("tabs:invoices", args=[invoice.customer_id]))
    page = client.get(_url(invoice))
    assert page.status_code == tab.status_code == 403


def test_it_answers_404_for_another_customers_invoice(browser_client, staff, provider, customer):
    other = issue_invoice(CustomerFactory(provider=provider), "10.00")
    response = browser_client(staff["admin"]).get(
        reverse("tabs:billing_invoice", args=[customer.pk, other.pk])
    )
    assert response.status_code == 404


def test_it_answers_404_for_another_providers_invoice(browser_client, staff, customer, foreign_customer):
    foreign = issue_invoice(foreign_customer, "10.00")
    client = browser_client(staff["admin"])
    assert client.get(reverse("tabs:billing_invoice", args=[customer.pk, foreign.pk])).status_code == 404
    assert client.get(_url(foreign)).status_code == 404


def test_it_answers_404_for_an_invoice_that_does_not_exist(browser_client, staff, customer):
    response = browser_client(staff["admin"]).get(reverse("tabs:billing_invoice", args=[customer.pk, 999999]))
    assert response.status_code == 404


def _lines(count: int) -> list[dict]:
    return [{"description": f"Line {n}", "unit_price": "1.00", "tax_rate": "0.1"} for n in range(count)]


def test_it_reads_the_page_in_the_same_queries_for_2_and_40_lines(
    browser_client, staff, provider, actors, django_assert_num_queries
):
    small, large = CustomerFactory(provider=provider), CustomerFactory(provider=provider)
    short = _issue(small, _lines(2))
    long = _issue(large, _lines(40))
    for _ in range(5):
        pay(large, "3.00")
    services.credit_issue(customer=large, amount="4.00", reason="Outage", actor=actors["billing"])
    services.credit_apply(invoice=long, actor=actors["billing"])
    client = browser_client(staff["billing"])
    client.get(_url(short))  # the session and the URL patterns are warm from here on
    for invoice, count in [(short, 2), (long, 40)]:
        # Session and user, the customer's frame (one statement), the invoice, its lines, and the
        # payments and credits applied to it.
        with django_assert_num_queries(7):
            html = client.get(_url(invoice)).content.decode()
        assert html.count("<td>Line ") == count


def test_it_links_invoice_numbers_from_the_invoices_tab(browser_client, staff, invoice, actors):
    draft = services.invoice_create_draft(
        customer=invoice.customer, actor=actors["billing"], lines=[{"description": "x", "unit_price": "1.00"}]
    )
    html = browser_client(staff["agent"]).get(reverse("tabs:invoices", args=[invoice.customer_id])).content
    html = html.decode()
    assert f'<a href="{_url(invoice)}">{invoice.number}</a>' in html
    assert f'<a href="{_url(draft)}">Draft</a>' in html


def test_it_links_invoice_numbers_from_the_dashboard(browser_client, staff, invoice):
    html = browser_client(staff["agent"]).get(reverse("tabs:dashboard", args=[invoice.customer_id])).content
    assert f'<a href="{_url(invoice)}">{invoice.number}</a>' in html.decode()


def test_it_links_the_ledgers_invoice_rows(browser_client, staff, invoice):
    html = browser_client(staff["agent"]).get(reverse("tabs:ledger", args=[invoice.customer_id])).content
    html = html.decode()
    assert f'<a href="{_url(invoice)}">Invoice {invoice.number}</a>' in html
    assert "Payment by card (BANK-42)</td>" in html  # a payment is not an invoice: no link
