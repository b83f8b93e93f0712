from typing import Literal

from ninja import Query, Router, Status

from accountdesk.core.schemas import page_out, paged
from accountdesk.customers.api import customer_for
from accountdesk.fieldservice import selectors, services
from accountdesk.fieldservice.schemas import JobAssignIn, JobIn, JobOut, JobRescheduleIn, JobStatusIn, job_out

router = Router(tags=["field service"])
MODULE = "field_service"


def _customer(request, customer_id: int):
    return customer_for(request, customer_id, module=MODULE)


def _job(request, customer_id: int, job_id: int):
    return selectors.job_get(customer=_customer(request, customer_id), pk=job_id)


@router.get("/customers/{customer_id}/jobs", response=paged(JobOut))
def job_list(
    request,
    customer_id: int,
    when: Literal["future", "past"] | None = None,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=500),
):
    """All jobs by created_at; `when=future` soonest first; `when=past` by scheduled_start."""
    customer = _customer(request, customer_id)
    return page_out(selectors.job_list(customer=customer, when=when, limit=limit, cursor=cursor), job_out)


@router.post("/customers/{customer_id}/jobs", response={201: JobOut})
def job_create(request, customer_id: int, payload: JobIn):
    customer = _customer(request, customer_id)
    job = services.job_create(
        customer=customer,
        kind=payload.kind,
        scheduled_start=payload.scheduled_start,
        scheduled_end=payload.scheduled_end,
        technician=payload.technician_id,
        address=payload.address,
        description=payload.description,
        completed=payload.completed,
        actor=request.actor,
    )
    return Status(201, job_out(job))


@router.get("/customers/{customer_id}/jobs/{job_id}", response=JobOut)
def job_get(request, customer_id: int, job_id: int):
    return job_out(_job(request, customer_id, job_id))


@router.post("/customers/{customer_id}/jobs/{job_id}/status", response=JobOut)
def job_status(request, customer_id: int, job_id: int, payload: JobStatusIn):
    job = _job(request, customer_id, job_id)
    return job_out(services.job_status_change(job=job, status=payload.status, actor=request.actor))


@router.post("/customers/{customer_id}/jobs/{job_id}/reschedule", response=JobOut)
def job_reschedule(request, customer_id: int, job_id: int, payload: JobRescheduleIn):
    job = _job(request, customer_id, job_id)
    job = services.job_reschedule(
        job=job,
        scheduled_start=payload.scheduled_start,
        scheduled_end=payload.scheduled_end,
        actor=request.actor,
    )
    return job_out(job)


@router.post("/customers/{customer_id}/jobs/{job_id}/assign", response=JobOut)
def job_assign(request, customer_id: int, job_id: int, payload: JobAssignIn):
    job = _job(request, customer_id, job_id)
    return job_out(services.job_assign(job=job, technician=payload.technician_id, actor=request.actor))
