"""The ledger (the source of truth for what a customer owes) and its per-customer cache."""

import datetime as dt
from decimal import Decimal

from django.db import models

from accountdesk.billing.models.base import AppendOnly, money_field
from accountdesk.billing.models.invoices import is_past_due
from accountdesk.core.money import ZERO
from accountdesk.tenancy.models import Provider


class LedgerKind(models.TextChoices):
    INVOICE_APPROVED = "invoice_approved", "Invoice approved"
    INVOICE_VOIDED = "invoice_voided", "Invoice voided"
    PAYMENT = "payment", "Payment"
    REFUND = "refund", "Refund"
    CREDIT_ISSUED = "credit_issued", "Credit issued"
    CREDIT_APPLIED = "credit_applied", "Credit applied"


class LedgerEntry(models.Model):
    """One financial event. Append-only. `amount` > 0 raises what the customer owes.

    running_balance = the previous entry's running balance + amount, per customer, in (at, id) order.
    """

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="ledger")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=LedgerKind.choices)
    description = models.CharField(max_length=300)
    amount = money_field()
    running_balance = money_field()
    subject_type = models.CharField(max_length=40)
    subject_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["customer", "at", "id"], name="ledger_by_time")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("ledger entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("ledger entries are never deleted")

    @property
    def subject(self) -> dict:
        return {"type": self.subject_type, "id": self.subject_id}


class AccountSummary(models.Model):
    """The customer's financial figures, one row, kept by every billing service in the same
    transaction so the dashboard reads its metrics in one query whatever the history size."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="account_summary"
    )
    total_due = money_field(default=ZERO)
    account_credit = money_field(default=ZERO)
    lifetime_value = money_field(default=ZERO)
    ledger_balance = money_field(default=ZERO)
    open_invoice_count = models.PositiveIntegerField(default=0)
    earliest_open_due_on = models.DateField(null=True, blank=True)
    last_entry_id = models.BigIntegerField(null=True, blank=True)
    last_entry_at = models.DateTimeField(null=True, blank=True)

    @property
    def net_due(self) -> Decimal:
        """What the customer has to pay: the open invoices less credit not yet set against them
        (credit beyond the open invoices stays credit)."""
        return max(self.total_due - self.account_credit, Decimal("0.00"))

    def is_current(self, today: dt.date) -> bool:
        """No open invoice is overdue (the earliest open due date is the only one that can be)."""
        return not is_past_due(self.earliest_open_due_on, today)


def account_is_current(summary: AccountSummary | None, today: dt.date) -> bool:
    """Whether the account is current, wherever that is shown: without a summary row nothing is owed."""
    return summary is None or summary.is_current(today)
