"""An import from Settings > Import, run by the task worker: the upload is stored and checked in
the background, the preview is kept on the job, and the import runs when an admin confirms it.
The page follows the job while it runs, so a file of 100,000 rows never holds up a request."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import DomainError, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.imports import storage
from accountdesk.imports.models import ImportJob, ImportStatus
from accountdesk.imports.plan import ImportPlan, Problem
from accountdesk.imports.reader import Table, read_table
from accountdesk.imports.services import PERMISSION, ImportRefused, customers_import, import_check
from accountdesk.tenancy.models import Provider

logger = logging.getLogger(__name__)
PROBLEMS_KEPT = 1000
PREVIEW_ROWS = 25


def _keys(job: ImportJob) -> dict[str, int]:
    return {"provider_id": job.provider_id, "user_id": job.requested_by_id}


def _enqueue(task_name: str, job_id: int) -> None:
    from accountdesk.imports import tasks

    getattr(tasks, task_name).enqueue(job_id)


@transaction.atomic
def import_job_start(*, provider: Provider, actor: Actor, content: bytes) -> ImportJob:
    """Store an uploaded file and queue its check."""
    require(actor, PERMISSION)
    if actor.user is None:
        raise ValidationFailed("An import from the page is started by a person.")
    token = storage.upload_keep(provider_id=provider.pk, user_id=actor.user.pk, content=content)
    job = ImportJob.objects.create(
        provider=provider, requested_by=actor.user, token=token, created_at=clock.now()
    )
    job_id = job.pk
    transaction.on_commit(lambda: _enqueue("import_check_task", job_id))
    return job


def _refused(job: ImportJob, problems: list[Problem]) -> None:
    job.status = ImportStatus.REFUSED
    job.problem_count = len(problems)
    job.problems = [[p.row, p.column, p.message] for p in problems[:PROBLEMS_KEPT]]
    job.finished_at = clock.now()
    storage.upload_drop(token=job.token, **_keys(job))


def _preview(job: ImportJob, plan: ImportPlan) -> None:
    job.rows, job.creates, job.updates = len(plan.rows), plan.creates, plan.updates
    job.preview = [
        {
            "line": r.line,
            "external_id": r.external_id,
            "name": str(r.fields.get("name") or (r.customer.name if r.customer else "")),
            "number": r.customer.number if r.customer else "",
            "subscriptions": len(r.subscriptions),
            "equipment": len(r.equipment),
            "opening": f"{r.opening:.2f}" if r.opening is not None else "",
        }
        for r in plan.rows[:PREVIEW_ROWS]
    ]


def _fail(job: ImportJob, error: str) -> None:
    job.status, job.error, job.finished_at = ImportStatus.FAILED, error[:500], clock.now()
    storage.upload_drop(token=job.token, **_keys(job))


def _run(job_id: int, expected: str, what: str, work: Callable[[ImportJob, Table], None]) -> ImportJob:
    """Do `work` on the job's table (in the task worker) when the job is at `expected`; whatever
    goes wrong is kept on the job, never raised."""
    job = ImportJob.objects.select_related("provider", "requested_by__provider").get(pk=job_id)
    if job.status != expected:
        return job
    content = storage.upload_read(token=job.token, **_keys(job))
    try:
        if content is None:
            raise ValidationFailed("The uploaded file is no longer here. Upload it again.")
        work(job, read_table(content))
    except ImportRefused as refused:
        _refused(job, refused.problems)
    except DomainError as error:
        _fail(job, error.message)
    except Exception:
        logger.exception("Import job %s: the %s failed", job.pk, what)
        _fail(job, f"The {what} failed unexpectedly; nothing was imported.")
    job.save()
    return job


def _check(job: ImportJob, table: Table) -> None:
    plan = import_check(provider=job.provider, table=table, actor=Actor.staff(job.requested_by))
    _preview(job, plan)
    if not plan.ok:
        raise ImportRefused(plan.problems)
    job.status = ImportStatus.CHECKED


def import_job_check(*, job_id: int) -> ImportJob:
    """Check the job's file and keep what the preview shows."""
    return _run(job_id, ImportStatus.CHECKING, "check", _check)


@transaction.atomic
def import_job_apply(*, job: ImportJob, actor: Actor) -> ImportJob:
    """Confirm a checked job's import: it runs in the task worker."""
    require(actor, PERMISSION)
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.IMPORTING
    )
    if not claimed:
        raise ValidationFailed("This file is not waiting to be imported.")
    job.status = ImportStatus.IMPORTING
    job_id = job.pk
    transaction.on_commit(lambda: _enqueue("import_apply_task", job_id))
    return job


def _import(job: ImportJob, table: Table) -> None:
    result = customers_import(provider=job.provider, table=table, actor=Actor.staff(job.requested_by))
    job.status, job.result, job.finished_at = ImportStatus.DONE, result.sentence[:300], clock.now()
    storage.upload_drop(token=job.token, **_keys(job))


def import_job_import(*, job_id: int) -> ImportJob:
    """Import the job's file, all of it or nothing."""
    return _run(job_id, ImportStatus.IMPORTING, "import", _import)
