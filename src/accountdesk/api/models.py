from django.db import models

from accountdesk.tenancy.models import Provider, User


class IdempotencyKey(models.Model):
    """The first successful answer to a write sent with an `Idempotency-Key` header.

    A retry with the same key gets this answer again instead of a second write. Keys are
    scoped to the user who sent them, so two integrations can never collide.
    """

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    # The body exactly as first sent (text, not jsonb, which would reorder its keys).
    response_json = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "user", "key"], name="uniq_idempotency_key")
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_by_age")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
