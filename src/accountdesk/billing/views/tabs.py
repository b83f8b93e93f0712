"""The billing tabs of the customer page (reads). Thin: parse, call one selector, render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accountdesk.billing import invoice_pdf, selectors, statements
from accountdesk.billing.models import (
    CreditRequestStatus,
    InvoiceStatus,
)
from accountdesk.core import clock
from accountdesk.core.dates import InvalidDate, parse_date
from accountdesk.core.errors import DomainError, NotFound
from accountdesk.core.limits import rate_limited
from accountdesk.core.money import ZERO, money_text
from accountdesk.core.pagination import BadCursor
from accountdesk.core.views_support import (
    actor_for,
    pager_links,
    pdf_response,
)
from accountdesk.customers.page import customer_page
from accountdesk.exports.services import statement_job_start

PAGE_SIZE = 25


# ---------------------------------------------------------------- helpers


def _page(request, customer_id: int, tab: str) -> dict:
    return customer_page(request, customer_id, tab=tab)


def _keyset(fetch: Callable, request):
    try:
        return fetch(cursor=request.GET.get("cursor") or None)
    except BadCursor:
        return fetch(cursor=None)


def _list(request, context: dict, template: str, page=None, **extra) -> HttpResponse:
    if page is not None:
        context.update({"page": page, **pager_links(request, page)})
    context.update(extra)
    return render(request, template, context)


def _money_text(value, customer) -> str:
    return money_text(value, customer.currency, customer.provider.locale)


# ---------------------------------------------------------------- tabs


@login_required
def billing_tab(request, customer_id: int):
    context = _page(request, customer_id, "billing")
    customer = context["customer"]
    return _list(
        request,
        context,
        "billing/billing.html",
        profile=selectors.billing_profile_get(customer=customer),
        methods=selectors.payment_method_list(customer=customer),
        metrics=selectors.account_metrics(customer=customer),
    )


@login_required
def invoice_list(request, customer_id: int):
    context = _page(request, customer_id, "invoices")
    customer = context["customer"]
    status = request.GET.get("status") or ""
    if status not in InvoiceStatus.values:
        status = ""
    page = _keyset(
        lambda cursor: selectors.invoice_list(
            customer=customer, status=status or None, limit=PAGE_SIZE, cursor=cursor
        ),
        request,
    )
    return _list(
        request, context, "billing/invoices.html", page, status=status, statuses=InvoiceStatus.choices
    )


@login_required
def invoice_detail(request, customer_id: int, invoice_id: int):
    context = _page(request, customer_id, "invoices")
    try:
        invoice = selectors.invoice_get(customer=context["customer"], pk=invoice_id)
    except NotFound:
        raise Http404("No such invoice") from None
    lines = selectors.invoice_lines(invoice=invoice)
    return _list(
        request,
        context,
        "billing/invoice.html",
        invoice=invoice,
        rows=[
            (line, invoice_pdf.plain_number(line.quantity), invoice_pdf.plain_number(line.tax_rate * 100))
            for line in lines
        ],
        subtotal=sum((line.net for line in lines), ZERO),
        tax=sum((line.tax for line in lines), ZERO),
        applied=selectors.invoice_applied(invoice=invoice),
    )


@login_required
def invoice_pdf_view(request, customer_id: int, invoice_id: int):
    """The invoice as a PDF, shown in the browser (a draft's carries a DRAFT watermark)."""
    context = _page(request, customer_id, "invoices")
    try:
        invoice = selectors.invoice_get(customer=context["customer"], pk=invoice_id)
    except NotFound:
        raise Http404("No such invoice") from None
    return pdf_response(*invoice_pdf.invoice_file(invoice=invoice), inline=True)


@login_required
def payment_list(request, customer_id: int):
    context = _page(request, customer_id, "payments")
    customer = context["customer"]
    page = _keyset(
        lambda cursor: selectors.payment_list(customer=customer, limit=PAGE_SIZE, cursor=cursor), request
    )
    return _list(request, context, "billing/payments.html", page)


@login_required
def credit_list(request, customer_id: int):
    context = _page(request, customer_id, "credits")
    customer = context["customer"]
    page = _keyset(
        lambda cursor: selectors.credit_list(customer=customer, limit=PAGE_SIZE, cursor=cursor), request
    )
    metrics = selectors.account_metrics(customer=customer)
    pending = selectors.credit_request_list(customer=customer, status=CreditRequestStatus.PENDING, limit=50)
    return _list(request, context, "billing/credits.html", page, metrics=metrics, pending=pending.items)


@login_required
def ledger_list(request, customer_id: int):
    context = _page(request, customer_id, "ledger")
    customer = context["customer"]
    page = _keyset(
        lambda cursor: selectors.ledger_list(customer=customer, limit=50, cursor=cursor, newest_first=True),
        request,
    )
    metrics = selectors.account_metrics(customer=customer)
    disputes = selectors.dispute_open_by_entry(customer=customer, entry_ids=[e.pk for e in page.items])
    rows = [(entry, disputes.get(entry.pk)) for entry in page.items]
    return _list(request, context, "billing/ledger.html", page, metrics=metrics, rows=rows)


def _period(request) -> tuple[dt.date | None, dt.date | None, list[str]]:
    errors, values = [], []
    for name in ("from", "to"):
        raw = request.GET.get(name) or ""
        try:
            values.append(parse_date(raw) if raw else None)
        except InvalidDate as error:
            values.append(None)
            errors.append(f"“{raw}”: {error}")
    return values[0], values[1], errors


@login_required
@rate_limited("statements")
def statement_view(request, customer_id: int):
    context = _page(request, customer_id, "statement")
    start, end, errors = _period(request)
    try:
        statement = statements.statement_build(customer=context["customer"], start=start, end=end)
    except DomainError as error:
        errors.append(error.message)
        statement = statements.statement_build(customer=context["customer"])
    query = f"?from={statement.start.isoformat()}&to={statement.end.isoformat()}"
    return _list(
        request,
        context,
        "billing/statement.html",
        statement=statement,
        errors=errors,
        query=query,
        recipient=statements.billing_recipient(context["customer"]),
    )


@login_required
@rate_limited("statements")
def statement_pdf(request, customer_id: int):
    context = _page(request, customer_id, "statement")
    start, end, _ = _period(request)
    try:
        statement = statements.statement_build(customer=context["customer"], start=start, end=end)
    except DomainError:
        statement = statements.statement_build(customer=context["customer"])
    job = statement_job_start(statement=statement, actor=actor_for(request))
    if job is not None:  # a long statement is prepared in the background: its progress is there
        return redirect(f"{reverse('exports:list')}?job={job.pk}")
    return pdf_response(
        statements.statement_pdf(statement), statements.statement_filename(statement), inline=True
    )


@login_required
def instalment_list(request, customer_id: int):
    context = _page(request, customer_id, "instalments")
    customer = context["customer"]
    page = _keyset(
        lambda cursor: selectors.instalment_list(customer=customer, limit=PAGE_SIZE, cursor=cursor), request
    )
    from accountdesk.billing.instalments import estimated_end

    today = clock.today()
    rows = [
        (i, estimated_end(today=today, instalments_remaining=i.instalments_remaining)) for i in page.items
    ]
    return _list(request, context, "billing/instalments.html", page, rows=rows)


@login_required
def recurring_list(request, customer_id: int):
    context = _page(request, customer_id, "recurring_invoices")
    customer = context["customer"]
    page = _keyset(
        lambda cursor: selectors.recurring_invoice_list(customer=customer, limit=PAGE_SIZE, cursor=cursor),
        request,
    )
    return _list(request, context, "billing/recurring.html", page)
