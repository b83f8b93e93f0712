"""Billing endpoints of /api/v1 (see api-v1.md). Reads need billing.view; writes check in services."""

import datetime as dt

from ninja import Query, Router, Status

from accountdesk.api.idempotency import idempotent
from accountdesk.api.throttling import api_rate_limited
from accountdesk.billing import invoice_pdf, selectors, services, statements
from accountdesk.billing.models import CreditRequest, CreditRequestStatus, InvoiceStatus, PaymentKind
from accountdesk.billing.schemas import (
    AgreementOut,
    CreditApplyIn,
    CreditDeclineIn,
    CreditIn,
    CreditOut,
    CreditRequestOut,
    EstimateOut,
    InstalmentOut,
    InvoiceDetailOut,
    InvoiceOut,
    LedgerEntryOut,
    PaymentIn,
    PaymentOut,
    RecurringInvoiceOut,
    RefundIn,
    StatementOut,
    VoidIn,
    agreement_out,
    credit_out,
    credit_request_out,
    estimate_out,
    instalment_out,
    invoice_detail_out,
    invoice_out,
    ledger_entry_out,
    payment_out,
    recurring_invoice_out,
)
from accountdesk.core import clock
from accountdesk.core.money import to_str
from accountdesk.core.permissions import require
from accountdesk.core.schemas import DateIn, page_out, paged
from accountdesk.core.views_support import pdf_response
from accountdesk.customers.api import customer_for
from accountdesk.exports.api import ExportJobOut, export_job_out
from accountdesk.exports.services import statement_job_start

router = Router(tags=["billing"])

Limit = Query(50, ge=1, le=500)
Cursor = Query(None, max_length=500)
FromDate = Query(None, alias="from")
ToDate = Query(None, alias="to")


def billing_customer(request, customer_id: int, *, module: str | None = None):
    """The customer for a billing read: the module first (no query when it is off), then the
    customer within the caller's provider, then the money permission."""
    customer = customer_for(request, customer_id, module=module)
    require(request.actor, "billing.view")
    return customer


# ---------------------------------------------------------------- invoices


@router.get("/customers/{customer_id}/invoices", response=paged(InvoiceOut))
def invoice_list(
    request,
    customer_id: int,
    status: InvoiceStatus | None = None,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    customer = billing_customer(request, customer_id)
    return page_out(
        selectors.invoice_list(customer=customer, status=status, limit=limit, cursor=cursor), invoice_out
    )


@router.get("/customers/{customer_id}/invoices/{int:invoice_id}.pdf", response={200: None})
def invoice_pdf_get(request, customer_id: int, invoice_id: int):
    """The invoice as a PDF (application/pdf); a draft's carries a DRAFT watermark. Declared before
    the JSON invoice, whose `{invoice_id}` would otherwise take "12.pdf"."""
    customer = billing_customer(request, customer_id)
    invoice = selectors.invoice_get(customer=customer, pk=invoice_id)
    return pdf_response(*invoice_pdf.invoice_file(invoice=invoice), inline=False)


@router.get("/customers/{customer_id}/invoices/{invoice_id}", response=InvoiceDetailOut)
def invoice_get(request, customer_id: int, invoice_id: int):
    customer = billing_customer(request, customer_id)
    invoice = selectors.invoice_get(customer=customer, pk=invoice_id)
    return invoice_detail_out(invoice, selectors.invoice_lines(invoice=invoice))


@router.post("/customers/{customer_id}/invoices/{invoice_id}/approve", response=InvoiceOut)
@idempotent
def invoice_approve(request, customer_id: int, invoice_id: int):
    customer = customer_for(request, customer_id)
    invoice = selectors.invoice_get(customer=customer, pk=invoice_id)
    return invoice_out(services.invoice_approve(invoice=invoice, actor=request.actor))


@router.post("/customers/{customer_id}/invoices/{invoice_id}/void", response=InvoiceOut)
@idempotent
def invoice_void(request, customer_id: int, invoice_id: int, payload: VoidIn):
    customer = customer_for(request, customer_id)
    invoice = selectors.invoice_get(customer=customer, pk=invoice_id)
    return invoice_out(services.invoice_void(invoice=invoice, reason=payload.reason, actor=request.actor))


# ---------------------------------------------------------------- payments


@router.get("/customers/{customer_id}/payments", response=paged(PaymentOut))
def payment_list(
    request,
    customer_id: int,
    kind: PaymentKind | None = None,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    customer = billing_customer(request, customer_id)
    return page_out(
        selectors.payment_list(customer=customer, kind=kind, limit=limit, cursor=cursor), payment_out
    )


@router.post("/customers/{customer_id}/payments", response={201: PaymentOut})
@idempotent
def payment_record(request, customer_id: int, payload: PaymentIn):
    customer = customer_for(request, customer_id)
    payment = services.payment_record(
        customer=customer,
        amount=payload.amount,
        method=payload.method,
        reference=payload.reference,
        received_on=payload.received_on,
        allocations=payload.allocations,
        actor=request.actor,
    )
    return Status(201, payment_out(payment))


@router.post("/customers/{customer_id}/payments/{payment_id}/refund", response={201: PaymentOut})
@idempotent
def payment_refund(request, customer_id: int, payment_id: int, payload: RefundIn):
    customer = customer_for(request, customer_id)
    payment = selectors.payment_get(customer=customer, pk=payment_id)
    refund = services.payment_refund(
        payment=payment, amount=payload.amount, reason=payload.reason, actor=request.actor
    )
    return Status(201, payment_out(refund))


# ---------------------------------------------------------------- credits


@router.get("/customers/{customer_id}/credits", response=paged(CreditOut))
def credit_list(request, customer_id: int, limit: int = Limit, cursor: str | None = Cursor):
    customer = billing_customer(request, customer_id)
    return page_out(selectors.credit_list(customer=customer, limit=limit, cursor=cursor), credit_out)


@router.post("/customers/{customer_id}/credits", response={201: CreditOut, 202: CreditRequestOut})
@idempotent
def credit_issue(request, customer_id: int, payload: CreditIn):
    """201 with the credit; 202 with a credit request when the credit would take an agent above
    the provider's 30-day limit for this customer and awaits a billing user's approval."""
    customer = customer_for(request, customer_id)
    result = services.credit_issue(
        customer=customer, amount=payload.amount, reason=payload.reason, actor=request.actor
    )
    if isinstance(result, CreditRequest):
        return Status(202, credit_request_out(result))
    return Status(201, credit_out(result))


@router.get("/customers/{customer_id}/credit-requests", response=paged(CreditRequestOut))
def credit_request_list(
    request,
    customer_id: int,
    status: CreditRequestStatus | None = None,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    customer = billing_customer(request, customer_id)
    page = selectors.credit_request_list(customer=customer, status=status, limit=limit, cursor=cursor)
    return page_out(page, credit_request_out)


@router.post("/customers/{customer_id}/credit-requests/{request_id}/approve", response=CreditRequestOut)
@idempotent
def credit_request_approve(request, customer_id: int, request_id: int):
    customer = customer_for(request, customer_id)
    pending = selectors.credit_request_get(customer=customer, pk=request_id)
    return credit_request_out(services.credit_request_approve(credit_request=pending, actor=request.actor))


@router.post("/customers/{customer_id}/credit-requests/{request_id}/decline", response=CreditRequestOut)
@idempotent
def credit_request_decline(request, customer_id: int, request_id: int, payload: CreditDeclineIn):
    customer = customer_for(request, customer_id)
    pending = selectors.credit_request_get(customer=customer, pk=request_id)
    declined = services.credit_request_decline(
        credit_request=pending, reason=payload.reason, actor=request.actor
    )
    return credit_request_out(declined)


@router.post("/customers/{customer_id}/credits/apply", response=InvoiceOut)
@idempotent
def credit_apply(request, customer_id: int, payload: CreditApplyIn):
    customer = customer_for(request, customer_id)
    invoice = selectors.invoice_get(customer=customer, pk=payload.invoice_id)
    services.credit_apply(invoice=invoice, amount=payload.amount, actor=request.actor)
    invoice.refresh_from_db()
    return invoice_out(invoice)


# ---------------------------------------------------------------- ledger and statement


@router.get("/customers/{customer_id}/ledger", response=paged(LedgerEntryOut))
def ledger_list(request, customer_id: int, limit: int = Limit, cursor: str | None = Cursor):
    customer = billing_customer(request, customer_id)
    return page_out(selectors.ledger_list(customer=customer, limit=limit, cursor=cursor), ledger_entry_out)


def _statement(request, customer_id: int, start: dt.date | None, end: dt.date | None):
    customer = billing_customer(request, customer_id)
    return statements.statement_build(customer=customer, start=start, end=end)


@router.get("/customers/{customer_id}/statement", response=StatementOut, by_alias=True)
@api_rate_limited("statements")
def statement_get(request, customer_id: int, start: DateIn | None = FromDate, end: DateIn | None = ToDate):
    s = _statement(request, customer_id, start, end)
    return {
        "from": s.start,
        "to": s.end,
        "opening_balance": to_str(s.opening_balance),
        "lines": [ledger_entry_out(e) for e in s.lines],
        "closing_balance": to_str(s.closing_balance),
        "aging": {k: to_str(v) for k, v in s.aging.items()},
    }


@router.get("/customers/{customer_id}/statement.pdf", response={200: None, 202: ExportJobOut})
@api_rate_limited("statements")
def statement_pdf(request, customer_id: int, start: DateIn | None = FromDate, end: DateIn | None = ToDate):
    """The statement as a PDF; one of more than 100 lines is prepared in the background: 202 with
    the export job (see GET /exports/{id})."""
    s = _statement(request, customer_id, start, end)
    job = statement_job_start(statement=s, actor=request.actor)
    if job is not None:
        return Status(202, export_job_out(job))
    return pdf_response(statements.statement_pdf(s), statements.statement_filename(s), inline=False)


# ---------------------------------------------------------------- the other billing tabs


@router.get("/customers/{customer_id}/instalments", response=paged(InstalmentOut))
def instalment_list(request, customer_id: int, limit: int = Limit, cursor: str | None = Cursor):
    customer = billing_customer(request, customer_id, module="instalments")
    today = clock.today()
    page = selectors.instalment_list(customer=customer, limit=limit, cursor=cursor)
    return page_out(page, lambda i: instalment_out(i, today))


@router.get("/customers/{customer_id}/recurring-invoices", response=paged(RecurringInvoiceOut))
def recurring_invoice_list(request, customer_id: int, limit: int = Limit, cursor: str | None = Cursor):
    customer = billing_customer(request, customer_id)
    page = selectors.recurring_invoice_list(customer=customer, limit=limit, cursor=cursor)
    return page_out(page, recurring_invoice_out)


@router.get("/customers/{customer_id}/estimates", response=paged(EstimateOut))
def estimate_list(request, customer_id: int, limit: int = Limit, cursor: str | None = Cursor):
    customer = billing_customer(request, customer_id, module="field_service")
    return page_out(selectors.estimate_list(customer=customer, limit=limit, cursor=cursor), estimate_out)


@router.get("/customers/{customer_id}/agreements", response=paged(AgreementOut))
def agreement_list(request, customer_id: int, limit: int = Limit, cursor: str | None = Cursor):
    customer = billing_customer(request, customer_id, module="field_service")
    return page_out(selectors.agreement_list(customer=customer, limit=limit, cursor=cursor), agreement_out)
