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
from accountdesk.exports.registry import EXPORTS, MAX_ROWS, PAGE, export_rows

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
    rows, truncated = export_rows(exportable, customer=customer, filters=clean, viewer=actor)
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
    details = {
        "customer": customer.number,
        "tab": tab,
        "format": file_format,
        "rows": rows,
        "truncated": truncated,
        "filters": filters,
    }
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


def security_log_export(*, provider, file_format: str, filters: dict, actor) -> ExportFile:
    """The security log's entries (Settings > Security log, with its filters) as CSV or Excel, at
    most MAX_ROWS of them, newest first; the export itself goes to the log. Admins only."""
    from accountdesk.audit.selectors import security_event_list

    require(actor, "provider.manage")
    if file_format not in ("csv", "xlsx"):
        raise ValidationFailed(fields={"format": "Choose one of: csv, xlsx."})
    rows, truncated, cursor = [], False, None
    while True:
        page = security_event_list(provider=provider, limit=PAGE, cursor=cursor, **filters)
        rows += [_security_row(event) for event in page.items]
        if len(rows) > MAX_ROWS:
            rows, truncated = rows[:MAX_ROWS], True
            break
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    if file_format == "csv":
        content = renderers.to_csv(rows)
    else:
        content = renderers.to_xlsx(rows, title="Security log")
    fmt, noun = FORMAT_LABELS[file_format], "row" if len(rows) == 1 else "rows"
    with transaction.atomic():
        security_record(
            provider=provider,
            kind="export.downloaded",
            summary=f"Security log exported as {fmt} ({len(rows)} {noun})",
            actor=actor,
            details={
                "log": "security",
                "format": file_format,
                "rows": len(rows),
                "truncated": truncated,
                "filters": {k: v for k, v in filters.items() if v},
            },
        )
    filename = f"{provider.slug}-security-log.{file_format}"
    return ExportFile(content, renderers.CONTENT_TYPES[file_format], filename, len(rows), truncated)


def _security_row(event) -> dict:
    from accountdesk.audit.kinds import SECURITY_KINDS
    from accountdesk.core.templatetags.accountdesk import detail_rows

    changes = "; ".join(
        f"{r['field']}: {r['old']} → {r['new']}" if r["changed"] else f"{r['field']}: {r['new']}"
        for r in detail_rows(event.details)
    )
    return {
        "time": event.at,
        "actor": event.actor_name,
        "actor_email": event.actor_email,
        "address": event.address,
        "kind": SECURITY_KINDS.get(event.kind, event.kind),
        "summary": event.summary,
        "details": changes,
    }
