from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from accountdesk.core.errors import DomainError
from accountdesk.core.views_support import pager_links
from accountdesk.customers.page import customer_dialog, customer_page
from accountdesk.subscriptions import selectors, services
from accountdesk.subscriptions.forms import (
    CancelForm,
    ReasonForm,
    ResumeForm,
    SubscriptionAddForm,
    SubscriptionChangeForm,
)
from accountdesk.subscriptions.models import SubscriptionStatus


@login_required
@require_GET
def subscription_list(request, customer_id: int):
    context = customer_page(request, customer_id, tab="subscriptions")
    status = request.GET.get("status") or ""
    if status not in SubscriptionStatus.values:
        status = ""
    page = selectors.subscription_list(
        customer=context["customer"], status=status or None, cursor=request.GET.get("cursor")
    )
    context.update(
        page=page, status=status, statuses=SubscriptionStatus.choices, **pager_links(request, page)
    )
    return render(request, "subscriptions/list.html", context)


def _on_form(error: DomainError) -> DomainError:
    """Service field names to form field names (package_id is the form's package)."""
    if "package_id" in error.fields:
        error.fields["package"] = error.fields.pop("package_id")
    return error


@login_required
@require_http_methods(["GET", "POST"])
def subscription_add(request, customer_id: int):
    def perform(customer, data, actor) -> str:
        try:
            services.subscription_add(
                customer=customer,
                package_id=data["package"].pk,
                started_on=data["started_on"],
                ends_on=data["ends_on"],
                price=data["price"] or None,
                actor=actor,
            )
        except DomainError as error:
            raise _on_form(error) from None
        return f"Subscribed to {data['package'].name}."

    return customer_dialog(
        request,
        customer_id,
        tab="subscriptions",
        permission="subscriptions.edit",
        form=SubscriptionAddForm,
        form_kwargs=lambda customer: {"provider": customer.provider},
        title="Add subscription",
        submit="Add subscription",
        perform=perform,
    )


@dataclass(frozen=True)
class _Action:
    title: str
    submit: str
    form: type[forms.Form]
    intro: str = ""
    danger: bool = False


ACTIONS = {
    "change": _Action("Change subscription", "Save", SubscriptionChangeForm),
    "suspend": _Action("Suspend subscription", "Suspend", ReasonForm),
    "resume": _Action(
        "Resume subscription",
        "Resume",
        ResumeForm,
        "Billing restarts today, pro-rated to the end of the period.",
    ),
    "cancel": _Action("Cancel subscription", "Cancel subscription", CancelForm, danger=True),
}


@login_required
@require_http_methods(["GET", "POST"])
def subscription_action(request, customer_id: int, subscription_id: int, action: str):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404()
    found = []

    def form_kwargs(customer) -> dict:
        subscription = selectors.subscription_get(customer=customer, pk=subscription_id)
        found.append(subscription)
        if action != "change":
            return {}
        initial = {"package": subscription.package_id, "price": subscription.price}
        return {"provider": customer.provider, "initial": initial}

    def perform(customer, data, actor) -> str:
        try:
            _run(action, found[0], data, actor)
        except DomainError as error:
            raise _on_form(error) from None
        return f"{spec.title}: done."

    return customer_dialog(
        request,
        customer_id,
        tab="subscriptions",
        permission="subscriptions.edit",
        form=spec.form,
        form_kwargs=form_kwargs,
        title=spec.title,
        submit=spec.submit,
        intro=spec.intro,
        danger=spec.danger,
        perform=perform,
    )


def _run(action: str, subscription, data: dict, actor) -> None:
    if action == "change":
        services.subscription_change(
            subscription=subscription, package_id=data["package"].pk, price=data["price"] or None, actor=actor
        )
    elif action == "suspend":
        services.subscription_suspend(subscription=subscription, reason=data["reason"], actor=actor)
    elif action == "resume":
        services.subscription_resume(subscription=subscription, actor=actor)
    else:
        services.subscription_cancel(
            subscription=subscription, ends_on=data["ends_on"], reason=data["reason"], actor=actor
        )
