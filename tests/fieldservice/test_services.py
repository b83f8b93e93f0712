import datetime as dt

import pytest

from accountdesk.activity.models import Activity
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ModuleNotEnabled, PermissionDenied, ValidationFailed
from accountdesk.fieldservice.models import Job
from accountdesk.fieldservice.services import job_assign, job_create, job_reschedule, job_status_change
from tests.factories import UserFactory

START = dt.datetime(2025, 3, 20, 9, 0, tzinfo=dt.UTC)


def test_it_creates_a_scheduled_install_at_the_service_address(actor_as, customer, staff):
    customer.service_line1, customer.service_city = "12 Elm Road", "Springfield"
    customer.save()
    job = job_create(
        customer=customer, kind="install", scheduled_start=START, technician=staff["technician"].pk,
        actor=actor_as("technician"),
    )  # fmt: skip
    assert job.number == "J-000001" and job.status == "scheduled"
    assert job.scheduled_end == START + dt.timedelta(hours=1)
    assert job.address == "12 Elm Road, Springfield"
    event = Activity.objects.get(kind="job.created")
    assert event.group == "field_service" and event.actor_id == staff["technician"].pk


def test_it_leaves_a_job_without_a_start_unscheduled(actor_as, customer):
    job = job_create(customer=customer, kind="repair", address="Pole 7", actor=actor_as("agent"))
    assert (job.status, job.scheduled_start, job.address) == ("unscheduled", None, "Pole 7")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "demolition"}, "kind"),
        ({"scheduled_end": START}, "scheduled_start"),
        ({"scheduled_start": START, "scheduled_end": START - dt.timedelta(minutes=1)}, "scheduled_end"),
        ({"scheduled_start": START, "scheduled_end": START}, "scheduled_end"),
        ({"scheduled_start": START, "scheduled_end": START + dt.timedelta(days=8)}, "scheduled_end"),
        ({"scheduled_start": dt.datetime(2025, 3, 20, 9)}, "scheduled_start"),
        ({"address": "x" * 301}, "address"),
        ({"description": "x" * 5001}, "description"),
        ({"technician": 999_999}, "technician"),
    ],
)
def test_it_rejects_bad_jobs_and_stores_nothing(actor_as, customer, kwargs, field):
    args = {"kind": "service", **kwargs}
    with pytest.raises(ValidationFailed) as err:
        job_create(customer=customer, actor=actor_as("agent"), **args)
    assert field in err.value.fields
    assert not Job.objects.exists() and not Activity.objects.exists()


def test_it_rejects_a_technician_of_another_provider(actor_as, customer, other_provider):
    stranger = UserFactory(provider=other_provider, role="technician")
    with pytest.raises(ValidationFailed):
        job_create(customer=customer, kind="service", technician=stranger.pk, actor=actor_as("agent"))
    assert not Job.objects.exists()


@pytest.mark.parametrize("role", ["billing", "readonly"])
def test_it_refuses_jobs_to_roles_without_fieldservice_edit(actor_as, customer, role):
    with pytest.raises(PermissionDenied):
        job_create(customer=customer, kind="service", actor=actor_as(role))
    assert not Job.objects.exists()


def test_it_refuses_jobs_without_the_module(bare_customer, bare_agent):
    with pytest.raises(ModuleNotEnabled):
        job_create(customer=bare_customer, kind="service", actor=Actor.staff(bare_agent))


def test_it_moves_a_job_through_its_statuses(actor_as, customer):
    job = job_create(customer=customer, kind="service", scheduled_start=START, actor=actor_as("technician"))
    job = job_status_change(job=job, status="in_progress", actor=actor_as("technician"))
    job = job_status_change(job=job, status="completed", actor=actor_as("technician"))
    for status in ("scheduled", "cancelled", "completed"):
        with pytest.raises(Conflict):
            job_status_change(job=job, status=status, actor=actor_as("technician"))
    with pytest.raises(ValidationFailed):
        job_status_change(job=job, status="lost", actor=actor_as("technician"))
    job.refresh_from_db()
    assert job.status == "completed"
    assert Activity.objects.filter(kind="job.status_changed").count() == 2


def test_it_schedules_an_unscheduled_job_by_rescheduling(actor_as, customer):
    job = job_create(customer=customer, kind="service", actor=actor_as("agent"))
    with pytest.raises(Conflict):
        job_status_change(job=job, status="in_progress", actor=actor_as("agent"))
    end = START + dt.timedelta(hours=3)
    job = job_reschedule(job=job, scheduled_start=START, scheduled_end=end, actor=actor_as("agent"))
    assert (job.status, job.scheduled_start, job.scheduled_end) == ("scheduled", START, end)
    with pytest.raises(ValidationFailed):
        job_reschedule(
            job=job,
            scheduled_start=START,
            scheduled_end=START - dt.timedelta(hours=1),
            actor=actor_as("agent"),
        )
    job.refresh_from_db()
    assert job.scheduled_end == end


def test_it_refuses_to_reschedule_or_reassign_a_closed_job(actor_as, customer, staff):
    job = job_create(customer=customer, kind="service", scheduled_start=START, actor=actor_as("agent"))
    job = job_status_change(job=job, status="cancelled", actor=actor_as("agent"))
    with pytest.raises(Conflict):
        job_reschedule(job=job, scheduled_start=START, actor=actor_as("agent"))
    with pytest.raises(Conflict):
        job_assign(job=job, technician=staff["technician"], actor=actor_as("agent"))


def test_it_assigns_a_technician(actor_as, customer, staff):
    job = job_create(customer=customer, kind="service", actor=actor_as("agent"))
    job = job_assign(job=job, technician=staff["technician"].pk, actor=actor_as("agent"))
    assert job.technician == staff["technician"]
    event = Activity.objects.get(kind="job.assigned")
    assert event.details["technician"] == [None, staff["technician"].display_name]


PAST = dt.datetime(2020, 6, 1, 9, 0, tzinfo=dt.UTC)
PAST_START = "This start is in the past. Book a future time, or record it as completed work."


def test_it_refuses_to_book_a_job_in_the_past_and_stores_nothing(actor_as, customer):
    with pytest.raises(ValidationFailed) as exc:
        job_create(customer=customer, kind="install", scheduled_start=PAST, actor=actor_as("agent"))
    assert exc.value.fields == {"scheduled_start": PAST_START}
    assert not Job.objects.exists() and not Activity.objects.filter(kind="job.created").exists()


def test_it_books_a_job_earlier_today(actor_as, customer, frozen_now):
    this_morning = frozen_now.replace(hour=8)
    job = job_create(customer=customer, kind="service", scheduled_start=this_morning, actor=actor_as("agent"))
    assert job.status == "scheduled"


def test_it_records_past_work_as_completed(actor_as, customer):
    job = job_create(
        customer=customer, kind="repair", scheduled_start=PAST, completed=True, actor=actor_as("technician")
    )
    assert job.status == "completed" and job.scheduled_start == PAST
    entry = Activity.objects.get(kind="job.created")
    assert "recorded as completed" in entry.summary and entry.details["status"] == "completed"


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (None, "Give the start of the completed work."),
        (START, "Completed work cannot start in the future."),
    ],
)
def test_completed_work_has_a_start_not_in_the_future(actor_as, customer, start, message):
    with pytest.raises(ValidationFailed) as exc:
        job_create(
            customer=customer, kind="repair", scheduled_start=start, completed=True, actor=actor_as("agent")
        )
    assert exc.value.fields == {"scheduled_start": message}
    assert not Job.objects.exists()


def test_it_refuses_to_reschedule_into_the_past(actor_as, customer):
    job = job_create(customer=customer, kind="service", scheduled_start=START, actor=actor_as("agent"))
    with pytest.raises(ValidationFailed) as exc:
        job_reschedule(job=job, scheduled_start=PAST, actor=actor_as("agent"))
    assert "in the past" in exc.value.fields["scheduled_start"]
    job.refresh_from_db()
    assert job.scheduled_start == START
