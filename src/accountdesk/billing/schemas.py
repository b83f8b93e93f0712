"""API schemas and the `<thing>_out` serializers the dashboard reuses. Money is a 2-decimal string."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from accountdesk.billing.instalments import estimated_end
from accountdesk.billing.models import (
    Agreement,
    BillingProfile,
    Credit,
    CreditRequest,
    Estimate,
    InstalmentPurchase,
    Invoice,
    InvoiceLine,
    LedgerEntry,
    Payment,
    PaymentMethod,
    RecurringInvoice,
)
from accountdesk.core import clock
from accountdesk.core.money import to_str
from accountdesk.core.schemas import DateIn

# Amounts arrive as JSON strings ("12.30") and are parsed by core.parse.parse_amount in the service,
# so "1e3", "12.345", "-5", "abc", null and floats all get the same clear 422 naming the field.
AmountIn = Annotated[Any, Field(json_schema_extra={"type": "string", "example": "12.30"})]


class SubjectOut(Schema):
    type: str
    id: int


class InvoiceOut(Schema):
    id: int
    number: str | None
    status: str
    issued_on: dt.date
    due_on: dt.date
    total: str
    balance: str


class InvoiceLineOut(Schema):
    id: int
    description: str
    quantity: str
    unit_price: str
    tax_rate: str
    net: str
    tax: str


class InvoiceDetailOut(InvoiceOut):
    memo: str
    void_reason: str
    lines: list[InvoiceLineOut]


class PaymentOut(Schema):
    id: int
    kind: str
    received_on: dt.date
    amount: str
    method: str
    reference: str


class CreditOut(Schema):
    id: int
    issued_on: dt.date
    amount: str
    remaining: str
    reason: str
    actor: str


class CreditRequestOut(Schema):
    """A credit awaiting approval (or approved, or declined). `window_used` is what the requester
    had credited the customer in the 30 days before, `window_limit` the provider's limit then."""

    id: int
    status: str
    amount: str
    reason: str
    requested_at: dt.datetime
    requested_by: str
    window_used: str
    window_limit: str
    decided_at: dt.datetime | None
    decided_by: str | None
    decline_reason: str
    credit: CreditOut | None


class LedgerEntryOut(Schema):
    id: int
    at: dt.datetime
    kind: str
    description: str
    amount: str
    running_balance: str
    subject: SubjectOut


class AgingOut(Schema):
    current: str
    days_1_30: str
    days_31_60: str
    days_61_90: str
    days_90_plus: str


class StatementOut(Schema):
    from_: dt.date = Field(..., alias="from")
    to: dt.date
    opening_balance: str
    lines: list[LedgerEntryOut]
    closing_balance: str
    aging: AgingOut


class InstalmentOut(Schema):
    id: int
    description: str
    purchased_on: dt.date
    total: str
    instalment_amount: str
    instalments_total: int
    instalments_billed: int
    instalments_remaining: int
    estimated_end: dt.date


class RecurringInvoiceOut(Schema):
    id: int
    description: str
    schedule: str
    amount: str
    next_run_on: dt.date
    status: str


class EstimateOut(Schema):
    id: int
    number: str
    status: str
    issued_on: dt.date
    expires_on: dt.date
    total: str


class AgreementOut(Schema):
    id: int
    name: str
    status: str
    starts_on: dt.date
    ends_on: dt.date | None
    value: str


class PaymentMethodOut(Schema):
    type: str
    display: str
    expires: str | None
    autopay: bool


class BillingInfoOut(Schema):
    cycle: str | None
    billing_period: str | None
    payment_terms: str | None
    billing_type: str | None
    delivery: str | None
    next_bill_date: dt.date | None


class PaymentIn(Schema):
    amount: AmountIn
    method: str = Field(..., max_length=40)
    reference: str = Field("", max_length=120)
    received_on: DateIn | None = None
    allocations: dict[int, AmountIn] | None = None


class RefundIn(Schema):
    amount: AmountIn
    reason: str = Field(..., max_length=300)


class CreditIn(Schema):
    amount: AmountIn
    reason: str = Field(..., max_length=300)


class CreditApplyIn(Schema):
    invoice_id: int
    amount: AmountIn = None


class CreditDeclineIn(Schema):
    reason: str = Field(..., max_length=300)


class VoidIn(Schema):
    reason: str = Field(..., max_length=300)


# ---------------------------------------------------------------- serializers


def invoice_out(inv: Invoice) -> dict:
    return {
        "id": inv.pk,
        "number": inv.number or None,
        "status": inv.status,
        "issued_on": inv.issued_on,
        "due_on": inv.due_on,
        "total": to_str(inv.total),
        "balance": to_str(inv.balance),
    }


def invoice_line_out(line: InvoiceLine) -> dict:
    return {
        "id": line.pk,
        "description": line.description,
        "quantity": f"{line.quantity.normalize():f}",
        "unit_price": to_str(line.unit_price),
        "tax_rate": f"{line.tax_rate.normalize():f}",
        "net": to_str(line.net),
        "tax": to_str(line.tax),
    }


def invoice_detail_out(inv: Invoice, lines: list[InvoiceLine]) -> dict:
    return {
        **invoice_out(inv),
        "memo": inv.memo,
        "void_reason": inv.void_reason,
        "lines": [invoice_line_out(line) for line in lines],
    }


def payment_out(p: Payment) -> dict:
    return {
        "id": p.pk,
        "kind": p.kind,
        "received_on": p.received_on,
        "amount": to_str(p.amount),
        "method": p.method,
        "reference": p.reference,
    }


def credit_out(c: Credit) -> dict:
    return {
        "id": c.pk,
        "issued_on": c.issued_on,
        "amount": to_str(c.amount),
        "remaining": to_str(c.remaining),
        "reason": c.reason,
        "actor": c.actor_name,
    }


def credit_request_out(r: CreditRequest) -> dict:
    return {
        "id": r.pk,
        "status": r.status,
        "amount": to_str(r.amount),
        "reason": r.reason,
        "requested_at": r.requested_at,
        "requested_by": r.requested_by_name,
        "window_used": to_str(r.window_used),
        "window_limit": to_str(r.window_limit),
        "decided_at": r.decided_at,
        "decided_by": r.decided_by_name or None,
        "decline_reason": r.decline_reason,
        "credit": credit_out(r.credit) if r.credit else None,
    }


def ledger_entry_out(e: LedgerEntry) -> dict:
    return {
        "id": e.pk,
        "at": e.at,
        "kind": e.kind,
        "description": e.description,
        "amount": to_str(e.amount),
        "running_balance": to_str(e.running_balance),
        "subject": e.subject,
    }


def instalment_out(i: InstalmentPurchase, today: dt.date | None = None) -> dict:
    remaining = i.instalments_remaining
    return {
        "id": i.pk,
        "description": i.description,
        "purchased_on": i.purchased_on,
        "total": to_str(i.total),
        "instalment_amount": to_str(i.instalment_amount),
        "instalments_total": i.instalments_total,
        "instalments_billed": i.instalments_billed,
        "instalments_remaining": remaining,
        "estimated_end": estimated_end(today=today or clock.today(), instalments_remaining=remaining),
    }


def recurring_invoice_out(r: RecurringInvoice) -> dict:
    return {
        "id": r.pk,
        "description": r.description,
        "schedule": r.schedule,
        "amount": to_str(r.amount),
        "next_run_on": r.next_run_on,
        "status": r.status,
    }


def estimate_out(e: Estimate) -> dict:
    return {
        "id": e.pk,
        "number": e.number,
        "status": e.status,
        "issued_on": e.issued_on,
        "expires_on": e.expires_on,
        "total": to_str(e.total),
    }


def agreement_out(a: Agreement) -> dict:
    return {
        "id": a.pk,
        "name": a.name,
        "status": a.status,
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
        "value": to_str(a.value),
    }


def payment_method_out(m: PaymentMethod | None) -> dict | None:
    if m is None:
        return None
    return {"type": m.kind, "display": m.display, "expires": m.expires, "autopay": m.autopay}


def billing_info_out(profile: BillingProfile | None) -> dict:
    if profile is None:
        return dict.fromkeys(
            ("cycle", "billing_period", "payment_terms", "billing_type", "delivery", "next_bill_date")
        )
    return {
        "cycle": profile.cycle,
        "billing_period": profile.billing_period,
        "payment_terms": profile.get_terms_display(),
        "billing_type": profile.billing_type,
        "delivery": profile.delivery,
        "next_bill_date": profile.next_bill_date,
    }
