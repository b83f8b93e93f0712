"""Settings > Import: upload a customer file, see every problem or what it would do, then import it."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountdesk.core.dialogs import bound
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.views_support import actor_for
from accountdesk.imports import storage
from accountdesk.imports.columns import COLUMNS, CUSTOM_PREFIX
from accountdesk.imports.forms import MAX_BYTES, ImportApplyForm, ImportUploadForm
from accountdesk.imports.plan import ImportPlan
from accountdesk.imports.reader import read_table
from accountdesk.imports.services import ImportRefused, customers_import, import_check
from accountdesk.imports.template_file import template_csv, template_xlsx
from accountdesk.tenancy.admin_views import admin_page, settings_page

SECTION = "import"
TEMPLATE = "imports/settings_import.html"
PROBLEMS_SHOWN = 1000
ROWS_SHOWN = 25


def _page(request, form, *, status: int = 200, **context) -> HttpResponse:
    return settings_page(
        request,
        TEMPLATE,
        SECTION,
        {
            "form": form,
            "columns": COLUMNS,
            "custom_prefix": CUSTOM_PREFIX,
            "max_mb": MAX_BYTES // (1024 * 1024),
            **context,
        },
        status=status,
    )


def _preview(request, plan: ImportPlan, *, token: str | None, status: int) -> HttpResponse:
    return _page(
        request,
        ImportUploadForm(),
        status=status,
        plan=plan,
        problems=plan.problems[:PROBLEMS_SHOWN],
        problems_more=max(len(plan.problems) - PROBLEMS_SHOWN, 0),
        rows=plan.rows[:ROWS_SHOWN],
        rows_more=max(len(plan.rows) - ROWS_SHOWN, 0),
        apply_form=ImportApplyForm(initial={"token": token}) if token else None,
    )


@admin_page
@require_http_methods(["GET", "POST"])
def import_page(request):
    """The upload form; a POSTed file is checked and previewed (every problem by row and column,
    or what the import would create and update), and kept for the import when it has no problem."""
    form = bound(ImportUploadForm, request)
    if request.method == "GET":
        return _page(request, form)
    if form.is_valid():
        content, _kind = form.cleaned_data["file"]
        try:
            table = read_table(content)
        except ValidationFailed as error:
            form.add_error("file", error.message)
        else:
            user = request.user
            plan = import_check(provider=user.provider, table=table, actor=actor_for(request))
            if not plan.ok:
                return _preview(request, plan, token=None, status=400)
            token = storage.upload_keep(provider_id=user.provider_id, user_id=user.pk, content=content)
            return _preview(request, plan, token=token, status=200)
    return _page(request, form, status=400)


@admin_page
@require_POST
def import_apply(request):
    """Import the file the preview checked (found again by its token, for this user only)."""
    user = request.user
    form = ImportApplyForm(request.POST)
    keys = {"provider_id": user.provider_id, "user_id": user.pk}
    content = storage.upload_read(token=form.cleaned_data["token"], **keys) if form.is_valid() else None
    if content is None:
        return _page(request, ImportUploadForm(), status=400, gone=True)
    token = form.cleaned_data["token"]
    try:
        table = read_table(content)
        result = customers_import(provider=user.provider, table=table, actor=actor_for(request))
    except ImportRefused as refused:
        storage.upload_drop(token=token, **keys)
        return _preview(
            request, ImportPlan(header=table.header, problems=refused.problems), token=None, status=400
        )
    storage.upload_drop(token=token, **keys)
    messages.success(request, f"Import done: {result.sentence}")
    return redirect("settings:import")


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
