"""API tokens: created and revoked by their owner (or from the command line), in the security log."""

import logging

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accountdesk.core.actors import Actor, ActorType
from accountdesk.core.errors import Conflict, NotFound, ValidationFailed
from accountdesk.core.security_log import security_record
from accountdesk.tenancy.models import ApiToken, TokenScope, User

logger = logging.getLogger("accountdesk.security")


TOKEN_MAX_DAYS = 3650


def _may_manage_tokens_of(actor: Actor, user: User) -> bool:
    """Staff manage their own tokens; the system (the command line) anyone's."""
    if actor.type == ActorType.SYSTEM:
        return actor.provider.pk == user.provider_id
    return actor.user is not None and actor.user.is_active and actor.user.pk == user.pk


@transaction.atomic
def token_create(*, user: User, name: str, actor: Actor, read_only: bool = False, days: int | None = None,
                 request: HttpRequest | None = None) -> tuple[ApiToken, str]:  # fmt: skip
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
def token_revoke(*, token: ApiToken, actor: Actor, request: HttpRequest | None = None) -> ApiToken:
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
