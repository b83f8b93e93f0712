from ninja import Query, Router, Status

from accountdesk.api.idempotency import idempotent
from accountdesk.core.permissions import require
from accountdesk.core.schemas import page_out, paged
from accountdesk.core.visibility import shown_to
from accountdesk.customers.api import customer_for
from accountdesk.subscriptions import selectors, services
from accountdesk.subscriptions.models import SubscriptionStatus
from accountdesk.subscriptions.schemas import (
    PackageIn,
    PackageOut,
    SubscriptionCancelIn,
    SubscriptionChangeIn,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionSuspendIn,
    package_out,
    subscription_out,
)

router = Router(tags=["subscriptions"])


@router.get("/packages", response=paged(PackageOut))
def package_list(request, active: bool = False):
    require(request.actor, "customers.view")
    items = selectors.package_list(provider=request.actor.provider, active_only=active)
    return {"items": [shown_to(package_out, request.actor)(p) for p in items], "next_cursor": None}


@router.post("/packages", response={201: PackageOut})
@idempotent
def package_create(request, payload: PackageIn):
    package = services.package_create(provider=request.actor.provider, actor=request.actor, **payload.dict())
    return Status(201, package_out(package))


@router.get("/customers/{customer_id}/subscriptions", response=paged(SubscriptionOut))
def subscription_list(
    request,
    customer_id: int,
    status: SubscriptionStatus | None = None,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    customer = customer_for(request, customer_id)
    page = selectors.subscription_list(customer=customer, status=status, limit=limit, cursor=cursor)
    return page_out(page, shown_to(subscription_out, request.actor))


@router.post("/customers/{customer_id}/subscriptions", response={201: SubscriptionOut})
@idempotent
def subscription_add(request, customer_id: int, payload: SubscriptionIn):
    customer = customer_for(request, customer_id)
    subscription = services.subscription_add(customer=customer, actor=request.actor, **payload.dict())
    return Status(201, subscription_out(subscription))


def _subscription(request, customer_id: int, subscription_id: int):
    customer = customer_for(request, customer_id)
    return selectors.subscription_get(customer=customer, pk=subscription_id)


@router.get("/customers/{customer_id}/subscriptions/{subscription_id}", response=SubscriptionOut)
def subscription_get(request, customer_id: int, subscription_id: int):
    return shown_to(subscription_out, request.actor)(_subscription(request, customer_id, subscription_id))


@router.post("/customers/{customer_id}/subscriptions/{subscription_id}/change", response=SubscriptionOut)
@idempotent
def subscription_change(request, customer_id: int, subscription_id: int, payload: SubscriptionChangeIn):
    subscription = _subscription(request, customer_id, subscription_id)
    return subscription_out(
        services.subscription_change(subscription=subscription, actor=request.actor, **payload.dict())
    )


@router.post("/customers/{customer_id}/subscriptions/{subscription_id}/suspend", response=SubscriptionOut)
@idempotent
def subscription_suspend(request, customer_id: int, subscription_id: int, payload: SubscriptionSuspendIn):
    subscription = _subscription(request, customer_id, subscription_id)
    return subscription_out(
        services.subscription_suspend(subscription=subscription, reason=payload.reason, actor=request.actor)
    )


@router.post("/customers/{customer_id}/subscriptions/{subscription_id}/resume", response=SubscriptionOut)
@idempotent
def subscription_resume(request, customer_id: int, subscription_id: int):
    subscription = _subscription(request, customer_id, subscription_id)
    return subscription_out(services.subscription_resume(subscription=subscription, actor=request.actor))


@router.post("/customers/{customer_id}/subscriptions/{subscription_id}/cancel", response=SubscriptionOut)
@idempotent
def subscription_cancel(request, customer_id: int, subscription_id: int, payload: SubscriptionCancelIn):
    subscription = _subscription(request, customer_id, subscription_id)
    return subscription_out(
        services.subscription_cancel(
            subscription=subscription, ends_on=payload.ends_on, reason=payload.reason, actor=request.actor
        )
    )
