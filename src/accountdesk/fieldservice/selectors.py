"""Reads of jobs: the lists of the Jobs and Future jobs tabs, the month schedule, the open count."""

import datetime as dt

from django.db.models import Count, F, QuerySet
from django.urls import reverse
from django.utils import timezone

from accountdesk.core import clock
from accountdesk.core.dates import date_text
from accountdesk.core.explain import Explanation, Line
from accountdesk.core.pagination import Page, keyset_page
from accountdesk.core.tenancy import get_scoped
from accountdesk.customers.models import Customer
from accountdesk.fieldservice.models import CLOSED_STATUSES, Job, JobStatus

SCHEDULE_LIMIT = 500


def _jobs(customer: Customer) -> QuerySet[Job, Job]:
    return Job.objects.filter(provider_id=customer.provider_id, customer=customer).select_related(
        "technician"
    )


def _future(qs: QuerySet[Job, Job]) -> QuerySet[Job, Job]:
    """Upcoming appointments: starting from now on, not cancelled."""
    return qs.filter(scheduled_start__gte=clock.now()).exclude(status=JobStatus.CANCELLED)


def job_list(
    *, customer: Customer, when: str | None = None, limit: int | None = None, cursor: str | None = None
) -> Page[Job]:
    """All jobs newest first; `future`: upcoming appointments soonest first (cancelled ones left
    out); `past`: appointments that started before now, most recent first."""
    qs = _jobs(customer)
    if when == "future":
        return keyset_page(_future(qs), ordering=("scheduled_start", "id"), limit=limit, cursor=cursor)
    if when == "past":
        qs = qs.filter(scheduled_start__lt=clock.now())
        return keyset_page(qs, ordering=("-scheduled_start", "-id"), limit=limit, cursor=cursor)
    return keyset_page(qs, ordering=("-created_at", "-id"), limit=limit, cursor=cursor)


def job_get(*, customer: Customer, pk: object) -> Job:
    qs = Job.objects.filter(customer=customer).select_related("technician", "customer")
    return get_scoped(qs, provider=customer.provider, pk=pk)


def job_future_get(*, customer: Customer, pk: object) -> Job:
    """One of the customer's upcoming appointments (as job_list's `future`); any other is not found."""
    return get_scoped(_future(_jobs(customer)), provider=customer.provider, pk=pk)


def job_open_count(*, customer: Customer) -> QuerySet[Job, tuple[int]]:
    """How many jobs are neither completed nor cancelled, as a values_list of one row `(count,)`,
    or of none when there are none (a queryset, for the dashboard to bundle)."""
    qs = Job.objects.filter(provider_id=customer.provider_id, customer=customer).exclude(
        status__in=CLOSED_STATUSES
    )
    return qs.order_by().values("customer").annotate(n=Count("id")).values_list("n")


EXPLAIN_LINES = 50


def job_open_explain(*, customer: Customer, limit: int = EXPLAIN_LINES) -> Explanation:
    """The dashboard's open jobs, explained: the jobs neither completed nor cancelled (the count
    job_open_count() gives), soonest scheduled first and the unscheduled after them. Two queries:
    the first `limit` jobs and the count."""
    qs = _jobs(customer).exclude(status__in=CLOSED_STATUSES)
    jobs = list(qs.order_by(F("scheduled_start").asc(nulls_last=True), "id")[:limit])
    count = qs.count()
    lines = [
        Line(
            "job",
            job.pk,
            _job_label(job),
            None,
            reverse("tabs:fieldservice_job", args=[customer.pk, job.pk]),
        )
        for job in jobs
    ]
    jobs_url = reverse("tabs:fieldservice_jobs", args=[customer.pk])
    if count > len(jobs):
        lines.append(
            Line("jobs", None, f"{count - len(jobs)} more (the Jobs tab lists them)", None, jobs_url)
        )
    if count:
        unscheduled = sum(1 for job in jobs if job.scheduled_start is None)
        sentence = (
            f"{count} open job{'s' if count != 1 else ''}: the jobs neither completed nor cancelled"
            + (f", {unscheduled} of them not yet scheduled." if unscheduled else ".")
        )
    else:
        sentence = "No open jobs: every job is completed or cancelled."
    return Explanation("open_jobs", count, clock.now(), sentence, lines)


def _job_label(job: Job) -> str:
    when = f"scheduled {date_text(job.scheduled_start)}" if job.scheduled_start else "not scheduled"
    who = f", {job.technician.display_name}" if job.technician else ""
    return f"{job.number} {job.get_kind_display()}: {job.get_status_display().lower()}, {when}{who}"


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of the month and of the next one, in the site's time zone."""
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    nxt = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, nxt


def schedule_month(*, customer: Customer, year: int, month: int) -> list[Job]:
    """The customer's appointments starting in that month, in time order (at most 500)."""
    start, end = month_bounds(year, month)
    return job_scheduled_between(customer=customer, start=start, end=end)


def job_scheduled_between(
    *, customer: Customer, start: dt.datetime, end: dt.datetime, limit: int = SCHEDULE_LIMIT
) -> list[Job]:
    """The customer's appointments starting in [start, end), in time order (at most `limit`)."""
    qs = _jobs(customer).filter(scheduled_start__gte=start, scheduled_start__lt=end)
    return list(qs.order_by("scheduled_start", "id")[:limit])


def job_open_list(*, customer: Customer, limit: int | None = None, cursor: str | None = None) -> Page[Job]:
    """Jobs neither completed nor cancelled, newest first."""
    qs = _jobs(customer).exclude(status__in=CLOSED_STATUSES)
    return keyset_page(qs, ordering=("-created_at", "-id"), limit=limit, cursor=cursor)
