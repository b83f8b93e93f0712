"""Exporting a customer tab: permission and module checks, the rows, the file, and the trace it
leaves (the provider's security log and the customer's activity log)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from accountdesk.activity.services import event_record
from accountdesk.audit.services import security_record
from accountdesk.core.errors import NotFound, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.tenancy import require_module
from accountdesk.exports import renderers
from accountdesk.exports.registry import EXPORTS, export_rows

FORMATS = ("csv", "xlsx", "pdf")
FORMAT_LABELS = {"csv": "CSV", "xlsx": "Excel", "pdf": "PDF"}


@dataclass
class ExportFile:
    content: bytes
    content_type: str
    filename: str
    rows: int
    truncated: bool


def tab_export(*, customer, tab: str, file_format: str, filters: dict[str, str], actor) -> ExportFile:
    """The tab's rows as a file. Unknown tab: 404; module off: 404 module_not_enabled; role without
    the tab's permission: 403; a filter it does not take, or a value it does not know: 422."""
    exportable = EXPORTS.get(tab)
    if exportable is None:
        raise NotFound("This tab has no export.")
    if exportable.module:
        require_module(customer.provider, exportable.module)
    require(actor, exportable.permission)
    if file_format not in FORMATS:
        raise ValidationFailed(fields={"format": f"Choose one of: {', '.join(FORMATS)}."})
    clean = {}
    for name, value in filters.items():
        if name not in exportable.filters:
            raise ValidationFailed(fields={name: f"{exportable.title} cannot be filtered by {name}."})
        allowed = exportable.filters[name]
        if value and allowed is not None and value not in allowed:
            raise ValidationFailed(fields={name: f"Choose one of: {', '.join(sorted(allowed))}."})
        if len(value) > 200:
            raise ValidationFailed(fields={name: "At most 200 characters."})
        if value:
            clean[name] = value
    rows, truncated = export_rows(exportable, customer=customer, filters=clean)
    if file_format == "csv":
        content = renderers.to_csv(rows)
    elif file_format == "xlsx":
        content = renderers.to_xlsx(rows, title=exportable.title)
    else:
        content = renderers.to_pdf(rows, title=exportable.title, customer=customer, truncated=truncated)
    filename = f"{customer.number}-{slugify(exportable.title)}.{file_format}"
    _export_record(customer, tab, exportable.title, file_format, clean, len(rows), truncated, actor)
    return ExportFile(content, renderers.CONTENT_TYPES[file_format], filename, len(rows), truncated)


@transaction.atomic
def _export_record(customer, tab, title, file_format, filters, rows, truncated, actor) -> None:
    """Who took which customer's rows out, in which format, how many."""
    details = {"customer": customer.number, "tab": tab, "format": file_format, "rows": rows,
               "truncated": truncated, "filters": filters}  # fmt: skip
    fmt = FORMAT_LABELS[file_format]
    noun = "row" if rows == 1 else "rows"
    security_record(
        provider=customer.provider,
        kind="export.downloaded",
        summary=f"{title} of {customer.number} {customer.name} exported as {fmt} ({rows} {noun})"[:300],
        actor=actor,
        details={"customer_id": customer.pk, **details},
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="export.downloaded",
        summary=f"{title} exported as {fmt} ({rows} {noun})",
        details=details,
    )
