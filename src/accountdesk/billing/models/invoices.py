"""Invoices and their lines."""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q

from accountdesk.billing.models.base import money_field
from accountdesk.billing.models.profile import Terms
from accountdesk.core import clock
from accountdesk.core.money import ZERO, quantize
from accountdesk.tenancy.models import Provider


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    VOID = "void", "Void"


# The one overdue rule: a bill is overdue from the day after its due date, never on it. The Python
# check (a loaded invoice, the account summary) and the query (InvoiceQuerySet) say the same thing.
def is_past_due(due_on: dt.date | None, today: dt.date) -> bool:
    return due_on is not None and due_on < today


class InvoiceQuerySet(models.QuerySet):
    def open(self) -> "InvoiceQuerySet":
        """Approved invoices with money still owed on them: what the customer has to pay."""
        return self.filter(status=InvoiceStatus.APPROVED, balance__gt=0)

    def overdue(self, today: dt.date) -> "InvoiceQuerySet":
        return self.open().filter(due_on__lt=today)


class Invoice(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(max_length=20, blank=True, default="")
    status = models.CharField(max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT)
    issued_on = models.DateField()
    due_on = models.DateField()
    terms = models.CharField(max_length=20, choices=Terms.choices, default=Terms.NET30)
    total = money_field(default=ZERO)
    balance = money_field(default=ZERO, help_text="open balance: total less payments and credits applied")
    memo = models.CharField(max_length=300, blank=True)
    source_key = models.CharField(max_length=120, null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "number"], condition=~Q(number=""), name="uniq_invoice_number"
            ),
            models.UniqueConstraint(
                fields=["provider", "source_key"],
                condition=Q(source_key__isnull=False),
                name="uniq_invoice_source_key",
            ),
            models.CheckConstraint(condition=Q(balance__gte=0), name="invoice_balance_not_negative"),
        ]
        indexes = [
            models.Index(fields=["customer", "-issued_on", "-id"], name="invoice_recent"),
            models.Index(fields=["customer", "status", "-issued_on", "-id"], name="invoice_by_status"),
            models.Index(
                fields=["customer", "due_on", "id"],
                condition=Q(status="approved", balance__gt=0),
                name="invoice_open_by_due",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"Draft #{self.pk}"

    @property
    def label(self) -> str:
        return self.number or f"Draft #{self.pk}"

    @property
    def is_draft(self) -> bool:
        """Still being written: lines may change, and approving it is the next step."""
        return self.status == InvoiceStatus.DRAFT

    @property
    def is_approved(self) -> bool:
        """Issued to the customer: only an approved invoice carries an open balance."""
        return self.status == InvoiceStatus.APPROVED

    @property
    def is_void(self) -> bool:
        return self.status == InvoiceStatus.VOID

    @property
    def can_void(self) -> bool:
        """A draft or an approved invoice may be voided; a void one is final."""
        return not self.is_void

    @property
    def is_open(self) -> bool:
        return self.is_approved and self.balance > 0

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Open and past its due date (templates call it without a day: today)."""
        return self.is_open and is_past_due(self.due_on, today or clock.today())


def line_amounts(quantity: Decimal, unit_price: Decimal, tax_rate: Decimal) -> tuple[Decimal, Decimal]:
    """The one rounding rule: net = round_half_up(qty x unit price, cents); tax = round_half_up(net x rate,
    cents), each line rounded on its own; an invoice's total is the sum of its lines' net + tax."""
    net = quantize(quantity * unit_price)
    tax = quantize(net * tax_rate)
    return net, tax


class InvoiceLine(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    description = models.CharField(max_length=300)
    quantity = models.DecimalField(max_digits=12, decimal_places=3, default=Decimal("1"))
    unit_price = money_field()
    tax_rate = models.DecimalField(max_digits=6, decimal_places=4, default=ZERO, help_text="0.2000 = 20%")
    net = money_field()
    tax = money_field()

    class Meta:
        ordering = ["position", "id"]

    @property
    def amount(self) -> Decimal:
        return self.net + self.tax
