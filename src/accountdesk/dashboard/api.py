from django.http import JsonResponse
from ninja import Router

from accountdesk.core.permissions import require
from accountdesk.customers.api import customer_for
from accountdesk.dashboard.document import dashboard_document, explanation_document
from accountdesk.dashboard.schemas import DashboardOut, ExplanationOut
from accountdesk.dashboard.selectors import dashboard_get, metric_check, metric_explain

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


@router.get("/customers/{customer_id}/metrics/{metric}/explain", response=ExplanationOut)
def metric_explanation(request, customer_id: int, metric: str):
    """Why a key metric of the dashboard is what it is: the figure, a sentence, and the records it
    rests on, whose amounts add up to it. `metric`: total_due, account_credit, lifetime_value,
    account_current or open_jobs (anything else: 422). Amounts are null for a role that may not
    see money."""
    customer = customer_for(request, customer_id, module="field_service" if metric == "open_jobs" else None)
    metric_check(metric)
    explanation = metric_explain(user=request.actor.user, customer=customer, metric=metric)
    return JsonResponse(explanation_document(explanation), json_dumps_params={"separators": (",", ":")})
