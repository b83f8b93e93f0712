from django.db import models

from accountdesk.tenancy.models import Provider, User

SUBJECT_MAX = 200
TEXT_MAX = 10_000
CALL_SUMMARY_MAX = 2_000
# A call longer than a working day is a typo, not a call.
CALL_DURATION_MAX_S = 12 * 60 * 60


class TicketStatus(models.TextChoices):
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class TicketPriority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class Ticket(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="tickets")
    number = models.CharField(max_length=20)
    subject = models.CharField(max_length=SUBJECT_MAX)
    description = models.TextField(blank=True, max_length=TEXT_MAX)
    status = models.CharField(max_length=10, choices=TicketStatus.choices, default=TicketStatus.OPEN)
    priority = models.CharField(max_length=10, choices=TicketPriority.choices, default=TicketPriority.NORMAL)
    assignee = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Kept as text so the author survives the user's removal (and names API or system actors).
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "number"], name="uniq_ticket_number")]
        indexes = [
            models.Index(fields=["customer", "-created_at", "-id"], name="ticket_recent"),
            models.Index(fields=["customer", "status", "-created_at", "-id"], name="ticket_by_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


class TicketComment(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(max_length=150)
    body = models.TextField(max_length=TEXT_MAX)
    # Staff only: an internal note is never shown to the customer (the portal's Support section).
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="ticket_comment_order")]


class CallDirection(models.TextChoices):
    INBOUND = "inbound", "Inbound"
    OUTBOUND = "outbound", "Outbound"


class CallLog(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="call_logs")
    at = models.DateTimeField()
    direction = models.CharField(max_length=10, choices=CallDirection.choices)
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duration_s = models.PositiveIntegerField(default=0)
    summary = models.TextField(max_length=CALL_SUMMARY_MAX)
    staff = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    staff_name = models.CharField(max_length=150)

    class Meta:
        indexes = [models.Index(fields=["customer", "-at", "-id"], name="call_log_recent")]
