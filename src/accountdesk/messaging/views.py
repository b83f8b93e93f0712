from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from accountdesk.core.forms import ConfirmForm
from accountdesk.core.views_support import pager_links
from accountdesk.customers.page import customer_dialog, customer_page
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


@login_required
@require_http_methods(["GET", "POST"])
def message_email(request, customer_id: int):
    def perform(customer, data, actor) -> str:
        services.message_send_email(
            customer=customer, to=data["to"], subject=data["subject"], body=data["body"], actor=actor
        )
        return f"Email to {data['to']} queued."

    return customer_dialog(
        request,
        customer_id,
        tab="messages",
        permission="messages.send",
        form=EmailForm,
        form_kwargs=lambda customer: {"initial": {"to": customer.email}},
        title="Send email",
        submit="Send email",
        perform=perform,
    )


@login_required
@require_http_methods(["GET", "POST"])
def message_sms(request, customer_id: int):
    def perform(customer, data, actor) -> str:
        services.message_send_sms(customer=customer, to=data["to"], body=data["body"], actor=actor)
        return f"SMS to {data['to']} queued."

    return customer_dialog(
        request,
        customer_id,
        tab="messages",
        permission="messages.send",
        form=SmsForm,
        form_kwargs=lambda customer: {"initial": {"to": customer.phone}},
        title="Send SMS",
        submit="Send SMS",
        perform=perform,
    )


@login_required
@require_http_methods(["GET", "POST"])
def message_resend(request, customer_id: int, message_id: int):
    def perform(customer, data, actor) -> str:
        message = selectors.message_get(customer=customer, pk=message_id)
        services.message_resend(message=message, actor=actor)
        return f"{message.get_channel_display()} to {message.to} queued again."

    return customer_dialog(
        request,
        customer_id,
        tab="messages",
        permission="messages.send",
        form=ConfirmForm,
        title="Send again",
        submit="Send again",
        perform=perform,
    )
