"""Estimates and service agreements (written by Field Service; their rows stay in billing, whose
migrations created them, and an accepted estimate points at its invoice)."""

from django.db import models

from accountdesk.billing.models.base import money_field
from accountdesk.billing.models.invoices import Invoice
from accountdesk.tenancy.models import Provider


class EstimateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"


# An estimate's moves other than acceptance: sent, declined and expired; accepted is estimate_accept.
ESTIMATE_MOVES: dict[str, set[str]] = {
    EstimateStatus.DRAFT: {EstimateStatus.SENT, EstimateStatus.DECLINED, EstimateStatus.EXPIRED},
    EstimateStatus.SENT: {EstimateStatus.DECLINED, EstimateStatus.EXPIRED},
}


class Estimate(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="estimates")
    number = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=EstimateStatus.choices, default=EstimateStatus.DRAFT)
    description = models.CharField(max_length=300)
    issued_on = models.DateField()
    expires_on = models.DateField()
    total = money_field()
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "number"], name="uniq_estimate_number")]
        indexes = [models.Index(fields=["customer", "-issued_on", "-id"], name="estimate_recent")]

    def can_become(self, status: str) -> bool:
        return status in ESTIMATE_MOVES.get(self.status, set())

    @property
    def can_send(self) -> bool:
        return self.can_become(EstimateStatus.SENT)

    @property
    def is_open(self) -> bool:
        """Drafted or sent: the customer may still accept or decline it."""
        return self.status in ESTIMATE_MOVES


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


class Agreement(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="agreements")
    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    terms = models.TextField(blank=True)
    value = money_field()
    status = models.CharField(max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["customer", "-starts_on", "-id"], name="agreement_recent")]
