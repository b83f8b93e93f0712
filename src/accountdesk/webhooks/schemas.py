"""The webhook API's shapes, and the one event record with no API schema of its own elsewhere."""

import datetime as dt

from ninja import Schema
from pydantic import Field

from accountdesk.webhooks.models import DESCRIPTION_MAX, URL_MAX, Endpoint

EVENTS_MAX = 50


class WebhookIn(Schema):
    url: str = Field(..., max_length=URL_MAX)
    events: list[str] = Field(..., max_length=EVENTS_MAX)
    description: str = Field("", max_length=DESCRIPTION_MAX)


class WebhookPatch(Schema):
    url: str | None = Field(None, max_length=URL_MAX)
    events: list[str] | None = Field(None, max_length=EVENTS_MAX)
    description: str | None = Field(None, max_length=DESCRIPTION_MAX)
    enabled: bool | None = None


class WebhookOut(Schema):
    id: int
    url: str
    description: str
    events: list[str]
    enabled: bool
    disabled_reason: str
    failure_count: int
    created_at: dt.datetime
    updated_at: dt.datetime


class WebhookSecretOut(WebhookOut):
    """The endpoint with its signing secret: the answer to creating it or rotating its secret, the
    only times the secret is shown."""

    secret: str


def webhook_out(endpoint: Endpoint) -> dict:
    return {
        "id": endpoint.pk,
        "url": endpoint.url,
        "description": endpoint.description,
        "events": list(endpoint.events),
        "enabled": endpoint.enabled,
        "disabled_reason": endpoint.disabled_reason,
        "failure_count": endpoint.failure_count,
        "created_at": endpoint.created_at,
        "updated_at": endpoint.updated_at,
    }


def webhook_secret_out(endpoint: Endpoint) -> dict:
    return {**webhook_out(endpoint), "secret": endpoint.secret}


class PaymentFailedOut(Schema):
    """A card payment from the portal that did not go through (no payment was recorded)."""

    id: int
    status: str
    amount: str
    currency: str
    gateway: str
    reference: str | None
    reason: str
    invoice_id: int | None
