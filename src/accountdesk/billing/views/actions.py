"""The billing tabs' writes: each a dialog (customers.page.customer_dialog) over one service."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.billing import selectors, services, statements
from accountdesk.billing.forms import (
    CreditApplyForm,
    CreditForm,
    DeclineForm,
    InstalmentForm,
    InvoiceForm,
    PaymentForm,
    PaymentMethodForm,
    ProfileForm,
    RecurringForm,
    RefundForm,
    StatementSendForm,
    VoidForm,
)
from accountdesk.billing.models import CreditRequest
from accountdesk.core import clock
from accountdesk.core.dates import date_text
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.forms import ConfirmForm
from accountdesk.core.money import money_text
from accountdesk.customers.page import customer_dialog


def _money_text(value, customer) -> str:
    return money_text(value, customer.currency, customer.provider.locale)


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

    return customer_dialog(
        request,
        customer_id,
        tab="payments",
        permission="billing.payment",
        form=PaymentForm,
        form_kwargs=lambda customer: {"initial": {"received_on": clock.today()}},
        title="Record a payment",
        submit="Record payment",
        perform=perform,
    )


@login_required
@require_http_methods(["GET", "POST"])
def payment_refund(request, customer_id: int, payment_id: int):
    def perform(customer, data, actor):
        payment = selectors.payment_get(customer=customer, pk=payment_id)
        services.payment_refund(payment=payment, amount=data["amount"], reason=data["reason"], actor=actor)
        return f"Refund of {_money_text(data['amount'], customer)} recorded."

    return customer_dialog(
        request,
        customer_id,
        tab="payments",
        permission="billing.payment",
        form=RefundForm,
        title="Refund a payment",
        submit="Refund",
        perform=perform,
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

    return customer_dialog(
        request,
        customer_id,
        tab="credits",
        permission="billing.credit_limited",
        form=CreditForm,
        title="Issue credit",
        submit="Issue credit",
        perform=perform,
    )


@login_required
@require_http_methods(["GET", "POST"])
def credit_request_approve(request, customer_id: int, request_id: int):
    def perform(customer, data, actor):
        pending = selectors.credit_request_get(customer=customer, pk=request_id)
        approved = services.credit_request_approve(credit_request=pending, actor=actor)
        amount = _money_text(approved.amount, customer)
        return f"Credit of {amount} issued, as {approved.requested_by_name} asked."

    return customer_dialog(
        request,
        customer_id,
        tab="credits",
        permission="billing.credit",
        form=ConfirmForm,
        title="Approve the credit",
        submit="Approve and issue",
        perform=perform,
    )


@login_required
@require_http_methods(["GET", "POST"])
def credit_request_decline(request, customer_id: int, request_id: int):
    def perform(customer, data, actor):
        pending = selectors.credit_request_get(customer=customer, pk=request_id)
        declined = services.credit_request_decline(credit_request=pending, reason=data["reason"], actor=actor)
        return f"Credit request of {_money_text(declined.amount, customer)} declined."

    return customer_dialog(
        request,
        customer_id,
        tab="credits",
        permission="billing.credit",
        form=DeclineForm,
        title="Decline the credit",
        submit="Decline",
        perform=perform,
    )


@login_required
@require_http_methods(["GET", "POST"])
def credit_apply(request, customer_id: int):
    def invoices(customer):
        return {
            "invoices": [
                (i.pk, f"{i.number}: {_money_text(i.balance, customer)} open, due {date_text(i.due_on)}")
                for i in selectors.invoice_open(customer=customer)
            ]
        }

    def perform(customer, data, actor):
        invoice = selectors.invoice_get(customer=customer, pk=data["invoice"])
        services.credit_apply(invoice=invoice, amount=data["amount"] or None, actor=actor)
        return f"Credit applied to {invoice.number}."

    return customer_dialog(
        request,
        customer_id,
        tab="credits",
        permission="billing.credit_limited",
        form=CreditApplyForm,
        form_kwargs=invoices,
        title="Apply credit to an invoice",
        submit="Apply credit",
        perform=perform,
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

    return customer_dialog(
        request,
        customer_id,
        tab="invoices",
        permission="billing.invoice",
        form=InvoiceForm,
        title="New invoice",
        submit="Create invoice",
        perform=perform,
    )


def _invoice_back(request, customer_id: int, invoice_id: int) -> str:
    """Where an invoice action returns: the invoice's page when it was taken there, else the tab."""
    if request.GET.get("from") == "invoice":
        return reverse("tabs:billing_invoice", args=[customer_id, invoice_id])
    return ""


@login_required
@require_http_methods(["POST"])
def invoice_approve(request, customer_id: int, invoice_id: int):
    def perform(customer, data, actor):
        invoice = services.invoice_approve(
            invoice=selectors.invoice_get(customer=customer, pk=invoice_id), actor=actor
        )
        return f"Invoice {invoice.number} approved."

    return customer_dialog(
        request,
        customer_id,
        tab="invoices",
        permission="billing.invoice",
        form=ConfirmForm,
        title="Approve invoice",
        submit="Approve",
        perform=perform,
        success_url=_invoice_back(request, customer_id, invoice_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def invoice_void(request, customer_id: int, invoice_id: int):
    def perform(customer, data, actor):
        invoice = selectors.invoice_get(customer=customer, pk=invoice_id)
        services.invoice_void(invoice=invoice, reason=data["reason"], actor=actor)
        return f"Invoice {invoice.label} voided."

    return customer_dialog(
        request,
        customer_id,
        tab="invoices",
        permission="billing.invoice",
        form=VoidForm,
        title="Void invoice",
        submit="Void invoice",
        perform=perform,
        success_url=_invoice_back(request, customer_id, invoice_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, customer_id: int):
    def initial(customer):
        profile = selectors.billing_profile_get(customer=customer)
        if profile is None:
            return {"initial": {"anchor_day": 1}}
        return {"initial": {f: getattr(profile, f) for f in ProfileForm.base_fields}}

    def perform(customer, data, actor):
        services.billing_profile_update(customer=customer, actor=actor, **data)
        return "Billing period and terms saved."

    return customer_dialog(
        request,
        customer_id,
        tab="billing",
        permission="billing.period",
        form=ProfileForm,
        form_kwargs=initial,
        title="Edit billing period",
        submit="Save",
        perform=perform,
    )


@login_required
@require_http_methods(["GET", "POST"])
def payment_method_add(request, customer_id: int):
    def perform(customer, data, actor):
        m = services.payment_method_add(customer=customer, actor=actor, **data)
        return f"Payment method {m.display} added."

    return customer_dialog(
        request,
        customer_id,
        tab="billing",
        permission="billing.payment_methods",
        form=PaymentMethodForm,
        title="Add a payment method",
        submit="Add",
        perform=perform,
    )


@login_required
@require_http_methods(["POST"])
def payment_method_default(request, customer_id: int, method_id: int):
    def perform(customer, data, actor):
        method = selectors.payment_method_get(customer=customer, pk=method_id)
        services.payment_method_default_set(method=method, actor=actor)
        return f"{method.display} is now used for automated payment."

    return customer_dialog(
        request,
        customer_id,
        tab="billing",
        permission="billing.payment_methods",
        form=ConfirmForm,
        title="Default payment method",
        submit="Save",
        perform=perform,
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
    return customer_dialog(
        request,
        customer_id,
        tab="statement",
        permission="billing.statement",
        form=StatementSendForm,
        title="Send the statement",
        submit="Send",
        perform=perform,
        success_url=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def instalment_create(request, customer_id: int):
    def perform(customer, data, actor):
        services.instalment_create(customer=customer, actor=actor, **data)
        return "Instalment purchase created."

    return customer_dialog(
        request,
        customer_id,
        tab="instalments",
        permission="billing.instalments",
        form=InstalmentForm,
        title="New instalment purchase",
        submit="Create",
        perform=perform,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recurring_create(request, customer_id: int):
    def perform(customer, data, actor):
        services.recurring_invoice_create(customer=customer, actor=actor, **data)
        return "Recurring invoice created."

    return customer_dialog(
        request,
        customer_id,
        tab="recurring_invoices",
        permission="billing.invoice",
        form=RecurringForm,
        form_kwargs=lambda customer: {"initial": {"next_run_on": clock.today()}},
        title="New recurring invoice",
        submit="Create",
        perform=perform,
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
        services.recurring_invoice_status_change(recurring=recurring, status=status, actor=actor)
        return f"Recurring invoice {recurring.description} {_RECURRING_MOVES[status]}."

    return customer_dialog(
        request,
        customer_id,
        tab="recurring_invoices",
        permission="billing.invoice",
        form=ConfirmForm,
        title="Recurring invoice",
        submit="Save",
        perform=perform,
    )
