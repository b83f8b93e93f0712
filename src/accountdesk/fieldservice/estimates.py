"""The Estimates and Agreements tabs: Field Service quotes and service agreements. Their rows live in
billing (an accepted estimate becomes an invoice); their writes are Field Service's."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accountdesk.billing import selectors as billing_selectors
from accountdesk.core.forms import ConfirmForm
from accountdesk.core.pagination import BadCursor
from accountdesk.core.views_support import pager_links
from accountdesk.customers.page import customer_dialog, customer_page
from accountdesk.fieldservice import services
from accountdesk.fieldservice.forms import AgreementForm, EstimateForm

PAGE_SIZE = 25


def _tab(request, customer_id: int, tab: str, fetch, template: str):
    context = customer_page(request, customer_id, tab=tab)
    customer = context["customer"]
    try:
        page = fetch(customer=customer, limit=PAGE_SIZE, cursor=request.GET.get("cursor") or None)
    except BadCursor:
        page = fetch(customer=customer, limit=PAGE_SIZE, cursor=None)
    return render(request, template, {**context, "page": page, **pager_links(request, page)})


@login_required
def estimate_list(request, customer_id: int):
    return _tab(
        request, customer_id, "estimates", billing_selectors.estimate_list, "fieldservice/estimates.html"
    )


@login_required
def agreement_list(request, customer_id: int):
    return _tab(
        request, customer_id, "agreements", billing_selectors.agreement_list, "fieldservice/agreements.html"
    )


@login_required
@require_http_methods(["GET", "POST"])
def estimate_create(request, customer_id: int):
    def perform(customer, data, actor):
        e = services.estimate_create(customer=customer, actor=actor, **data)
        return f"Estimate {e.number} created."

    return customer_dialog(
        request,
        customer_id,
        tab="estimates",
        permission="fieldservice.edit",
        form=EstimateForm,
        title="New estimate",
        submit="Create",
        perform=perform,
    )


@login_required
@require_http_methods(["POST"])
def estimate_move(request, customer_id: int, estimate_id: int, status: str):
    def perform(customer, data, actor):
        estimate = billing_selectors.estimate_get(customer=customer, pk=estimate_id)
        if status == "accepted":
            invoice = services.estimate_accept(estimate=estimate, actor=actor)
            return f"Estimate {estimate.number} accepted: invoice {invoice.number}."
        services.estimate_status_change(estimate=estimate, status=status, actor=actor)
        return f"Estimate {estimate.number} is {status}."

    permission = "billing.invoice" if status == "accepted" else "fieldservice.edit"
    return customer_dialog(
        request,
        customer_id,
        tab="estimates",
        permission=permission,
        form=ConfirmForm,
        title="Estimate",
        submit="Save",
        perform=perform,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request, customer_id: int):
    def perform(customer, data, actor):
        services.agreement_create(customer=customer, actor=actor, **data)
        return "Agreement created."

    return customer_dialog(
        request,
        customer_id,
        tab="agreements",
        permission="fieldservice.edit",
        form=AgreementForm,
        title="New agreement",
        submit="Create",
        perform=perform,
    )
