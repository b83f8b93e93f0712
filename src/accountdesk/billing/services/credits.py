"""Account credit: issue (within the agents' limits, else a request awaiting approval), approve
or decline requests, apply to invoices, and settle open invoices automatically."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from accountdesk.activity.rendering import amount_slot
from accountdesk.activity.services import event_record
from accountdesk.audit.services import security_record
from accountdesk.billing import ledger, selectors
from accountdesk.billing.models import (
    Credit,
    CreditApplication,
    CreditOrigin,
    CreditRequest,
    CreditRequestStatus,
    Invoice,
    LedgerKind,
)
from accountdesk.billing.services._shared import books_with, money, open_invoices
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from accountdesk.core.money import (
    ZERO,
    to_str,
)
from accountdesk.core.parse import parse_amount, parse_text
from accountdesk.core.permissions import require
from accountdesk.customers.models import Customer

AGENT_CREDIT_WINDOW = dt.timedelta(days=30)


def agent_credit_window_used(*, customer: Customer, actor: Actor) -> Decimal:
    """What this actor's user has credited this customer themselves over the last 30 days (a
    rolling window, to the second). Credits they asked for and a billing user approved are the
    approver's, so they do not count."""
    if actor.user is None:
        return ZERO
    return selectors.credit_issued_by(
        customer=customer, user=actor.user, since=clock.now() - AGENT_CREDIT_WINDOW
    )


def agent_credit_allowance(*, customer: Customer, actor: Actor) -> tuple[Decimal, Decimal] | None:
    """The agents' credit rule in one place: None for a role that issues any amount (billing,
    admin); else (the most for one credit, what is left of the 30-day limit for this customer)."""
    if actor.can("billing.credit"):
        return None
    provider = customer.provider
    used = agent_credit_window_used(customer=customer, actor=actor)
    return provider.agent_credit_limit, max(ZERO, provider.agent_credit_limit_30d - used)


def _credit_post(books: ledger.Books, *, amount: Decimal, reason: str, actor: Actor,
                 approved: CreditRequest | None = None) -> Credit:  # fmt: skip
    credit = Credit(
        provider_id=books.customer.provider_id,
        customer=books.customer,
        issued_on=clock.today(),
        amount=amount,
        remaining=ZERO,
        reason=reason,
        origin=CreditOrigin.ISSUED,
        actor_type=actor.type,
        actor=actor.user,
        actor_name=actor.name,
        created_at=clock.now(),
    )
    ledger.credit_move(books, credit, amount)
    ledger.post(
        books, kind=LedgerKind.CREDIT_ISSUED, amount=-amount, description=f"Credit: {reason}", subject=credit
    )
    details: dict[str, object] = {"amount": to_str(amount), "reason": reason}
    summary = f"Credit of {amount_slot('amount')} issued: {reason}"
    if approved is not None:
        details.update(request=approved.pk, requested_by=approved.requested_by_name)
        summary = (
            f"Credit of {amount_slot('amount')} issued (requested by {approved.requested_by_name}): {reason}"
        )
    event_record(
        customer=books.customer,
        actor=actor,
        kind="credit.issued",
        summary=summary,
        subject=credit,
        details=details,
    )
    _credit_settle(books, actor)
    return credit


def _credit_request(books: ledger.Books, *, amount: Decimal, reason: str, actor: Actor, used: Decimal,
                    limit: Decimal) -> CreditRequest:  # fmt: skip
    request = CreditRequest.objects.create(
        provider_id=books.customer.provider_id,
        customer=books.customer,
        amount=amount,
        reason=reason,
        window_used=used,
        window_limit=limit,
        requested_at=clock.now(),
        requested_by_type=actor.type,
        requested_by=actor.user,
        requested_by_name=actor.name,
    )
    details = {"amount": amount, "reason": reason, "credited_in_30_days": used, "limit_30_days": limit}
    event_record(
        customer=books.customer,
        actor=actor,
        kind="credit.requested",
        summary=f"Credit of {amount_slot('amount')} awaits approval: {reason}",
        subject=request,
        details=details,
    )
    security_record(
        provider=books.customer.provider,
        kind="credit.approval_requested",
        summary=(
            f"{actor.name} asked to credit {money(amount, books.customer)} to "
            f"{books.customer.number}: above the {money(limit, books.customer)} an agent may credit "
            f"one customer in 30 days ({money(used, books.customer)} already)"
        ),
        actor=actor,
        details={"customer": books.customer.pk, "request": request.pk, **details},
    )
    return request


@transaction.atomic
def credit_issue(*, customer: Customer, amount: object, reason: str, actor: Actor) -> Credit | CreditRequest:
    """Issue account credit. Billing and admin: any amount. Agents: at most the provider's
    per-credit limit (Provider.agent_credit_limit; above it, permission is denied), and at most
    Provider.agent_credit_limit_30d to one customer over 30 days: a credit that would go above
    that is not issued but becomes a CreditRequest awaiting a billing user's approval, which is
    what this returns then."""
    unlimited = actor.can("billing.credit")
    if not unlimited and not actor.can("billing.credit_limited"):
        raise PermissionDenied()
    amount = parse_amount(amount)
    reason = parse_text(reason, field="reason", max_length=300, required=True, single_line=True)
    once = customer.provider.agent_credit_limit
    if not unlimited and amount > once:
        raise PermissionDenied(f"Your role may issue at most {money(once, customer)} of credit at a time.")
    books = ledger.books_open(customer)
    if not unlimited:
        # Measured under the customer's row lock, so two credits at once cannot both fit.
        used = agent_credit_window_used(customer=books.customer, actor=actor)
        limit = books.customer.provider.agent_credit_limit_30d
        if used + amount > limit:
            return _credit_request(books, amount=amount, reason=reason, actor=actor, used=used, limit=limit)
    credit = _credit_post(books, amount=amount, reason=reason, actor=actor)
    ledger.books_close(books)
    return credit


DECIDED_FIELDS = ["status", "decided_at", "decided_by", "decided_by_name"]


def _credit_request_decide(
    credit_request: CreditRequest, *, status: str, actor: Actor
) -> tuple[ledger.Books, CreditRequest]:
    """What approving and declining share: open the customer's books, read the request again under
    their lock (it must still be pending) and mark it decided by `actor`; the caller saves it."""
    books = ledger.books_open(credit_request.customer)
    row = CreditRequest.objects.select_for_update().get(pk=credit_request.pk, customer=books.customer)
    if row.status != CreditRequestStatus.PENDING:
        raise Conflict(f"This credit request was already {row.get_status_display().lower()}.")
    row.status = status
    row.decided_at, row.decided_by, row.decided_by_name = clock.now(), actor.user, actor.name
    return books, row


@transaction.atomic
def credit_request_approve(*, credit_request: CreditRequest, actor: Actor) -> CreditRequest:
    """Approve a pending credit request: the credit is issued now, by the approver, its activity
    entry naming who asked for it."""
    require(actor, "billing.credit")
    books, row = _credit_request_decide(credit_request, status=CreditRequestStatus.APPROVED, actor=actor)
    row.credit = _credit_post(books, amount=row.amount, reason=row.reason, actor=actor, approved=row)
    row.save(update_fields=[*DECIDED_FIELDS, "credit"])
    ledger.books_close(books)
    return row


@transaction.atomic
def credit_request_decline(*, credit_request: CreditRequest, reason: str, actor: Actor) -> CreditRequest:
    """Decline a pending credit request, with a reason; nothing is credited."""
    require(actor, "billing.credit")
    reason = parse_text(reason, field="reason", max_length=300, required=True, single_line=True)
    books, row = _credit_request_decide(credit_request, status=CreditRequestStatus.DECLINED, actor=actor)
    row.decline_reason = reason
    row.save(update_fields=[*DECIDED_FIELDS, "decline_reason"])
    event_record(
        customer=books.customer,
        actor=actor,
        kind="credit.declined",
        summary=f"Credit of {amount_slot('amount')} asked by {row.requested_by_name} declined: {reason}",
        subject=row,
        details={"amount": row.amount, "requested_by": row.requested_by_name, "reason": reason},
    )
    return row


@transaction.atomic
def credit_apply(
    *, invoice: Invoice, actor: Actor, credit: Credit | None = None, amount: object = None
) -> list[CreditApplication]:
    """Apply account credit to an approved invoice: one credit, or the oldest credits first.
    Without an amount, as much as the invoice's open balance and the credit allow."""
    require(actor, "billing.credit_limited")
    limit = parse_amount(amount) if amount not in (None, "") else None
    books, invoice = books_with(invoice)
    if not invoice.is_open:
        raise Conflict(f"Invoice {invoice.label} has no open balance.")
    wanted = invoice.balance if limit is None else limit
    if wanted > invoice.balance:
        raise ValidationFailed(
            f"{invoice.number} has only {money(invoice.balance, invoice.customer)} open.",
            fields={"amount": "More than is open."},
        )
    applications = _credit_to_invoice(books, invoice, wanted, actor=actor, credit=credit)
    applied = sum((a.amount for a in applications), ZERO)
    if applied <= 0:
        raise Conflict("There is no account credit to apply.")
    if limit is not None and applied < wanted:
        raise ValidationFailed(
            f"Only {money(applied, invoice.customer)} of credit is available.",
            fields={"amount": "More than the credit available."},
        )
    ledger.books_close(books)
    return applications


def _credit_to_invoice(
    books: ledger.Books, invoice: Invoice, wanted: Decimal, *, actor: Actor, credit: Credit | None = None
) -> list[CreditApplication]:
    """Apply up to `wanted` of the customer's credit (oldest first, or just `credit`) to `invoice`."""
    credits = Credit.objects.filter(customer=books.customer, remaining__gt=0).order_by("issued_on", "id")
    if credit is not None:
        credits = credits.filter(pk=credit.pk)
    applications = []
    left = wanted
    for row in credits:
        if left <= 0:
            break
        part = min(left, row.remaining)
        applications.append(
            CreditApplication.objects.create(
                provider_id=invoice.provider_id,
                credit=row,
                invoice=invoice,
                amount=part,
                applied_at=clock.now(),
            )
        )
        ledger.credit_move(books, row, -part)
        ledger.invoice_balance_move(books, invoice, -part)
        left -= part
    applied = wanted - left
    if applied <= 0:
        return applications
    ledger.post(
        books,
        kind=LedgerKind.CREDIT_APPLIED,
        amount=ZERO,
        description=f"Credit of {money(applied, invoice.customer)} applied to {invoice.number}",
        subject=invoice,
    )
    event_record(
        customer=books.customer,
        actor=actor,
        kind="credit.applied",
        summary=f"Credit of {amount_slot('amount')} applied to {invoice.number}",
        subject=invoice,
        details={"amount": to_str(applied)},
    )
    return applications


def _credit_settle(books: ledger.Books, actor: Actor, *, touched: Invoice | None = None) -> None:
    """With the provider's automatic application on, let account credit pay the open invoices,
    the oldest due first, so credit never sits beside an unpaid invoice. `touched` is the caller's
    instance of an invoice it has just changed, used in place of a fresh copy so it stays current."""
    if not books.customer.provider.credit_auto_apply:
        return
    if books.summary.account_credit <= 0 or books.summary.total_due <= 0:
        return
    for invoice in open_invoices(books.customer):
        if books.summary.account_credit <= 0:
            break
        if touched is not None and invoice.pk == touched.pk:
            invoice = touched
        _credit_to_invoice(books, invoice, min(invoice.balance, books.summary.account_credit), actor=actor)
