import datetime as dt
import hashlib
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager
from django.db import models, transaction
from django.utils import timezone

MODULES = ("service_desk", "field_service", "usage", "network", "contracts", "instalments")
MODULE_LABELS = {
    "service_desk": "Service Desk",
    "field_service": "Field Service",
    "usage": "Usage",
    "network": "Network",
    "contracts": "Contracts",
    "instalments": "Instalments",
}


class Provider(models.Model):
    """A service provider using accountdesk: the tenant every record belongs to."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    currency = models.CharField(max_length=3, default="USD")
    locale = models.CharField(max_length=20, default="en_US")
    service_desk = models.BooleanField(default=False)
    field_service = models.BooleanField(default=False)
    usage = models.BooleanField(default=False)
    network = models.BooleanField(default=False)
    contracts = models.BooleanField(default=False)
    instalments = models.BooleanField(default=False)
    agent_credit_limit = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("50.00"))
    # Account credit pays the oldest open invoices as soon as both exist (what a customer expects);
    # off, credit waits until someone applies it, and figures show open invoices less credit.
    credit_auto_apply = models.BooleanField(default=True)
    # Roles whose staff must sign in with a second factor: a list of Role values.
    mfa_required_roles = models.JSONField(default=list, blank=True)
    # The most one agent may credit one customer over any 30 days; above it a credit awaits approval.
    agent_credit_limit_30d = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("150.00"))
    # What the provider's invoices print beside its name (the logo is a ProviderLogo row).
    address = models.TextField(blank=True, default="", help_text="One line each, as it is printed.")
    tax_number = models.CharField("tax number", max_length=50, blank=True, default="")
    payment_instructions = models.TextField(
        "how to pay", blank=True, default="", help_text="Bank details or the portal's address, as printed."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    def mfa_required_for(self, role: str) -> bool:
        return role in (self.mfa_required_roles or [])

    def has_module(self, module: str) -> bool:
        if module not in MODULES:
            raise ValueError(f"unknown module {module}")
        return bool(getattr(self, module))

    @property
    def modules(self) -> dict[str, bool]:
        return {m: bool(getattr(self, m)) for m in MODULES}

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]


LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
LOGO_MAX_BYTES = 512 * 1024


class ProviderLogo(models.Model):
    """The provider's logo, printed on its invoices. Stored in the database, beside the provider
    and apart from it (every request loads the provider; only a document needs the picture), so
    it travels with backups and serves every node without shared files."""

    provider = models.OneToOneField(Provider, on_delete=models.CASCADE, related_name="logo")
    content_type = models.CharField(max_length=20)
    image = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Logo of {self.provider_id}"

    @property
    def data_uri(self) -> str:
        """The picture inlined (a data: URI): a document carries it without fetching anything."""
        import base64

        return f"data:{self.content_type};base64,{base64.b64encode(bytes(self.image)).decode()}"


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    BILLING = "billing", "Billing"
    AGENT = "agent", "Agent"
    TECHNICIAN = "technician", "Technician"
    READONLY = "readonly", "Read-only"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A staff user: signs in by email, belongs to one provider, has one role."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="staff")
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.READONLY)
    is_active = models.BooleanField(default=True)
    date_format = models.CharField(max_length=20, default="%d %b %Y")
    # True while the user has a confirmed authenticator (django-otp TOTP device): read from the row
    # every request loads anyway, so checking it costs no query.
    mfa_enabled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    objects = UserManager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def can(self, permission: str) -> bool:
        from accountdesk.core.permissions import role_has

        return self.is_active and role_has(self.role, permission)


class SignInCounter(models.Model):
    """Sign-in attempts counted for one key (an address, an address and an email, an account),
    within a window. Rows are locked while counted, so parallel guesses cannot pass the limit."""

    key = models.CharField(max_length=64, unique=True)  # sha256 of what is counted
    count = models.PositiveIntegerField(default=0)
    blocked_until = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenScope(models.TextChoices):
    READ_WRITE = "read_write", "Read and write"
    READ = "read", "Read-only"


# last_used_at is written at most this often per token, so that a request costs no write.
TOKEN_TOUCH_EVERY = dt.timedelta(minutes=1)


def token_lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.ACCOUNTDESK_TOKEN_DAYS)


class ApiTokenManager(models.Manager["ApiToken"]):
    def issue(
        self, user: User, name: str = "", *, scope: str = TokenScope.READ_WRITE, days: int | None = None
    ) -> tuple["ApiToken", str]:
        """A new token for `user`: the row, and the token itself (shown once, never stored)."""
        token = "adk_" + secrets.token_urlsafe(32)
        now = timezone.now()  # wall-clock time, whatever business date the clock is set to
        lifetime = dt.timedelta(days=days) if days is not None else token_lifetime()
        row = self.create(
            user=user,
            name=name,
            prefix=token[:10],
            key_hash=_hash_token(token),
            scope=scope,
            created_at=now,
            expires_at=now + lifetime,
        )
        return row, token

    def lookup(self, token: str) -> "ApiToken | None":
        """The live token (not revoked, not expired, its user active) with its user and provider:
        one query, plus one conditional UPDATE of last_used_at at most once a minute per token."""
        now = timezone.now()  # wall-clock time, whatever business date the clock is set to
        row = (
            self.select_related("user__provider")
            .filter(key_hash=_hash_token(token), revoked_at__isnull=True, expires_at__gt=now)
            .filter(user__is_active=True)
            .first()
        )
        if row is not None and (row.last_used_at is None or now - row.last_used_at >= TOKEN_TOUCH_EVERY):
            stale = models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lte=now - TOKEN_TOUCH_EVERY)
            self.filter(stale, pk=row.pk).update(last_used_at=now)
            row.last_used_at = now
        return row

    def authenticate(self, token: str) -> User | None:
        row = self.lookup(token)
        return row.user if row else None

    def by_value(self, token: str) -> "ApiToken | None":
        """The token with this full value, whatever its state (for revoking it by value)."""
        return self.select_related("user__provider").filter(key_hash=_hash_token(token)).first()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; it expires, and may be read-only."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=12, choices=TokenScope.choices, default=TokenScope.READ_WRITE)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenManager()

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}".strip()

    @property
    def is_read_only(self) -> bool:
        return self.scope == TokenScope.READ

    def state(self, now: dt.datetime) -> str:
        """ "revoked", "expired" or "active"."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"


class Sequence(models.Model):
    """A gapless counter per provider (customer numbers, invoice numbers ...)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE)
    name = models.CharField(max_length=40)
    last_value = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "name"], name="uniq_sequence")]


def sequence_next(*, provider: Provider, name: str) -> int:
    """The next value; must run inside the caller's transaction so a rollback leaves no gap."""
    assert transaction.get_connection().in_atomic_block, "sequence_next needs a transaction"
    seq, _ = Sequence.objects.select_for_update().get_or_create(provider=provider, name=name)
    seq.last_value += 1
    seq.save(update_fields=["last_value"])
    return seq.last_value
