"""Invoices: drafts and their lines, approval (numbering and posting), issue in one go, void."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction

from accountdesk.activity.rendering import amount_slot
from accountdesk.activity.services import event_record
from accountdesk.billing import ledger
from accountdesk.billing.invoice_pdf import invoice_delivery_queue
from accountdesk.billing.models import (
    TERMS_DAYS,
    Credit,
    CreditOrigin,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LedgerKind,
    line_amounts,
)
from accountdesk.billing.services._shared import books_with, fits, terms_of
from accountdesk.billing.services.credits import _credit_settle
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.money import (
    ZERO,
    to_str,
)
from accountdesk.core.parse import parse_amount, parse_date, parse_decimal, parse_text
from accountdesk.core.permissions import require
from accountdesk.customers.models import Customer
from accountdesk.tenancy.models import sequence_next


def _line_values(line: dict[str, Any]) -> dict[str, Any]:
    description = parse_text(
        line.get("description"), field="description", max_length=300, required=True, single_line=True
    )
    quantity = parse_decimal(
        line.get("quantity", "1"), field="quantity", places=3, low=Decimal("0.001"), high=Decimal("1000000")
    )
    unit_price = parse_amount(
        line.get("unit_price"), field="unit_price", allow_zero=True, allow_negative=True
    )
    tax_rate = parse_decimal(
        line.get("tax_rate", "0"), field="tax_rate", places=4, low=ZERO, high=Decimal("1")
    )
    net, tax = line_amounts(quantity, unit_price, tax_rate)
    fits(net + tax, "unit_price", "The line comes to")
    return {
        "description": description,
        "quantity": quantity,
        "unit_price": unit_price,
        "tax_rate": tax_rate,
        "net": net,
        "tax": tax,
    }


@transaction.atomic
def invoice_create_draft(
    *,
    customer: Customer,
    actor: Actor,
    issued_on: dt.date | None = None,
    memo: str = "",
    lines: Iterable[dict[str, Any]] = (),
) -> Invoice:
    require(actor, "billing.invoice")
    issued_on = parse_date(issued_on, field="issued_on") if issued_on is not None else clock.today()
    terms = terms_of(customer)
    invoice = Invoice.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        issued_on=issued_on,
        due_on=issued_on + dt.timedelta(days=TERMS_DAYS[terms]),
        terms=terms,
        memo=parse_text(memo, field="memo", max_length=300, single_line=True),
        created_at=clock.now(),
    )
    for line in lines:
        _line_add(invoice, _line_values(line))
    event_record(
        customer=customer,
        actor=actor,
        kind="invoice.created",
        summary="Draft invoice created",
        subject=invoice,
    )
    return invoice


def _line_add(invoice: Invoice, values: dict[str, Any]) -> InvoiceLine:
    position = invoice.lines.count() + 1
    fits(invoice.total + values["net"] + values["tax"], "unit_price", "The invoice would come to")
    line = InvoiceLine.objects.create(
        provider_id=invoice.provider_id, invoice=invoice, position=position, **values
    )
    invoice.total += line.net + line.tax
    invoice.save(update_fields=["total"])
    return line


@transaction.atomic
def invoice_add_line(
    *,
    invoice: Invoice,
    description: str,
    unit_price: object,
    actor: Actor,
    quantity: object = "1",
    tax_rate: object = "0",
) -> InvoiceLine:
    require(actor, "billing.invoice")
    values = _line_values(
        {"description": description, "quantity": quantity, "unit_price": unit_price, "tax_rate": tax_rate}
    )
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not invoice.is_draft:
        raise Conflict("An approved or void invoice is frozen: lines cannot change.")
    line = _line_add(invoice, values)
    event_record(
        customer=invoice.customer,
        actor=actor,
        kind="invoice.line_added",
        summary=f"Line added to draft #{invoice.pk}: {line.description} {amount_slot('amount')}",
        subject=invoice,
        details={"amount": to_str(line.amount)},
    )
    return line


def _approve(books: ledger.Books, invoice: Invoice, actor: Actor) -> Invoice:
    if not invoice.is_draft:
        raise Conflict(f"Invoice {invoice.label} is already {invoice.status}.")
    if invoice.total <= 0:
        raise ValidationFailed(
            "An invoice needs lines totalling more than zero.", fields={"lines": "Add a line."}
        )
    number = sequence_next(provider=books.customer.provider, name="invoice")
    invoice.number = f"INV-{number:06d}"
    invoice.status = InvoiceStatus.APPROVED
    invoice.due_on = invoice.issued_on + dt.timedelta(days=TERMS_DAYS[invoice.terms])
    invoice.approved_at = clock.now()
    invoice.save(update_fields=["number", "status", "due_on", "approved_at"])
    ledger.post(
        books,
        kind=LedgerKind.INVOICE_APPROVED,
        amount=invoice.total,
        description=f"Invoice {invoice.number}",
        subject=invoice,
    )
    ledger.invoice_balance_move(books, invoice, invoice.total)
    event_record(
        customer=books.customer,
        actor=actor,
        kind="invoice.approved",
        summary=f"Invoice {invoice.number} approved: {amount_slot('total')}, due {invoice.due_on:%Y-%m-%d}",
        subject=invoice,
        details={"total": to_str(invoice.total), "due_on": invoice.due_on},
    )
    _credit_settle(books, actor, touched=invoice)
    invoice_delivery_queue(customer=books.customer, invoice=invoice, actor=actor)
    return invoice


@transaction.atomic
def invoice_approve(*, invoice: Invoice, actor: Actor) -> Invoice:
    """Number the invoice (gapless, per provider, inside this transaction) and freeze it."""
    require(actor, "billing.invoice")
    books, invoice = books_with(invoice)
    _approve(books, invoice, actor)
    ledger.books_close(books)
    return invoice


@transaction.atomic
def invoice_issue(
    *,
    customer: Customer,
    lines: Iterable[dict[str, Any]],
    actor: Actor,
    issued_on: dt.date | None = None,
    source_key: str | None = None,
    memo: str = "",
) -> Invoice:
    """Create and approve an invoice in one go. With a source_key (e.g. "recurring:12:2025-03-01")
    an invoice already issued under that key is returned instead, so billing runs can repeat."""
    require(actor, "billing.invoice")
    books = ledger.books_open(customer)
    if source_key:
        existing = Invoice.objects.filter(provider_id=customer.provider_id, source_key=source_key).first()
        if existing is not None:
            return existing
    values = [_line_values(line) for line in lines]
    fits(sum((v["net"] + v["tax"] for v in values), ZERO), "lines", "The invoice would come to")
    issued_on = parse_date(issued_on, field="issued_on") if issued_on is not None else clock.today()
    terms = terms_of(customer)
    invoice = Invoice.objects.create(
        provider_id=customer.provider_id,
        customer=books.customer,
        issued_on=issued_on,
        due_on=issued_on,
        terms=terms,
        memo=parse_text(memo, field="memo", max_length=300, single_line=True),
        source_key=source_key or None,
        created_at=clock.now(),
    )
    for position, value in enumerate(values, start=1):
        InvoiceLine.objects.create(
            provider_id=customer.provider_id, invoice=invoice, position=position, **value
        )
        invoice.total += value["net"] + value["tax"]
    invoice.save(update_fields=["total"])
    _approve(books, invoice, actor)
    ledger.books_close(books)
    return invoice


@transaction.atomic
def invoice_void(*, invoice: Invoice, reason: str, actor: Actor) -> Invoice:
    """Void an invoice with a reason. Money already applied to it becomes account credit."""
    require(actor, "billing.invoice")
    reason = parse_text(reason, field="reason", max_length=300, required=True, single_line=True)
    books, invoice = books_with(invoice)
    if not invoice.can_void:
        raise Conflict(f"Invoice {invoice.label} is already void.")
    was_approved = invoice.is_approved
    released = invoice.total - invoice.balance
    if was_approved:
        ledger.post(
            books,
            kind=LedgerKind.INVOICE_VOIDED,
            amount=-invoice.total,
            description=f"Invoice {invoice.number} voided: {reason}",
            subject=invoice,
        )
        ledger.invoice_balance_move(books, invoice, -invoice.balance)
        if released > 0:
            ledger.credit_move(
                books,
                Credit(
                    provider_id=invoice.provider_id,
                    customer=books.customer,
                    issued_on=clock.today(),
                    amount=released,
                    remaining=ZERO,
                    reason=f"Applied to voided invoice {invoice.number}",
                    origin=CreditOrigin.VOIDED_INVOICE,
                    actor_type=actor.type,
                    actor=actor.user,
                    actor_name=actor.name,
                    created_at=clock.now(),
                ),
                released,
            )
    invoice.status = InvoiceStatus.VOID
    invoice.void_reason = reason
    invoice.voided_at = clock.now()
    invoice.save(update_fields=["status", "void_reason", "voided_at"])
    event_record(
        customer=books.customer,
        actor=actor,
        kind="invoice.voided",
        summary=f"Invoice {invoice.label} voided: {reason}",
        subject=invoice,
        details={"reason": reason, "released_to_credit": released if was_approved else ZERO},
    )
    _credit_settle(books, actor, touched=invoice)
    ledger.books_close(books)
    return invoice
