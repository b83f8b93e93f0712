"""Jobs (installs, service calls, repairs): create, schedule, assign and move through statuses;
estimates (accepted, they become invoices) and service agreements."""

import datetime as dt
from typing import overload

from django.db import transaction
from django.utils import timezone

from accountdesk.activity.rendering import amount_slot
from accountdesk.activity.services import event_record
from accountdesk.billing.models import Agreement, AgreementStatus, Estimate, EstimateStatus, Invoice
from accountdesk.billing.services.invoices import invoice_issue
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.money import to_str
from accountdesk.core.parse import parse_amount, parse_choice, parse_date, parse_text
from accountdesk.core.permissions import require
from accountdesk.core.tenancy import require_module
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


def _technician(provider: Provider, user: User | int | str | None) -> User | None:
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


@overload
def _window(start: dt.datetime, end: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]: ...
@overload
def _window(start: None, end: dt.datetime | None) -> tuple[None, None]: ...
def _window(
    start: dt.datetime | None, end: dt.datetime | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The job's window: none without a start; an end (the start plus the usual length when not
    given) after the start and within a week of it."""
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
    technician: User | int | str | None = None,
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
    kind = parse_choice(kind, field="kind", choices=JobKind)
    start, end = _window(scheduled_start, scheduled_end)
    _check_start(start, completed=completed)
    address = (
        parse_text(address, field="address", max_length=ADDRESS_MAX) or customer.service_address[:ADDRESS_MAX]
    )
    description = parse_text(description, field="description", max_length=DESCRIPTION_MAX)
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
def job_status_change(*, job: Job, status: str, actor: Actor) -> Job:
    require(actor, "fieldservice.edit")
    status = parse_choice(status, field="status", choices=JobStatus)
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
def job_assign(*, job: Job, technician: User | int | str | None, actor: Actor) -> Job:
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


# ---------------------------------------------------------------- estimates and agreements
# (their rows live in billing: they turn into invoices)


@transaction.atomic
def estimate_create(
    *,
    customer: Customer,
    description: str,
    total: object,
    actor: Actor,
    issued_on: dt.date | None = None,
    valid_days: int = 30,
) -> Estimate:
    require_module(customer.provider, MODULE)
    require(actor, "fieldservice.edit")
    description = parse_text(
        description, field="description", max_length=300, required=True, single_line=True
    )
    total = parse_amount(total, field="total")
    issued_on = parse_date(issued_on, field="issued_on") if issued_on is not None else clock.today()
    number = sequence_next(provider=customer.provider, name="estimate")
    estimate = Estimate.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        number=f"EST-{number:05d}",
        description=description,
        issued_on=issued_on,
        expires_on=issued_on + dt.timedelta(days=valid_days),
        total=total,
        created_at=clock.now(),
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="estimate.created",
        summary=f"Estimate {estimate.number}: {description}, {amount_slot('total')}",
        subject=estimate,
        details={"total": to_str(total)},
    )
    return estimate


@transaction.atomic
def estimate_status_change(*, estimate: Estimate, status: str, actor: Actor) -> Estimate:
    """Send, decline or expire an estimate (accepting it is estimate_accept)."""
    require_module(estimate.provider, MODULE)
    require(actor, "fieldservice.edit")
    status = parse_choice(status, field="status", choices=EstimateStatus)
    if not estimate.can_become(status):
        raise Conflict(f"An estimate that is {estimate.status} cannot become {status}.")
    old = estimate.status
    estimate.status = status
    estimate.save(update_fields=["status"])
    event_record(
        customer=estimate.customer,
        actor=actor,
        kind="estimate.status_changed",
        summary=f"Estimate {estimate.number}: {old} → {status}",
        subject=estimate,
        details={"status": [old, status]},
    )
    return estimate


@transaction.atomic
def estimate_accept(*, estimate: Estimate, actor: Actor) -> Invoice:
    """The customer accepted: the estimate becomes an approved invoice for its total."""
    require_module(estimate.provider, MODULE)
    require(actor, "billing.invoice")
    estimate = Estimate.objects.select_for_update().get(pk=estimate.pk)
    if not estimate.is_open:
        raise Conflict(f"An estimate that is {estimate.status} cannot be accepted.")
    invoice = invoice_issue(
        customer=estimate.customer,
        lines=[
            {
                "description": f"Estimate {estimate.number}: {estimate.description}",
                "unit_price": str(estimate.total),
            }
        ],
        actor=actor,
        source_key=f"estimate:{estimate.pk}",
    )
    estimate.status = EstimateStatus.ACCEPTED
    estimate.invoice = invoice
    estimate.save(update_fields=["status", "invoice"])
    event_record(
        customer=estimate.customer,
        actor=actor,
        kind="estimate.accepted",
        summary=f"Estimate {estimate.number} accepted: invoice {invoice.number}",
        subject=estimate,
    )
    return invoice


@transaction.atomic
def agreement_create(
    *,
    customer: Customer,
    name: str,
    starts_on: dt.date,
    value: object,
    actor: Actor,
    ends_on: dt.date | None = None,
    terms: str = "",
    status: str = AgreementStatus.ACTIVE,
) -> Agreement:
    require_module(customer.provider, MODULE)
    require(actor, "fieldservice.edit")
    name = parse_text(name, field="name", max_length=200, required=True, single_line=True)
    value = parse_amount(value, field="value", allow_zero=True)
    starts_on = parse_date(starts_on, field="starts_on")
    ends_on = parse_date(ends_on, field="ends_on") if ends_on is not None else None
    if ends_on is not None and ends_on < starts_on:
        raise ValidationFailed(
            "The agreement ends before it starts.", fields={"ends_on": "On or after the start."}
        )
    agreement = Agreement.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        terms=parse_text(terms, field="terms", max_length=20000),
        value=value,
        status=parse_choice(status, field="status", choices=AgreementStatus),
        created_at=clock.now(),
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="agreement.created",
        summary=f"Agreement {name}: {amount_slot('value')} from {starts_on.isoformat()}",
        subject=agreement,
        details={"value": to_str(value)},
    )
    return agreement
