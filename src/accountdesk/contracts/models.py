import hashlib

from django.db import models

from accountdesk.tenancy.models import Provider

NAME_MAX = 120
BODY_MAX = 50_000


class ContractTemplate(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="contract_templates")
    name = models.CharField(max_length=NAME_MAX)
    body = models.TextField(max_length=BODY_MAX)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["provider", "name"], name="uniq_contract_template")]

    def __str__(self) -> str:
        return self.name


class ContractStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    SIGNED = "signed", "Signed"
    VOIDED = "voided", "Voided"


class ContractAction(models.TextChoices):
    SEND = "send", "Send"
    SIGN = "sign", "Mark signed"
    VOID = "void", "Void"


# The signing queue's only moves: what each state offers and where each action leads. Signed and
# voided are final. The services enforce it; the page and the API offer what it allows.
TRANSITIONS: dict[str, dict[str, str]] = {
    ContractStatus.QUEUED: {
        ContractAction.SEND: ContractStatus.SENT,
        ContractAction.VOID: ContractStatus.VOIDED,
    },
    ContractStatus.SENT: {
        ContractAction.SIGN: ContractStatus.SIGNED,
        ContractAction.VOID: ContractStatus.VOIDED,
    },
    ContractStatus.SIGNED: {},
    ContractStatus.VOIDED: {},
}


class Contract(models.Model):
    """One contract in a customer's signing queue, its text frozen when it was queued."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="contracts")
    template = models.ForeignKey(ContractTemplate, on_delete=models.PROTECT, related_name="contracts")
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text: the signer's name stays on the contract if the contact is later removed.
    contact_name = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=ContractStatus.choices, default=ContractStatus.QUEUED)
    body = models.TextField()
    queued_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    # The evidence of a signature given in the portal (empty when staff marked it signed): the name
    # the signer typed, the contact signed in, their address and the SHA-256 of the exact text.
    signed_name = models.CharField(max_length=150, blank=True)
    signed_by_contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_ip = models.CharField(max_length=45, blank=True)
    signed_text_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["customer", "-queued_at", "-id"], name="contract_recent"),
            models.Index(fields=["customer", "status", "-queued_at", "-id"], name="contract_by_status"),
        ]

    def __str__(self) -> str:
        return f"{self.template.name} for {self.contact_name}"

    @property
    def text_sha256(self) -> str:
        """The SHA-256 (hex) of the contract's text as UTF-8: what a signature in the portal binds to."""
        return hashlib.sha256(self.body.encode()).hexdigest()

    @property
    def allowed_actions(self) -> tuple[str, ...]:
        return tuple(TRANSITIONS[self.status])

    @property
    def can_send(self) -> bool:
        return ContractAction.SEND in self.allowed_actions

    @property
    def can_sign(self) -> bool:
        return ContractAction.SIGN in self.allowed_actions

    @property
    def can_void(self) -> bool:
        return ContractAction.VOID in self.allowed_actions
