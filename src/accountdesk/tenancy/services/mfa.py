"""Two-factor sign-in: authenticator apps, recovery codes, and resetting a staff member's."""

import logging

from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import get_random_string, salted_hmac
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.security_log import security_record
from accountdesk.core.tenancy import require_same_provider
from accountdesk.tenancy.models import User
from accountdesk.tenancy.services.signin import signin_failure_record, signin_record

logger = logging.getLogger("accountdesk.security")


RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


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
def mfa_totp_confirm(
    *, user: User, code: str, request: HttpRequest | None = None
) -> tuple[TOTPDevice, list[str]]:
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
def mfa_recovery_regenerate(*, user: User, request: HttpRequest | None = None) -> list[str]:
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


def mfa_disable(
    *, user: User, password: str = "", code: str = "", request: HttpRequest | None = None
) -> User:
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
def staff_mfa_reset(*, user: User, actor: Actor, request: HttpRequest | None = None) -> User:
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


def mfa_sign_in_verify(*, user: User, code: str, request: HttpRequest | None = None) -> object | None:
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


def mfa_state(user: User) -> str:
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
