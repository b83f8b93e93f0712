from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accountdesk.core.errors import DomainError, PermissionDenied
from accountdesk.core.redirects import safe_next
from accountdesk.core.views_support import (
    actor_for,
    form_add_domain_error,
    is_htmx,
    pager_links,
    redirect_after_write,
    require_perm,
)
from accountdesk.customers.page import customer_page
from accountdesk.messaging import selectors, services
from accountdesk.messaging.forms import EmailForm, SmsForm
from accountdesk.messaging.models import Channel


@login_required
@require_GET
def message_list(request, customer_id: int):
    context = customer_page(request, customer_id, tab="messages")
    channel = request.GET.get("channel") or ""
    if channel not in Channel.values:
        channel = ""
    page = selectors.message_list(
        customer=context["customer"], channel=channel or None, cursor=request.GET.get("cursor")
    )
    context.update(page=page, channel=channel, **pager_links(request, page))
    return render(request, "messaging/list.html", context)


def _send(request, customer_id: int, *, channel: str):
    context = customer_page(request, customer_id, tab="messages")
    customer = context["customer"]
    is_email = channel == Channel.EMAIL
    initial = {"to": customer.email if is_email else customer.phone}
    form = (EmailForm if is_email else SmsForm)(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if is_email:
                services.message_send_email(
                    customer=customer,
                    to=data["to"],
                    subject=data["subject"],
                    body=data["body"],
                    actor=actor_for(request),
                )
            else:
                services.message_send_sms(
                    customer=customer, to=data["to"], body=data["body"], actor=actor_for(request)
                )
        except PermissionDenied:
            raise DjangoPermissionDenied() from None
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, f"{'Email' if is_email else 'SMS'} to {data['to']} queued.")
            fallback = reverse("tabs:messages", args=[customer.pk])
            return redirect_after_write(
                request, safe_next(request.POST.get("next"), fallback), fallback=fallback
            )
    action = reverse("tabs:message_email" if is_email else "tabs:message_sms", args=[customer.pk])
    dialog = {
        "customer": customer,
        "form": form,
        "action_url": action,
        "title": "Send email" if is_email else "Send SMS",
        "next": safe_next(request.GET.get("next") or request.POST.get("next"), ""),
    }
    status = 400 if request.method == "POST" else 200
    if is_htmx(request):
        return render(request, "messaging/_send_form.html", dialog, status=status)
    return render(
        request,
        "customers/dialog_page.html",
        {**context, **dialog, "fragment": "messaging/_send_form.html"},
        status=status,
    )


@login_required
@require_perm("messages.send")
@require_http_methods(["GET", "POST"])
def message_email(request, customer_id: int):
    return _send(request, customer_id, channel=Channel.EMAIL)


@login_required
@require_perm("messages.send")
@require_http_methods(["GET", "POST"])
def message_sms(request, customer_id: int):
    return _send(request, customer_id, channel=Channel.SMS)
