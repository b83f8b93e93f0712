import datetime as dt

from django.db import models

from accountdesk.tenancy.models import Provider, User

# How long a prepared file stays downloadable.
JOB_LIFETIME = dt.timedelta(days=1)


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ExportJob(models.Model):
    """A large export prepared in the background: who asked for which rows, how far it got, and the
    file once it is ready (kept in the database for a day, served only to the user who asked)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE)
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    # Asked for in a page ("staff") or through the API ("api"): the export is recorded as such.
    actor_type = models.CharField(max_length=10, default="staff")
    tab = models.CharField(max_length=40)
    format = models.CharField(max_length=5)
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # 0-100
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    truncated = models.BooleanField(default=False)
    content = models.BinaryField(null=True, blank=True, editable=False)
    content_type = models.CharField(max_length=100, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="exportjob_recent"),
            models.Index(fields=["expires_at"], name="exportjob_expiry"),
        ]

    @property
    def file_content(self) -> bytes:
        """The prepared file (empty until there is one)."""
        return bytes(self.content or b"")

    @property
    def is_ready(self) -> bool:
        """Done: the file can be downloaded."""
        return self.status == JobStatus.DONE

    @property
    def has_failed(self) -> bool:
        return self.status == JobStatus.FAILED

    @property
    def is_running(self) -> bool:
        return self.status == JobStatus.RUNNING

    @property
    def is_finished(self) -> bool:
        return self.is_ready or self.has_failed

    @property
    def title(self) -> str:
        from accountdesk.exports.registry import EXPORTS

        if self.tab == "statement":
            return f"Statement {self.filters.get('from')} to {self.filters.get('to')}"
        exportable = EXPORTS.get(self.tab)
        return exportable.title if exportable else self.tab
