import datetime as dt

from ninja import Schema
from pydantic import Field

from accountdesk.usage.models import UsageNotification


class UsageNotificationOut(Schema):
    id: int
    sent_at: dt.datetime
    channel: str
    message: str
    threshold: int
    period_start: dt.date
    subscription_id: int
    delivery: str | None


def usage_notification_out(notification: UsageNotification) -> dict:
    outgoing = notification.outgoing if notification.outgoing_id else None
    return {
        "id": notification.pk,
        "sent_at": notification.sent_at,
        "channel": notification.channel,
        "message": notification.message,
        "threshold": notification.threshold,
        "period_start": notification.period_start,
        "subscription_id": notification.subscription_id,
        "delivery": outgoing.status if outgoing is not None else None,
    }


def usage_notification_brief(notification: UsageNotification) -> dict:
    """The dashboard's alert item: id, sent_at, channel, message (no join needed)."""
    return {
        "id": notification.pk,
        "sent_at": notification.sent_at,
        "channel": notification.channel,
        "message": notification.message,
    }


class UsagePoint(Schema):
    t: dt.datetime
    value: int


class UsageSeriesOut(Schema):
    resolution: str
    unit: str | None
    allowance: int | None
    points: list[UsagePoint]
    subscription_id: int | None
    total: int


class UsageBatchIn(Schema):
    subscription_id: int | None = None
    rows: list[dict] = Field(..., max_length=100_000)


class UsageIngestOut(Schema):
    records: int
    notifications: list[UsageNotificationOut]


class UsagePreferenceIn(Schema):
    channel: str = Field(..., max_length=10)


class UsagePreferenceOut(Schema):
    channel: str


class UsageThresholdsIn(Schema):
    thresholds: list[int] = Field(..., max_length=10)


class UsageThresholdsOut(Schema):
    thresholds: list[int]
