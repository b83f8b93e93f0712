"""Provider administration and staff accounts: modules, limits, staff, sign-in, passwords, two-factor.

These change the provider or a staff account, not a customer: they write the provider's security log
(`security_record`) in the same transaction, with the request for the address and user agent.
"""

import logging
from decimal import Decimal

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string, salted_hmac
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accountdesk.core.actors import Actor, ActorType
from accountdesk.core.errors import Conflict, NotFound, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.security_log import security_record, settings_record
from accountdesk.core.tenancy import require_same_provider
from accountdesk.tenancy.auth import normalize_email, signin_alert_due, signin_failed
from accountdesk.tenancy.models import MODULE_LABELS, MODULES, ApiToken, Provider, Role, TokenScope, User

logger = logging.getLogger("accountdesk.security")

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


_SETTING_LABELS = {
    "agent_credit_limit": "Agent credit limit",
    "agent_credit_limit_30d": "Agent credit limit per customer over 30 days",
    "credit_auto_apply": "Automatic credit application",
}


def _shown(value) -> str:
    return ("on" if value else "off") if isinstance(value, bool) else str(value)


def _email_shown(email: str) -> str:
    return email[:100]


# Provider settings ------------------------------------------------------------------------------


@transaction.atomic
def provider_update(*, provider: Provider, modules: dict[str, bool], agent_credit_limit: Decimal,
                    actor: Actor, agent_credit_limit_30d: Decimal | None = None,
                    credit_auto_apply: bool | None = None) -> Provider:  # fmt: skip
    """Modules, the agents' credit limits (per credit, and per customer over 30 days) and whether
    credit is applied automatically; None leaves a setting as it is."""
    require(actor, "provider.manage")
    require_same_provider(actor, provider)
    if agent_credit_limit < 0:
        raise ValidationFailed(fields={"agent_credit_limit": "The limit cannot be negative."})
    if agent_credit_limit_30d is not None and agent_credit_limit_30d < 0:
        raise ValidationFailed(fields={"agent_credit_limit_30d": "The limit cannot be negative."})
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    fields = ("agent_credit_limit", "agent_credit_limit_30d", "credit_auto_apply")
    old_values = {name: getattr(provider, name) for name in fields}
    for module in MODULES:
        if module in modules and getattr(provider, module) != bool(modules[module]):
            old = getattr(provider, module)
            setattr(provider, module, not old)
            security_record(
                provider=provider,
                kind="module.switched",
                summary=f"{MODULE_LABELS[module]} switched {'off' if old else 'on'}",
                actor=actor,
                details={module: [old, not old]},
            )
    provider.agent_credit_limit = agent_credit_limit
    if agent_credit_limit_30d is not None:
        provider.agent_credit_limit_30d = agent_credit_limit_30d
    if credit_auto_apply is not None:
        provider.credit_auto_apply = credit_auto_apply
    provider.save(update_fields=[*MODULES, *fields])
    new_values = {name: getattr(provider, name) for name in fields}
    changed = [
        f"{_SETTING_LABELS[name]} changed from {_shown(old_values[name])} to {_shown(new_values[name])}"
        for name in fields
        if old_values[name] != new_values[name]
    ]
    settings_record(
        provider=provider,
        actor=actor,
        summary="; ".join(changed),
        old=old_values,
        new=new_values,
    )
    return provider


@transaction.atomic
def provider_mfa_roles_set(*, provider: Provider, roles: list[str], actor: Actor, request=None) -> Provider:
    """Which roles must sign in with a second factor."""
    require(actor, "provider.manage")
    require_same_provider(actor, provider)
    unknown = [role for role in roles if role not in Role.values]
    if unknown:
        raise ValidationFailed(fields={"mfa_required_roles": "Choose roles from the list."})
    chosen = [role for role in Role.values if role in roles]  # one order, no repeats
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    old = list(provider.mfa_required_roles or [])
    if old == chosen:
        return provider
    provider.mfa_required_roles = chosen
    provider.save(update_fields=["mfa_required_roles"])
    labels = ", ".join(Role(role).label for role in chosen) or "no role"
    security_record(
        provider=provider, kind="settings.changed", actor=actor, request=request,
        summary=f"Two-factor sign-in required for {labels}",
        details={"mfa_required_roles": [old, chosen]},
    )  # fmt: skip
    return provider


# Staff ------------------------------------------------------------------------------------------


def password_check(password: str, *, user: User | None = None, field: str = "password") -> None:
    """The password rules (AUTH_PASSWORD_VALIDATORS), for every password set in the product."""
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationFailed(fields={field: " ".join(error.messages)}) from None


# Said of any email that already has an account, here or at another provider: the form must not
# tell an admin whether an address is known elsewhere.
EMAIL_UNAVAILABLE = "This email cannot be used for a new staff member. Use another address."


@transaction.atomic
def staff_add(*, provider: Provider, email: str, name: str, role: str, password: str, actor: Actor,
              request=None) -> User:  # fmt: skip
    require(actor, "provider.manage")
    require_same_provider(actor, provider)
    email = normalize_email(email)
    if role not in Role.values:
        raise ValidationFailed(fields={"role": "Choose a role."})
    candidate = User(provider=provider, email=email, name=name.strip(), role=role)
    password_check(password, user=candidate)
    if User.objects.filter(email=email).exists():
        # Emails are unique across providers. The answer is the same whichever provider has it, and
        # nothing of the other account is touched, linked or named.
        raise ValidationFailed(fields={"email": EMAIL_UNAVAILABLE})
    user = User.objects.create_user(email, password, provider=provider, name=name.strip(), role=role)
    security_record(
        provider=provider, kind="staff.added", actor=actor, request=request,
        summary=f"{user.display_name} added as {user.get_role_display()}",
        details={"user_id": user.pk, "email": user.email, "role": role},
    )  # fmt: skip
    return user


@transaction.atomic
def staff_update(*, user: User, name: str, role: str, is_active: bool, actor: Actor, request=None) -> User:
    require(actor, "provider.manage")
    require_same_provider(actor, user)
    if role not in Role.values:
        raise ValidationFailed(fields={"role": "Choose a role."})
    if actor.user is not None and actor.user.pk == user.pk and (role != Role.ADMIN or not is_active):
        raise Conflict("You cannot remove your own administrator access.")
    user = User.objects.select_for_update().select_related("provider").get(pk=user.pk)
    old_role, was_active = user.role, user.is_active
    user.name = name.strip()
    user.role = role
    user.is_active = is_active
    user.save(update_fields=["name", "role", "is_active"])
    who = {"user_id": user.pk, "email": user.email}
    if old_role != role:
        security_record(
            provider=user.provider, kind="staff.role_changed", actor=actor, request=request,
            summary=f"{user.display_name}: {Role(old_role).label} → {Role(role).label}",
            details={**who, "role": [old_role, role]},
        )  # fmt: skip
    if was_active != is_active:
        security_record(
            provider=user.provider, kind="staff.reactivated" if is_active else "staff.deactivated",
            actor=actor, request=request,
            summary=f"{user.display_name} {'reactivated' if is_active else 'deactivated'}", details=who,
        )  # fmt: skip
    return user


# Sign-in ----------------------------------------------------------------------------------------


@transaction.atomic
def signin_record(*, user: User, request, method: str) -> None:
    """A completed sign-in: `method` is password, totp or recovery (the last factor given)."""
    security_record(
        provider=user.provider, kind="signin.succeeded", actor=Actor.staff(user), request=request,
        summary=f"{user.display_name} signed in", details={"method": method},
    )  # fmt: skip


@transaction.atomic
def signin_failure_record(*, email: str, request, reason: str = "password") -> None:
    """A failed sign-in. Logged in the provider's security log when the email is one of its staff;
    an unknown email belongs to no provider, and writing it into some provider's log would tell that
    provider what was typed at the sign-in page of everyone, so it goes to the application log only."""
    email = normalize_email(email)
    failures = signin_failed(email)
    user = User.objects.select_related("provider").filter(email=email[:254]).first() if email else None
    if user is None:
        logger.info("sign-in failed for an unknown email (%s)", reason)
        return
    security_record(
        provider=user.provider, kind="signin.failed", actor=None, request=request,
        summary=f"Sign-in failed for {_email_shown(email)}",
        details={"email": _email_shown(email), "reason": reason},
    )  # fmt: skip
    if signin_alert_due(failures):
        security_record(
            provider=user.provider, kind="signin.locked", actor=None, request=request,
            summary=f"{failures} failed sign-ins for {_email_shown(email)}: sign-ins from the addresses "
            "trying are being slowed down",
            details={"email": _email_shown(email), "failures": failures},
        )  # fmt: skip


@transaction.atomic
def signout_record(*, user: User, request) -> None:
    security_record(
        provider=user.provider, kind="signout", actor=Actor.staff(user), request=request,
        summary=f"{user.display_name} signed out",
    )  # fmt: skip


# Passwords --------------------------------------------------------------------------------------


def _password_set(user: User, password: str) -> None:
    password_check(password, user=user, field="new_password")
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def password_change(*, user: User, current_password: str, new_password: str, request=None) -> User:
    """The user's own change. Other sessions end: a session keeps a digest of the password hash, so
    each one signed in before no longer matches (the caller keeps the current one)."""
    if not user.check_password(current_password or ""):
        raise ValidationFailed(fields={"current_password": "That is not your current password."})
    _password_set(user, new_password)
    security_record(
        provider=user.provider, kind="password.changed", actor=Actor.staff(user), request=request,
        summary=f"{user.display_name} changed their password",
    )  # fmt: skip
    return user


def _queue_reset_email(user: User, base_url: str, *, by: str = "") -> None:
    from accountdesk.tenancy.tasks import send_password_reset

    transaction.on_commit(lambda: send_password_reset.enqueue(user.pk, base_url, by))


@transaction.atomic
def password_reset_request(*, email: str, base_url: str, request=None) -> None:
    """Email a reset link if `email` is an active staff member's; nothing is said either way."""
    email = normalize_email(email)[:254]
    user = User.objects.select_related("provider").filter(email=email, is_active=True).first()
    if user is None:
        logger.info("password reset asked for an unknown or inactive email")
        return
    security_record(
        provider=user.provider, kind="password.reset_requested", actor=None, request=request,
        summary=f"Password reset asked for {user.email}", details={"user_id": user.pk, "by": "self"},
    )  # fmt: skip
    _queue_reset_email(user, base_url)


@transaction.atomic
def staff_password_reset_send(*, user: User, base_url: str, actor: Actor, request=None) -> None:
    """An admin sends a staff member of their provider a link to set a new password."""
    require(actor, "provider.manage")
    require_same_provider(actor, user)
    if not user.is_active:
        raise Conflict("Reactivate this staff member before sending a reset link.")
    security_record(
        provider=user.provider, kind="password.reset_requested", actor=actor, request=request,
        summary=f"Password reset link sent to {user.email}", details={"user_id": user.pk, "by": "admin"},
    )  # fmt: skip
    _queue_reset_email(user, base_url, by=actor.name)


@transaction.atomic
def password_reset_complete(*, user: User, new_password: str, request=None) -> User:
    """Set the password from a valid reset link (the caller checked the token). Every session of the
    user ends, and the link stops working: its token covers the password hash."""
    _password_set(user, new_password)
    security_record(
        provider=user.provider, kind="password.reset_completed", actor=None, request=request,
        summary=f"Password reset completed for {user.email}", details={"user_id": user.pk},
    )  # fmt: skip
    return user


# Two-factor sign-in -----------------------------------------------------------------------------


def _recovery_stored(code: str) -> str:
    """What is stored for a recovery code: a keyed digest, so the table alone reveals no code."""
    normalized = "".join(code.split()).replace("-", "").lower()
    return salted_hmac("accountdesk.recovery-code", normalized).hexdigest()[:16]


def _recovery_codes_issue(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
    device.token_set.all().delete()
    codes = [get_random_string(10, _RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_COUNT)]
    device.token_set.bulk_create(
        [device.token_set.model(device=device, token=_recovery_stored(c)) for c in codes]
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def totp_device_pending(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


@transaction.atomic
def mfa_totp_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user to scan; it counts once confirmed."""
    if user.mfa_enabled:
        raise Conflict("Two-factor sign-in is already on.")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def mfa_totp_confirm(*, user: User, code: str, request=None) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code from it; returns it and new recovery codes."""
    device = totp_device_pending(user)
    if device is None or user.mfa_enabled:
        raise Conflict("Start the set-up again.")
    if verify_token(user, device.persistent_id, (code or "").strip()) is None:
        raise ValidationFailed(
            fields={"code": "That code is not right. Enter the 6 digits the app shows now."}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_issue(user)
    User.objects.filter(pk=user.pk).update(mfa_enabled=True)
    user.mfa_enabled = True
    security_record(
        provider=user.provider, kind="mfa.enabled", actor=Actor.staff(user), request=request,
        summary=f"{user.display_name} turned on two-factor sign-in", details={"method": "totp"},
    )  # fmt: skip
    return device, codes


@transaction.atomic
def mfa_recovery_regenerate(*, user: User, request=None) -> list[str]:
    if not user.mfa_enabled:
        raise Conflict("Turn on two-factor sign-in first.")
    codes = _recovery_codes_issue(user)
    security_record(
        provider=user.provider, kind="mfa.recovery_regenerated", actor=Actor.staff(user), request=request,
        summary=f"{user.display_name} made new recovery codes",
    )  # fmt: skip
    return codes


def recovery_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user).first()
    return device.token_set.count() if device else 0


def _device_verify(user: User, code: str) -> tuple[object | None, str]:
    """The device that accepts `code` (6 digits: the authenticator; else a recovery code)."""
    code = "".join((code or "").split())
    if code.isdigit() and len(code) == 6:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        token, method = code, "totp"
    else:
        device = StaticDevice.objects.filter(user=user).first()
        token, method = _recovery_stored(code), "recovery"
    if device is None or not code:
        return None, method
    return verify_token(user, device.persistent_id, token), method


def mfa_disable(*, user: User, password: str = "", code: str = "", request=None) -> User:
    """Turn two-factor sign-in off, proven by the password or a current code. The proof is checked
    before the change's transaction, so a wrong code still counts against the device's throttle."""
    if not user.mfa_enabled:
        return user
    if user.provider.mfa_required_for(user.role):
        raise Conflict("Your provider requires two-factor sign-in for your role.")
    proven = bool(password) and user.check_password(password)
    if not proven and code:
        with transaction.atomic():
            proven = _device_verify(user, code)[0] is not None
    if not proven:
        raise ValidationFailed(fields={"password": "Enter your password or a current code."})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        User.objects.filter(pk=user.pk).update(mfa_enabled=False)
        user.mfa_enabled = False
        security_record(
            provider=user.provider, kind="mfa.disabled", actor=Actor.staff(user), request=request,
            summary=f"{user.display_name} turned off two-factor sign-in",
        )  # fmt: skip
    return user


@transaction.atomic
def staff_mfa_reset(*, user: User, actor: Actor, request=None) -> User:
    """An admin turns off a staff member's two-factor sign-in (a lost phone and lost recovery codes).
    If their role requires it, they set up a new authenticator at their next sign-in."""
    require(actor, "provider.manage")
    require_same_provider(actor, user)
    if actor.user is not None and actor.user.pk == user.pk:
        raise Conflict("Turn off your own two-factor sign-in from your account page.")
    if not user.mfa_enabled:
        return user
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(mfa_enabled=False)
    user.mfa_enabled = False
    security_record(
        provider=user.provider, kind="mfa.disabled", actor=actor, request=request,
        summary=f"Two-factor sign-in of {user.display_name} turned off by {actor.name}",
        details={"user_id": user.pk, "by": "admin"},
    )  # fmt: skip
    return user


def mfa_sign_in_verify(*, user: User, code: str, request=None):
    """The second sign-in step. Returns the device that accepted the code, or None (logged either
    way). Each device slows down repeated wrong codes itself (django-otp's throttling)."""
    with transaction.atomic():
        device, method = _device_verify(user, code)
    if device is None:
        signin_failure_record(email=user.email, request=request, reason=f"code ({method})")
        return None
    with transaction.atomic():
        if method == "recovery":
            left = recovery_codes_left(user)
            security_record(
                provider=user.provider, kind="mfa.recovery_used", actor=Actor.staff(user), request=request,
                summary=f"{user.display_name} signed in with a recovery code ({left} left)",
                details={"left": left},
            )  # fmt: skip
        signin_record(user=user, request=request, method=method)
    return device


def mfa_device_throttled(user: User) -> bool:
    """Whether the user's devices are refusing codes for now after repeated wrong ones."""
    for model in (TOTPDevice, StaticDevice):
        device = model.objects.filter(user=user).first()
        if device is not None and not device.verify_is_allowed()[0]:
            return True
    return False


def mfa_state(user) -> str:
    """What a signed-in session still needs: "ok", "verify" (a code) or "enrol" (an authenticator
    the provider requires). Costs no query unless the user has two-factor sign-in on."""
    if not getattr(user, "is_authenticated", False):
        return "ok"
    if user.mfa_enabled:
        is_verified = getattr(user, "is_verified", None)
        return "ok" if is_verified is not None and is_verified() else "verify"
    if user.provider.mfa_required_for(user.role):
        return "enrol"
    return "ok"


TOKEN_MAX_DAYS = 3650


def _may_manage_tokens_of(actor: Actor, user: User) -> bool:
    """Staff manage their own tokens; the system (the command line) anyone's."""
    if actor.type == ActorType.SYSTEM:
        return actor.provider.pk == user.provider_id
    return actor.user is not None and actor.user.is_active and actor.user.pk == user.pk


@transaction.atomic
def token_create(*, user: User, name: str, actor: Actor, read_only: bool = False, days: int | None = None,
                 request=None) -> tuple[ApiToken, str]:  # fmt: skip
    """A new API token for `user`: the row and the token itself, which is shown once and never
    stored (only its hash is). Logged in the security log."""
    if not _may_manage_tokens_of(actor, user):
        raise NotFound()
    if not user.is_active:
        raise Conflict("This user is disabled.")
    name = " ".join((name or "").split())
    if len(name) > 100:
        raise ValidationFailed(fields={"name": "At most 100 characters."})
    if days is not None and not 1 <= days <= TOKEN_MAX_DAYS:
        raise ValidationFailed(fields={"days": f"Between 1 and {TOKEN_MAX_DAYS} days."})
    scope = TokenScope.READ if read_only else TokenScope.READ_WRITE
    row, token = ApiToken.objects.issue(user, name=name, scope=scope, days=days)
    security_record(
        provider=user.provider,
        kind="token.created",
        summary=f"API token {row.prefix}… ({row.get_scope_display().lower()}) created for {user.email}",
        actor=actor,
        details={
            "token": row.prefix,
            "name": name,
            "user": user.email,
            "scope": scope,
            "expires_at": row.expires_at.isoformat(),
        },
        request=request,
    )
    return row, token


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Actor, request=None) -> ApiToken:
    """Revoke a token: it answers 401 from now on. Revoking a revoked token changes nothing."""
    if not _may_manage_tokens_of(actor, token.user):
        raise NotFound()
    token = ApiToken.objects.select_for_update().select_related("user__provider").get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    security_record(
        provider=token.user.provider,
        kind="token.revoked",
        summary=f"API token {token.prefix}… of {token.user.email} revoked",
        actor=actor,
        details={"token": token.prefix, "name": token.name, "user": token.user.email},
        request=request,
    )
    return token
