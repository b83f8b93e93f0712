"""The billing profile (period, terms, delivery) and payment methods."""

from django.db import models
from django.db.models import Q

from accountdesk.tenancy.models import Provider


class Cycle(models.TextChoices):
    """How often something is billed: a billing profile, a recurring invoice, a package."""

    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


CYCLE_MONTHS: dict[str, int] = {Cycle.MONTHLY: 1, Cycle.QUARTERLY: 3, Cycle.ANNUAL: 12}


class Terms(models.TextChoices):
    DUE_ON_RECEIPT = "due_on_receipt", "Due on receipt"
    NET7 = "net7", "NET7"
    NET14 = "net14", "NET14"
    NET30 = "net30", "NET30"
    NET60 = "net60", "NET60"


TERMS_DAYS: dict[str, int] = {
    Terms.DUE_ON_RECEIPT: 0,
    Terms.NET7: 7,
    Terms.NET14: 14,
    Terms.NET30: 30,
    Terms.NET60: 60,
}


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
