"""Signed outgoing webhooks: the endpoints a provider registers, the outbox of deliveries written in
the same transaction as the change they announce, and every attempt to deliver one."""

from django.db import models

from accountdesk.tenancy.models import Provider

URL_MAX = 2000
DESCRIPTION_MAX = 200
RESPONSE_HEAD_MAX = 500
ERROR_MAX = 300


class Endpoint(models.Model):
    """A URL of the provider's that hears the events it chose, signed with its own secret."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.CharField(max_length=URL_MAX)
    description = models.CharField(max_length=DESCRIPTION_MAX, blank=True)
    events = models.JSONField(default=list)
    # "whsec_" and the base64 of the key: kept to sign each delivery, shown to people only once.
    secret = models.CharField(max_length=100)
    enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    # Attempts failed in a row since the last success, and when that run of failures began.
    failure_count = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["provider", "-created_at", "-id"], name="webhook_endpoint_recent")]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return self.enabled and event_type in self.events


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One event for one endpoint: its body is fixed when the change commits; each attempt signs it
    afresh (the signature covers the attempt's time)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=40)
    event_type = models.CharField(max_length=60)
    created_at = models.DateTimeField()
    body = models.TextField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    # Attempts made in all (`attempt_count`) and since it was last queued (`tries`: a replay starts
    # the retry schedule again); the next one is due at `next_attempt_at`.
    attempt_count = models.PositiveIntegerField(default=0)
    tries = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set while a worker sends it, so a second worker handed the same task leaves it alone.
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhook_delivery_recent"),
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_delivery_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} -> {self.endpoint_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == DeliveryStatus.PENDING

    @property
    def is_delivered(self) -> bool:
        return self.status == DeliveryStatus.SUCCEEDED


class Attempt(models.Model):
    """One try at delivering: what the endpoint answered (or why nothing came back), and how long."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField()
    succeeded = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    response_head = models.CharField(max_length=RESPONSE_HEAD_MAX, blank=True)
    error = models.CharField(max_length=ERROR_MAX, blank=True)

    class Meta:
        indexes = [models.Index(fields=["delivery", "-at", "-id"], name="webhook_attempt_recent")]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.at}: {self.status_code or self.error}"
