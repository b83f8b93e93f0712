from django.db import models

from accountdesk.billing.models import CYCLE_MONTHS, Cycle
from accountdesk.tenancy.models import Provider


class UsageUnit(models.TextChoices):
    BYTES = "bytes", "Bytes"
    MINUTES = "minutes", "Minutes"
    MESSAGES = "messages", "Messages"


class Package(models.Model):
    """An entry of the provider's catalogue: what a subscription is to, and its list price."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="packages")
    name = models.CharField(max_length=120)
    price = models.DecimalField(max_digits=14, decimal_places=2)
    frequency = models.CharField(max_length=10, choices=Cycle.choices, default=Cycle.MONTHLY)
    # Usage included per billing period; null when the package does not meter usage.
    usage_allowance = models.BigIntegerField(null=True, blank=True)
    usage_unit = models.CharField(max_length=10, choices=UsageUnit.choices, null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["provider", "name"], name="uniq_package_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def months(self) -> int:
        return CYCLE_MONTHS[self.frequency]


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    CANCELLED = "cancelled", "Cancelled"


_BADGES = {
    "active": "status-active",
    "suspended": "status-blocked",
    "cancelled": "status-deactivated",
    "pending": "status-prospect",
}
CURRENT_STATUSES = (SubscriptionStatus.ACTIVE, SubscriptionStatus.SUSPENDED)


class Subscription(models.Model):
    """A customer's monthly service. The price is copied from the package and may differ."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="subscriptions")
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(
        max_length=10, choices=SubscriptionStatus.choices, default=SubscriptionStatus.ACTIVE
    )
    started_on = models.DateField()
    # Last day of service (inclusive); null while open-ended.
    ends_on = models.DateField(null=True, blank=True)
    price = models.DecimalField(max_digits=14, decimal_places=2)
    # First day not yet invoiced; the billing run invoices from here.
    next_bill_on = models.DateField(null=True, blank=True)
    cancelled_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["customer", "status", "-started_on", "-id"], name="subscription_current"),
            models.Index(fields=["customer", "-started_on", "-id"], name="subscription_recent"),
            models.Index(fields=["provider", "status", "next_bill_on"], name="subscription_billable"),
        ]

    def __str__(self) -> str:
        return f"{self.package.name} ({self.get_status_display()})"

    @property
    def badge_class(self) -> str:
        """The design system's status badge that reads the same (suspended like blocked, ...)."""
        return _BADGES[self.status]

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES

    @property
    def can_change(self) -> bool:
        """Its package or price may change, and it may be cancelled: anything but a cancelled one."""
        return self.status != SubscriptionStatus.CANCELLED

    @property
    def can_suspend(self) -> bool:
        return self.status == SubscriptionStatus.ACTIVE

    @property
    def can_resume(self) -> bool:
        return self.status == SubscriptionStatus.SUSPENDED
