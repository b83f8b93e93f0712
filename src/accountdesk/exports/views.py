"""The signed-in user's background exports: starting a large PDF from a tab's export menu, its
progress panel (polled by HTMX), the "Your exports" page and the downloads; and the security log's
export (Settings > Security log)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accountdesk.audit.views import security_log_filters
from accountdesk.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from accountdesk.core.limits import RateLimited, work_rate_check
from accountdesk.core.views_support import actor_for
from accountdesk.customers import selectors as customers
from accountdesk.exports import selectors, services
from accountdesk.exports.models import ExportJob
from accountdesk.tenancy.admin_views import admin_page

CONTROL = {"customer", "tab", "format"}


def _panel(request, job: ExportJob, *, status: int = 200):
    return render(request, "exports/_job_panel.html", {"job": job}, status=status)


@never_cache
@login_required
@require_POST
def export_start(request):
    """The export menu's PDF link: a small export downloads at once (HX-Redirect to the file), a
    large one becomes a background job whose progress panel replaces the menu's empty panel."""
    try:
        customer_id = int(request.GET.get("customer", ""))
    except ValueError:
        raise Http404("No such customer") from None
    tab = request.GET.get("tab", "")
    file_format = request.GET.get("format", "pdf")
    filters = {k: v for k, v in request.GET.items() if k not in CONTROL}
    try:
        work_rate_check(user_id=request.user.pk, work="exports")
    except RateLimited as error:
        response = render(request, "exports/_job_error.html", {"message": error.message}, status=429)
        response["Retry-After"] = str(error.retry_after)
        return response
    try:
        customer = customers.customer_get(provider=request.user.provider, pk=customer_id)
        job = services.export_job_start(
            customer=customer, tab=tab, file_format=file_format, filters=filters, actor=actor_for(request)
        )
    except NotFound:
        raise Http404("No such export") from None
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    except DomainError as error:
        return render(request, "exports/_job_error.html", {"message": error.message}, status=400)
    if job is not None:
        return _panel(request, job)
    # Small enough to make now: the browser follows the redirect to the file itself.
    response = HttpResponse()
    response["HX-Redirect"] = f"/api/v1/customers/{customer.pk}/{tab}/export?" + urlencode(
        {**filters, "format": file_format}
    )
    return response


@never_cache
@login_required
@require_GET
def export_panel(request, job_id: int):
    try:
        job = selectors.export_job_get(user=request.user, pk=job_id)
    except NotFound:
        raise Http404("No such export") from None
    return _panel(request, job)


@never_cache
@login_required
@require_GET
def export_download(request, job_id: int):
    """The prepared file, for the user who asked for it only (anyone else: 404), within its day."""
    try:
        job = selectors.export_job_get(user=request.user, pk=job_id, with_file=True)
    except NotFound:
        raise Http404("No such export") from None
    if not job.is_ready:
        raise Http404("Not ready")
    response = HttpResponse(job.file_content, content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


@never_cache
@login_required
@require_GET
def export_list(request):
    jobs = selectors.export_job_list(user=request.user)
    return render(request, "exports/account_exports.html", {"jobs": jobs})


@admin_page
@require_GET
def security_log_export(request):
    """Settings > Security log > Export: the entries the filters pick, as CSV or Excel."""
    _, filters, errors = security_log_filters(request)
    if errors:
        messages.error(request, "Fix the filters before exporting.")
        return redirect("settings:security_log")
    try:
        file = services.security_log_export(
            provider=request.user.provider,
            file_format=request.GET.get("format") or "csv",
            filters=filters,
            actor=actor_for(request),
        )
    except ValidationFailed as error:
        return HttpResponse(error.message, status=422, content_type="text/plain")
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["X-Export-Rows"] = str(file.rows)
    response["X-Export-Truncated"] = "true" if file.truncated else "false"
    return response
