from ninja import Query, Router

from accountdesk.audit import selectors
from accountdesk.audit.schemas import SecurityEventOut, security_event_out
from accountdesk.core.permissions import require
from accountdesk.core.schemas import page_out, paged

router = Router(tags=["audit"])


@router.get("/audit", response=paged(SecurityEventOut))
def security_log(
    request,
    kind: str | None = Query(None, max_length=60),
    actor: str | None = Query(None, max_length=254, description="A user id or an email address"),
    since: str | None = Query(None, max_length=40, description="A date or an ISO datetime"),
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    """The provider's security log, newest first (admins only)."""
    require(request.actor, "provider.manage")
    filters = selectors.clean_filters(kind=kind, actor=actor, since=since)
    page = selectors.security_event_list(
        provider=request.actor.provider, limit=limit, cursor=cursor, **filters
    )
    return page_out(page, security_event_out)
