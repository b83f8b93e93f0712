"""Webhook endpoints (registered by admins, in the security log) and their deliveries.

The outbox: `outbox_write` hears each activity entry inside the write's transaction and stores one
delivery per enabled endpoint that chose the entry's event, so an event commits or rolls back with
the change it announces and none is lost. After the commit the task worker sends each
(`delivery_attempt`): signed per the Standard Webhooks specification, retried on the schedule of
RETRY_DELAYS (about a day), each attempt logged. An endpoint that has failed without a success for
DISABLE_AFTER is disabled and the provider's admins are emailed.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import HttpRequest
from standardwebhooks.webhooks import Webhook

from accountdesk.audit.services import security_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, NotFound, ValidationFailed
from accountdesk.core.parse import parse_text
from accountdesk.core.permissions import require
from accountdesk.core.tenancy import require_same_provider
from accountdesk.tenancy.models import Provider
from accountdesk.webhooks import transport
from accountdesk.webhooks.events import EVENTS, event_data, event_type_of
from accountdesk.webhooks.guards import url_check
from accountdesk.webhooks.models import DESCRIPTION_MAX, Attempt, Delivery, DeliveryStatus, Endpoint

if TYPE_CHECKING:
    from accountdesk.activity.models import Activity

PERMISSION = "provider.manage"
# After each failed attempt, the wait before the next (Standard Webhooks' suggested schedule): eight
# attempts over about 27 hours, then the delivery has failed.
RETRY_DELAYS: tuple[dt.timedelta, ...] = (
    dt.timedelta(seconds=5),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=5),
    dt.timedelta(hours=10),
    dt.timedelta(hours=10),
)
# An endpoint whose attempts have all failed for this long (and whose latest delivery used every
# retry) is disabled.
DISABLE_AFTER = dt.timedelta(hours=24)
# A claim older than this is a worker that died mid-send: the delivery is due again.
CLAIM_TIMEOUT = dt.timedelta(minutes=5)
USER_AGENT = "accountdesk-webhooks/1"


# ---------------------------------------------------------------- endpoints


def secret_new() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _events(raw: object, *, field: str = "events") -> list[str]:
    if not isinstance(raw, list | tuple) or not raw:
        raise ValidationFailed("Choose at least one event.", fields={field: "Choose at least one event."})
    unknown = [str(name) for name in raw if name not in EVENTS]
    if unknown:
        message = f"Unknown event: {', '.join(sorted(set(unknown)))[:200]}. Choose from: {', '.join(EVENTS)}."
        raise ValidationFailed(message, fields={field: message})
    return [name for name in EVENTS if name in raw]


def _description(raw: object) -> str:
    return parse_text(raw, field="description", max_length=DESCRIPTION_MAX, single_line=True)


@transaction.atomic
def endpoint_create(
    *,
    provider: Provider,
    url: str,
    events: list[str],
    description: str = "",
    actor: Actor,
    request: HttpRequest | None = None,
) -> Endpoint:
    """A new endpoint; its `secret` is for the caller to show once."""
    require(actor, PERMISSION)
    require_same_provider(actor, provider)
    clean_url, clean_events, clean_description = url_check(url), _events(events), _description(description)
    now = clock.now()
    endpoint = Endpoint.objects.create(
        provider=provider,
        url=clean_url,
        events=clean_events,
        description=clean_description,
        secret=secret_new(),
        created_at=now,
        updated_at=now,
    )
    security_record(
        provider=provider,
        kind="webhook.created",
        summary=f"Webhook endpoint {clean_url} added",
        actor=actor,
        details={"endpoint": endpoint.pk, "url": clean_url, "events": clean_events},
        request=request,
    )
    return endpoint


def _locked(endpoint: Endpoint, actor: Actor) -> Endpoint:
    require(actor, PERMISSION)
    require_same_provider(actor, endpoint)
    locked = Endpoint.objects.select_for_update().filter(pk=endpoint.pk).first()
    if locked is None:
        raise NotFound()
    return locked


@transaction.atomic
def endpoint_update(
    *,
    endpoint: Endpoint,
    actor: Actor,
    url: str | None = None,
    events: list[str] | None = None,
    description: str | None = None,
    enabled: bool | None = None,
    request: HttpRequest | None = None,
) -> Endpoint:
    """Change what is given (None: unchanged). `enabled` turns it on again, or off by hand."""
    endpoint = _locked(endpoint, actor)
    new: dict[str, Any] = {}
    if url is not None:
        new["url"] = url_check(url)
    if events is not None:
        new["events"] = _events(events)
    if description is not None:
        new["description"] = _description(description)
    changes = {
        name: [getattr(endpoint, name), value]
        for name, value in new.items()
        if getattr(endpoint, name) != value
    }
    for name, (_old, value) in changes.items():
        setattr(endpoint, name, value)
    if changes:
        endpoint.updated_at = clock.now()
        endpoint.save(update_fields=[*changes, "updated_at"])
        security_record(
            provider=actor.provider,
            kind="webhook.updated",
            summary=f"Webhook endpoint {endpoint.url} changed: {', '.join(changes)}",
            actor=actor,
            details={"endpoint": endpoint.pk, **changes},
            request=request,
        )
    if enabled is True and not endpoint.enabled:
        _enable(endpoint, actor, request)
    elif enabled is False and endpoint.enabled:
        _disable(endpoint, actor, f"Disabled by {actor.name}.", request=request)
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: Endpoint, actor: Actor, request: HttpRequest | None = None) -> None:
    """Delete the endpoint with its delivery log."""
    endpoint = _locked(endpoint, actor)
    security_record(
        provider=actor.provider,
        kind="webhook.deleted",
        summary=f"Webhook endpoint {endpoint.url} deleted",
        actor=actor,
        details={"endpoint": endpoint.pk, "url": endpoint.url},
        request=request,
    )
    endpoint.delete()


@transaction.atomic
def endpoint_secret_rotate(
    *, endpoint: Endpoint, actor: Actor, request: HttpRequest | None = None
) -> Endpoint:
    """A new signing secret, used from the next attempt on; the old one stops at once."""
    endpoint = _locked(endpoint, actor)
    endpoint.secret = secret_new()
    endpoint.updated_at = clock.now()
    endpoint.save(update_fields=["secret", "updated_at"])
    security_record(
        provider=actor.provider,
        kind="webhook.secret_rotated",
        summary=f"Signing secret of webhook endpoint {endpoint.url} rotated",
        actor=actor,
        details={"endpoint": endpoint.pk},
        request=request,
    )
    return endpoint


@transaction.atomic
def endpoint_enable(*, endpoint: Endpoint, actor: Actor, request: HttpRequest | None = None) -> Endpoint:
    """Turn a disabled endpoint on again, its failures forgotten. Deliveries that failed meanwhile
    stay failed; replay those that matter."""
    endpoint = _locked(endpoint, actor)
    if endpoint.enabled:
        raise Conflict("This endpoint is already enabled.")
    _enable(endpoint, actor, request)
    return endpoint


def _enable(endpoint: Endpoint, actor: Actor, request: HttpRequest | None) -> None:
    endpoint.enabled, endpoint.disabled_reason, endpoint.disabled_at = True, "", None
    endpoint.failure_count, endpoint.failing_since = 0, None
    endpoint.updated_at = clock.now()
    endpoint.save(
        update_fields=[
            "enabled",
            "disabled_reason",
            "disabled_at",
            "failure_count",
            "failing_since",
            "updated_at",
        ]
    )
    security_record(
        provider=actor.provider,
        kind="webhook.enabled",
        summary=f"Webhook endpoint {endpoint.url} enabled",
        actor=actor,
        details={"endpoint": endpoint.pk},
        request=request,
    )


def _disable(endpoint: Endpoint, actor: Actor, reason: str, *, request: HttpRequest | None = None) -> None:
    """Off: no new deliveries, and those still waiting fail (a replay sends one again)."""
    now = clock.now()
    endpoint.enabled, endpoint.disabled_reason, endpoint.disabled_at = False, reason[:200], now
    endpoint.updated_at = now
    endpoint.save(update_fields=["enabled", "disabled_reason", "disabled_at", "updated_at"])
    Delivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, next_attempt_at=None, claimed_at=None
    )
    security_record(
        provider=actor.provider,
        kind="webhook.disabled",
        summary=f"Webhook endpoint {endpoint.url} disabled: {reason}",
        actor=actor,
        details={"endpoint": endpoint.pk, "reason": reason, "failure_count": endpoint.failure_count},
        request=request,
    )


# ---------------------------------------------------------------- the outbox


def event_id_of(entry: Activity) -> str:
    """The event's id: the activity entry's, so ids grow with time on one database."""
    return f"evt_{entry.pk:012d}"


def outbox_listener(entry: Activity) -> None:
    outbox_write(entry)


def outbox_write(entry: Activity) -> list[Delivery]:
    """The deliveries an activity entry makes (inside its write's transaction), sent after commit."""
    event = event_type_of(entry)
    if event is None:
        return []
    endpoints = [
        e for e in Endpoint.objects.filter(provider_id=entry.provider_id, enabled=True) if e.wants(event.name)
    ]
    if not endpoints:
        return []
    event_id = event_id_of(entry)
    body = json.dumps(
        {
            "id": event_id,
            "type": event.name,
            "created_at": entry.at.isoformat(),
            "data": event_data(event, entry),
        },
        separators=(",", ":"),
        sort_keys=False,
    )
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(
                provider_id=entry.provider_id,
                endpoint=endpoint,
                event_id=event_id,
                event_type=event.name,
                created_at=entry.at,
                body=body,
                next_attempt_at=entry.at,
            )
            for endpoint in endpoints
        ]
    )
    ids = [d.pk for d in deliveries]

    def enqueue_all() -> None:
        for pk in ids:
            delivery_enqueue(delivery_id=pk)

    transaction.on_commit(enqueue_all)
    return deliveries


def delivery_enqueue(*, delivery_id: int, at: dt.datetime | None = None) -> None:
    """Hand a delivery to the task worker, to run at `at` (now when None). A task backend that
    cannot wait (the immediate one) gets no retry: `accountdesk webhooks deliver` sends what is due."""
    from accountdesk.webhooks.tasks import deliver_webhook

    if at is None:
        deliver_webhook.enqueue(delivery_id)
    elif deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=at).enqueue(delivery_id)


# ---------------------------------------------------------------- delivering


def signed_headers(*, secret: str, event_id: str, body: str, at: dt.datetime) -> dict[str, str]:
    """The Standard Webhooks headers for `body` sent at `at`."""
    at_utc = at.astimezone(dt.UTC)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": event_id,
        "webhook-timestamp": str(int(at_utc.timestamp())),
        "webhook-signature": Webhook(secret).sign(event_id, at_utc, body),
    }


def _claim(delivery_id: int, now: dt.datetime) -> Delivery | None:
    """The delivery, claimed for this worker, when it is due; None when it is not (sent already,
    failed, not yet due, or another worker holds it)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != DeliveryStatus.PENDING or not delivery.endpoint.enabled:
            return None
        if delivery.next_attempt_at is None or delivery.next_attempt_at > now:
            return None
        if delivery.claimed_at is not None and delivery.claimed_at > now - CLAIM_TIMEOUT:
            return None
        delivery.claimed_at = now
        delivery.save(update_fields=["claimed_at"])
        return delivery


def delivery_attempt(*, delivery_id: int) -> Delivery | None:
    """Send a due delivery once, log the attempt, and schedule the next or give up. Sending happens
    outside any transaction; the outcome is saved in one."""
    started = clock.now()
    claimed = _claim(delivery_id, started)
    if claimed is None:
        return None
    endpoint = claimed.endpoint
    headers = signed_headers(secret=endpoint.secret, event_id=claimed.event_id, body=claimed.body, at=started)
    outcome = transport.post(endpoint.url, claimed.body.encode(), headers)
    return _attempt_record(claimed.pk, started, outcome)


@transaction.atomic
def _attempt_record(delivery_id: int, at: dt.datetime, outcome: transport.Outcome) -> Delivery:
    delivery = Delivery.objects.select_for_update(of=("self",)).select_related("endpoint").get(pk=delivery_id)
    endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    Attempt.objects.create(
        delivery=delivery,
        at=at,
        succeeded=outcome.succeeded,
        status_code=outcome.status_code,
        duration_ms=outcome.duration_ms,
        response_head=outcome.response_head,
        error=outcome.error,
    )
    delivery.attempt_count += 1
    delivery.tries += 1
    delivery.claimed_at = None
    if outcome.succeeded:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatus.SUCCEEDED, at, None
        if endpoint.failure_count or endpoint.failing_since:
            endpoint.failure_count, endpoint.failing_since = 0, None
            endpoint.save(update_fields=["failure_count", "failing_since"])
    else:
        endpoint.failure_count += 1
        endpoint.failing_since = endpoint.failing_since or at
        endpoint.save(update_fields=["failure_count", "failing_since"])
        if delivery.tries <= len(RETRY_DELAYS):
            due = at + RETRY_DELAYS[delivery.tries - 1]
            delivery.next_attempt_at = due
            transaction.on_commit(lambda: delivery_enqueue(delivery_id=delivery_id, at=due))
        else:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    delivery.save(
        update_fields=["attempt_count", "tries", "claimed_at", "status", "delivered_at", "next_attempt_at"]
    )
    if (
        delivery.status == DeliveryStatus.FAILED
        and endpoint.enabled
        and endpoint.failing_since is not None
        and at - endpoint.failing_since >= DISABLE_AFTER
    ):
        endpoint_disable_failing(endpoint=endpoint)
    return delivery


def endpoint_disable_failing(*, endpoint: Endpoint) -> None:
    """The system turns off an endpoint that keeps failing, and emails the provider's admins."""
    from accountdesk.webhooks.tasks import email_endpoint_disabled

    since = endpoint.failing_since
    reason = f"{endpoint.failure_count} attempts in a row failed" + (
        f" since {since.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC." if since else "."
    )
    _disable(endpoint, Actor.system(endpoint.provider), reason)
    endpoint_id = endpoint.pk
    transaction.on_commit(lambda: email_endpoint_disabled.enqueue(endpoint_id))


@transaction.atomic
def delivery_replay(*, delivery: Delivery, actor: Actor, request: HttpRequest | None = None) -> Delivery:
    """Send a delivery again (the same event id and body, signed afresh), now and then on the retry
    schedule until it is delivered or fails again."""
    require(actor, PERMISSION)
    require_same_provider(actor, delivery)
    delivery = Delivery.objects.select_for_update(of=("self",)).select_related("endpoint").get(pk=delivery.pk)
    if not delivery.endpoint.enabled:
        raise Conflict("This endpoint is disabled: enable it first.")
    if delivery.status == DeliveryStatus.PENDING and delivery.claimed_at is not None:
        raise Conflict("This delivery is being sent right now.")
    now = clock.now()
    delivery.status, delivery.tries, delivery.next_attempt_at, delivery.claimed_at = (
        DeliveryStatus.PENDING,
        0,
        now,
        None,
    )
    delivery.save(update_fields=["status", "tries", "next_attempt_at", "claimed_at"])
    security_record(
        provider=actor.provider,
        kind="webhook.replayed",
        summary=f"Webhook {delivery.event_type} {delivery.event_id} sent again to {delivery.endpoint.url}",
        actor=actor,
        details={"endpoint": delivery.endpoint_id, "delivery": delivery.pk, "event": delivery.event_id},
        request=request,
    )
    delivery_id = delivery.pk
    transaction.on_commit(lambda: delivery_enqueue(delivery_id=delivery_id))
    return delivery


def deliveries_due(*, limit: int = 500) -> list[int]:
    """Ids of deliveries whose attempt is due (for `accountdesk webhooks deliver`)."""
    now = clock.now()
    qs = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__enabled=True
    )
    return list(qs.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
