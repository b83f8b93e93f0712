from django.http import HttpResponse
from ninja import Router

from accountdesk.customers.api import customer_for
from accountdesk.exports.services import tab_export

router = Router(tags=["exports"])
CONTROL = {"format", "cursor", "limit"}


@router.get("/customers/{customer_id}/{tab}/export")
def export(request, customer_id: int, tab: str, format: str = "csv"):
    """The tab's rows (its list endpoint's fields and filters) as csv, xlsx or pdf, at most
    10,000 rows; `X-Export-Truncated: true` when there were more."""
    customer = customer_for(request, customer_id)
    filters = {k: v for k, v in request.GET.items() if k not in CONTROL}
    file = tab_export(customer=customer, tab=tab, file_format=format, filters=filters, actor=request.actor)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["X-Export-Rows"] = str(file.rows)
    response["X-Export-Truncated"] = "true" if file.truncated else "false"
    return response
