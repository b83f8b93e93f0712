from django.http import JsonResponse
from ninja import Router

from accountdesk.core.permissions import require
from accountdesk.dashboard.document import dashboard_document
from accountdesk.dashboard.schemas import DashboardOut
from accountdesk.dashboard.selectors import dashboard_get

router = Router(tags=["dashboard"])


@router.get("/customers/{customer_id}/dashboard", response=DashboardOut)
def dashboard(request, customer_id: int, include_tickets_in_notes: bool = False):
    """The customer dashboard as one document. Serialised directly: the page and this share
    dashboard_get(), and skipping per-field validation keeps the answer fast."""
    require(request.actor, "customers.view")
    user = request.actor.user
    board = dashboard_get(
        user=user, customer_id=customer_id, include_tickets_in_notes=include_tickets_in_notes
    )
    return JsonResponse(dashboard_document(board), json_dumps_params={"separators": (",", ":")})
