from typing import Literal

from ninja import Query, Router

from accountdesk.activity import selectors
from accountdesk.activity.kinds import GROUPS
from accountdesk.activity.schemas import ActivityOut, activity_out
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.schemas import page_out, paged
from accountdesk.core.visibility import sees_money, shown_to
from accountdesk.customers.api import customer_for

router = Router(tags=["activity"])


@router.get("/customers/{customer_id}/activity", response=paged(ActivityOut))
def activity_list(
    request,
    customer_id: int,
    group: str | None = Query(None, max_length=30),
    actor_type: Literal["staff", "system", "customer", "api"] | None = None,
    kind: str | None = Query(None, max_length=60),
    q: str | None = Query(None, max_length=200),
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    customer = customer_for(request, customer_id)
    require(request.actor, "activity.view")
    if group and group not in GROUPS:
        raise ValidationFailed(fields={"group": f"Unknown group. Use one of: {', '.join(GROUPS)}."})
    page = selectors.activity_list(
        customer=customer,
        group=group,
        actor_type=actor_type,
        kind=kind,
        q=q,
        limit=limit,
        cursor=cursor,
        shows_money=sees_money(request.actor),
    )
    return page_out(page, shown_to(activity_out, request.actor))
