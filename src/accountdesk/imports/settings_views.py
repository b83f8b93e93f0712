"""Settings > Import: upload a customer file; the task worker checks it, the page shows every
problem by row and column (or what the import would create and update), and an admin confirms the
import, which the task worker runs. The page follows the job until it is done."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountdesk.core.dialogs import bound
from accountdesk.core.errors import DomainError
from accountdesk.core.views_support import actor_for, is_htmx
from accountdesk.imports.columns import COLUMNS, CUSTOM_PREFIX
from accountdesk.imports.forms import MAX_BYTES, ImportUploadForm
from accountdesk.imports.jobs import import_job_apply, import_job_start
from accountdesk.imports.models import ImportJob
from accountdesk.imports.template_file import template_csv, template_xlsx
from accountdesk.tenancy.admin_views import admin_page, settings_page

SECTION = "import"
TEMPLATE = "imports/settings_import.html"
JOB_TEMPLATE = "imports/settings_import_job.html"
RECENT = 5


def _page(request, form, *, status: int = 200) -> HttpResponse:
    provider = request.user.provider
    recent = (
        ImportJob.objects.filter(provider=provider)
        .select_related("requested_by")
        .order_by("-created_at", "-id")
    )
    context = {
        "form": form,
        "columns": COLUMNS,
        "custom_prefix": CUSTOM_PREFIX,
        "max_mb": MAX_BYTES // (1024 * 1024),
        "recent": list(recent[:RECENT]),
    }
    return settings_page(request, TEMPLATE, SECTION, context, status=status)


@admin_page
@require_http_methods(["GET", "POST"])
def import_page(request):
    """The upload form, the columns and the latest imports; a POSTed file is stored and its check
    queued, and the page of its job follows."""
    form = bound(ImportUploadForm, request)
    if request.method == "GET":
        return _page(request, form)
    if form.is_valid():
        content, _kind = form.cleaned_data["file"]
        try:
            job = import_job_start(provider=request.user.provider, actor=actor_for(request), content=content)
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("settings:import_job", job.pk)
    return _page(request, form, status=400)


def _job(request, job_id: int) -> ImportJob:
    """The signed-in admin's own job: another admin's, or another provider's, is not found."""
    job = ImportJob.objects.filter(
        pk=job_id, provider=request.user.provider, requested_by=request.user
    ).first()
    if job is None:
        raise Http404()
    return job


@admin_page
@require_GET
def import_job(request, job_id: int):
    """One upload: checking, its problems or its preview, importing, done. While the worker runs,
    the card asks again every two seconds (HTMX; without JavaScript the page refreshes itself)."""
    job = _job(request, job_id)
    context = {"job": job}
    if is_htmx(request):
        return render(request, "imports/_job_card.html", context)
    return settings_page(request, JOB_TEMPLATE, SECTION, context)


@admin_page
@require_POST
def import_apply(request, job_id: int):
    job = _job(request, job_id)
    try:
        import_job_apply(job=job, actor=actor_for(request))
    except DomainError as error:
        return settings_page(request, JOB_TEMPLATE, SECTION, {"job": job, "error": error.message}, status=400)
    return redirect("settings:import_job", job.pk)


@admin_page
@require_GET
def import_template(request, kind: str):
    provider = request.user.provider
    if kind == "xlsx":
        content = template_xlsx(provider)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, content_type = template_csv(provider), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="customer-import-template.{kind}"'
    return response
