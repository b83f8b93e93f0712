import datetime as dt

from ninja import Schema
from pydantic import Field

from accountdesk.core.schemas import DateTimeIn
from accountdesk.servicedesk.models import CALL_SUMMARY_MAX, SUBJECT_MAX, TEXT_MAX, CallLog, Ticket


class TicketOut(Schema):
    id: int
    number: str
    subject: str
    status: str
    created_at: dt.datetime
    priority: str
    assignee: str | None
    assignee_id: int | None
    created_by: str
    updated_at: dt.datetime


def ticket_out(ticket: Ticket) -> dict:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "subject": ticket.subject,
        "status": ticket.status,
        "created_at": ticket.created_at,
        "priority": ticket.priority,
        "assignee": ticket.assignee.display_name if ticket.assignee else None,
        "assignee_id": ticket.assignee_id,
        "created_by": ticket.created_by_name,
        "updated_at": ticket.updated_at,
    }


class TicketCommentOut(Schema):
    id: int
    created_at: dt.datetime
    author: str
    body: str
    internal: bool


def ticket_comment_out(comment) -> dict:
    return {
        "id": comment.pk,
        "created_at": comment.created_at,
        "author": comment.author_name,
        "body": comment.body,
        "internal": comment.internal,
    }


class TicketDetailOut(TicketOut):
    description: str
    comments: list[TicketCommentOut]


def ticket_detail_out(ticket: Ticket, comments: list) -> dict:
    return {
        **ticket_out(ticket),
        "description": ticket.description,
        "comments": [ticket_comment_out(c) for c in comments],
    }


class TicketIn(Schema):
    subject: str = Field(..., max_length=SUBJECT_MAX)
    description: str = Field("", max_length=TEXT_MAX)
    priority: str = Field("normal", max_length=10)
    assignee_id: int | None = None


class TicketCommentIn(Schema):
    body: str = Field(..., max_length=TEXT_MAX)
    internal: bool = False


class TicketStatusIn(Schema):
    status: str = Field(..., max_length=10)


class TicketAssignIn(Schema):
    assignee_id: int | None = None


class CallLogOut(Schema):
    id: int
    at: dt.datetime
    direction: str
    contact: str | None
    contact_id: int | None
    duration_s: int
    summary: str
    staff: str


def call_log_out(call: CallLog) -> dict:
    return {
        "id": call.pk,
        "at": call.at,
        "direction": call.direction,
        "contact": call.contact.name if call.contact else None,
        "contact_id": call.contact_id,
        "duration_s": call.duration_s,
        "summary": call.summary,
        "staff": call.staff_name,
    }


class CallLogIn(Schema):
    direction: str = Field(..., max_length=10)
    summary: str = Field(..., max_length=CALL_SUMMARY_MAX)
    duration_s: int = Field(0, ge=0, le=12 * 60 * 60)
    contact_id: int | None = None
    at: DateTimeIn | None = None
