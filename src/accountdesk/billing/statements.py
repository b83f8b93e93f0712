"""The statement of account: opening balance, the period's ledger entries with their running
balance, closing balance, and aging of the invoices open at the end date, as they stood then.
Page, PDF and email."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from accountdesk.activity.services import event_record
from accountdesk.billing.instalments import add_months
from accountdesk.billing.models import (
    CreditApplication,
    Invoice,
    InvoiceStatus,
    LedgerEntry,
    PaymentAllocation,
)
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.dates import date_text
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.money import ZERO
from accountdesk.core.permissions import require
from accountdesk.customers.models import Customer

MAX_LINES = 5000
BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus")
BUCKET_LABELS = {
    "current": "Current",
    "days_1_30": "1-30 days",
    "days_31_60": "31-60 days",
    "days_61_90": "61-90 days",
    "days_90_plus": "90+ days",
}


@dataclass
class Statement:
    customer: Customer
    start: dt.date
    end: dt.date
    opening_balance: Decimal
    lines: list[LedgerEntry]
    closing_balance: Decimal
    aging: dict[str, Decimal]

    @property
    def aging_total(self) -> Decimal:
        return sum(self.aging.values(), ZERO)

    @property
    def unapplied_credit(self) -> Decimal:
        """Credit held at the end date and not yet set against an invoice. The closing balance is
        always the open invoices less that credit, so it follows from the two."""
        return max(self.aging_total - self.closing_balance, ZERO)

    @property
    def aging_rows(self) -> list[tuple[str, Decimal]]:
        return [(BUCKET_LABELS[k], self.aging[k]) for k in BUCKETS]


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """From the first day of the month two months back, to today: about a quarter."""
    today = today or clock.today()
    return add_months(today.replace(day=1), -2), today


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def bucket_for(days_past_due: int) -> str:
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "days_1_30"
    if days_past_due <= 60:
        return "days_31_60"
    if days_past_due <= 90:
        return "days_61_90"
    return "days_90_plus"


def statement_build(*, customer, start: dt.date | None = None, end: dt.date | None = None) -> Statement:
    default_start, default_end = default_period()
    start, end = start or default_start, end or default_end
    if end < start:
        raise ValidationFailed(
            "The period ends before it starts.", fields={"to": "On or after the start date."}
        )
    entries = LedgerEntry.objects.filter(provider_id=customer.provider_id, customer=customer)
    before = entries.filter(at__lt=_start_of(start)).order_by("-at", "-id").only("running_balance").first()
    opening = before.running_balance if before else ZERO
    period = entries.filter(at__gte=_start_of(start), at__lt=_start_of(end + dt.timedelta(days=1)))
    # Entries that move no money (credit applied to an invoice: the balance already counted it
    # when the credit was issued) are no statement lines.
    period = period.exclude(amount=0)
    lines = list(period.order_by("at", "id")[: MAX_LINES + 1])
    if len(lines) > MAX_LINES:
        raise ValidationFailed(
            f"More than {MAX_LINES} transactions: choose a shorter period.",
            fields={"from": "Choose a later date."},
        )
    closing = lines[-1].running_balance if lines else opening
    aging = dict.fromkeys(BUCKETS, ZERO)
    for due_on, balance in open_at(customer=customer, end=end):
        aging[bucket_for((end - due_on).days)] += balance
    return Statement(
        customer=customer,
        start=start,
        end=end,
        opening_balance=opening,
        lines=lines,
        closing_balance=closing,
        aging=aging,
    )


def open_at(*, customer, end: dt.date) -> list[tuple[dt.date, Decimal]]:
    """(due date, balance) of each invoice open at the close of `end`, as it stood then: approved
    by then and not voided by then, less the payments, refunds and credits applied by then.

    Read from what changed since, never from the whole history: an invoice open then is open now,
    had money applied since (its balance then is today's plus that money), or was voided since
    (its total less what was applied before). A statement ending today costs three short reads."""
    until = _start_of(end + dt.timedelta(days=1))
    invoices = Invoice.objects.filter(provider_id=customer.provider_id, customer=customer)
    allocations = PaymentAllocation.objects.filter(
        provider_id=customer.provider_id, payment__customer=customer
    )
    credits = CreditApplication.objects.filter(provider_id=customer.provider_id, credit__customer=customer)
    since = _applied(
        allocations.filter(payment__created_at__gte=until), credits.filter(applied_at__gte=until)
    )
    # Each set comes from an index of its own; a UNION of them, not an OR, keeps the read that small.
    ids = (
        invoices.filter(status=InvoiceStatus.APPROVED, balance__gt=0)
        .values("id")
        .union(invoices.filter(status=InvoiceStatus.VOID, voided_at__gte=until).values("id"))
    )
    rows = list(
        invoices.filter(Q(approved_at__lt=until) | Q(approved_at__isnull=True, issued_on__lte=end))
        .filter(Q(pk__in=ids) | Q(pk__in=list(since)))
        .exclude(status=InvoiceStatus.DRAFT)
        .order_by("due_on", "id")
        .values_list("id", "due_on", "status", "total", "balance")[:MAX_LINES]
    )
    voided = [pk for pk, _, status, _, _ in rows if status == InvoiceStatus.VOID]
    before = {}
    if voided:
        before = _applied(
            allocations.filter(invoice__in=voided, payment__created_at__lt=until),
            credits.filter(invoice__in=voided, applied_at__lt=until),
        )
    result = []
    for pk, due_on, status, total, balance in rows:
        voided_since = status == InvoiceStatus.VOID
        then = total - before.get(pk, ZERO) if voided_since else balance + since.get(pk, ZERO)
        if then > 0:
            result.append((due_on, then))
    return result


def _applied(*applied_querysets) -> dict[int, Decimal]:
    """Money applied to each invoice (payments less refunds, credits) in these querysets."""
    totals: dict[int, Decimal] = {}
    for qs in applied_querysets:
        for invoice_id, amount in (
            qs.order_by().values("invoice_id").annotate(s=Sum("amount")).values_list("invoice_id", "s")
        ):
            totals[invoice_id] = totals.get(invoice_id, ZERO) + amount
    return totals


def statement_context(statement: Statement) -> dict:
    customer = statement.customer
    provider = customer.provider
    return {
        "statement": statement,
        "customer": customer,
        "provider": provider,
        "currency": customer.currency,
        "locale": getattr(provider, "locale", "en_US"),
        "generated_on": clock.today(),
    }


def statement_pdf(statement: Statement) -> bytes:
    from accountdesk.billing.statement_pdf import statement_pdf as draw

    return draw(statement)


def statement_filename(statement: Statement) -> str:
    return (
        f"statement-{statement.customer.number}-{statement.start.isoformat()}-{statement.end.isoformat()}.pdf"
    )


def billing_recipient(customer) -> str | None:
    """Where bills and statements go: the billing contact, else the primary contact, else the
    customer's own email."""
    from accountdesk.customers.models import Contact

    contacts = (
        Contact.objects.filter(customer=customer)
        .exclude(email="")
        .order_by("-is_billing", "-is_primary", "id")
    )
    contact = contacts.first()
    return contact.email if contact else (customer.email or None)


@transaction.atomic
def statement_send(
    *, customer, actor: Actor, start: dt.date | None = None, end: dt.date | None = None
) -> str:
    """Email the statement to the billing contact: the PDF is rendered and sent after commit."""
    require(actor, "billing.statement")
    default_start, default_end = default_period()
    start, end = start or default_start, end or default_end
    if end < start:
        raise ValidationFailed(
            "The period ends before it starts.", fields={"to": "On or after the start date."}
        )
    recipient = billing_recipient(customer)
    if not recipient:
        raise ValidationFailed(
            "This customer has no email address for statements.",
            fields={"recipient": "Add a billing contact."},
        )
    event_record(
        customer=customer,
        actor=actor,
        kind="statement.sent",
        summary=f"Statement {start.isoformat()} to {end.isoformat()} emailed to {recipient}",
        details={"to": recipient, "from": start, "until": end},
    )
    customer_id = customer.pk
    transaction.on_commit(
        lambda: statement_email_task.enqueue(customer_id, start.isoformat(), end.isoformat(), recipient)
    )
    return recipient


@task()
def statement_email_task(customer_id: int, start: str, end: str, recipient: str) -> None:
    from accountdesk.customers.models import Customer

    customer = Customer.objects.select_related("provider").get(pk=customer_id)
    statement = statement_build(
        customer=customer, start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end)
    )
    provider = customer.provider
    message = EmailMessage(
        subject=f"{provider.name}: your statement of account, {date_text(start)} to {date_text(end)}",
        body=render_to_string("billing/statement_email.txt", statement_context(statement)),
        to=[recipient],
    )
    message.attach(statement_filename(statement), statement_pdf(statement), "application/pdf")
    message.send()
