"""Provider administration writes: modules, the agent credit limit, staff. Admins only.

These change the provider, not a customer, so they go to the provider's security log rather than
a customer's activity log; each checks `provider.manage` and runs in one transaction.
"""

from decimal import Decimal

from django.db import transaction

from accountdesk.audit.services import security_record, settings_record
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.tenancy.models import MODULE_LABELS, MODULES, Provider, Role, User


def _same_provider(actor: Actor, provider: Provider) -> None:
    if actor.provider.pk != provider.pk:
        raise ValidationFailed("Unknown provider.")


@transaction.atomic
def provider_update(*, provider: Provider, modules: dict[str, bool], agent_credit_limit: Decimal,
                    actor: Actor) -> Provider:  # fmt: skip
    require(actor, "provider.manage")
    _same_provider(actor, provider)
    if agent_credit_limit < 0:
        raise ValidationFailed(fields={"agent_credit_limit": "The limit cannot be negative."})
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    old_limit = provider.agent_credit_limit
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
    provider.save(update_fields=[*MODULES, "agent_credit_limit"])
    settings_record(
        provider=provider,
        actor=actor,
        summary=f"Agent credit limit changed from {old_limit} to {provider.agent_credit_limit}",
        old={"agent_credit_limit": old_limit},
        new={"agent_credit_limit": provider.agent_credit_limit},
    )
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
