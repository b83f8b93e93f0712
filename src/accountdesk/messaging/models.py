from django.db import models

from accountdesk.tenancy.models import Provider, User


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Message(models.Model):
    """Every email and SMS sent to a customer: what, to whom, and whether it went out.

    With the `outbox` SMS backend this row is the SMS itself (stored, visible in the product)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="messages")
    channel = models.CharField(max_length=5, choices=Channel.choices)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    error = models.CharField(max_length=500, blank=True)
    backend = models.CharField(max_length=30, blank=True)
    # The gateway's id for the message (e.g. a Twilio-style "sid"), when it gives one.
    external_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # Delivery: attempts made so far, when the next one is due after a temporary failure, and
    # since when the current one has been running (a worker that died mid-send leaves it set).
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(max_length=150)

    class Meta:
        indexes = [
            models.Index(fields=["customer", "-created_at", "-id"], name="message_recent"),
            # The sweep for deliveries a dead worker left behind, or whose retry task was lost.
            models.Index(
                fields=["status", "sending_since"],
                name="message_undelivered",
                condition=models.Q(status__in=["queued", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.to}"

    @property
    def is_sent(self) -> bool:
        return self.status == MessageStatus.SENT

    @property
    def has_failed(self) -> bool:
        return self.status == MessageStatus.FAILED

    @property
    def is_retrying(self) -> bool:
        return self.status == MessageStatus.QUEUED and self.attempts > 0

    @property
    def dedupe_key(self) -> str:
        """The same on every attempt: the email's Message-ID and the SMS gateway's idempotency key,
        so a message handed over twice (a worker killed after sending, before recording it) can be
        recognised as one by whoever receives it."""
        return f"accountdesk-message-{self.provider_id}-{self.pk}"

    @property
    def excerpt(self) -> str:
        text = " ".join(self.body.split())
        return text if len(text) <= 80 else text[:79] + "…"
