"""Online payments: each try to pay through a gateway (PaymentAttempt) and each gateway webhook
event taken (GatewayEvent).

No card number is ever stored: a card is typed on the gateway's page only. We keep the gateway's
reference for the checkout, the card's brand and last four digits, and (when the customer saves
the card) the gateway's token, as a billing PaymentMethod."""

from django.db import models

from accountdesk.billing.models import Invoice, Payment, PaymentMethod, money_field
from accountdesk.core.actors import ActorType
from accountdesk.customers.models import Contact, Customer
from accountdesk.tenancy.models import Provider, User


class AttemptStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the gateway"
    SUCCEEDED = "succeeded", "Paid"
    DECLINED = "declined", "Declined"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINAL_STATUSES = (
    AttemptStatus.SUCCEEDED,
    AttemptStatus.DECLINED,
    AttemptStatus.FAILED,
    AttemptStatus.CANCELLED,
)


class PaymentAttempt(models.Model):
    """One try to pay online: made when the customer goes to the gateway's page, settled once (the
    first outcome the gateway gives, from the return or a webhook, under this row's lock). A
    successful one points at the billing Payment it recorded, whose reference is `gateway_reference`."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="payment_attempts")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    amount = money_field()
    currency = models.CharField(max_length=3)
    gateway = models.CharField(max_length=100, help_text="the backend that took it (the setting's value)")
    gateway_reference = models.CharField(max_length=200, null=True, blank=True)
    status = models.CharField(max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.PENDING)
    reason = models.CharField(max_length=200, blank=True, help_text="why it did not go through")
    card_brand = models.CharField(max_length=30, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    save_card = models.BooleanField(default=False)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="gateway_attempt"
    )
    payment_method = models.ForeignKey(
        PaymentMethod, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who paid: the contact, or a staff member using the portal as the contact (actor_user set).
    actor_type = models.CharField(max_length=10, choices=ActorType.CHOICES)
    actor_user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gateway", "gateway_reference"], name="payment_attempt_reference")
        ]
        indexes = [models.Index(fields=["customer", "-created_at", "-id"], name="payment_attempt_recent")]

    def __str__(self) -> str:
        return f"{self.gateway} {self.gateway_reference or '(not started)'}: {self.status}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_paid(self) -> bool:
        return self.status == AttemptStatus.SUCCEEDED

    @property
    def is_waiting(self) -> bool:
        return self.status == AttemptStatus.PENDING

    @property
    def is_declined(self) -> bool:
        return self.status == AttemptStatus.DECLINED

    @property
    def card_display(self) -> str:
        return f"{self.card_brand or 'Card'} •••• {self.card_last4}" if self.card_last4 else ""


class GatewayEvent(models.Model):
    """A webhook event the gateway sent and we verified, taken once (the unique gateway and id).

    Webhooks come per gateway account, not per provider: `provider` is the attempt's, when the
    event is about one of ours."""

    gateway = models.CharField(max_length=100)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    attempt = models.ForeignKey(
        PaymentAttempt, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gateway", "event_id"], name="gateway_event_once")]
