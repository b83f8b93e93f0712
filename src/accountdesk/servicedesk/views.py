"""The Tickets and Call logs tabs, and a ticket's own page: each write a form (forms.py) taken
through the page's dialogs (core.dialogs.page_respond) over one service."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountdesk.core.dialogs import INLINE_TEMPLATE, Dialog, Page, page_respond
from accountdesk.core.errors import NotFound
from accountdesk.core.views_support import actor_for, user_can
from accountdesk.customers.page import customer_page
from accountdesk.customers.selectors import contact_list
from accountdesk.servicedesk import selectors, services
from accountdesk.servicedesk.forms import (
    CallLogForm,
    TicketAssignForm,
    TicketCommentForm,
    TicketOpenForm,
    TicketStatusForm,
)
from accountdesk.servicedesk.models import Ticket, TicketStatus
from accountdesk.tenancy.selectors import staff_assignable


@login_required
@require_http_methods(["GET", "POST"])
def ticket_list(request, customer_id: int):
    ctx = customer_page(request, customer_id, tab="tickets")
    customer, actor = ctx["customer"], actor_for(request)
    opened: list[Ticket] = []

    def open_ticket(data) -> str:
        ticket = services.ticket_open(customer=customer, actor=actor, **data)
        opened.append(ticket)
        return f"Ticket {ticket.number} opened."

    def page() -> dict:
        state = request.GET.get("status") or ""
        if state not in TicketStatus.values:
            state = ""
        cursor = request.GET.get("cursor") or None
        return {
            **ctx,
            "page": selectors.ticket_list(customer=customer, status=state or None, cursor=cursor),
            "status_filter": state,
            "statuses": TicketStatus.choices,
            "can_edit": user_can(request, "servicedesk.edit"),
        }

    dialogs = {
        "open": lambda data: Dialog(
            form=TicketOpenForm(data, staff=staff_assignable(provider=customer.provider)),
            perform=open_ticket,
            title="Open a ticket",
            submit="Open ticket",
        )
    }
    return page_respond(
        request,
        dialogs,
        page=Page("servicedesk/tickets.html", page),
        permission="servicedesk.edit",
        default="open",
        success_url=lambda: reverse("tabs:servicedesk_ticket", args=[customer.pk, opened[0].pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ticket_detail(request, customer_id: int, ticket_id: int):
    ctx = customer_page(request, customer_id, tab="tickets")
    customer, actor = ctx["customer"], actor_for(request)
    try:
        ticket = selectors.ticket_get(customer=customer, pk=ticket_id)
    except NotFound:
        raise Http404("No such ticket") from None

    def comment(data) -> str:
        services.ticket_comment(ticket=ticket, body=data["body"], internal=data["internal"], actor=actor)
        return f"Comment added to {ticket.number}."

    def move(data) -> str:
        moved = services.ticket_status_change(ticket=ticket, status=data["status"], actor=actor)
        return f"Ticket {moved.number} is {moved.get_status_display().lower()}."

    def assign(data) -> str:
        assigned = services.ticket_assign(ticket=ticket, assignee=data["assignee"], actor=actor)
        who = assigned.assignee.display_name if assigned.assignee else "nobody"
        return f"Ticket {assigned.number} assigned to {who}."

    dialogs = {
        "comment": lambda data: Dialog(
            form=TicketCommentForm(data),
            perform=comment,
            title="Comment on the ticket",
            submit="Add comment",
            template=INLINE_TEMPLATE,
        ),
        "status": lambda data: Dialog(
            form=TicketStatusForm(data, initial={"status": ticket.status}),
            perform=move,
            title="Change the ticket's status",
            submit="Change ticket status",
            template=INLINE_TEMPLATE,
            context={"row": True},
        ),
        "assign": lambda data: Dialog(
            form=TicketAssignForm(
                data,
                staff=staff_assignable(provider=customer.provider),
                initial={"assignee": ticket.assignee_id},
            ),
            perform=assign,
            title="Assign the ticket",
            submit="Assign",
            template=INLINE_TEMPLATE,
            context={"row": True},
        ),
    }
    page = Page(
        "servicedesk/ticket_detail.html",
        lambda: {
            **ctx,
            "ticket": ticket,
            "comments": selectors.ticket_comments(ticket=ticket),
            "can_edit": user_can(request, "servicedesk.edit"),
        },
    )
    return page_respond(request, dialogs, page=page, permission="servicedesk.edit")


@login_required
@require_http_methods(["GET", "POST"])
def call_log_list(request, customer_id: int):
    ctx = customer_page(request, customer_id, tab="call_logs")
    customer, actor = ctx["customer"], actor_for(request)

    def log_call(data) -> str:
        call = services.call_log_add(
            customer=customer,
            direction=data["direction"],
            summary=data["summary"],
            duration_s=data["duration_min"],
            contact=data["contact"],
            at=data["at"],
            actor=actor,
        )
        return f"{call.get_direction_display()} call logged."

    def contacts() -> list[tuple[int, str]]:
        return [(c.pk, c.name) for c in contact_list(customer=customer, limit=50)]

    page = Page(
        "servicedesk/call_logs.html",
        lambda: {
            **ctx,
            "page": selectors.call_log_list(customer=customer, cursor=request.GET.get("cursor") or None),
            "can_add": user_can(request, "servicedesk.call_log"),
        },
    )
    dialogs = {
        "log": lambda data: Dialog(
            form=CallLogForm(data, contacts=contacts()),
            perform=log_call,
            title="Log a call",
            submit="Log call",
        )
    }
    return page_respond(request, dialogs, page=page, permission="servicedesk.call_log", default="log")
