"""Payments received (allocated to invoices, the rest to credit) and refunds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from accountdesk.activity.rendering import amount_slot
from accountdesk.activity.services import event_record
from accountdesk.billing import ledger
from accountdesk.billing.models import (
    Credit,
    CreditOrigin,
    Invoice,
    InvoiceStatus,
    LedgerKind,
    Payment,
    PaymentAllocation,
    PaymentKind,
    PaymentMeans,
)
from accountdesk.billing.services._shared import books_with, money, open_invoices
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.money import (
    ZERO,
    to_str,
)
from accountdesk.core.parse import parse_amount, parse_date, parse_text
from accountdesk.core.permissions import require
from accountdesk.core.tenancy import get_scoped
from accountdesk.customers.models import Customer

PAYMENT_IN_FUTURE = "A payment cannot be received in the future."


@transaction.atomic
def payment_record(
    *,
    customer: Customer,
    amount: object,
    method: str,
    actor: Actor,
    reference: str = "",
    received_on: dt.date | None = None,
    allocations: dict[int, object] | None = None,
) -> Payment:
    """Record money received. It pays the oldest open invoices first, or the ones the user picked
    (`allocations` {invoice_id: amount}); what is left becomes account credit."""
    require(actor, "billing.payment")
    amount = parse_amount(amount)
    method = parse_text(method, field="method", max_length=40, required=True, single_line=True)
    reference = parse_text(reference, field="reference", max_length=120, single_line=True)
    received_on = parse_date(received_on, field="received_on") if received_on is not None else clock.today()
    if received_on > clock.today():
        raise ValidationFailed(PAYMENT_IN_FUTURE, fields={"received_on": PAYMENT_IN_FUTURE})
    books = ledger.books_open(customer)
    plan: list[tuple[Invoice, Decimal]] = []
    if allocations:
        for invoice_id, raw in allocations.items():
            invoice = get_scoped(
                Invoice.objects.filter(customer=customer, status=InvoiceStatus.APPROVED),
                provider=customer.provider_id,
                pk=invoice_id,
            )
            part = parse_amount(raw, field=f"allocations.{invoice_id}")
            if part > invoice.balance:
                raise ValidationFailed(
                    f"{invoice.number} has only {money(invoice.balance, customer)} open.",
                    fields={f"allocations.{invoice_id}": "More than the invoice's open balance."},
                )
            plan.append((invoice, part))
        if sum(p for _, p in plan) > amount:
            raise ValidationFailed(
                "The allocations add up to more than the payment.",
                fields={"allocations": "Too much allocated."},
            )
    else:
        left = amount
        for invoice in open_invoices(customer).iterator(chunk_size=200):
            if left <= 0:
                break
            part = min(left, invoice.balance)
            plan.append((invoice, part))
            left -= part
    payment = Payment.objects.create(
        provider_id=customer.provider_id,
        customer=books.customer,
        kind=PaymentKind.PAYMENT,
        amount=amount,
        method=method,
        reference=reference,
        received_on=received_on,
        created_at=clock.now(),
        actor_name=actor.name,
    )
    ledger.post(
        books,
        kind=LedgerKind.PAYMENT,
        amount=-amount,
        description=f"Payment by {PaymentMeans.phrase(method, reference)}",
        subject=payment,
    )
    PaymentAllocation.objects.bulk_create(
        [
            PaymentAllocation(provider_id=customer.provider_id, payment=payment, invoice=inv, amount=p)
            for inv, p in plan
        ]
    )
    for invoice, part in plan:
        ledger.invoice_balance_move(books, invoice, -part)
    allocated = sum((p for _, p in plan), ZERO)
    excess = amount - allocated
    if excess > 0:
        ledger.credit_move(
            books,
            Credit(
                provider_id=customer.provider_id,
                customer=books.customer,
                issued_on=received_on,
                amount=excess,
                remaining=ZERO,
                reason=f"Overpayment of {money(excess, customer)}",
                origin=CreditOrigin.OVERPAYMENT,
                source_payment=payment,
                actor_type=actor.type,
                actor=actor.user,
                actor_name=actor.name,
                created_at=clock.now(),
            ),
            excess,
        )
    books.summary.lifetime_value += amount
    paid = ", ".join(f"{inv.number} {to_str(p)}" for inv, p in plan)
    event_record(
        customer=books.customer,
        actor=actor,
        kind="payment.recorded",
        summary=f"Payment of {amount_slot('amount')} by {PaymentMeans.phrase(method, reference)}",
        subject=payment,
        details={
            "amount": to_str(amount),
            "allocated": paid or "none",
            "to_credit": excess,
            "received_on": received_on,
        },
    )
    ledger.books_close(books)
    return payment


@transaction.atomic
def payment_refund(*, payment: Payment, amount: object, reason: str, actor: Actor) -> Payment:
    """Pay back part or all of a payment. The money comes first from what the payment left as
    credit, then off the invoices it paid (reopening them, newest first), then from other credit."""
    require(actor, "billing.payment")
    amount = parse_amount(amount)
    reason = parse_text(reason, field="reason", max_length=300, required=True, single_line=True)
    books, payment = books_with(payment)
    if payment.kind != PaymentKind.PAYMENT:
        raise Conflict("Only a payment can be refunded.")
    refundable = payment.amount - payment.refunded
    if amount > refundable:
        raise ValidationFailed(
            f"At most {money(refundable, payment.customer)} of this payment can be refunded.",
            fields={"amount": f"At most {money(refundable, payment.customer)}."},
        )
    refund = Payment.objects.create(
        provider_id=payment.provider_id,
        customer=books.customer,
        kind=PaymentKind.REFUND,
        amount=-amount,
        method=payment.method,
        reference=payment.reference,
        received_on=clock.today(),
        refund_of=payment,
        reason=reason,
        created_at=clock.now(),
        actor_name=actor.name,
    )
    left = amount
    for credit in Credit.objects.filter(source_payment=payment, remaining__gt=0).order_by("id"):
        part = min(left, credit.remaining)
        ledger.credit_move(books, credit, -part, field="refunded")
        left -= part
    if left > 0:
        paid = (
            PaymentAllocation.objects.filter(payment__in=[payment, *payment.refunds.all()])
            .filter(invoice__status=InvoiceStatus.APPROVED)
            .values("invoice_id")
            .annotate(net=Sum("amount"))
            .order_by("-invoice_id")
        )
        for row in paid:
            if left <= 0:
                break
            invoice = Invoice.objects.get(pk=row["invoice_id"])
            part = min(left, row["net"])
            if part <= 0:
                continue
            PaymentAllocation.objects.create(
                provider_id=payment.provider_id, payment=refund, invoice=invoice, amount=-part
            )
            ledger.invoice_balance_move(books, invoice, part)
            left -= part
    if left > 0:
        for credit in Credit.objects.filter(customer=books.customer, remaining__gt=0).order_by(
            "issued_on", "id"
        ):
            if left <= 0:
                break
            part = min(left, credit.remaining)
            ledger.credit_move(books, credit, -part, field="refunded")
            left -= part
    if left > 0:
        raise Conflict("This payment's money has been applied elsewhere; there is not enough to refund.")
    payment.refunded += amount
    payment.save(update_fields=["refunded"])
    ledger.post(
        books,
        kind=LedgerKind.REFUND,
        amount=amount,
        description=f"Refund of payment {payment.reference or payment.pk}: {reason}",
        subject=refund,
    )
    books.summary.lifetime_value -= amount
    event_record(
        customer=books.customer,
        actor=actor,
        kind="payment.refunded",
        summary=f"Refund of {amount_slot('amount')}: {reason}",
        subject=refund,
        details={"amount": to_str(amount), "payment": payment.pk, "reason": reason},
    )
    ledger.books_close(books)
    return refund
