import datetime as dt

from ninja import Schema
from pydantic import Field

from accountdesk.core.schemas import DateTimeIn
from accountdesk.fieldservice.models import ADDRESS_MAX, DESCRIPTION_MAX, Job


class JobOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    scheduled_start: dt.datetime | None
    scheduled_end: dt.datetime | None
    technician: str | None
    address: str
    technician_id: int | None
    description: str
    created_at: dt.datetime


def job_out(job: Job) -> dict:
    return {
        "id": job.pk,
        "number": job.number,
        "kind": job.kind,
        "status": job.status,
        "scheduled_start": job.scheduled_start,
        "scheduled_end": job.scheduled_end,
        "technician": job.technician.display_name if job.technician else None,
        "address": job.address,
        "technician_id": job.technician_id,
        "description": job.description,
        "created_at": job.created_at,
    }


class JobIn(Schema):
    kind: str = Field(..., max_length=10)
    scheduled_start: DateTimeIn | None = None
    scheduled_end: DateTimeIn | None = None
    technician_id: int | None = None
    address: str = Field("", max_length=ADDRESS_MAX)
    description: str = Field("", max_length=DESCRIPTION_MAX)
    # Work already done: a start in the past is recorded as a completed job.
    completed: bool = False


class JobStatusIn(Schema):
    status: str = Field(..., max_length=12)


class JobRescheduleIn(Schema):
    scheduled_start: DateTimeIn
    scheduled_end: DateTimeIn | None = None


class JobAssignIn(Schema):
    technician_id: int | None = None
