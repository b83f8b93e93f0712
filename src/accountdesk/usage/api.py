import datetime as dt

from ninja import Query, Router, Status

from accountdesk.api.idempotency import idempotent
from accountdesk.core import clock
from accountdesk.core.dates import date_field, datetime_field
from accountdesk.core.errors import NotFound, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.schemas import page_out, paged
from accountdesk.core.tenancy import require_module
from accountdesk.customers.api import customer_for
from accountdesk.subscriptions.models import Subscription
from accountdesk.subscriptions.selectors import subscription_get, subscription_metered
from accountdesk.usage import selectors, services
from accountdesk.usage.periods import midnight
from accountdesk.usage.schemas import (
    UsageBatchIn,
    UsageIngestOut,
    UsageNotificationOut,
    UsagePreferenceIn,
    UsagePreferenceOut,
    UsageSeriesOut,
    UsageThresholdsIn,
    UsageThresholdsOut,
    usage_notification_out,
)

router = Router(tags=["usage"])
_NOTHING = {"subscription_id": None, "total": 0}


def _usage_customer(request, customer_id: int):
    return customer_for(request, customer_id, module="usage")


def _instant(raw: str | None, field: str, *, end: bool) -> dt.datetime | None:
    """A date (the whole day: `to` includes it) or a datetime (naive = provider's local time)."""
    if raw is None or raw.strip() == "":
        return None
    text = raw.strip()
    if "T" not in text and " " not in text:
        day = date_field(text, field)
        if day is None:
            return None
        return midnight(day + dt.timedelta(days=1) if end else day)
    return datetime_field(text, field)


@router.get("/customers/{customer_id}/usage", response=UsageSeriesOut, url_name="usage_series")
def usage_series(
    request,
    customer_id: int,
    from_: str | None = Query(None, alias="from", max_length=40),
    to: str | None = Query(None, max_length=40),
    resolution: str = Query("day", max_length=10),
    subscription_id: int | None = None,
):
    customer = _usage_customer(request, customer_id)
    if resolution not in selectors.RESOLUTIONS:
        raise ValidationFailed("Unknown resolution.", fields={"resolution": "minute, hour or day"})
    start, end = _instant(from_, "from", end=False), _instant(to, "to", end=True)
    subscription: Subscription | None
    if subscription_id is not None:
        subscription = subscription_get(customer=customer, pk=subscription_id)
    else:
        subscription = subscription_metered(customer=customer)
    if subscription is None or subscription.package.usage_unit is None:
        return {"resolution": resolution, "unit": None, "allowance": None, "points": [], **_NOTHING}
    start, end = _window(start, end, subscription, resolution)
    return selectors.usage_series(subscription=subscription, start=start, end=end, resolution=resolution)


def _window(
    start: dt.datetime | None, end: dt.datetime | None, subscription: Subscription, resolution: str
) -> tuple[dt.datetime, dt.datetime]:
    """The asked window, its missing side the resolution's longest window from the other (the
    default window when neither is given)."""
    width = selectors.MAX_WINDOW[resolution]
    if start is not None and end is not None:
        return start, end
    if start is not None:
        return start, min(start + width, clock.now())
    if end is not None:
        return end - width, end
    return _default_window(subscription, resolution)


def _default_window(subscription: Subscription, resolution: str) -> tuple[dt.datetime, dt.datetime]:
    if resolution == "day":
        first, after = selectors.current_period(subscription)
        return midnight(first), midnight(after)
    now = clock.now()
    span = dt.timedelta(hours=24) if resolution == selectors.MINUTE else dt.timedelta(days=7)
    return now - span, now


@router.post("/customers/{customer_id}/usage", response={201: UsageIngestOut})
@idempotent
def usage_ingest(request, customer_id: int, payload: UsageBatchIn):
    customer = _usage_customer(request, customer_id)
    subscription = None
    if payload.subscription_id is not None:
        try:
            subscription = subscription_get(customer=customer, pk=payload.subscription_id)
        except NotFound as exc:  # in a body, an unknown id is a bad field, not a missing page
            raise ValidationFailed(
                "Unknown subscription.", fields={"subscription_id": "Unknown subscription."}
            ) from exc
    result = services.usage_ingest(
        provider=request.actor.provider,
        customer=customer,
        subscription=subscription,
        rows=payload.rows,
        actor=request.actor,
    )
    return Status(
        201,
        {
            "records": result.records,
            "notifications": [usage_notification_out(n) for n in result.notifications],
        },
    )


@router.get("/customers/{customer_id}/usage-notifications", response=paged(UsageNotificationOut))
def usage_notification_list(
    request,
    customer_id: int,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    customer = _usage_customer(request, customer_id)
    page = selectors.usage_notification_list(customer=customer, limit=limit, cursor=cursor)
    return page_out(page, usage_notification_out)


@router.post("/customers/{customer_id}/usage-preference", response=UsagePreferenceOut)
@idempotent
def usage_preference_set(request, customer_id: int, payload: UsagePreferenceIn):
    customer = _usage_customer(request, customer_id)
    preference = services.usage_preference_set(
        customer=customer, channel=payload.channel, actor=request.actor
    )
    return {"channel": preference.channel}


@router.get("/usage-settings", response=UsageThresholdsOut)
def usage_settings_get(request):
    require_module(request.actor.provider, "usage")
    require(request.actor, "customers.view")
    return {"thresholds": services.usage_thresholds(provider=request.actor.provider)}


@router.post("/usage-settings", response=UsageThresholdsOut)
@idempotent
def usage_settings_set(request, payload: UsageThresholdsIn):
    require_module(request.actor.provider, "usage")
    row = services.usage_thresholds_set(
        provider=request.actor.provider, thresholds=payload.thresholds, actor=request.actor
    )
    return {"thresholds": row.thresholds}
