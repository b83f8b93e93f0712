"""Writes to the security log: one call per provider-level change, inside its transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import HttpRequest

from accountdesk.audit.chain import chain_append
from accountdesk.audit.kinds import SECURITY_KINDS
from accountdesk.audit.models import SecurityEvent
from accountdesk.core import clock
from accountdesk.core.actors import Actor, ActorType
from accountdesk.core.details import plain_details

if TYPE_CHECKING:
    from accountdesk.tenancy.models import Provider


def security_chain_key(provider_id: int) -> str:
    return f"security:provider:{provider_id}"


def request_origin(request: HttpRequest | None) -> tuple[str, str]:
    """The client's address and user agent, as the security log keeps them.

    Without a request, the one being served (see RequestOriginMiddleware), if any: a service
    called from a page or the API need not be handed the request to log where it came from.
    """
    if request is None:
        from accountdesk.audit.middleware import current_request

        request = current_request()
    if request is None:
        return "", ""
    from accountdesk.core.client import client_address

    return client_address(request), request.META.get("HTTP_USER_AGENT", "")[:300]


def security_record(
    *,
    provider: Provider,
    kind: str,
    summary: str,
    actor: Actor | None = None,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> SecurityEvent:
    """Append an entry to the provider's security log. Call it inside the change's transaction.

    `actor` is who did it (None: someone not signed in, e.g. a failed sign-in); `request`, when
    given, supplies the address and user agent.
    """
    if kind not in SECURITY_KINDS:
        raise ValueError(f"unknown security log kind {kind}")
    with transaction.atomic():
        address, user_agent = request_origin(request)
        event = SecurityEvent(
            provider_id=provider.pk,
            at=clock.now(),
            actor_type=actor.type if actor else ActorType.SYSTEM,
            actor=actor.user if actor else None,
            actor_name=(actor.name if actor else "Anonymous")[:150],
            actor_email=(actor.email or "") if actor else "",
            kind=kind,
            summary=summary[:300],
            details=plain_details(details or {}),
            address=address,
            user_agent=user_agent,
        )
        event.seq, event.prev_hash, event.hash = chain_append(
            security_chain_key(provider.pk), event.chained_content()
        )
        event.save()
    return event
