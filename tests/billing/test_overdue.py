"""The overdue rule, edge by edge: an open invoice is overdue from the day after its due date. The
loaded invoice, the query and the account summary say the same thing."""

import datetime as dt

from accountdesk.billing import services
from accountdesk.billing.models import AccountSummary, Invoice, account_is_current
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from tests.billing.factories import issue_invoice, pay


def due_in(customer, days: int, amount: str = "100.00") -> Invoice:
    """An approved invoice due `days` from today (the customer's terms are NET30)."""
    invoice = issue_invoice(customer, amount, issued_on=clock.today() + dt.timedelta(days=days - 30))
    assert invoice.due_on == clock.today() + dt.timedelta(days=days)
    return invoice


def overdue_everywhere(customer, invoice: Invoice) -> bool:
    """The rule as each reader applies it, after asserting they agree."""
    today = clock.today()
    invoice.refresh_from_db()
    loaded = invoice.is_overdue(today)
    queried = Invoice.objects.overdue(today).filter(pk=invoice.pk).exists()
    current = account_is_current(AccountSummary.objects.filter(customer=customer).first(), today)
    assert loaded == queried == invoice.is_overdue() == (not current)
    return loaded


def test_an_invoice_due_today_is_not_overdue(customer):
    assert overdue_everywhere(customer, due_in(customer, 0)) is False


def test_an_invoice_due_yesterday_is_overdue(customer):
    assert overdue_everywhere(customer, due_in(customer, -1)) is True


def test_an_invoice_due_tomorrow_is_not_overdue(customer):
    assert overdue_everywhere(customer, due_in(customer, 1)) is False


def test_a_paid_invoice_is_never_overdue(customer):
    invoice = due_in(customer, -40)
    pay(customer, "100.00")
    assert overdue_everywhere(customer, invoice) is False


def test_a_void_invoice_is_never_overdue(customer):
    invoice = due_in(customer, -40)
    services.invoice_void(invoice=invoice, reason="Billed twice", actor=Actor.system(customer.provider))
    assert overdue_everywhere(customer, invoice) is False


def test_a_draft_is_never_overdue(customer):
    draft = services.invoice_create_draft(customer=customer, actor=Actor.system(customer.provider))
    Invoice.objects.filter(pk=draft.pk).update(due_on=clock.today() - dt.timedelta(days=60))
    assert overdue_everywhere(customer, draft) is False


def test_a_partially_paid_invoice_past_due_stays_overdue(customer):
    invoice = due_in(customer, -1)
    pay(customer, "99.99")
    assert overdue_everywhere(customer, invoice) is True


def test_a_partially_paid_invoice_due_today_is_not_overdue(customer):
    invoice = due_in(customer, 0)
    pay(customer, "40.00")
    assert overdue_everywhere(customer, invoice) is False


def test_a_customer_without_books_is_current():
    assert account_is_current(None, dt.date(2025, 3, 15)) is True
