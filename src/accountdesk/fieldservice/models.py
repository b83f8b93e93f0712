from django.db import models

from accountdesk.tenancy.models import Provider, User

ADDRESS_MAX = 300
DESCRIPTION_MAX = 5_000


class JobKind(models.TextChoices):
    INSTALL = "install", "Install"
    SERVICE = "service", "Service call"
    REPAIR = "repair", "Repair"


class JobStatus(models.TextChoices):
    UNSCHEDULED = "unscheduled", "Unscheduled"
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


# "Open jobs" on the dashboard: anything not completed or cancelled.
CLOSED_STATUSES = (JobStatus.COMPLETED, JobStatus.CANCELLED)


class Job(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="jobs")
    number = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=JobKind.choices)
    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.UNSCHEDULED)
    scheduled_start = models.DateTimeField(null=True, blank=True)
    scheduled_end = models.DateTimeField(null=True, blank=True)
    technician = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    address = models.CharField(max_length=ADDRESS_MAX, blank=True)
    description = models.TextField(blank=True, max_length=DESCRIPTION_MAX)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="uniq_job_number"),
            models.CheckConstraint(
                condition=models.Q(scheduled_end__isnull=True)
                | models.Q(scheduled_start__isnull=True)
                | models.Q(scheduled_end__gte=models.F("scheduled_start")),
                name="job_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "scheduled_start", "id"], name="job_by_start"),
            models.Index(fields=["customer", "-created_at", "-id"], name="job_recent"),
            # Small partial index: the open jobs count reads only the jobs still to do.
            models.Index(
                fields=["customer"],
                condition=~models.Q(status__in=["completed", "cancelled"]),
                name="job_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES
