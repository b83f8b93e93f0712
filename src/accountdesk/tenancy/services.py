"""Provider administration writes: modules, the agent credit limit, staff. Admins only.

These change the provider, not a customer, so they have no activity-log entry (the log is per
customer); each still checks `provider.manage` and runs in one transaction.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accountdesk.audit.services import security_record
from accountdesk.core.actors import Actor, ActorType
from accountdesk.core.errors import Conflict, NotFound, ValidationFailed
from accountdesk.core.permissions import require
from accountdesk.tenancy.models import MODULES, ApiToken, Provider, Role, TokenScope, User


def _same_provider(actor: Actor, provider: Provider) -> None:
    if actor.provider.pk != provider.pk:
        raise ValidationFailed("Unknown provider.")


@transaction.atomic
def provider_update(*, provider: Provider, modules: dict[str, bool], agent_credit_limit: Decimal,
                    actor: Actor, agent_credit_limit_30d: Decimal | None = None) -> Provider:  # fmt: skip
    """Modules and the agents' credit limits (per credit, and per customer over 30 days; None
    leaves the 30-day limit as it is)."""
    require(actor, "provider.manage")
    _same_provider(actor, provider)
    if agent_credit_limit < 0:
        raise ValidationFailed(fields={"agent_credit_limit": "The limit cannot be negative."})
    if agent_credit_limit_30d is not None and agent_credit_limit_30d < 0:
        raise ValidationFailed(fields={"agent_credit_limit_30d": "The limit cannot be negative."})
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    for module in MODULES:
        if module in modules:
            setattr(provider, module, bool(modules[module]))
    provider.agent_credit_limit = agent_credit_limit
    if agent_credit_limit_30d is not None:
        provider.agent_credit_limit_30d = agent_credit_limit_30d
    provider.save(update_fields=[*MODULES, "agent_credit_limit", "agent_credit_limit_30d"])
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


# ---------------------------------------------------------------- API tokens

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
