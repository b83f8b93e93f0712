"""Jobs (installs, service calls, repairs): create, schedule, assign and move through statuses."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accountdesk.activity.services import event_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.tenancy import require_module
from accountdesk.core.text import refuse_card_number
from accountdesk.customers.models import Customer
from accountdesk.fieldservice.models import (
    ADDRESS_MAX,
    CLOSED_STATUSES,
    DESCRIPTION_MAX,
    Job,
    JobKind,
    JobStatus,
)
from accountdesk.tenancy.models import Provider, User, sequence_next

MODULE = "field_service"
# Without an end, an appointment is booked for this long (one documented default).
DEFAULT_DURATION = dt.timedelta(hours=1)
# A single visit longer than this is a typo (e.g. the wrong month), not a job.
MAX_DURATION = dt.timedelta(days=7)
TRANSITIONS: dict[str, set[str]] = {
    JobStatus.UNSCHEDULED: {JobStatus.CANCELLED},
    JobStatus.SCHEDULED: {JobStatus.IN_PROGRESS, JobStatus.COMPLETED, JobStatus.CANCELLED},
    JobStatus.IN_PROGRESS: {JobStatus.COMPLETED, JobStatus.CANCELLED},
    JobStatus.COMPLETED: set(),
    JobStatus.CANCELLED: set(),
}


def _text(value: str | None, *, field: str, limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationFailed(fields={field: f"At most {limit:,} characters."})
    return refuse_card_number(text, field)


def _technician(provider: Provider, user: User | int | None) -> User | None:
    """A staff user of the provider (by instance or id); another provider's user is unknown."""
    if user is None or user == "":
        return None
    user_id = user.pk if isinstance(user, User) else user
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        raise ValidationFailed(fields={"technician": "Unknown staff member."}) from None
    found = User.objects.filter(provider=provider, pk=user_id, is_active=True).first()
    if found is None:
        raise ValidationFailed(fields={"technician": "Unknown staff member."})
    return found


def _window(
    start: dt.datetime | None, end: dt.datetime | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    if start is None:
        if end is not None:
            raise ValidationFailed(fields={"scheduled_start": "Give a start for the scheduled end."})
        return None, None
    for field, value in (("scheduled_start", start), ("scheduled_end", end)):
        if value is not None and value.tzinfo is None:
            raise ValidationFailed(fields={field: "Give the time with its UTC offset."})
    end = end or start + DEFAULT_DURATION
    if end <= start:
        raise ValidationFailed(fields={"scheduled_end": "The end must be after the start."})
    if end - start > MAX_DURATION:
        raise ValidationFailed(fields={"scheduled_end": "A job lasts at most 7 days."})
    return start, end


PAST_START = "This start is in the past. Book a future time, or record it as completed work."


def _in_the_past(start: dt.datetime) -> bool:
    """Before today: a start earlier today still counts as today's booking."""
    return timezone.localdate(start) < clock.today()


def _check_start(start: dt.datetime | None, *, completed: bool) -> None:
    """A booking starts today or later; work already done is recorded as completed, and it has
    a start that is not in the future."""
    if completed:
        if start is None:
            raise ValidationFailed(fields={"scheduled_start": "Give the start of the completed work."})
        if start > clock.now():
            raise ValidationFailed(fields={"scheduled_start": "Completed work cannot start in the future."})
    elif start is not None and _in_the_past(start):
        raise ValidationFailed(PAST_START, fields={"scheduled_start": PAST_START})


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "unscheduled"


def _lock(job: Job) -> Job:
    return Job.objects.select_for_update(of=("self",)).select_related("customer", "technician").get(pk=job.pk)


@transaction.atomic
def job_create(
    *,
    customer: Customer,
    kind: str,
    scheduled_start: dt.datetime | None = None,
    scheduled_end: dt.datetime | None = None,
    technician: User | int | None = None,
    address: str | None = None,
    description: str = "",
    completed: bool = False,
    actor: Actor,
) -> Job:
    """An install, service call or repair. Without a start it waits unscheduled; without an
    address it goes to the customer's service address. A start before today is refused unless
    the job is `completed`: work already done, recorded as such."""
    require(actor, "fieldservice.edit")
    require_module(customer.provider, MODULE)
    if kind not in JobKind.values:
        raise ValidationFailed(fields={"kind": f"Choose one of: {', '.join(JobKind.values)}."})
    start, end = _window(scheduled_start, scheduled_end)
    _check_start(start, completed=completed)
    address = _text(address, field="address", limit=ADDRESS_MAX) or customer.service_address[:ADDRESS_MAX]
    description = _text(description, field="description", limit=DESCRIPTION_MAX)
    tech = _technician(customer.provider, technician)
    now = clock.now()
    number = f"J-{sequence_next(provider=customer.provider, name='job'):06d}"
    job = Job.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        number=number,
        kind=kind,
        status=JobStatus.COMPLETED if completed else JobStatus.SCHEDULED if start else JobStatus.UNSCHEDULED,
        scheduled_start=start,
        scheduled_end=end,
        technician=tech,
        address=address,
        description=description,
        created_at=now,
        updated_at=now,
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="job.created",
        summary=(
            f"{job.get_kind_display()} {number} recorded as completed on {_when(start)}"
            if completed
            else f"{job.get_kind_display()} {number} created for {_when(start)}"
        ),
        subject=job,
        details={
            "kind": kind,
            "scheduled_start": start,
            "technician": tech.display_name if tech else None,
            **({"status": job.status} if completed else {}),
        },
    )
    return job


@transaction.atomic
def job_update_status(*, job: Job, status: str, actor: Actor) -> Job:
    require(actor, "fieldservice.edit")
    if status not in JobStatus.values:
        raise ValidationFailed(fields={"status": f"Choose one of: {', '.join(JobStatus.values)}."})
    job = _lock(job)
    old = job.status
    if old == status:
        raise Conflict(f"The job is already {job.get_status_display().lower()}.")
    if status not in TRANSITIONS[old]:
        hint = " Schedule it first." if old == JobStatus.UNSCHEDULED else ""
        raise Conflict(f"A {old.replace('_', ' ')} job cannot become {status.replace('_', ' ')}.{hint}")
    job.status = status
    job.updated_at = clock.now()
    job.save(update_fields=["status", "updated_at"])
    event_record(
        customer=job.customer,
        actor=actor,
        kind="job.status_changed",
        summary=f"Job {job.number} {old} → {status}",
        subject=job,
        details={"status": [old, status]},
    )
    return job


@transaction.atomic
def job_reschedule(
    *, job: Job, scheduled_start: dt.datetime, scheduled_end: dt.datetime | None = None, actor: Actor
) -> Job:
    require(actor, "fieldservice.edit")
    if scheduled_start is None:
        raise ValidationFailed(fields={"scheduled_start": "Give the new start."})
    start, end = _window(scheduled_start, scheduled_end)
    if _in_the_past(start):
        raise ValidationFailed(fields={"scheduled_start": "This start is in the past. Book a future time."})
    job = _lock(job)
    if job.status in CLOSED_STATUSES:
        raise Conflict(f"A {job.status} job cannot be rescheduled.")
    old = [job.scheduled_start, job.scheduled_end]
    job.scheduled_start, job.scheduled_end = start, end
    if job.status == JobStatus.UNSCHEDULED:
        job.status = JobStatus.SCHEDULED
    job.updated_at = clock.now()
    job.save(update_fields=["scheduled_start", "scheduled_end", "status", "updated_at"])
    event_record(
        customer=job.customer,
        actor=actor,
        kind="job.rescheduled",
        summary=f"Job {job.number} moved to {_when(start)}",
        subject=job,
        details={"scheduled_start": [old[0], start], "scheduled_end": [old[1], end]},
    )
    return job


@transaction.atomic
def job_assign(*, job: Job, technician: User | int | None, actor: Actor) -> Job:
    require(actor, "fieldservice.edit")
    job = _lock(job)
    new = _technician(job.provider, technician)
    if job.status in CLOSED_STATUSES:
        raise Conflict(f"A {job.status} job cannot be reassigned.")
    old = job.technician
    if (old.pk if old else None) == (new.pk if new else None):
        return job
    job.technician = new
    job.updated_at = clock.now()
    job.save(update_fields=["technician", "updated_at"])
    names = [old.display_name if old else None, new.display_name if new else None]
    event_record(
        customer=job.customer,
        actor=actor,
        kind="job.assigned",
        summary=f"Job {job.number} assigned to {names[1] or 'nobody'}",
        subject=job,
        details={"technician": names},
    )
    return job
