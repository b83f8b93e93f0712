"""Payments and refunds with their allocations to invoices; account credit, credit requests and
credit applied to invoices."""

from django.db import models
from django.db.models import Q

from accountdesk.billing.models.base import money_field
from accountdesk.billing.models.invoices import Invoice
from accountdesk.core.actors import ActorType
from accountdesk.core.money import ZERO
from accountdesk.tenancy.models import Provider, User


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", "Payment"
    REFUND = "refund", "Refund"


class Payment(models.Model):
    """Money received (kind payment, amount positive) or paid back (kind refund, amount negative)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=10, choices=PaymentKind.choices, default=PaymentKind.PAYMENT)
    amount = money_field()
    method = models.CharField(max_length=40)
    reference = models.CharField(max_length=120, blank=True)
    received_on = models.DateField()
    refund_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    refunded = money_field(default=ZERO, help_text="on a payment: how much of it has been refunded")
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    actor_name = models.CharField(max_length=150, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["customer", "-received_on", "-id"], name="payment_recent"),
            models.Index(fields=["customer", "kind", "-received_on", "-id"], name="payment_by_kind"),
        ]


class PaymentAllocation(models.Model):
    """Part of a payment set against an invoice; a refund's reversals are negative allocations."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = money_field()


class CreditOrigin(models.TextChoices):
    ISSUED = "issued", "Issued"
    OVERPAYMENT = "overpayment", "Overpayment"
    VOIDED_INVOICE = "voided_invoice", "From a voided invoice"


class Credit(models.Model):
    """Account credit: issued by staff (the only origin with its own ledger entry), left over from
    an overpayment, or released by voiding an invoice that had money applied to it."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="credits")
    issued_on = models.DateField()
    amount = money_field()
    remaining = money_field()
    refunded = money_field(default=ZERO)
    reason = models.CharField(max_length=300)
    origin = models.CharField(max_length=20, choices=CreditOrigin.choices, default=CreditOrigin.ISSUED)
    source_payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="overpayment_credits"
    )
    actor_type = models.CharField(max_length=10, choices=ActorType.CHOICES, default=ActorType.STAFF)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(remaining__gte=0), name="credit_remaining_not_negative"),
        ]
        indexes = [
            models.Index(fields=["customer", "-issued_on", "-id"], name="credit_recent"),
            models.Index(
                fields=["customer", "issued_on", "id"], condition=Q(remaining__gt=0), name="credit_open"
            ),
        ]


class CreditRequestStatus(models.TextChoices):
    PENDING = "pending", "Awaiting approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class CreditRequest(models.Model):
    """A credit an agent asked for that would take them above the provider's 30-day limit for the
    customer (Provider.agent_credit_limit_30d): it is issued only when a billing user approves it.
    `window_used` and `window_limit` keep what the agent had credited and the limit at the time."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="credit_requests"
    )
    amount = money_field()
    reason = models.CharField(max_length=300)
    status = models.CharField(
        max_length=10, choices=CreditRequestStatus.choices, default=CreditRequestStatus.PENDING
    )
    window_used = money_field()
    window_limit = money_field()
    requested_at = models.DateTimeField()
    requested_by_type = models.CharField(max_length=10, choices=ActorType.CHOICES, default=ActorType.STAFF)
    requested_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_by_name = models.CharField(max_length=150)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by_name = models.CharField(max_length=150, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)
    credit = models.OneToOneField(
        Credit, null=True, blank=True, on_delete=models.PROTECT, related_name="approved_request"
    )

    class Meta:
        indexes = [
            models.Index(fields=["customer", "-requested_at", "-id"], name="credit_request_recent"),
            models.Index(
                fields=["provider", "-requested_at", "-id"],
                condition=Q(status="pending"),
                name="credit_request_pending",
            ),
        ]

    @property
    def waiting_message(self) -> str:
        """What the agent who asked is told."""
        from accountdesk.core.money import money_text

        total = self.window_used + self.amount
        currency, locale = self.customer.currency, self.customer.provider.locale
        amount, total, limit = (
            money_text(value, currency, locale) for value in (self.amount, total, self.window_limit)
        )
        return (
            f"Credit of {amount} awaits approval: it would take your credits to this customer "
            f"over 30 days to {total}, above the limit of {limit}. "
            "A billing user will approve or decline it."
        )


class CreditApplication(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    credit = models.ForeignKey(Credit, on_delete=models.PROTECT, related_name="applications")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_applications")
    amount = money_field()
    applied_at = models.DateTimeField()
