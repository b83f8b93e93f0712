"""Explained figures on the invoice pages, and disputes on ledger entries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accountdesk.billing import explain, selectors, services
from accountdesk.billing.forms import DisputeForm, DisputeResolveForm
from accountdesk.core.dialogs import FORM_TEMPLATE, Dialog, Page, bound, dialog_respond, fragment_respond
from accountdesk.core.errors import NotFound
from accountdesk.core.explain import Explanation
from accountdesk.core.redirects import safe_next
from accountdesk.core.views_support import actor_for, user_can
from accountdesk.core.visibility import sees_money
from accountdesk.customers.page import customer_page

# The dialog a dispute's form opens in: the explain panel has the form bring its own head.
IN_PANEL = "billing/_dispute_form.html"


def explanation_context(
    request: HttpRequest, explanation: Explanation, *, title: str, back: str
) -> dict[str, Any]:
    """What billing/_explanation.html needs, for any explained figure: `back` is where a dispute
    raised from it returns (the page the panel was opened on)."""
    value = explanation.value
    return {
        "explanation": explanation,
        "title": title,
        "total": explanation.lines_total if isinstance(value, Decimal) else None,
        "can_dispute": explanation.shows_money and user_can(request, "billing.dispute"),
        "dispute_next": safe_next(request.GET.get("next"), back),
    }


@login_required
@require_GET
def invoice_balance_explain(request: HttpRequest, customer_id: int, invoice_id: int) -> HttpResponse:
    """The panel behind an invoice's open balance (the invoice page and the Invoices tab)."""
    context = customer_page(request, customer_id, tab="invoices")
    customer = context["customer"]
    try:
        invoice = selectors.invoice_get(customer=customer, pk=invoice_id)
    except NotFound:
        raise Http404("No such invoice") from None
    invoice.customer = customer
    explanation = explain.invoice_balance_explain(invoice=invoice, shows_money=sees_money(request.user))
    back = reverse("tabs:billing_invoice", args=[customer.pk, invoice.pk])
    fragment = {
        **explanation_context(request, explanation, title=f"Open balance of {invoice.label}", back=back),
        "customer": customer,
        "currency": customer.currency,
    }
    page = Page("customers/dialog_page.html", lambda: context)
    return fragment_respond(request, "billing/_explanation.html", fragment, page=page)


def _dispute_dialog(
    request: HttpRequest, customer_id: int, *, permission: str, build: Any, title: str, submit: str
) -> HttpResponse:
    """A dispute's dialog on the Ledger tab (or in the explain panel, `?panel=1`): the tab's own
    checks, then `permission`; `build(customer)` finds what it is about (another customer's is a 404)
    and returns (form kwargs, perform)."""
    context = customer_page(request, customer_id, tab="ledger")
    if not user_can(request, permission):
        raise DjangoPermissionDenied()
    customer = context["customer"]
    actor = actor_for(request)
    try:
        kwargs, perform = build(customer)
    except NotFound:
        raise Http404() from None
    dialog = Dialog(
        form=bound(kwargs.pop("form"), request, **kwargs),
        perform=lambda data: perform(data, actor),
        title=title,
        submit=submit,
        template=IN_PANEL if request.GET.get("panel") else FORM_TEMPLATE,
    )
    return dialog_respond(
        request,
        dialog,
        page=Page("customers/dialog_page.html", lambda: context),
        success_url=reverse("tabs:ledger", args=[customer.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def dispute_raise(request: HttpRequest, customer_id: int, entry_id: int) -> HttpResponse:
    def build(customer):
        entry = selectors.ledger_entry_get(customer=customer, pk=entry_id)

        def perform(data, actor):
            services.dispute_raise(entry=entry, reason=data["reason"], actor=actor)
            return "Dispute raised: the entry shows it until it is resolved."

        return {"form": DisputeForm, "entry": entry}, perform

    return _dispute_dialog(
        request,
        customer_id,
        permission="billing.dispute",
        build=build,
        title="Dispute an entry",
        submit="Raise dispute",
    )


@login_required
@require_http_methods(["GET", "POST"])
def dispute_resolve(request: HttpRequest, customer_id: int, dispute_id: int) -> HttpResponse:
    def build(customer):
        dispute = selectors.dispute_get(customer=customer, pk=dispute_id)

        def perform(data, actor):
            services.dispute_resolve(dispute=dispute, resolution=data["resolution"], actor=actor)
            return "Dispute resolved."

        return {"form": DisputeResolveForm}, perform

    return _dispute_dialog(
        request,
        customer_id,
        permission="billing.dispute_resolve",
        build=build,
        title="Resolve a dispute",
        submit="Resolve",
    )
