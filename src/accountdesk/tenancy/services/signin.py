"""Sign-ins, failed sign-ins and sign-outs in the security log."""

import logging

from django.db import transaction
from django.http import HttpRequest

from accountdesk.core.actors import Actor
from accountdesk.core.security_log import security_record
from accountdesk.tenancy.auth import normalize_email, signin_alert_due, signin_failed
from accountdesk.tenancy.models import User

logger = logging.getLogger("accountdesk.security")


def _email_shown(email: str) -> str:
    return email[:100]


@transaction.atomic
def signin_record(*, user: User, request: HttpRequest | None, method: str) -> None:
    """A completed sign-in: `method` is password, totp or recovery (the last factor given)."""
    security_record(
        provider=user.provider, kind="signin.succeeded", actor=Actor.staff(user), request=request,
        summary=f"{user.display_name} signed in", details={"method": method},
    )  # fmt: skip


@transaction.atomic
def signin_failure_record(*, email: str, request: HttpRequest | None, reason: str = "password") -> None:
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
def signout_record(*, user: User, request: HttpRequest) -> None:
    security_record(
        provider=user.provider, kind="signout", actor=Actor.staff(user), request=request,
        summary=f"{user.display_name} signed out",
    )  # fmt: skip
