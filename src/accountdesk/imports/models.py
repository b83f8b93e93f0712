"""An import started from Settings > Import: its file is checked, then imported, by the task worker."""

from django.db import models

from accountdesk.tenancy.models import Provider, User


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Checking"
    CHECKED = "checked", "Ready to import"
    REFUSED = "refused", "Cannot be imported"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed"


RUNNING = (ImportStatus.CHECKING, ImportStatus.IMPORTING)


class ImportJob(models.Model):
    """One uploaded file, from its check to its import. The file itself is kept under VAR_DIR by
    `token` (imports.storage) until it is imported or refused; what the page shows is kept here."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=32)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING)
    rows = models.PositiveIntegerField(default=0)
    creates = models.PositiveIntegerField(default=0)
    updates = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    # The first problems, each [row, column, message], and the first rows of the preview.
    problems = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)
    result = models.CharField(max_length=300, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["provider", "-created_at", "-id"], name="importjob_recent")]

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def is_checking(self) -> bool:
        return self.status == ImportStatus.CHECKING

    @property
    def is_importing(self) -> bool:
        return self.status == ImportStatus.IMPORTING

    @property
    def can_apply(self) -> bool:
        return self.status == ImportStatus.CHECKED

    @property
    def is_refused(self) -> bool:
        return self.status == ImportStatus.REFUSED

    @property
    def is_done(self) -> bool:
        return self.status == ImportStatus.DONE

    @property
    def has_failed(self) -> bool:
        return self.status == ImportStatus.FAILED

    @property
    def more_problems(self) -> int:
        return max(self.problem_count - len(self.problems), 0)

    @property
    def more_rows(self) -> int:
        return max(self.rows - len(self.preview), 0)
