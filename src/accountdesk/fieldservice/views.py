"""The Jobs, Future jobs and Schedule tabs, and a job's own page: each write a form (forms.py)
taken through the page's dialogs (core.dialogs.page_respond) over one service."""

import calendar
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accountdesk.core import clock
from accountdesk.core.dialogs import INLINE_TEMPLATE, Dialog, Page, page_respond
from accountdesk.core.errors import NotFound
from accountdesk.core.views_support import actor_for, user_can
from accountdesk.customers.page import customer_page
from accountdesk.fieldservice import selectors, services
from accountdesk.fieldservice.forms import JobAssignForm, JobForm, JobRescheduleForm, JobStatusForm
from accountdesk.fieldservice.models import Job
from accountdesk.tenancy.selectors import staff_assignable


def _job_list(request, customer_id: int, *, tab: str, when: str | None):
    ctx = customer_page(request, customer_id, tab=tab)
    customer, actor = ctx["customer"], actor_for(request)
    created: list[Job] = []

    def add(data) -> str:
        job = services.job_create(customer=customer, actor=actor, **data)
        created.append(job)
        return f"{job.get_kind_display()} {job.number} added."

    page = Page(
        "fieldservice/jobs.html",
        lambda: {
            **ctx,
            "page": selectors.job_list(
                customer=customer, when=when, cursor=request.GET.get("cursor") or None
            ),
            "when": when,
            "can_edit": user_can(request, "fieldservice.edit"),
        },
    )
    dialogs = {
        "add": lambda data: Dialog(
            form=JobForm(data, staff=staff_assignable(provider=customer.provider)),
            perform=add,
            title="Add an install or service call",
            submit="Add job",
        )
    }
    return page_respond(
        request,
        dialogs,
        page=page,
        permission="fieldservice.edit",
        default="add",
        success_url=lambda: reverse("tabs:fieldservice_job", args=[customer.pk, created[0].pk]),
    )


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
    customer, actor = ctx["customer"], actor_for(request)
    try:
        job = selectors.job_get(customer=customer, pk=job_id)
    except NotFound:
        raise Http404("No such job") from None

    def move(data) -> str:
        moved = services.job_status_change(job=job, status=data["status"], actor=actor)
        return f"Job {moved.number} is {moved.get_status_display().lower()}."

    def reschedule(data) -> str:
        moved = services.job_reschedule(job=job, actor=actor, **data)
        return f"Job {moved.number} scheduled."

    def assign(data) -> str:
        assigned = services.job_assign(job=job, technician=data["technician"], actor=actor)
        who = assigned.technician.display_name if assigned.technician else "nobody"
        return f"Job {assigned.number} assigned to {who}."

    window = {"scheduled_start": job.scheduled_start, "scheduled_end": job.scheduled_end}
    dialogs = {
        "status": lambda data: Dialog(
            form=JobStatusForm(data, initial={"status": job.status}),
            perform=move,
            title="Change the job's status",
            submit="Change job status",
            template=INLINE_TEMPLATE,
            context={"row": True},
        ),
        "reschedule": lambda data: Dialog(
            form=JobRescheduleForm(data, initial=window),
            perform=reschedule,
            title="Schedule the job",
            submit="Reschedule" if job.scheduled_start else "Schedule",
            template=INLINE_TEMPLATE,
            context={"row": True},
        ),
        "assign": lambda data: Dialog(
            form=JobAssignForm(
                data,
                staff=staff_assignable(provider=customer.provider),
                initial={"technician": job.technician_id},
            ),
            perform=assign,
            title="Assign a technician",
            submit="Assign",
            template=INLINE_TEMPLATE,
            context={"row": True},
        ),
    }
    page = Page(
        "fieldservice/job_detail.html",
        lambda: {**ctx, "job": job, "can_edit": user_can(request, "fieldservice.edit")},
    )
    return page_respond(request, dialogs, page=page, permission="fieldservice.edit")


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
