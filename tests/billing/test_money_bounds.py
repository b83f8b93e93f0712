"""Every computed amount stays inside its money column, DECIMAL(14, 2): a line's net and tax, an
invoice's total and the account's balances. Past it the service refuses (422 / a form error) and
stores nothing, rather than storing a value the Invoices tab can never read back."""

from decimal import Decimal

import pytest

from accountdesk.billing import services
from accountdesk.billing.ledger import account_summary_verify
from accountdesk.billing.models import AccountSummary, Invoice, InvoiceLine, LedgerEntry, Payment
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.money import MONEY_MAX, fits_column
from tests.billing.factories import issue_invoice, pay

BIG = "999999999.99"  # the largest amount one may type


def test_the_column_limit_matches_the_model_field():
    field = InvoiceLine._meta.get_field("net")
    largest = Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal("0.01")
    assert largest == MONEY_MAX
    assert fits_column(MONEY_MAX) and fits_column(-MONEY_MAX)
    assert not fits_column(MONEY_MAX + Decimal("0.01"))


@pytest.mark.parametrize(
    "line",
    [
        {"description": "x", "quantity": "1000000", "unit_price": BIG},
        {"description": "x", "quantity": "1000000", "unit_price": "-" + BIG},
        {"description": "x", "quantity": "1001", "unit_price": BIG, "tax_rate": "0"},
        {"description": "x", "quantity": "1000", "unit_price": BIG, "tax_rate": "0.2"},  # net fits, +tax not
    ],
)
@pytest.mark.parametrize("how", ["draft", "issue"])
def test_a_line_past_the_money_column_is_refused(customer, billing_actor, line, how):
    with pytest.raises(ValidationFailed) as error:
        if how == "draft":
            services.invoice_create_draft(customer=customer, lines=[line], actor=billing_actor)
        else:
            services.invoice_issue(customer=customer, lines=[line], actor=billing_actor)
    assert "unit_price" in error.value.fields
    assert "999,999,999,999.99" in error.value.message
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()


def test_an_invoice_total_past_the_column_is_refused_line_by_line(customer, billing_actor):
    line = {"description": "a", "quantity": "999", "unit_price": BIG}
    draft = services.invoice_create_draft(customer=customer, lines=[line], actor=billing_actor)
    with pytest.raises(ValidationFailed):
        services.invoice_add_line(
            invoice=draft, description="b", quantity="2", unit_price=BIG, actor=billing_actor
        )
    draft.refresh_from_db()
    assert draft.lines.count() == 1 and draft.total == Decimal("998999999990.01")


def test_an_issued_invoice_whose_lines_sum_past_the_column_is_refused(customer, billing_actor):
    lines = [{"description": str(i), "quantity": "600", "unit_price": BIG} for i in range(2)]
    with pytest.raises(ValidationFailed) as error:
        services.invoice_issue(customer=customer, lines=lines, actor=billing_actor)
    assert "lines" in error.value.fields
    assert not Invoice.objects.exists()


def test_a_balance_past_the_column_refuses_the_invoice_and_keeps_the_books(customer, billing_actor):
    big = {"description": "a", "quantity": "900", "unit_price": BIG}
    services.invoice_issue(customer=customer, lines=[big], actor=billing_actor)
    with pytest.raises(ValidationFailed, match=r"past 999,999,999,999\.99"):
        services.invoice_issue(customer=customer, lines=[big], actor=billing_actor)
    assert Invoice.objects.count() == 1 and LedgerEntry.objects.count() == 1
    assert account_summary_verify(customer) == {}


def test_payments_and_credits_cannot_take_a_balance_past_the_column(customer, billing_actor):
    # An account already near the column's end (as if after years of large payments).
    pay(customer, "10.00")
    AccountSummary.objects.filter(customer=customer).update(
        lifetime_value=MONEY_MAX - Decimal("5.00"), ledger_balance=-(MONEY_MAX - Decimal("5.00"))
    )
    with pytest.raises(ValidationFailed):
        pay(customer, "10.00")
    assert Payment.objects.count() == 1
    with pytest.raises(ValidationFailed):
        services.credit_issue(customer=customer, amount="10.00", reason="x", actor=billing_actor)


def test_the_invoice_dialog_shows_the_error_and_the_tab_still_opens(browser_client, staff, customer):
    client = browser_client(staff["billing"])
    response = client.post(
        f"/customers/{customer.pk}/invoices/new/",
        {"description": "Huge", "quantity": "1000000", "unit_price": BIG, "tax_rate": "0"},
    )
    assert response.status_code == 400
    assert "999,999,999,999.99" in response.content.decode()
    assert not Invoice.objects.exists()
    assert client.get(f"/customers/{customer.pk}/invoices/").status_code == 200


def test_a_normal_large_invoice_still_goes_through(customer):
    invoice = issue_invoice(customer, BIG)
    assert invoice.total == Decimal(BIG)
