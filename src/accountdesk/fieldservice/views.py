"""The Jobs, Future jobs and Schedule tabs, and a job's own page."""

import calendar
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accountdesk.core import clock
from accountdesk.core.dates import datetime_field
from accountdesk.core.errors import DomainError, NotFound, ValidationFailed
from accountdesk.core.views_support import actor_for
from accountdesk.customers.page import customer_page
from accountdesk.fieldservice import selectors, services
from accountdesk.fieldservice.models import JobKind, JobStatus
from accountdesk.tenancy.models import User


def _staff_choices(provider) -> list[User]:
    return list(User.objects.filter(provider=provider, is_active=True).order_by("name", "id")[:200])


def _errors(exc: DomainError) -> tuple[dict, int]:
    return {**exc.fields, "general": exc.message}, exc.status if 400 <= exc.status < 500 else 400


def _job_list(request, customer_id: int, *, tab: str, when: str | None):
    ctx = customer_page(request, customer_id, tab=tab)
    customer = ctx["customer"]
    form, errors, status = {}, {}, 200
    if request.method == "POST":
        form = request.POST
        try:
            job = services.job_create(
                customer=customer,
                kind=form.get("kind", ""),
                scheduled_start=datetime_field(form.get("scheduled_start"), "scheduled_start"),
                scheduled_end=datetime_field(form.get("scheduled_end"), "scheduled_end"),
                technician=form.get("technician") or None,
                address=form.get("address", ""),
                description=form.get("description", ""),
                completed=form.get("completed") == "on",
                actor=actor_for(request),
            )
        except DomainError as exc:
            errors, status = _errors(exc)
        else:
            return redirect("tabs:fieldservice_job", customer_id=customer.pk, job_id=job.pk)
    ctx.update(
        page=selectors.job_list(customer=customer, when=when, cursor=request.GET.get("cursor") or None),
        when=when,
        kinds=JobKind.choices,
        staff_choices=_staff_choices(customer.provider),
        form=form,
        errors=errors,
        can_edit=request.user.can("fieldservice.edit"),
    )
    return render(request, "fieldservice/jobs.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def job_list(request, customer_id: int):
    return _job_list(request, customer_id, tab="jobs", when=None)


@login_required
@require_http_methods(["GET", "POST"])
def future_job_list(request, customer_id: int):
    return _job_list(request, customer_id, tab="future_jobs", when="future")


@login_required
@require_http_methods(["GET", "POST"])
def job_detail(request, customer_id: int, job_id: int):
    ctx = customer_page(request, customer_id, tab="jobs")
    customer = ctx["customer"]
    try:
        job = selectors.job_get(customer=customer, pk=job_id)
    except NotFound:
        raise Http404("No such job") from None
    errors, status = {}, 200
    if request.method == "POST":
        action, actor, data = request.POST.get("action"), actor_for(request), request.POST
        try:
            if action == "status":
                services.job_update_status(job=job, status=data.get("status", ""), actor=actor)
            elif action == "reschedule":
                services.job_reschedule(
                    job=job,
                    scheduled_start=datetime_field(data.get("scheduled_start"), "scheduled_start"),
                    scheduled_end=datetime_field(data.get("scheduled_end"), "scheduled_end"),
                    actor=actor,
                )
            elif action == "assign":
                services.job_assign(job=job, technician=data.get("technician") or None, actor=actor)
            else:
                raise ValidationFailed("Unknown action.")
        except DomainError as exc:
            errors, status = _errors(exc)
        else:
            return redirect("tabs:fieldservice_job", customer_id=customer.pk, job_id=job.pk)
    ctx.update(
        job=job,
        statuses=JobStatus.choices,
        staff_choices=_staff_choices(customer.provider),
        errors=errors,
        can_edit=request.user.can("fieldservice.edit"),
    )
    return render(request, "fieldservice/job_detail.html", ctx, status=status)


def _month_from(raw: str | None) -> tuple[int, int]:
    """ "2025-03" from the query string, else this month; nonsense falls back to this month."""
    today = clock.today()
    try:
        year, month = (int(p) for p in (raw or "").split("-"))
        if 1 <= month <= 12 and 1900 <= year <= 2999:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def _shift(year: int, month: int, step: int) -> str:
    index = year * 12 + (month - 1) + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@login_required
def schedule(request, customer_id: int):
    """A month calendar of the customer's appointments, Monday first."""
    ctx = customer_page(request, customer_id, tab="schedule")
    year, month = _month_from(request.GET.get("month"))
    jobs = selectors.schedule_month(customer=ctx["customer"], year=year, month=month)
    by_day: dict[dt.date, list] = {}
    for job in jobs:
        by_day.setdefault(timezone.localdate(job.scheduled_start), []).append(job)
    today = clock.today()
    weeks = [
        [
            {"date": d, "in_month": d.month == month, "is_today": d == today, "jobs": by_day.get(d, [])}
            for d in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    ctx.update(
        weeks=weeks,
        month_label=dt.date(year, month, 1).strftime("%B %Y"),
        prev_month=_shift(year, month, -1),
        next_month=_shift(year, month, 1),
        this_month=f"{today.year:04d}-{today.month:02d}",
        weekdays=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        job_count=len(jobs),
    )
    return render(request, "fieldservice/schedule.html", ctx)
