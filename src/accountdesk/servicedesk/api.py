from typing import Literal

from ninja import Query, Router, Status

from accountdesk.core.schemas import page_out, paged
from accountdesk.customers.api import customer_for
from accountdesk.servicedesk import selectors, services
from accountdesk.servicedesk.schemas import (
    CallLogIn,
    CallLogOut,
    TicketAssignIn,
    TicketCommentIn,
    TicketCommentOut,
    TicketDetailOut,
    TicketIn,
    TicketOut,
    TicketStatusIn,
    call_log_out,
    ticket_comment_out,
    ticket_detail_out,
    ticket_out,
)

router = Router(tags=["service desk"])
MODULE = "service_desk"


def _customer(request, customer_id: int):
    return customer_for(request, customer_id, module=MODULE)


def _ticket(request, customer_id: int, ticket_id: int):
    return selectors.ticket_get(customer=_customer(request, customer_id), pk=ticket_id)


@router.get("/customers/{customer_id}/tickets", response=paged(TicketOut))
def ticket_list(
    request,
    customer_id: int,
    status: Literal["open", "pending", "resolved", "closed"] | None = None,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    customer = _customer(request, customer_id)
    page = selectors.ticket_list(customer=customer, status=status, limit=limit, cursor=cursor)
    return page_out(page, ticket_out)


@router.post("/customers/{customer_id}/tickets", response={201: TicketOut})
def ticket_open(request, customer_id: int, payload: TicketIn):
    customer = _customer(request, customer_id)
    ticket = services.ticket_open(
        customer=customer,
        subject=payload.subject,
        description=payload.description,
        priority=payload.priority,
        assignee=payload.assignee_id,
        actor=request.actor,
    )
    return Status(201, ticket_out(ticket))


@router.get("/customers/{customer_id}/tickets/{ticket_id}", response=TicketDetailOut)
def ticket_get(request, customer_id: int, ticket_id: int):
    ticket = _ticket(request, customer_id, ticket_id)
    return ticket_detail_out(ticket, selectors.ticket_comments(ticket=ticket))


@router.post("/customers/{customer_id}/tickets/{ticket_id}/comments", response={201: TicketCommentOut})
def ticket_comment(request, customer_id: int, ticket_id: int, payload: TicketCommentIn):
    ticket = _ticket(request, customer_id, ticket_id)
    comment = services.ticket_comment(
        ticket=ticket, body=payload.body, internal=payload.internal, actor=request.actor
    )
    return Status(201, ticket_comment_out(comment))


@router.post("/customers/{customer_id}/tickets/{ticket_id}/status", response=TicketOut)
def ticket_status(request, customer_id: int, ticket_id: int, payload: TicketStatusIn):
    ticket = _ticket(request, customer_id, ticket_id)
    return ticket_out(
        services.ticket_status_change(ticket=ticket, status=payload.status, actor=request.actor)
    )


@router.post("/customers/{customer_id}/tickets/{ticket_id}/assign", response=TicketOut)
def ticket_assign(request, customer_id: int, ticket_id: int, payload: TicketAssignIn):
    ticket = _ticket(request, customer_id, ticket_id)
    return ticket_out(
        services.ticket_assign(ticket=ticket, assignee=payload.assignee_id, actor=request.actor)
    )


@router.get("/customers/{customer_id}/call-logs", response=paged(CallLogOut))
def call_log_list(
    request,
    customer_id: int,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    customer = _customer(request, customer_id)
    return page_out(selectors.call_log_list(customer=customer, limit=limit, cursor=cursor), call_log_out)


@router.post("/customers/{customer_id}/call-logs", response={201: CallLogOut})
def call_log_add(request, customer_id: int, payload: CallLogIn):
    customer = _customer(request, customer_id)
    call = services.call_log_add(
        customer=customer,
        direction=payload.direction,
        summary=payload.summary,
        duration_s=payload.duration_s,
        contact=payload.contact_id,
        at=payload.at,
        actor=request.actor,
    )
    return Status(201, call_log_out(call))
