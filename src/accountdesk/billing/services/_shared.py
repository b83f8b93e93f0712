"""What the billing services share: the customer's books opened with a row read again under
their lock, computed amounts checked against their column, amounts and terms for messages."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from django.db.models import QuerySet

from accountdesk.billing import ledger
from accountdesk.billing.models import (
    BillingProfile,
    Invoice,
    Payment,
    Terms,
)
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.money import (
    MONEY_MAX,
    fits_column,
    money_text,
)
from accountdesk.customers.models import Customer

Row = TypeVar("Row", Invoice, Payment)


def books_with(row: Row) -> tuple[ledger.Books, Row]:
    """Open the customer's books (locking the customer row, see ledger.books_open) and read `row`
    again under that lock, so the checks that follow see a state no other write can change."""
    books = ledger.books_open(row.customer)
    return books, type(row).objects.get(pk=row.pk)


def fits(amount: Decimal, field: str, what: str) -> None:
    """Refuse a computed amount (a line, an invoice total) that its money column cannot hold."""
    if not fits_column(amount):
        message = f"{what} more than {MONEY_MAX:,}: lower the quantity or the price."
        raise ValidationFailed(message, fields={field: message})


def money(amount: Decimal, customer: Customer) -> str:
    """An amount in `customer`'s currency, for the messages and texts people read."""
    return money_text(amount, customer.currency, customer.provider.locale)


def terms_of(customer: Customer) -> str:
    profile = BillingProfile.objects.filter(customer=customer).only("terms").first()
    return profile.terms if profile else Terms.NET30


def open_invoices(customer: Customer) -> QuerySet[Invoice]:
    """The customer's approved invoices with money open, the oldest due first."""
    return Invoice.objects.filter(customer=customer).open().order_by("due_on", "id")
