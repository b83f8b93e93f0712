import datetime as dt

from django.http import HttpResponse
from ninja import Router, Schema
from ninja.responses import Status

from accountdesk.api.throttling import api_rate_limited
from accountdesk.customers.api import customer_for
from accountdesk.exports.models import ExportJob
from accountdesk.exports.selectors import export_job_get
from accountdesk.exports.services import tab_export_start

router = Router(tags=["exports"])
CONTROL = {"format", "cursor", "limit"}


class ExportJobOut(Schema):
    id: int
    status: str
    progress: int
    rows: int | None
    truncated: bool
    filename: str | None
    error: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    url: str
    file_url: str | None


def export_job_out(job: ExportJob) -> dict:
    done = job.is_ready
    return {
        "id": job.pk,
        "status": job.status,
        "progress": job.progress,
        "rows": job.rows_total,
        "truncated": job.truncated,
        "filename": job.filename or None,
        "error": job.error or None,
        "created_at": job.created_at,
        "expires_at": job.expires_at,
        "url": f"/api/v1/exports/{job.pk}",
        "file_url": f"/api/v1/exports/{job.pk}/file" if done else None,
    }


def _file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get("/customers/{customer_id}/{tab}/export", response={202: ExportJobOut})
@api_rate_limited("exports")
def export(request, customer_id: int, tab: str, format: str = "csv"):
    """The tab's rows (its list endpoint's fields and filters) as csv, xlsx or pdf, at most
    10,000 rows; `X-Export-Truncated: true` when there were more. A PDF of more than 100 rows is
    prepared in the background: 202 with the job (`id`, `status`, `url`); poll `url`, then fetch
    its `file_url`."""
    customer = customer_for(request, customer_id)
    filters = {k: v for k, v in request.GET.items() if k not in CONTROL}
    result = tab_export_start(
        customer=customer, tab=tab, file_format=format, filters=filters, actor=request.actor
    )
    if isinstance(result, ExportJob):
        return Status(202, export_job_out(result))
    response = _file_response(result.content, result.content_type, result.filename)
    response["X-Export-Rows"] = str(result.rows)
    response["X-Export-Truncated"] = "true" if result.truncated else "false"
    return response


@router.get("/exports/{job_id}", response=ExportJobOut)
def export_job(request, job_id: int):
    """A background export of yours: its status (queued, running, done, failed), progress 0-100,
    and once done its `file_url`. Another user's job, or one past its day, is 404."""
    return export_job_out(export_job_get(user=request.actor.user, pk=job_id))


@router.get("/exports/{job_id}/file")
def export_job_file(request, job_id: int):
    """The prepared file of a finished export of yours (409 while it is still being prepared)."""
    from accountdesk.core.errors import Conflict

    job = export_job_get(user=request.actor.user, pk=job_id, with_file=True)
    if not job.is_ready:
        raise Conflict("The export failed." if job.has_failed else "The file is not ready.")
    response = _file_response(job.file_content, job.content_type, job.filename)
    response["X-Export-Rows"] = str(job.rows_total or 0)
    response["X-Export-Truncated"] = "true" if job.truncated else "false"
    return response
