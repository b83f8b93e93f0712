"""Passwords: the rules, changing one, and resetting one by an emailed link."""

import logging

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.security_log import security_record
from accountdesk.core.tenancy import require_same_provider
from accountdesk.tenancy.auth import normalize_email
from accountdesk.tenancy.models import User

logger = logging.getLogger("accountdesk.security")


def password_check(password: str, *, user: User | None = None, field: str = "password") -> None:
    """The password rules (AUTH_PASSWORD_VALIDATORS), for every password set in the product."""
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationFailed(fields={field: " ".join(error.messages)}) from None


def _password_set(user: User, password: str) -> None:
    password_check(password, user=user, field="new_password")
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def password_change(
    *, user: User, current_password: str, new_password: str, request: HttpRequest | None = None
) -> User:
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
def password_reset_request(*, email: str, base_url: str, request: HttpRequest | None = None) -> None:
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
def staff_password_reset_send(
    *, user: User, base_url: str, actor: Actor, request: HttpRequest | None = None
) -> None:
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
def password_reset_complete(*, user: User, new_password: str, request: HttpRequest | None = None) -> User:
    """Set the password from a valid reset link (the caller checked the token). Every session of the
    user ends, and the link stops working: its token covers the password hash."""
    _password_set(user, new_password)
    security_record(
        provider=user.provider, kind="password.reset_completed", actor=None, request=request,
        summary=f"Password reset completed for {user.email}", details={"user_id": user.pk},
    )  # fmt: skip
    return user
