"""Provider administration writes: modules, the agent credit limit, staff. Admins only.

These change the provider, not a customer, so they have no activity-log entry (the log is per
customer); each still checks `provider.manage` and runs in one transaction.
"""

from decimal import Decimal

from django.db import transaction

from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.tenancy.models import MODULES, Provider, Role, User


def _same_provider(actor: Actor, provider: Provider) -> None:
    if actor.provider.pk != provider.pk:
        raise ValidationFailed("Unknown provider.")


@transaction.atomic
def provider_update(*, provider: Provider, modules: dict[str, bool], agent_credit_limit: Decimal,
                    actor: Actor, credit_auto_apply: bool | None = None) -> Provider:  # fmt: skip
    require(actor, "provider.manage")
    _same_provider(actor, provider)
    if agent_credit_limit < 0:
        raise ValidationFailed(fields={"agent_credit_limit": "The limit cannot be negative."})
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    for module in MODULES:
        if module in modules:
            setattr(provider, module, bool(modules[module]))
    provider.agent_credit_limit = agent_credit_limit
    if credit_auto_apply is not None:
        provider.credit_auto_apply = credit_auto_apply
    provider.save(update_fields=[*MODULES, "agent_credit_limit", "credit_auto_apply"])
    return provider


@transaction.atomic
def staff_add(*, provider: Provider, email: str, name: str, role: str, password: str, actor: Actor) -> User:
    require(actor, "provider.manage")
    _same_provider(actor, provider)
    email = (email or "").strip().lower()
    if role not in Role.values:
        raise ValidationFailed(fields={"role": "Choose a role."})
    if User.objects.filter(email=email).exists():
        # Emails are unique across providers; say so without naming the other provider.
        raise ValidationFailed(fields={"email": "This email already belongs to a user."})
    return User.objects.create_user(email, password, provider=provider, name=name.strip(), role=role)


@transaction.atomic
def staff_update(*, user: User, name: str, role: str, is_active: bool, actor: Actor) -> User:
    require(actor, "provider.manage")
    _same_provider(actor, user.provider)
    if role not in Role.values:
        raise ValidationFailed(fields={"role": "Choose a role."})
    if actor.user is not None and actor.user.pk == user.pk and (role != Role.ADMIN or not is_active):
        raise Conflict("You cannot remove your own administrator access.")
    user.name = name.strip()
    user.role = role
    user.is_active = is_active
    user.save(update_fields=["name", "role", "is_active"])
    return user
