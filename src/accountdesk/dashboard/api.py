from django.http import JsonResponse
from ninja import Router

from accountdesk.core.permissions import require
from accountdesk.customers.api import customer_for
from accountdesk.dashboard.asof import as_of_parse, dashboard_as_of
from accountdesk.dashboard.document import dashboard_document, explanation_document
from accountdesk.dashboard.schemas import DashboardOut, ExplanationOut
from accountdesk.dashboard.selectors import dashboard_get, metric_check, metric_explain

router = Router(tags=["dashboard"])


@router.get("/customers/{customer_id}/dashboard", response=DashboardOut)
def dashboard(request, customer_id: int, include_tickets_in_notes: bool = False, as_of: str | None = None):
    """The customer dashboard as one document. Serialised directly: the page and this share
    dashboard_get(), and skipping per-field validation keeps the answer fast.

    `as_of` (YYYY-MM-DD) gives the document as it stood at the end of that day, with `as_of`
    naming what could not be rebuilt exactly; today's date gives today's document. A day before
    the customer joined, or after today, answers 422."""
    require(request.actor, "customers.view")
    user = request.actor.user
    day = as_of_parse(as_of)
    if day is None:
        board = dashboard_get(
            user=user, customer_id=customer_id, include_tickets_in_notes=include_tickets_in_notes
        )
    else:
        board = dashboard_as_of(
            user=user, customer_id=customer_id, day=day, include_tickets_in_notes=include_tickets_in_notes
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
