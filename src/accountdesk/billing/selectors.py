"""Billing reads: provider-scoped, bounded, newest first with ties by id (the ledger: oldest first)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.db.models import DecimalField, Model, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accountdesk.billing.models import (
    AccountSummary,
    Agreement,
    BillingProfile,
    Credit,
    CreditApplication,
    CreditOrigin,
    CreditRequest,
    Dispute,
    Estimate,
    InstalmentPurchase,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LedgerEntry,
    Payment,
    PaymentAllocation,
    PaymentKind,
    PaymentMeans,
    PaymentMethod,
    RecurringInvoice,
    account_is_current,
)
from accountdesk.core import clock
from accountdesk.core.money import ZERO, quantize
from accountdesk.core.pagination import Page, keyset_page
from accountdesk.core.tenancy import get_scoped
from accountdesk.customers.models import Customer
from accountdesk.customers.search_index import padded_number
from accountdesk.tenancy.models import Provider, User

M = TypeVar("M", bound=Model)


def _scoped(model: type[M], customer: Customer) -> QuerySet[M, M]:
    return model._default_manager.filter(provider_id=customer.provider_id, customer=customer)


def invoice_get(*, customer: Customer, pk: object) -> Invoice:
    return get_scoped(_scoped(Invoice, customer), provider=customer.provider_id, pk=pk)


def invoice_by_ids(*, customer: Customer, ids: Iterable[int], limit: int) -> list[Invoice]:
    """The customer's invoices among `ids`, oldest due first, at most `limit` of them."""
    return list(_scoped(Invoice, customer).filter(pk__in=list(ids)).order_by("due_on", "id")[:limit])


def invoice_list(
    *, customer: Customer, status: str | None = None, limit: int | None = None, cursor: str | None = None
) -> Page[Invoice]:
    qs = _scoped(Invoice, customer)
    if status:
        qs = qs.filter(status=status)
    return keyset_page(qs, ordering=("-issued_on", "-id"), limit=limit, cursor=cursor)


def invoice_recent_approved(*, customer: Customer, limit: int = 3) -> QuerySet[Invoice]:
    """The latest approved invoices: drafts and voided ones are not the customer's bills."""
    qs = _scoped(Invoice, customer).filter(status=InvoiceStatus.APPROVED)
    return qs.order_by("-issued_on", "-id")[:limit]


def invoice_open(*, customer: Customer, limit: int = 50) -> list[Invoice]:
    invoices = Invoice.objects.filter(provider_id=customer.provider_id, customer=customer)
    return list(invoices.open().order_by("due_on", "id")[:limit])


def invoice_lines(*, invoice: Invoice) -> list[InvoiceLine]:
    return list(invoice.lines.all()[:500])


@dataclass(frozen=True)
class AppliedMoney:
    """Money set against an invoice: part of a payment (negative: a refund taking it back) or credit."""

    on: dt.date
    kind: str
    detail: str
    amount: Decimal


def invoice_applied(*, invoice: Invoice, limit: int = 100) -> list[AppliedMoney]:
    """What has been applied to an invoice, oldest first: payment allocations (a refund's reversal
    is a negative one) and credit applications. Two bounded queries whatever the history size."""
    allocations = (
        PaymentAllocation.objects.filter(provider_id=invoice.provider_id, invoice=invoice)
        .select_related("payment")
        .order_by("payment__received_on", "id")[:limit]
    )
    applications = (
        CreditApplication.objects.filter(provider_id=invoice.provider_id, invoice=invoice)
        .select_related("credit")
        .order_by("applied_at", "id")[:limit]
    )
    rows = [_applied_payment(a) for a in allocations]
    rows += [
        AppliedMoney(timezone.localdate(a.applied_at), "Credit", a.credit.reason, a.amount)
        for a in applications
    ]
    rows.sort(key=lambda row: row.on)
    return rows[:limit]


def _applied_payment(allocation: PaymentAllocation) -> AppliedMoney:
    payment = allocation.payment
    if payment.kind == PaymentKind.REFUND:
        return AppliedMoney(payment.received_on, "Refund", payment.reason, allocation.amount)
    means = PaymentMeans.label_of(payment.method)
    detail = f"{means} ({payment.reference})" if payment.reference else means
    return AppliedMoney(payment.received_on, "Payment", detail, allocation.amount)


def payment_get(*, customer: Customer, pk: object) -> Payment:
    return get_scoped(_scoped(Payment, customer), provider=customer.provider_id, pk=pk)


def payment_list(
    *, customer: Customer, kind: str | None = None, limit: int | None = None, cursor: str | None = None
) -> Page[Payment]:
    qs = _scoped(Payment, customer)
    if kind:
        qs = qs.filter(kind=kind)
    return keyset_page(qs, ordering=("-received_on", "-id"), limit=limit, cursor=cursor)


def payment_recent(*, customer: Customer, limit: int = 3) -> QuerySet[Payment]:
    """The last payments received: refunds are not payments."""
    qs = _scoped(Payment, customer).filter(kind=PaymentKind.PAYMENT)
    return qs.order_by("-received_on", "-id")[:limit]


def credit_get(*, customer: Customer, pk: object) -> Credit:
    return get_scoped(_scoped(Credit, customer), provider=customer.provider_id, pk=pk)


def credit_list(*, customer: Customer, limit: int | None = None, cursor: str | None = None) -> Page[Credit]:
    return keyset_page(_scoped(Credit, customer), ordering=("-issued_on", "-id"), limit=limit, cursor=cursor)


def credit_issued_by(*, customer: Customer, user: User, since: dt.datetime) -> Decimal:
    """The credit `user` issued to the customer themselves (not from overpayments or voids) since then."""
    qs = _scoped(Credit, customer).filter(origin=CreditOrigin.ISSUED, actor=user, created_at__gt=since)
    return quantize(qs.aggregate(s=Sum("amount"))["s"] or ZERO)  # SQLite sums decimals as floats


def credit_request_get(*, customer: Customer, pk: object) -> CreditRequest:
    return get_scoped(_scoped(CreditRequest, customer), provider=customer.provider_id, pk=pk)


def credit_request_list(
    *, customer: Customer, status: str | None = None, limit: int | None = None, cursor: str | None = None
) -> Page[CreditRequest]:
    """A customer's credit requests, newest first; `status` "pending" for those awaiting approval."""
    qs = _scoped(CreditRequest, customer).select_related("credit")
    if status:
        qs = qs.filter(status=status)
    return keyset_page(qs, ordering=("-requested_at", "-id"), limit=limit, cursor=cursor)


def ledger_list(
    *, customer: Customer, limit: int | None = None, cursor: str | None = None, newest_first: bool = False
) -> Page[LedgerEntry]:
    """Ledger entries oldest first, as a bank statement reads (the API's order), or newest first
    (the Ledger tab, which opens on what happened lately)."""
    ordering = ("-at", "-id") if newest_first else ("at", "id")
    return keyset_page(_scoped(LedgerEntry, customer), ordering=ordering, limit=limit, cursor=cursor)


def ledger_entry_get(*, customer: Customer, pk: object) -> LedgerEntry:
    return get_scoped(_scoped(LedgerEntry, customer), provider=customer.provider_id, pk=pk)


def dispute_get(*, customer: Customer, pk: object) -> Dispute:
    qs = _scoped(Dispute, customer).select_related("entry")
    return get_scoped(qs, provider=customer.provider_id, pk=pk)


def dispute_open_by_entry(*, customer: Customer, entry_ids: list[int]) -> dict[int, Dispute]:
    """The open dispute on each of these ledger entries (a page of the Ledger tab, the lines of
    an explanation): one query, at most one dispute per entry."""
    ids = sorted(set(entry_ids))
    if not ids:
        return {}
    rows = _scoped(Dispute, customer).filter(entry_id__in=ids, resolved_at__isnull=True)
    return {d.entry_id: d for d in rows.order_by("id")[: len(ids)]}


@dataclass(frozen=True)
class AccountMetrics:
    total_due: Decimal
    account_credit: Decimal
    lifetime_value: Decimal
    account_current: bool
    ledger_balance: Decimal
    open_invoice_count: int
    earliest_open_due_on: dt.date | None

    @property
    def net_due(self) -> Decimal:
        """What to pay: the open invoices less credit not yet set against them."""
        return max(self.total_due - self.account_credit, ZERO)


def account_metrics(*, customer: Customer, today: dt.date | None = None) -> AccountMetrics:
    """The key metrics as product.md defines them, in one query on the summary row."""
    summary = AccountSummary.objects.filter(provider_id=customer.provider_id, customer=customer).first()
    today = today or clock.today()
    if summary is None:
        return AccountMetrics(ZERO, ZERO, ZERO, True, ZERO, 0, None)
    return AccountMetrics(
        total_due=summary.total_due,
        account_credit=summary.account_credit,
        lifetime_value=summary.lifetime_value,
        account_current=account_is_current(summary, today),
        ledger_balance=summary.ledger_balance,
        open_invoice_count=summary.open_invoice_count,
        earliest_open_due_on=summary.earliest_open_due_on,
    )


def billing_profile_get(*, customer: Customer) -> BillingProfile | None:
    return BillingProfile.objects.filter(provider_id=customer.provider_id, customer=customer).first()


def payment_method_default(*, customer: Customer) -> QuerySet[PaymentMethod]:
    """The automated payment method, the default one, as a queryset of at most one."""
    return _scoped(PaymentMethod, customer).filter(is_default=True).order_by("id")[:1]


def payment_method_get(*, customer: Customer, pk: object) -> PaymentMethod:
    return get_scoped(_scoped(PaymentMethod, customer), provider=customer.provider_id, pk=pk)


def payment_method_list(*, customer: Customer, limit: int = 50) -> list[PaymentMethod]:
    return list(_scoped(PaymentMethod, customer).order_by("-is_default", "-id")[:limit])


def instalment_list(
    *, customer: Customer, limit: int | None = None, cursor: str | None = None
) -> Page[InstalmentPurchase]:
    qs = _scoped(InstalmentPurchase, customer)
    return keyset_page(qs, ordering=("-purchased_on", "-id"), limit=limit, cursor=cursor)


def instalment_recent(*, customer: Customer, limit: int = 3) -> QuerySet[InstalmentPurchase]:
    return _scoped(InstalmentPurchase, customer).order_by("-purchased_on", "-id")[:limit]


def recurring_invoice_get(*, customer: Customer, pk: object) -> RecurringInvoice:
    return get_scoped(_scoped(RecurringInvoice, customer), provider=customer.provider_id, pk=pk)


def recurring_invoice_list(
    *, customer: Customer, limit: int | None = None, cursor: str | None = None
) -> Page[RecurringInvoice]:
    qs = _scoped(RecurringInvoice, customer)
    return keyset_page(qs, ordering=("-next_run_on", "-id"), limit=limit, cursor=cursor)


def estimate_get(*, customer: Customer, pk: object) -> Estimate:
    return get_scoped(_scoped(Estimate, customer), provider=customer.provider_id, pk=pk)


def estimate_list(
    *, customer: Customer, limit: int | None = None, cursor: str | None = None
) -> Page[Estimate]:
    return keyset_page(
        _scoped(Estimate, customer), ordering=("-issued_on", "-id"), limit=limit, cursor=cursor
    )


def agreement_list(
    *, customer: Customer, limit: int | None = None, cursor: str | None = None
) -> Page[Agreement]:
    return keyset_page(
        _scoped(Agreement, customer), ordering=("-starts_on", "-id"), limit=limit, cursor=cursor
    )


def customer_balance_expression() -> Coalesce:
    """The customer's ledger balance from its summary row, 0 before it has one: an expression on
    Customer for the customer list's Balance column."""
    return Coalesce(
        "account_summary__ledger_balance",
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def invoice_number_match(provider: Provider, q: str) -> Q | None:
    """Customer search: the customer an invoice number belongs to, typed exactly (any case) or
    without its padding ("inv-123", "INV123" for INV-000123), through the unique (provider, number)
    index."""
    if not q or len(q) > 24:
        return None
    candidates = {q.strip().upper()} if " " not in q.strip() else set()
    if padded := padded_number(q, "INV"):
        candidates.add(padded)
    if not candidates:
        return None
    numbers = Invoice.objects.filter(provider=provider, number__in=candidates).values("customer_id")
    return Q(pk__in=numbers)


def invoice_by_number(*, customer: Customer, number: str) -> Invoice | None:
    """One of the customer's invoices by its number, typed exactly (any case) or without its
    padding ("inv-42", "42" for INV-000042); None when the customer has no such invoice."""
    typed = number.strip().upper()
    candidates = {typed}
    if padded := padded_number(typed, "INV", bare=True):
        candidates.add(padded)
    return _scoped(Invoice, customer).filter(number__in=candidates).order_by("id").first()
