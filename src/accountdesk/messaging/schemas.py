import datetime as dt

from ninja import Schema
from pydantic import Field

from accountdesk.messaging.models import Message


class MessageOut(Schema):
    id: int
    channel: str
    to: str
    subject: str
    body: str
    status: str
    error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    author: str
    attempts: int
    next_attempt_at: dt.datetime | None


def message_out(message: Message) -> dict:
    return {
        "id": message.pk,
        "channel": message.channel,
        "to": message.to,
        "subject": message.subject,
        "body": message.body,
        "status": message.status,
        "error": message.error,
        "created_at": message.created_at,
        "sent_at": message.sent_at,
        "author": message.author_name,
        "attempts": message.attempts,
        "next_attempt_at": message.next_attempt_at,
    }


class EmailIn(Schema):
    to: str | None = Field(None, max_length=254)
    subject: str = Field(..., max_length=500)
    body: str = Field(..., max_length=50_000)


class SmsIn(Schema):
    to: str | None = Field(None, max_length=40)
    body: str = Field(..., max_length=5_000)
