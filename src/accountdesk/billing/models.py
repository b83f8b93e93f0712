"""Billing: profiles, payment methods, invoices, payments, credits, the ledger and its caches.

Money is Decimal(14, 2). The ledger (LedgerEntry) is the source of truth for what a customer
owes; Invoice.balance, Credit.remaining and AccountSummary are caches that every service keeps
in step inside the same transaction, and that account_summary_verify() recomputes.
"""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q

from accountdesk.core import clock
from accountdesk.core.actors import ActorType
from accountdesk.core.money import MONEY_MAX_DIGITS, MONEY_PLACES, ZERO, quantize
from accountdesk.tenancy.models import Provider, User


def money_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_PLACES, **kwargs)


class AppendOnly(Exception):
    pass


# ---------------------------------------------------------------- profile and payment methods


class Cycle(models.TextChoices):
    """How often something is billed: a billing profile, a recurring invoice, a package."""

    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


CYCLE_MONTHS = {Cycle.MONTHLY: 1, Cycle.QUARTERLY: 3, Cycle.ANNUAL: 12}


class Terms(models.TextChoices):
    DUE_ON_RECEIPT = "due_on_receipt", "Due on receipt"
    NET7 = "net7", "NET7"
    NET14 = "net14", "NET14"
    NET30 = "net30", "NET30"
    NET60 = "net60", "NET60"


TERMS_DAYS = {Terms.DUE_ON_RECEIPT: 0, Terms.NET7: 7, Terms.NET14: 14, Terms.NET30: 30, Terms.NET60: 60}


class BillingType(models.TextChoices):
    RESIDENTIAL = "residential", "Residential"
    BUSINESS = "business", "Business"
    WHOLESALE = "wholesale", "Wholesale"


class Delivery(models.TextChoices):
    EMAIL = "email", "Email"
    POST = "post", "Post"
    PORTAL = "portal", "Portal"


class BillingProfile(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="billing_profile"
    )
    cycle = models.CharField(max_length=10, choices=Cycle.choices, default=Cycle.MONTHLY)
    anchor_day = models.PositiveSmallIntegerField(
        "billing period (day of month)", default=1, help_text="1-28: the day each billing period starts"
    )
    terms = models.CharField(max_length=20, choices=Terms.choices, default=Terms.NET30)
    billing_type = models.CharField(
        max_length=20, choices=BillingType.choices, default=BillingType.RESIDENTIAL
    )
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.EMAIL)
    currency = models.CharField(max_length=3, default="USD")
    next_bill_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def billing_period(self) -> str:
        return f"{self.get_cycle_display()}, from day {self.anchor_day}"


class PaymentMeans(models.TextChoices):
    """How a payment was received (Payment.method, a free code: imports may bring others)."""

    CARD = "card", "Card"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    DIRECT_DEBIT = "direct_debit", "Direct debit"
    CASH = "cash", "Cash"
    CHEQUE = "cheque", "Cheque"

    @classmethod
    def label_of(cls, code: str) -> str:
        """The words for a code, ours or another ("mobile_money" -> "Mobile money")."""
        if code in cls.values:
            return cls(code).label
        text = str(code or "").replace("_", " ").strip()
        return text[:1].upper() + text[1:]

    @classmethod
    def phrase(cls, code: str, reference: str = "") -> str:
        """How a payment came, for ledger lines and the activity log: "bank transfer (PAY-1)"."""
        return cls.label_of(code).lower() + (f" ({reference})" if reference else "")


class PaymentMethodKind(models.TextChoices):
    CARD = "card", "Card"
    BANK_ACCOUNT = "bank_account", "Bank account"
    DIRECT_DEBIT = "direct_debit", "Direct debit"


class PaymentMethod(models.Model):
    """A stored way to pay: only a gateway token and the last four digits, never the number."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="payment_methods"
    )
    kind = models.CharField(max_length=20, choices=PaymentMethodKind.choices)
    label = models.CharField(max_length=60, blank=True, help_text="e.g. Visa, Chase checking")
    token = models.CharField(max_length=120, help_text="the payment gateway's reference")
    last4 = models.CharField(max_length=4)
    expires_on = models.DateField(null=True, blank=True)
    autopay = models.BooleanField(default=False)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(is_default=True), name="one_default_payment_method"
            )
        ]
        indexes = [models.Index(fields=["customer", "-is_default", "-id"], name="payment_method_default")]

    @property
    def display(self) -> str:
        return f"{self.label or self.get_kind_display()} •••• {self.last4}"

    @property
    def expires(self) -> str | None:
        return self.expires_on.strftime("%m/%Y") if self.expires_on else None


# ---------------------------------------------------------------- invoices


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


# ---------------------------------------------------------------- payments and credits


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


# ---------------------------------------------------------------- the ledger


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


# ---------------------------------------------------------------- instalments, recurring, estimates


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
