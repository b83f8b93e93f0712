"""Portal accounts (a contact's sign-in), their single-use links and their sessions.

Nothing secret is stored: passwords as Django hashes (Argon2), link tokens and session keys as
SHA-256 digests of random values that only the email or the cookie carries."""

import hashlib
import secrets

from django.db import models

from accountdesk.customers.models import Contact, Customer
from accountdesk.tenancy.models import Provider, User


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_secret() -> tuple[str, str]:
    """A random value for a link or a cookie, and the digest that is stored."""
    value = secrets.token_urlsafe(32)
    return value, digest(value)


class AccountStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    REVOKED = "revoked", "Revoked"


class PortalAccount(models.Model):
    """A contact's access to the portal. The sign-in email is fixed when access is granted."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="portal_account")
    email = models.EmailField()  # lower-cased
    password = models.CharField(max_length=128, blank=True)  # a Django hash; "" or unusable until set
    status = models.CharField(max_length=10, choices=AccountStatus.choices, default=AccountStatus.INVITED)
    granted_at = models.DateTimeField()
    activated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["email", "status"], name="portal_account_by_email")]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "email"],
                condition=~models.Q(status="revoked"),
                name="portal_account_email_per_provider",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == AccountStatus.ACTIVE

    @property
    def is_revoked(self) -> bool:
        return self.status == AccountStatus.REVOKED


class LinkPurpose(models.TextChoices):
    INVITE = "invite", "Invitation"
    RESET = "reset", "Password reset"
    SIGN_IN = "sign_in", "Sign-in link"


class PortalLink(models.Model):
    """A single-use, expiring link emailed to a contact. Only the token's digest is kept."""

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="links")
    purpose = models.CharField(max_length=10, choices=LinkPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class PortalSession(models.Model):
    """A signed-in portal browser: the cookie carries the key, the row only its digest.

    `staff_user` is set when a staff member opened the portal as the contact; such a session lives
    only beside that staff member's own signed-in session in the same browser."""

    key_hash = models.CharField(max_length=64, unique=True)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        PortalAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    staff_user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)  # the absolute end, however busy

    @property
    def is_impersonation(self) -> bool:
        return self.staff_user_id is not None
