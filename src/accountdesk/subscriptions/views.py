from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accountdesk.core.errors import DomainError, NotFound, PermissionDenied
from accountdesk.core.views_support import (
    actor_for,
    form_add_domain_error,
    is_htmx,
    pager_links,
    redirect_after_write,
    require_perm,
)
from accountdesk.customers.page import customer_page
from accountdesk.subscriptions import selectors, services
from accountdesk.subscriptions.forms import (
    CancelForm,
    ReasonForm,
    ResumeForm,
    SubscriptionAddForm,
    SubscriptionChangeForm,
)
from accountdesk.subscriptions.models import SubscriptionStatus

ACTIONS = {
    "change": ("Change subscription", "Save"),
    "suspend": ("Suspend subscription", "Suspend"),
    "resume": ("Resume subscription", "Resume"),
    "cancel": ("Cancel subscription", "Cancel subscription"),
}


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


def _form_response(request, context: dict, *, status: int):
    template = "subscriptions/_form.html"
    if is_htmx(request):
        return render(request, template, context, status=status)
    page = customer_page(request, context["customer"].pk, tab="subscriptions")
    return render(
        request, "customers/dialog_page.html", {**page, **context, "fragment": template}, status=status
    )


def _customer(request, customer_id: int):
    return customer_page(request, customer_id, tab="subscriptions")["customer"]


@login_required
@require_perm("subscriptions.edit")
@require_http_methods(["GET", "POST"])
def subscription_add(request, customer_id: int):
    customer = _customer(request, customer_id)
    form = SubscriptionAddForm(request.POST or None, provider=request.user.provider)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.subscription_add(
                customer=customer,
                package_id=data["package"].pk,
                started_on=data["started_on"],
                ends_on=data["ends_on"],
                price=data["price"] or None,
                actor=actor_for(request),
            )
        except PermissionDenied:
            raise DjangoPermissionDenied() from None
        except DomainError as error:
            form_add_domain_error(form, _on_form(error))
        else:
            messages.success(request, f"Subscribed to {data['package'].name}.")
            return redirect_after_write(request, reverse("tabs:subscriptions", args=[customer.pk]))
    context = {
        "customer": customer,
        "form": form,
        "title": "Add subscription",
        "submit": "Add subscription",
        "action_url": reverse("tabs:subscription_add", args=[customer.pk]),
    }
    return _form_response(request, context, status=400 if request.method == "POST" else 200)


def _on_form(error: DomainError) -> DomainError:
    """Service field names to form field names (package_id is the form's package)."""
    if "package_id" in error.fields:
        error.fields["package"] = error.fields.pop("package_id")
    return error


@login_required
@require_perm("subscriptions.edit")
@require_http_methods(["GET", "POST"])
def subscription_action(request, customer_id: int, subscription_id: int, action: str):
    if action not in ACTIONS:
        raise Http404()
    customer = _customer(request, customer_id)
    try:
        subscription = selectors.subscription_get(customer=customer, pk=subscription_id)
    except NotFound:
        raise Http404() from None
    data = request.POST or None
    provider = request.user.provider
    if action == "change":
        initial = {"package": subscription.package_id, "price": subscription.price}
        form = SubscriptionChangeForm(data, provider=provider, initial=initial)
    elif action == "cancel":
        form = CancelForm(data)
    elif action == "suspend":
        form = ReasonForm(data)
    else:
        form = ResumeForm(data)
    if request.method == "POST" and form.is_valid():
        try:
            _run(action, subscription, form.cleaned_data, actor_for(request))
        except PermissionDenied:
            raise DjangoPermissionDenied() from None
        except DomainError as error:
            form_add_domain_error(form, _on_form(error))
        else:
            messages.success(request, f"{ACTIONS[action][0]}: done.")
            return redirect_after_write(request, reverse("tabs:subscriptions", args=[customer.pk]))
    title, submit = ACTIONS[action]
    context = {
        "customer": customer,
        "form": form,
        "title": title,
        "submit": submit,
        "subscription": subscription,
        "action_url": reverse("tabs:subscription_action", args=[customer.pk, subscription.pk, action]),
    }
    return _form_response(request, context, status=400 if request.method == "POST" else 200)


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
