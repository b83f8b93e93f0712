"""Disputes: a customer questions one entry of their ledger, and it stays marked until resolved."""

from django.db import models
from django.db.models import Q

from accountdesk.billing.models.ledger import LedgerEntry
from accountdesk.tenancy.models import Provider, User


class Dispute(models.Model):
    """A question raised on a ledger entry (an invoice, a payment, a refund, a credit) by the
    customer through an agent. The entry itself never changes (the ledger is append-only): the
    dispute sits beside it, shown on the entry wherever it appears, until someone resolves it."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="disputes")
    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="disputes")
    reason = models.CharField(max_length=500)
    raised_at = models.DateTimeField()
    raised_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    raised_by_name = models.CharField(max_length=150)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_by_name = models.CharField(max_length=150, blank=True)
    resolution = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            # One open dispute per entry: a second question about it joins the first.
            models.UniqueConstraint(
                fields=["entry"], condition=Q(resolved_at__isnull=True), name="uniq_open_dispute_per_entry"
            ),
        ]
        indexes = [
            models.Index(
                fields=["customer", "entry"], condition=Q(resolved_at__isnull=True), name="dispute_open"
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
