"""A user's background exports: only their own, only within their provider, never an expired one."""

import datetime as dt

from accountdesk.core import clock
from accountdesk.core.errors import NotFound
from accountdesk.exports.models import ExportJob
from accountdesk.tenancy.models import User


def export_job_list(*, user: User) -> list[ExportJob]:
    """The user's jobs of the last day that have not expired, newest first (without the files)."""
    now = clock.now()
    return list(
        ExportJob.objects.filter(
            provider_id=user.provider_id,
            requested_by=user,
            created_at__gte=now - dt.timedelta(days=1),
            expires_at__gt=now,
        )
        .select_related("customer")
        .defer("content")
        .order_by("-created_at", "-id")
    )


def export_job_get(*, user: User, pk: int, with_file: bool = False) -> ExportJob:
    """The user's own job: another user's, another provider's or an expired one is not found."""
    qs = ExportJob.objects.filter(provider_id=user.provider_id, requested_by=user, expires_at__gt=clock.now())
    if not with_file:
        qs = qs.defer("content")
    job = qs.select_related("customer").filter(pk=pk).first()
    if job is None:
        raise NotFound("No such export.")
    return job
