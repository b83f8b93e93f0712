from ninja import Query, Router

from accountdesk.api.idempotency import idempotent
from accountdesk.core.permissions import require
from accountdesk.core.schemas import page_out, paged
from accountdesk.customers import selectors, services
from accountdesk.customers.models import Status
from accountdesk.customers.schemas import (
    ContactOut,
    CustomerDetailOut,
    CustomerOut,
    StatusChangeOut,
    StatusIn,
    contact_out,
    customer_detail_out,
    customer_out,
    status_change_out,
)

router = Router(tags=["customers"])


def customer_for(request, customer_id: int):
    """The customer by id, within the caller's provider, for a caller allowed to view customers."""
    require(request.actor, "customers.view")
    return selectors.customer_get(provider=request.actor.provider, pk=customer_id)


@router.get("/customers", response=paged(CustomerOut))
def customer_list(
    request,
    q: str | None = Query(None, max_length=200),
    status: Status | None = None,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    require(request.actor, "customers.view")
    page = selectors.customer_list(
        provider=request.actor.provider, q=q, status=status, limit=limit, cursor=cursor
    )
    tags = selectors.customer_tags(customers=page.items)
    return page_out(page, lambda c: customer_out(c, tags[c.pk]))


@router.get("/customers/{customer_id}", response=CustomerDetailOut)
def customer_get(request, customer_id: int):
    return customer_detail_out(customer_for(request, customer_id))


@router.get("/customers/{customer_id}/contacts", response=paged(ContactOut))
def contact_list(request, customer_id: int):
    customer = customer_for(request, customer_id)
    return {"items": [contact_out(c) for c in selectors.contact_list(customer=customer)], "next_cursor": None}


@router.get("/customers/{customer_id}/status-history", response=paged(StatusChangeOut))
def status_history(
    request,
    customer_id: int,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    customer = customer_for(request, customer_id)
    page = selectors.status_history(customer=customer, limit=limit, cursor=cursor)
    return page_out(page, status_change_out)


@router.post("/customers/{customer_id}/status", response=CustomerDetailOut)
@idempotent
def status_change(request, customer_id: int, payload: StatusIn):
    customer = customer_for(request, customer_id)
    customer = services.customer_status_change(
        customer=customer, status=payload.status, reason=payload.reason, actor=request.actor
    )
    return customer_detail_out(customer)
