"""Posting to a customer's books: the ledger and the caches it backs.

Every money-moving service opens the books (locking the customer row, so concurrent writes on one
customer queue on PostgreSQL), posts ledger entries, moves invoice balances and credit through the
helpers here, and closes the books, which saves the AccountSummary. account_summary_verify()
recomputes everything from the source rows; the tests compare the two.
"""

from __future__ import annotations

import datetime as dt
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
        Invoice.objects.filter(customer=books.customer).open().aggregate(d=Min("due_on"))["d"]
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
    return books_verify([customer.pk]).get(customer.pk, {})


def _sums(qs, key: str) -> dict[int, Decimal]:
    return {
        row[key]: quantize(row["s"] or ZERO) for row in qs.values(key).annotate(s=Sum("amount")).order_by()
    }


def books_verify(customer_ids: list[int]) -> dict[int, dict[str, tuple]]:
    """account_summary_verify() for many customers at once, in a fixed number of queries whatever
    their count and history (the ledger and the invoices are streamed): {customer id: problems}
    for the customers whose books disagree."""
    problems: dict[int, dict[str, tuple]] = {}
    ids = list(customer_ids)

    running: dict[int, Decimal] = dict.fromkeys(ids, ZERO)
    last_id: dict[int, int | None] = dict.fromkeys(ids)
    entries = LedgerEntry.objects.filter(customer_id__in=ids).order_by("customer_id", "at", "id")
    for customer_id, pk, amount, stored in entries.values_list(
        "customer_id", "id", "amount", "running_balance"
    ).iterator(chunk_size=5000):
        running[customer_id] += amount
        if stored != running[customer_id]:
            problems.setdefault(customer_id, {}).setdefault(
                "running_balance", (pk, stored, running[customer_id])
            )
        last_id[customer_id] = pk

    paid = _sums(PaymentAllocation.objects.filter(invoice__customer_id__in=ids), "invoice_id")
    credited = _sums(CreditApplication.objects.filter(invoice__customer_id__in=ids), "invoice_id")
    total_due: dict[int, Decimal] = dict.fromkeys(ids, ZERO)
    open_count: dict[int, int] = dict.fromkeys(ids, 0)
    earliest: dict[int, dt.date | None] = dict.fromkeys(ids)
    invoices = Invoice.objects.filter(customer_id__in=ids, status=InvoiceStatus.APPROVED).order_by()
    for pk, customer_id, total, balance, due_on in invoices.values_list(
        "id", "customer_id", "total", "balance", "due_on"
    ).iterator(chunk_size=5000):
        expected = total - paid.get(pk, ZERO) - credited.get(pk, ZERO)
        if balance != expected or balance < 0:
            problems.setdefault(customer_id, {}).setdefault("invoice_balance", (pk, balance, expected))
        total_due[customer_id] += balance
        if balance > 0:
            open_count[customer_id] += 1
            first = earliest[customer_id]
            if first is None or due_on < first:
                earliest[customer_id] = due_on

    applied = _sums(CreditApplication.objects.filter(credit__customer_id__in=ids), "credit_id")
    account_credit: dict[int, Decimal] = dict.fromkeys(ids, ZERO)
    issued_credit: dict[int, Decimal] = dict.fromkeys(ids, ZERO)
    for pk, customer_id, amount, remaining, refunded, origin in (
        Credit.objects.filter(customer_id__in=ids)
        .order_by()
        .values_list("id", "customer_id", "amount", "remaining", "refunded", "origin")
        .iterator(chunk_size=5000)
    ):
        if remaining != amount - applied.get(pk, ZERO) - refunded or remaining < 0:
            problems.setdefault(customer_id, {}).setdefault("credit_remaining", (pk, remaining))
        account_credit[customer_id] += remaining
        if origin == CreditOrigin.ISSUED:
            issued_credit[customer_id] += amount
    lifetime = _sums(Payment.objects.filter(customer_id__in=ids), "customer_id")
    summaries = {s.customer_id: s for s in AccountSummary.objects.filter(customer_id__in=ids)}

    for customer_id in ids:
        summary = summaries.get(customer_id) or AccountSummary(customer_id=customer_id)
        expected = {
            "ledger_balance": running[customer_id],
            "total_due": total_due[customer_id],
            "account_credit": account_credit[customer_id],
            "lifetime_value": lifetime.get(customer_id, ZERO),
            "open_invoice_count": open_count[customer_id],
            "earliest_open_due_on": earliest[customer_id],
            "last_entry_id": last_id[customer_id],
        }
        found = problems.setdefault(customer_id, {})
        for field, value in expected.items():
            if getattr(summary, field) != value:
                found[field] = (getattr(summary, field), value)
        if running[customer_id] != total_due[customer_id] - account_credit[customer_id]:
            found["ledger_vs_balances"] = (
                running[customer_id],
                total_due[customer_id] - account_credit[customer_id],
            )
        if issued_credit[customer_id] < 0:
            found["issued_credit"] = (issued_credit[customer_id],)
    return {customer_id: found for customer_id, found in problems.items() if found}
