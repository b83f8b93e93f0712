"""Staff accounts: adding and changing staff members of a provider."""

import logging

from django.db import transaction
from django.http import HttpRequest

from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.core.security_log import security_record
from accountdesk.core.tenancy import require_same_provider
from accountdesk.tenancy.auth import normalize_email
from accountdesk.tenancy.models import Provider, Role, User
from accountdesk.tenancy.services.passwords import password_check

logger = logging.getLogger("accountdesk.security")


EMAIL_UNAVAILABLE = "This email cannot be used for a new staff member. Use another address."


@transaction.atomic
def staff_add(*, provider: Provider, email: str, name: str, role: str, password: str, actor: Actor,
              request: HttpRequest | None = None) -> User:  # fmt: skip
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
def staff_update(
    *, user: User, name: str, role: str, is_active: bool, actor: Actor, request: HttpRequest | None = None
) -> User:
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
