"""The billing tabs of the customer page and their action dialogs. Thin: parse, call, render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.billing import selectors, services, statements
from accountdesk.billing.models import (
    BillingType,
    CreditRequest,
    CreditRequestStatus,
    Cycle,
    Delivery,
    InvoiceStatus,
    PaymentMeans,
    PaymentMethodKind,
    Terms,
)
from accountdesk.core import clock
from accountdesk.core.dates import InvalidDate, date_text, parse_date
from accountdesk.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from accountdesk.core.forms import DateField
from accountdesk.core.money import ZERO, money_text
from accountdesk.core.pagination import BadCursor
from accountdesk.core.views_support import (
    actor_for,
    form_add_domain_error,
    is_htmx,
    pager_links,
    redirect_after_write,
)
from accountdesk.customers.page import customer_page
from accountdesk.exports.services import statement_job_start

PAGE_SIZE = 25

# ---------------------------------------------------------------- forms (the service parses amounts)


class AmountField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0.00"}))
        super().__init__(**kwargs)


class PaymentForm(forms.Form):
    amount = AmountField()
    method = forms.ChoiceField(choices=PaymentMeans.choices)
    reference = forms.CharField(max_length=120, required=False)
    received_on = DateField(required=False)


class RefundForm(forms.Form):
    amount = AmountField()
    reason = forms.CharField(max_length=300)


class CreditForm(forms.Form):
    amount = AmountField()
    reason = forms.CharField(max_length=300)


class DeclineForm(forms.Form):
    reason = forms.CharField(max_length=300, help_text="The agent who asked sees it in the activity log.")


class CreditApplyForm(forms.Form):
    invoice = forms.TypedChoiceField(coerce=int, label="Invoice")
    amount = AmountField(required=False, help_text="Leave empty to apply as much as the invoice needs.")


class VoidForm(forms.Form):
    reason = forms.CharField(max_length=300)


class InvoiceForm(forms.Form):
    description = forms.CharField(max_length=300)
    quantity = forms.CharField(max_length=14, initial="1")
    unit_price = AmountField(label="Unit price")
    tax_rate = forms.CharField(max_length=8, initial="0", help_text="0.20 for 20%")
    approve = forms.BooleanField(required=False, label="Approve now (numbers and freezes the invoice)")


class ProfileForm(forms.Form):
    cycle = forms.ChoiceField(choices=Cycle.choices, label="Billing cycle")
    anchor_day = forms.IntegerField(min_value=1, max_value=28, label="Billing period starts on day")
    terms = forms.ChoiceField(choices=Terms.choices, label="Payment terms")
    billing_type = forms.ChoiceField(choices=BillingType.choices)
    delivery = forms.ChoiceField(choices=Delivery.choices, label="Invoice delivery")
    next_bill_date = DateField(required=False)


class PaymentMethodForm(forms.Form):
    kind = forms.ChoiceField(choices=PaymentMethodKind.choices, label="Type")
    label = forms.CharField(max_length=60, required=False, help_text="e.g. Visa, Chase checking")
    token = forms.CharField(max_length=120, help_text="The payment gateway's token, never the card number")
    last4 = forms.CharField(max_length=4, label="Last 4 digits")
    expires_on = DateField(required=False)
    autopay = forms.BooleanField(required=False)
    make_default = forms.BooleanField(required=False, label="Use for automated payment")


class InstalmentForm(forms.Form):
    description = forms.CharField(max_length=200)
    total = AmountField()
    instalments_total = forms.IntegerField(min_value=1, max_value=120, label="Number of instalments")
    purchased_on = DateField(required=False)


class RecurringForm(forms.Form):
    description = forms.CharField(max_length=200)
    amount = AmountField()
    schedule = forms.ChoiceField(choices=Cycle.choices)
    next_run_on = DateField(label="First run")


class EstimateForm(forms.Form):
    description = forms.CharField(max_length=300)
    total = AmountField()
    valid_days = forms.IntegerField(min_value=1, max_value=365, initial=30, label="Valid for (days)")


class AgreementForm(forms.Form):
    name = forms.CharField(max_length=200)
    starts_on = DateField()
    ends_on = DateField(required=False)
    value = AmountField()
    terms = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StatementSendForm(forms.Form):
    start = DateField(widget=forms.HiddenInput, required=False)
    end = DateField(widget=forms.HiddenInput, required=False)


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


def _action(
    request,
    customer_id: int,
    *,
    tab: str,
    permission: str,
    form: forms.Form,
    title: str,
    submit: str,
    perform: Callable,
    success: str,
    back: str | None = None,
) -> HttpResponse:
    """One action dialog: GET shows the form (a fragment for HTMX, a page without JavaScript);
    POST calls the service and redirects, or shows the form again with its errors inline."""
    context = _page(request, customer_id, tab)
    if not request.user.can(permission):
        raise DjangoPermissionDenied()
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                message = perform(context["customer"], form.cleaned_data, actor_for(request))
            except PermissionDenied as error:
                form.add_error(None, error.message)
            except NotFound:
                raise Http404("Not found") from None
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                messages.success(request, message or success)
                return redirect_after_write(request, back or reverse(f"tabs:{tab}", args=[customer_id]))
        status = 400
    context.update({"form": form, "title": title, "submit": submit, "action_url": request.get_full_path()})
    template = "billing/_action_form.html"
    if is_htmx(request):
        return render(request, template, context, status=status)
    return render(request, "customers/dialog_page.html", {**context, "fragment": template}, status=status)


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


def _plain(value: Decimal) -> str:
    """A quantity or a percentage without trailing zeros: 1.000 -> "1", 7.50 -> "7.5"."""
    return f"{value.normalize():f}"


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
        rows=[(line, _plain(line.quantity), _plain(line.tax_rate * 100)) for line in lines],
        subtotal=sum((line.net for line in lines), ZERO),
        tax=sum((line.tax for line in lines), ZERO),
        applied=selectors.invoice_applied(invoice=invoice),
    )


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
    return _list(request, context, "billing/ledger.html", page, metrics=metrics)


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
        recipient=statements.statement_recipient(context["customer"]),
    )


@login_required
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
    response = HttpResponse(statements.statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{statements.statement_filename(statement)}"'
    return response


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


@login_required
def estimate_list(request, customer_id: int):
    context = _page(request, customer_id, "estimates")
    customer = context["customer"]
    page = _keyset(
        lambda cursor: selectors.estimate_list(customer=customer, limit=PAGE_SIZE, cursor=cursor), request
    )
    return _list(request, context, "billing/estimates.html", page)


@login_required
def agreement_list(request, customer_id: int):
    context = _page(request, customer_id, "agreements")
    customer = context["customer"]
    page = _keyset(
        lambda cursor: selectors.agreement_list(customer=customer, limit=PAGE_SIZE, cursor=cursor), request
    )
    return _list(request, context, "billing/agreements.html", page)


# ---------------------------------------------------------------- actions


@login_required
@require_http_methods(["GET", "POST"])
def payment_record(request, customer_id: int):
    def perform(customer, data, actor):
        p = services.payment_record(
            customer=customer,
            amount=data["amount"],
            method=data["method"],
            reference=data["reference"],
            received_on=data["received_on"],
            actor=actor,
        )
        return f"Payment of {_money_text(p.amount, customer)} recorded."

    form = PaymentForm(request.POST or None, initial={"received_on": clock.today()})
    return _action(
        request,
        customer_id,
        tab="payments",
        permission="billing.payment",
        form=form,
        title="Record a payment",
        submit="Record payment",
        perform=perform,
        success="",
    )


@login_required
@require_http_methods(["GET", "POST"])
def payment_refund(request, customer_id: int, payment_id: int):
    def perform(customer, data, actor):
        payment = selectors.payment_get(customer=customer, pk=payment_id)
        services.payment_refund(payment=payment, amount=data["amount"], reason=data["reason"], actor=actor)
        return f"Refund of {data['amount']} recorded."

    return _action(
        request,
        customer_id,
        tab="payments",
        permission="billing.payment",
        form=RefundForm(request.POST or None),
        title="Refund a payment",
        submit="Refund",
        perform=perform,
        success="",
    )


@login_required
@require_http_methods(["GET", "POST"])
def credit_issue(request, customer_id: int):
    def perform(customer, data, actor):
        c = services.credit_issue(
            customer=customer, amount=data["amount"], reason=data["reason"], actor=actor
        )
        if isinstance(c, CreditRequest):
            return c.waiting_message
        return f"Credit of {_money_text(c.amount, customer)} issued."

    return _action(
        request,
        customer_id,
        tab="credits",
        permission="billing.credit_limited",
        form=CreditForm(request.POST or None),
        title="Issue credit",
        submit="Issue credit",
        perform=perform,
        success="",
    )


@login_required
@require_http_methods(["GET", "POST"])
def credit_request_approve(request, customer_id: int, request_id: int):
    def perform(customer, data, actor):
        pending = selectors.credit_request_get(customer=customer, pk=request_id)
        approved = services.credit_request_approve(credit_request=pending, actor=actor)
        amount = _money_text(approved.amount, customer)
        return f"Credit of {amount} issued, as {approved.requested_by_name} asked."

    return _action(
        request,
        customer_id,
        tab="credits",
        permission="billing.credit",
        form=forms.Form(request.POST if request.method == "POST" else None),  # nothing to fill in
        title="Approve the credit",
        submit="Approve and issue",
        perform=perform,
        success="",
    )


@login_required
@require_http_methods(["GET", "POST"])
def credit_request_decline(request, customer_id: int, request_id: int):
    def perform(customer, data, actor):
        pending = selectors.credit_request_get(customer=customer, pk=request_id)
        declined = services.credit_request_decline(credit_request=pending, reason=data["reason"], actor=actor)
        return f"Credit request of {_money_text(declined.amount, customer)} declined."

    return _action(
        request,
        customer_id,
        tab="credits",
        permission="billing.credit",
        form=DeclineForm(request.POST or None),
        title="Decline the credit",
        submit="Decline",
        perform=perform,
        success="",
    )


@login_required
@require_http_methods(["GET", "POST"])
def credit_apply(request, customer_id: int):
    context = _page(request, customer_id, "credits")
    open_invoices = selectors.invoice_open(customer=context["customer"])
    form = CreditApplyForm(request.POST or None)
    form.fields["invoice"].choices = [
        (i.pk, f"{i.number}: {_money_text(i.balance, context['customer'])} open, due {date_text(i.due_on)}")
        for i in open_invoices
    ]

    def perform(customer, data, actor):
        invoice = selectors.invoice_get(customer=customer, pk=data["invoice"])
        services.credit_apply(invoice=invoice, amount=data["amount"] or None, actor=actor)
        return f"Credit applied to {invoice.number}."

    return _action(
        request,
        customer_id,
        tab="credits",
        permission="billing.credit_limited",
        form=form,
        title="Apply credit to an invoice",
        submit="Apply credit",
        perform=perform,
        success="",
    )


@login_required
@require_http_methods(["GET", "POST"])
def invoice_create(request, customer_id: int):
    def perform(customer, data, actor):
        line = {k: data[k] for k in ("description", "quantity", "unit_price", "tax_rate")}
        if data["approve"]:
            invoice = services.invoice_issue(customer=customer, lines=[line], actor=actor)
            return f"Invoice {invoice.number} approved."
        services.invoice_create_draft(customer=customer, lines=[line], actor=actor)
        return "Draft invoice created."

    return _action(
        request,
        customer_id,
        tab="invoices",
        permission="billing.invoice",
        form=InvoiceForm(request.POST or None),
        title="New invoice",
        submit="Create invoice",
        perform=perform,
        success="",
    )


def _invoice_back(request, customer_id: int, invoice_id: int) -> str | None:
    """Where an invoice action returns: the invoice's page when it was taken there, else the tab."""
    if request.GET.get("from") == "invoice":
        return reverse("tabs:billing_invoice", args=[customer_id, invoice_id])
    return None


@login_required
@require_http_methods(["POST"])
def invoice_approve(request, customer_id: int, invoice_id: int):
    def perform(customer, data, actor):
        invoice = services.invoice_approve(
            invoice=selectors.invoice_get(customer=customer, pk=invoice_id), actor=actor
        )
        return f"Invoice {invoice.number} approved."

    return _action(
        request,
        customer_id,
        tab="invoices",
        permission="billing.invoice",
        form=forms.Form(request.POST),
        title="Approve invoice",
        submit="Approve",
        perform=perform,
        success="",
        back=_invoice_back(request, customer_id, invoice_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def invoice_void(request, customer_id: int, invoice_id: int):
    def perform(customer, data, actor):
        invoice = selectors.invoice_get(customer=customer, pk=invoice_id)
        services.invoice_void(invoice=invoice, reason=data["reason"], actor=actor)
        return f"Invoice {invoice.label} voided."

    return _action(
        request,
        customer_id,
        tab="invoices",
        permission="billing.invoice",
        form=VoidForm(request.POST or None),
        title="Void invoice",
        submit="Void invoice",
        perform=perform,
        success="",
        back=_invoice_back(request, customer_id, invoice_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, customer_id: int):
    context = _page(request, customer_id, "billing")
    profile = selectors.billing_profile_get(customer=context["customer"])
    initial = {f: getattr(profile, f) for f in ProfileForm.base_fields} if profile else {"anchor_day": 1}

    def perform(customer, data, actor):
        services.billing_profile_update(customer=customer, actor=actor, **data)
        return "Billing period and terms saved."

    return _action(
        request,
        customer_id,
        tab="billing",
        permission="billing.period",
        form=ProfileForm(request.POST or None, initial=initial),
        title="Edit billing period",
        submit="Save",
        perform=perform,
        success="",
    )


@login_required
@require_http_methods(["GET", "POST"])
def payment_method_add(request, customer_id: int):
    def perform(customer, data, actor):
        m = services.payment_method_add(customer=customer, actor=actor, **data)
        return f"Payment method {m.display} added."

    return _action(
        request,
        customer_id,
        tab="billing",
        permission="billing.payment_methods",
        form=PaymentMethodForm(request.POST or None),
        title="Add a payment method",
        submit="Add",
        perform=perform,
        success="",
    )


@login_required
@require_http_methods(["POST"])
def payment_method_default(request, customer_id: int, method_id: int):
    def perform(customer, data, actor):
        method = selectors.payment_method_get(customer=customer, pk=method_id)
        services.payment_method_set_default(method=method, actor=actor)
        return f"{method.display} is now used for automated payment."

    return _action(
        request,
        customer_id,
        tab="billing",
        permission="billing.payment_methods",
        form=forms.Form(request.POST),
        title="Default payment method",
        submit="Save",
        perform=perform,
        success="",
    )


@login_required
@require_http_methods(["POST"])
def statement_send(request, customer_id: int):
    def perform(customer, data, actor):
        recipient = statements.statement_send(
            customer=customer, start=data["start"], end=data["end"], actor=actor
        )
        return f"Statement sent to {recipient}."

    back = reverse("tabs:statement", args=[customer_id]) + "?" + request.GET.urlencode()
    return _action(
        request,
        customer_id,
        tab="statement",
        permission="billing.statement",
        form=StatementSendForm(request.POST),
        title="Send the statement",
        submit="Send",
        perform=perform,
        success="",
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def instalment_create(request, customer_id: int):
    def perform(customer, data, actor):
        services.instalment_create(customer=customer, actor=actor, **data)
        return "Instalment purchase created."

    return _action(
        request,
        customer_id,
        tab="instalments",
        permission="billing.instalments",
        form=InstalmentForm(request.POST or None),
        title="New instalment purchase",
        submit="Create",
        perform=perform,
        success="",
    )


@login_required
@require_http_methods(["GET", "POST"])
def recurring_create(request, customer_id: int):
    def perform(customer, data, actor):
        services.recurring_invoice_create(customer=customer, actor=actor, **data)
        return "Recurring invoice created."

    form = RecurringForm(request.POST or None, initial={"next_run_on": clock.today()})
    return _action(
        request,
        customer_id,
        tab="recurring_invoices",
        permission="billing.invoice",
        form=form,
        title="New recurring invoice",
        submit="Create",
        perform=perform,
        success="",
    )


# The moves the Recurring invoices tab offers, and the word its message uses for each.
_RECURRING_MOVES = {"paused": "paused", "active": "resumed"}


@login_required
@require_http_methods(["POST"])
def recurring_move(request, customer_id: int, recurring_id: int, status: str):
    def perform(customer, data, actor):
        recurring = selectors.recurring_invoice_get(customer=customer, pk=recurring_id)
        if status not in _RECURRING_MOVES:
            raise ValidationFailed("A recurring invoice can only be paused or resumed here.")
        services.recurring_invoice_set_status(recurring=recurring, status=status, actor=actor)
        return f"Recurring invoice {recurring.description} {_RECURRING_MOVES[status]}."

    return _action(
        request,
        customer_id,
        tab="recurring_invoices",
        permission="billing.invoice",
        form=forms.Form(request.POST),
        title="Recurring invoice",
        submit="Save",
        perform=perform,
        success="",
    )


@login_required
@require_http_methods(["GET", "POST"])
def estimate_create(request, customer_id: int):
    def perform(customer, data, actor):
        e = services.estimate_create(customer=customer, actor=actor, **data)
        return f"Estimate {e.number} created."

    return _action(
        request,
        customer_id,
        tab="estimates",
        permission="fieldservice.edit",
        form=EstimateForm(request.POST or None),
        title="New estimate",
        submit="Create",
        perform=perform,
        success="",
    )


@login_required
@require_http_methods(["POST"])
def estimate_move(request, customer_id: int, estimate_id: int, status: str):
    def perform(customer, data, actor):
        estimate = selectors.estimate_get(customer=customer, pk=estimate_id)
        if status == "accepted":
            invoice = services.estimate_accept(estimate=estimate, actor=actor)
            return f"Estimate {estimate.number} accepted: invoice {invoice.number}."
        services.estimate_set_status(estimate=estimate, status=status, actor=actor)
        return f"Estimate {estimate.number} is {status}."

    permission = "billing.invoice" if status == "accepted" else "fieldservice.edit"
    return _action(
        request,
        customer_id,
        tab="estimates",
        permission=permission,
        form=forms.Form(request.POST),
        title="Estimate",
        submit="Save",
        perform=perform,
        success="",
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request, customer_id: int):
    def perform(customer, data, actor):
        services.agreement_create(customer=customer, actor=actor, **data)
        return "Agreement created."

    return _action(
        request,
        customer_id,
        tab="agreements",
        permission="fieldservice.edit",
        form=AgreementForm(request.POST or None),
        title="New agreement",
        submit="Create",
        perform=perform,
        success="",
    )
