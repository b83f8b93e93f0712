"""Instalment purchases and recurring invoices."""

from decimal import Decimal

from django.db import models

from accountdesk.billing.models.base import money_field
from accountdesk.billing.models.profile import Cycle
from accountdesk.core.money import ZERO
from accountdesk.tenancy.models import Provider


class InstalmentPurchase(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="instalments")
    description = models.CharField(max_length=200)
    purchased_on = models.DateField()
    total = money_field()
    instalments_total = models.PositiveIntegerField()
    instalment_amount = money_field()
    instalments_billed = models.PositiveIntegerField(default=0)
    next_bill_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["customer", "-purchased_on", "-id"], name="instalment_recent"),
            models.Index(fields=["provider", "next_bill_on"], name="instalment_due"),
        ]

    @property
    def instalments_remaining(self) -> int:
        return max(self.instalments_total - self.instalments_billed, 0)

    @property
    def billed_amount(self) -> Decimal:
        return min(self.instalment_amount * self.instalments_billed, self.total)

    @property
    def remaining_amount(self) -> Decimal:
        return self.total - self.billed_amount


class RecurringStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


class RecurringInvoice(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="recurring_invoices"
    )
    description = models.CharField(max_length=200)
    schedule = models.CharField(max_length=10, choices=Cycle.choices, default=Cycle.MONTHLY)
    amount = money_field()
    tax_rate = models.DecimalField(max_digits=6, decimal_places=4, default=ZERO)
    anchor_day = models.PositiveSmallIntegerField(default=1)
    next_run_on = models.DateField()
    status = models.CharField(max_length=10, choices=RecurringStatus.choices, default=RecurringStatus.ACTIVE)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["customer", "-next_run_on", "-id"], name="recurring_recent"),
            models.Index(fields=["provider", "status", "next_run_on"], name="recurring_due"),
        ]

    def can_become(self, status: str) -> bool:
        """Any move but to the status it has; an ended schedule stays ended."""
        return self.status != RecurringStatus.ENDED and self.status != status

    @property
    def can_pause(self) -> bool:
        return self.can_become(RecurringStatus.PAUSED)

    @property
    def can_resume(self) -> bool:
        return self.can_become(RecurringStatus.ACTIVE)
