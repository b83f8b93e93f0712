"""Exporting a customer tab: permission and module checks, the rows, the file, and the trace it
leaves (the provider's security log and the customer's activity log)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import slugify

from accountdesk.activity.services import event_record
from accountdesk.audit.services import security_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor, ActorType
from accountdesk.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.tenancy import require_module
from accountdesk.core.visibility import sees_money
from accountdesk.customers.models import Customer
from accountdesk.exports import renderers
from accountdesk.exports.models import JOB_LIFETIME, ExportJob, JobStatus
from accountdesk.exports.registry import EXPORTS, MAX_ROWS, PAGE, Exportable, export_rows
from accountdesk.tenancy.models import Provider

if TYPE_CHECKING:
    from accountdesk.audit.models import SecurityEvent
    from accountdesk.billing.statements import Statement

logger = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx", "pdf")
FORMAT_LABELS = {"csv": "CSV", "xlsx": "Excel", "pdf": "PDF"}
# Told how many rows are read and how far (0-100) a background job has got.
Progress = Callable[[int, int], None]


@dataclass
class ExportFile:
    content: bytes
    content_type: str
    filename: str
    rows: int
    truncated: bool


def _checked(
    *, customer: Customer, tab: str, file_format: str, filters: dict[str, str], actor: Actor
) -> tuple[Exportable, dict[str, str]]:
    """The tab's export and its clean filters. Unknown tab: 404; module off: 404
    module_not_enabled; role without the tab's permission: 403; a filter it does not take, or a
    value it does not know: 422."""
    exportable = EXPORTS.get(tab)
    if exportable is None:
        raise NotFound("This tab has no export.")
    if exportable.module:
        require_module(customer.provider, exportable.module)
    require(actor, exportable.permission)
    if file_format not in FORMATS:
        raise ValidationFailed(fields={"format": f"Choose one of: {', '.join(FORMATS)}."})
    clean: dict[str, str] = {}
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
    return exportable, clean


def tab_export(
    *, customer: Customer, tab: str, file_format: str, filters: dict[str, str], actor: Actor
) -> ExportFile:
    """The tab's rows as a file, made now (see _checked for the refusals)."""
    exportable, clean = _checked(
        customer=customer, tab=tab, file_format=file_format, filters=filters, actor=actor
    )
    return _produce(
        exportable, customer=customer, tab=tab, file_format=file_format, filters=clean, actor=actor
    )


def _produce(
    exportable: Exportable,
    *,
    customer: Customer,
    tab: str,
    file_format: str,
    filters: dict[str, str],
    actor: Actor,
    progress: Progress | None = None,
    job: ExportJob | None = None,
) -> ExportFile:
    """Read the rows, render the file, and record the export (when the file is produced)."""
    clean = filters
    rows, truncated = export_rows(exportable, customer=customer, filters=clean, viewer=actor)
    if progress:
        progress(len(rows), 40)
    if file_format == "csv":
        content = renderers.to_csv(rows)
    elif file_format == "xlsx":
        content = renderers.to_xlsx(rows, title=exportable.title)
    else:
        content = renderers.to_pdf(rows, title=exportable.title, customer=customer, truncated=truncated)
    filename = f"{customer.number}-{slugify(exportable.title)}.{file_format}"
    _export_record(customer, tab, exportable.title, file_format, clean, len(rows), truncated, actor, job)
    return ExportFile(content, renderers.CONTENT_TYPES[file_format], filename, len(rows), truncated)


@transaction.atomic
def _export_record(
    customer: Customer,
    tab: str,
    title: str,
    file_format: str,
    filters: dict[str, str],
    rows: int,
    truncated: bool,
    actor: Actor,
    job: ExportJob | None = None,
) -> None:
    """Who took which customer's rows out, in which format, how many (and the background job that
    prepared the file, if one did)."""
    details = {
        "customer": customer.number,
        "tab": tab,
        "format": file_format,
        "rows": rows,
        "truncated": truncated,
        "filters": filters,
    }
    if job is not None:
        details["job"] = job.pk
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


def security_log_export(
    *, provider: Provider, file_format: str, filters: dict[str, Any], actor: Actor
) -> ExportFile:
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


def _security_row(event: SecurityEvent) -> dict[str, Any]:
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


# A PDF of more rows than this is prepared in the background (CSV and Excel are made at once).
PDF_BACKGROUND_ROWS = 100
# A statement PDF of more lines than this is prepared in the background too.
STATEMENT_BACKGROUND_LINES = 100
STATEMENT = "statement"  # the job's tab for a statement PDF


def tab_export_start(
    *, customer: Customer, tab: str, file_format: str, filters: dict[str, str], actor: Actor
) -> ExportFile | ExportJob:
    """The tab's rows as a file now, or, for a PDF of more than PDF_BACKGROUND_ROWS rows, a queued
    ExportJob that the task worker turns into the file (same refusals as tab_export)."""
    job = export_job_start(customer=customer, tab=tab, file_format=file_format, filters=filters, actor=actor)
    if job is not None:
        return job
    return tab_export(customer=customer, tab=tab, file_format=file_format, filters=filters, actor=actor)


def export_job_start(
    *, customer: Customer, tab: str, file_format: str, filters: dict[str, str], actor: Actor
) -> ExportJob | None:
    """A queued background job for a PDF of more than PDF_BACKGROUND_ROWS rows; None when the
    export is small enough to make at once (same refusals as tab_export)."""
    exportable, clean = _checked(
        customer=customer, tab=tab, file_format=file_format, filters=filters, actor=actor
    )
    if file_format != "pdf" or not _more_rows_than(exportable, customer, clean, actor, PDF_BACKGROUND_ROWS):
        return None
    return _job_create(customer=customer, tab=tab, file_format=file_format, filters=clean, actor=actor)


def statement_job_start(*, statement: Statement, actor: Actor) -> ExportJob | None:
    """A queued background job for a statement PDF of more than STATEMENT_BACKGROUND_LINES lines;
    None when it is small enough to render at once. The caller has built the statement (and so
    checked the customer and billing.view)."""
    require(actor, "billing.view")
    if len(statement.lines) <= STATEMENT_BACKGROUND_LINES:
        return None
    period = {"from": statement.start.isoformat(), "to": statement.end.isoformat()}
    return _job_create(
        customer=statement.customer, tab=STATEMENT, file_format="pdf", filters=period, actor=actor
    )


def _statement_file(
    *, customer: Customer, filters: dict[str, str], actor: Actor, progress: Progress
) -> ExportFile:
    import datetime as dt

    from accountdesk.billing import statements

    require(actor, "billing.view")
    statement = statements.statement_build(
        customer=customer,
        start=dt.date.fromisoformat(filters["from"]),
        end=dt.date.fromisoformat(filters["to"]),
    )
    progress(len(statement.lines), 40)
    content = statements.statement_pdf(statement)
    return ExportFile(
        content,
        renderers.CONTENT_TYPES["pdf"],
        statements.statement_filename(statement),
        len(statement.lines),
        False,
    )


def _more_rows_than(
    exportable: Exportable, customer: Customer, filters: dict[str, Any], viewer: Actor, limit: int
) -> bool:
    """One page of the tab's selector: is there more than `limit` rows?"""
    if exportable.searches_money:
        filters = {**filters, "shows_money": sees_money(viewer)}
    page = exportable.selector(customer=customer, limit=limit, cursor=None, **filters)
    return bool(page.next_cursor) or len(page.items) > limit


def _job_create(
    *, customer: Customer, tab: str, file_format: str, filters: dict[str, str], actor: Actor
) -> ExportJob:
    if actor.user is None:
        raise PermissionDenied()
    now = clock.now()
    with transaction.atomic():
        job = ExportJob.objects.create(
            provider=customer.provider,
            customer=customer,
            requested_by=actor.user,
            actor_type=actor.type,
            tab=tab,
            format=file_format,
            filters=filters,
            created_at=now,
            expires_at=now + JOB_LIFETIME,
        )
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(job_id))
    return job


def _enqueue(job_id: int) -> None:
    from accountdesk.exports.tasks import export_job_task

    export_job_task.enqueue(job_id)


def export_job_run(*, job_id: int) -> ExportJob:
    """Prepare the job's file (in the task worker): the rows, the PDF, the export's trace. A job
    already finished, or expired, is left as it is; a failure is kept on the job, never raised."""
    job = ExportJob.objects.select_related("customer__provider", "requested_by__provider").get(pk=job_id)
    if job.status != JobStatus.QUEUED or job.expires_at <= clock.now():
        return job
    user = job.requested_by
    actor = Actor.api(user) if job.actor_type == ActorType.API else Actor.staff(user)
    # Claimed once: a second worker given the same job finds it running and leaves it.
    if not ExportJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, progress=5
    ):
        return job
    job.status, job.progress = JobStatus.RUNNING, 5

    def progress(rows_done: int, percent: int) -> None:
        _job_update(job, rows_done=rows_done, rows_total=rows_done, progress=percent)

    try:
        if job.tab == STATEMENT:
            file = _statement_file(customer=job.customer, filters=job.filters, actor=actor, progress=progress)
        else:
            # The user may have lost the permission (or the provider the module) since asking.
            exportable, clean = _checked(
                customer=job.customer, tab=job.tab, file_format=job.format, filters=job.filters, actor=actor
            )
            file = _produce(
                exportable,
                customer=job.customer,
                tab=job.tab,
                file_format=job.format,
                filters=clean,
                actor=actor,
                progress=progress,
                job=job,
            )
    except DomainError as exc:
        _job_update(
            job,
            status=JobStatus.FAILED,
            error=str(exc)[:500] or exc.__class__.__name__,
            finished_at=clock.now(),
        )
        return job
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        _job_update(
            job, status=JobStatus.FAILED, error="The file could not be prepared.", finished_at=clock.now()
        )
        return job
    _job_update(
        job,
        status=JobStatus.DONE,
        progress=100,
        rows_done=file.rows,
        rows_total=file.rows,
        truncated=file.truncated,
        content=file.content,
        content_type=file.content_type,
        filename=file.filename,
        finished_at=clock.now(),
    )
    return job


def _job_update(job: ExportJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ExportJob.objects.filter(pk=job.pk).update(**fields)


def export_job_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the jobs (and their files) past their expiry; how many went."""
    deleted, _ = ExportJob.objects.filter(expires_at__lte=now or clock.now()).delete()
    return deleted
