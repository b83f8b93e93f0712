"""Reads of jobs: the lists of the Jobs and Future jobs tabs, the month schedule, the open count.

`open_jobs_count` answers None when the provider lacks Field Service, without a query, so the
dashboard shows `null` for free.
"""

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accountdesk.core import clock
from accountdesk.core.pagination import Page, keyset_page
from accountdesk.core.tenancy import get_scoped
from accountdesk.fieldservice.models import CLOSED_STATUSES, Job, JobStatus

MODULE = "field_service"
SCHEDULE_LIMIT = 500


def _jobs(customer):
    return Job.objects.filter(provider_id=customer.provider_id, customer=customer).select_related(
        "technician"
    )


def job_list(
    *, customer, when: str | None = None, limit: int | None = None, cursor: str | None = None
) -> Page:
    """All jobs newest first; `future`: upcoming appointments soonest first (cancelled ones left
    out); `past`: appointments that started before now, most recent first."""
    qs = _jobs(customer)
    now = clock.now()
    if when == "future":
        qs = qs.filter(scheduled_start__gte=now).exclude(status=JobStatus.CANCELLED)
        return keyset_page(qs, ordering=("scheduled_start", "id"), limit=limit, cursor=cursor)
    if when == "past":
        qs = qs.filter(scheduled_start__lt=now)
        return keyset_page(qs, ordering=("-scheduled_start", "-id"), limit=limit, cursor=cursor)
    return keyset_page(qs, ordering=("-created_at", "-id"), limit=limit, cursor=cursor)


def job_get(*, customer, pk: object) -> Job:
    qs = Job.objects.filter(customer=customer).select_related("technician", "customer")
    return get_scoped(qs, provider=customer.provider, pk=pk)


def _open_jobs(customer_ref):
    return Job.objects.filter(customer=customer_ref).exclude(status__in=CLOSED_STATUSES)


def open_jobs_count(*, customer) -> int | None:
    """Jobs not completed or cancelled, in one COUNT; None without the Field Service module."""
    if not customer.provider.has_module(MODULE):
        return None
    return _open_jobs(customer).count()


def open_jobs_expression():
    """The same count as an expression on a Customer query (`.annotate(open_jobs=...)`), so a page
    that reads the customer anyway gets it without a query of its own."""
    counted = _open_jobs(OuterRef("pk")).order_by().values("customer").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of the month and of the next one, in the site's time zone."""
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    nxt = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, nxt


def schedule_month(*, customer, year: int, month: int) -> list[Job]:
    """The customer's appointments starting in that month, in time order (at most 500)."""
    start, end = month_bounds(year, month)
    qs = _jobs(customer).filter(scheduled_start__gte=start, scheduled_start__lt=end)
    return list(qs.order_by("scheduled_start", "id")[:SCHEDULE_LIMIT])
