"""Posting to a customer's books: the ledger and the caches it backs.

Every money-moving service opens the books (locking the customer row, so concurrent writes on one
customer queue on PostgreSQL), posts ledger entries, moves invoice balances and credit through the
helpers here, and closes the books, which saves the AccountSummary. account_summary_verify()
recomputes everything from the source rows; the tests compare the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min, Sum

from accountdesk.billing.models import (
    AccountSummary,
    Credit,
    CreditApplication,
    CreditOrigin,
    Invoice,
    InvoiceStatus,
    LedgerEntry,
    Payment,
    PaymentAllocation,
)
from accountdesk.core import clock
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.money import MONEY_MAX, ZERO, fits_column, quantize
from accountdesk.customers.models import Customer


@dataclass
class Books:
    customer: Customer
    summary: AccountSummary


def books_open(customer: Customer) -> Books:
    """Lock the customer row (only that row: not the provider's, which every customer shares) for
    the rest of the transaction and load its summary."""
    locked = Customer.objects.select_for_update(of=("self",)).select_related("provider").get(pk=customer.pk)
    summary = AccountSummary.objects.filter(customer=locked).first()
    if summary is None:
        summary = AccountSummary.objects.create(provider_id=locked.provider_id, customer=locked)
    return Books(locked, summary)


def post(books: Books, *, kind: str, amount: Decimal, description: str, subject) -> LedgerEntry:
    summary = books.summary
    running = summary.ledger_balance + amount
    _refuse_past_column(running)
    # The ledger reads in (at, id) order: never post before the last entry, even if the clock
    # was set back, so that order stays the order the running balance was computed in.
    at = clock.now()
    if summary.last_entry_at is not None and at < summary.last_entry_at:
        at = summary.last_entry_at
    entry = LedgerEntry.objects.create(
        provider_id=books.customer.provider_id,
        customer=books.customer,
        at=at,
        kind=kind,
        description=description[:300],
        amount=amount,
        running_balance=running,
        subject_type=subject._meta.model_name,
        subject_id=subject.pk,
    )
    summary.ledger_balance = running
    summary.last_entry_id = entry.pk
    summary.last_entry_at = at
    return entry


def invoice_balance_move(books: Books, invoice: Invoice, delta: Decimal) -> None:
    """Change an approved invoice's open balance by `delta`, keeping total due and the count."""
    old = invoice.balance
    new = old + delta
    if new < 0:
        raise AssertionError("an invoice balance never goes below zero")
    invoice.balance = new
    invoice.save(update_fields=["balance"])
    books.summary.total_due += delta
    books.summary.open_invoice_count += (new > 0) - (old > 0)


def credit_move(books: Books, credit: Credit, delta: Decimal, *, field: str | None = None) -> None:
    """Change a credit's remaining amount (and `refunded` when it is paid back)."""
    credit.remaining += delta
    if credit.remaining < 0:
        raise AssertionError("credit remaining never goes below zero")
    fields = ["remaining"]
    if field == "refunded":
        credit.refunded -= delta
        fields.append("refunded")
    if credit.pk is None:
        credit.save()
    else:
        credit.save(update_fields=fields)
    books.summary.account_credit += delta


def _refuse_past_column(balance: Decimal) -> None:
    if not fits_column(balance):
        message = f"This would take the account past {MONEY_MAX:,}; nothing was changed."
        raise ValidationFailed(message, fields={"amount": message})


def books_close(books: Books) -> AccountSummary:
    """Refresh the earliest open due date (one indexed query) and save the summary. A balance its
    money column cannot hold refuses the whole change (the transaction rolls back)."""
    summary = books.summary
    for field in ("ledger_balance", "total_due", "account_credit", "lifetime_value"):
        _refuse_past_column(getattr(summary, field))
    summary.earliest_open_due_on = (
        Invoice.objects.filter(
            customer=books.customer, status=InvoiceStatus.APPROVED, balance__gt=0
        ).aggregate(d=Min("due_on"))["d"]
        if summary.open_invoice_count
        else None
    )
    summary.save()
    return summary


def _sum(qs, field: str = "amount") -> Decimal:
    # SQLite adds decimals as floating point (20517.0500000001); every stored value has whole
    # cents, so rounding the sum to cents gives back the exact total.
    return quantize(qs.aggregate(s=Sum(field))["s"] or ZERO)


def account_summary_verify(customer: Customer) -> dict[str, tuple]:
    """Recompute the books from the source rows. Returns {what: (cached, recomputed)} for every
    disagreement; an empty dict means the caches and the ledger agree to the cent."""
    problems: dict[str, tuple] = {}
    summary = AccountSummary.objects.filter(customer=customer).first() or AccountSummary(customer=customer)

    running = ZERO
    last_id = None
    for entry in LedgerEntry.objects.filter(customer=customer).order_by("at", "id").iterator():
        running += entry.amount
        if entry.running_balance != running:
            problems.setdefault("running_balance", (entry.pk, entry.running_balance, running))
        last_id = entry.pk

    invoices = Invoice.objects.filter(customer=customer, status=InvoiceStatus.APPROVED)
    for inv in invoices.iterator():
        paid = _sum(PaymentAllocation.objects.filter(invoice=inv))
        credited = _sum(CreditApplication.objects.filter(invoice=inv))
        if inv.balance != inv.total - paid - credited or inv.balance < 0:
            problems.setdefault("invoice_balance", (inv.pk, inv.balance, inv.total - paid - credited))
    open_invoices = invoices.filter(balance__gt=0)
    total_due = _sum(invoices, "balance")
    credits = Credit.objects.filter(customer=customer)
    for credit in credits.iterator():
        applied = _sum(CreditApplication.objects.filter(credit=credit))
        if credit.remaining != credit.amount - applied - credit.refunded or credit.remaining < 0:
            problems.setdefault("credit_remaining", (credit.pk, credit.remaining))
    account_credit = _sum(credits, "remaining")
    issued_credit = _sum(credits.filter(origin=CreditOrigin.ISSUED))
    lifetime = _sum(Payment.objects.filter(customer=customer))

    expected = {
        "ledger_balance": running,
        "total_due": total_due,
        "account_credit": account_credit,
        "lifetime_value": lifetime,
        "open_invoice_count": open_invoices.count(),
        "earliest_open_due_on": open_invoices.aggregate(d=Min("due_on"))["d"],
        "last_entry_id": last_id,
    }
    for field, value in expected.items():
        if getattr(summary, field) != value:
            problems[field] = (getattr(summary, field), value)
    if running != total_due - account_credit:
        problems["ledger_vs_balances"] = (running, total_due - account_credit)
    if issued_credit < 0:
        problems["issued_credit"] = (issued_credit,)
    return problems
