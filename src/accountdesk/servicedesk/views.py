"""The Tickets and Call logs tabs: thin views over the selectors and services."""

from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accountdesk.core.dates import datetime_field
from accountdesk.core.errors import DomainError, NotFound, ValidationFailed
from accountdesk.core.views_support import actor_for
from accountdesk.customers.page import customer_page
from accountdesk.customers.selectors import contact_list
from accountdesk.servicedesk import selectors, services
from accountdesk.servicedesk.models import CallDirection, TicketPriority, TicketStatus
from accountdesk.tenancy.models import User


def _staff_choices(provider) -> list[User]:
    return list(User.objects.filter(provider=provider, is_active=True).order_by("name", "id")[:200])


def _error_status(exc: DomainError) -> int:
    return exc.status if 400 <= exc.status < 500 else 400


@login_required
@require_http_methods(["GET", "POST"])
def ticket_list(request, customer_id: int):
    ctx = customer_page(request, customer_id, tab="tickets")
    customer = ctx["customer"]
    form, errors, status = {}, {}, 200
    if request.method == "POST":
        form = request.POST
        try:
            ticket = services.ticket_open(
                customer=customer,
                subject=form.get("subject", ""),
                description=form.get("description", ""),
                priority=form.get("priority", "normal"),
                assignee=form.get("assignee") or None,
                actor=actor_for(request),
            )
        except DomainError as exc:
            errors, status = {**exc.fields, "general": exc.message}, _error_status(exc)
        else:
            return redirect("tabs:servicedesk_ticket", customer_id=customer.pk, ticket_id=ticket.pk)
    state = request.GET.get("status") or ""
    if state not in TicketStatus.values:
        state = ""
    page = selectors.ticket_list(
        customer=customer, status=state or None, cursor=request.GET.get("cursor") or None
    )
    ctx.update(
        page=page,
        status_filter=state,
        statuses=TicketStatus.choices,
        priorities=TicketPriority.choices,
        staff_choices=_staff_choices(customer.provider),
        form=form,
        errors=errors,
        can_edit=request.user.can("servicedesk.edit"),
    )
    return render(request, "servicedesk/tickets.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ticket_detail(request, customer_id: int, ticket_id: int):
    ctx = customer_page(request, customer_id, tab="tickets")
    customer = ctx["customer"]
    try:
        ticket = selectors.ticket_get(customer=customer, pk=ticket_id)
    except NotFound:
        raise Http404("No such ticket") from None
    errors, status = {}, 200
    if request.method == "POST":
        action = request.POST.get("action")
        actor = actor_for(request)
        try:
            if action == "comment":
                services.ticket_comment(ticket=ticket, body=request.POST.get("body", ""), actor=actor)
            elif action == "status":
                services.ticket_update_status(
                    ticket=ticket, status=request.POST.get("status", ""), actor=actor
                )
            elif action == "assign":
                services.ticket_assign(
                    ticket=ticket, assignee=request.POST.get("assignee") or None, actor=actor
                )
            else:
                raise DomainError("Unknown action.")
        except DomainError as exc:
            errors, status = {**exc.fields, "general": exc.message}, _error_status(exc)
        else:
            return redirect("tabs:servicedesk_ticket", customer_id=customer.pk, ticket_id=ticket.pk)
    ctx.update(
        ticket=ticket,
        comments=selectors.ticket_comments(ticket=ticket),
        statuses=TicketStatus.choices,
        staff_choices=_staff_choices(customer.provider),
        errors=errors,
        can_edit=request.user.can("servicedesk.edit"),
    )
    return render(request, "servicedesk/ticket_detail.html", ctx, status=status)


def _parse_duration(raw: str) -> int:
    """Minutes as typed in the dialog (e.g. "4" or "4.5") into whole seconds."""
    raw = (raw or "").strip() or "0"
    try:
        minutes = Decimal(raw)
    except InvalidOperation:
        raise ValidationFailed(
            "Enter the duration in minutes.", fields={"duration_s": "Enter minutes."}
        ) from None
    if not minutes.is_finite() or minutes < 0 or minutes > 720:
        raise ValidationFailed(fields={"duration_s": "Between 0 and 720 minutes."})
    return int((minutes * 60).to_integral_value())


@login_required
@require_http_methods(["GET", "POST"])
def call_log_list(request, customer_id: int):
    ctx = customer_page(request, customer_id, tab="call_logs")
    customer = ctx["customer"]
    form, errors, status = {}, {}, 200
    if request.method == "POST":
        form = request.POST
        try:
            services.call_log_add(
                customer=customer,
                direction=form.get("direction", ""),
                summary=form.get("summary", ""),
                duration_s=_parse_duration(form.get("duration_min", "")),
                contact=form.get("contact") or None,
                at=datetime_field(form.get("at", ""), "at"),
                actor=actor_for(request),
            )
        except DomainError as exc:
            errors, status = {**exc.fields, "general": exc.message}, _error_status(exc)
        else:
            return redirect("tabs:servicedesk_call_logs", customer_id=customer.pk)
    ctx.update(
        page=selectors.call_log_list(customer=customer, cursor=request.GET.get("cursor") or None),
        directions=CallDirection.choices,
        contacts=contact_list(customer=customer, limit=50),
        form=form,
        errors=errors,
        can_add=request.user.can("servicedesk.call_log"),
    )
    return render(request, "servicedesk/call_logs.html", ctx, status=status)
