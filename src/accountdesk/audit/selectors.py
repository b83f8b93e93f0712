"""Reading the security log: newest first, keyset-paged, filtered by kind, actor and date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accountdesk.audit.kinds import SECURITY_KINDS
from accountdesk.audit.models import SecurityEvent
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.pagination import Page, keyset_page
from accountdesk.tenancy.models import Provider

ACTOR_MAX = 254


def parse_since(text: str | None) -> dt.datetime | None:
    """A date (from the start of that day, in the server's time zone) or an ISO datetime (one
    without an offset is taken in that zone too). Anything else: a 422 on `since`."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            moment = dt.datetime.combine(dt.date.fromisoformat(text), dt.time.min)
        else:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        raise ValidationFailed(
            fields={"since": "A date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SS+00:00)."}
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def clean_filters(
    *, kind: str | None = None, actor: str | None = None, since: str | None = None
) -> dict[str, Any]:
    """The filters as security_event_list takes them, each checked once for the page and the API."""
    kind = (kind or "").strip()
    if kind and kind not in SECURITY_KINDS:
        raise ValidationFailed(fields={"kind": "Unknown kind of security log entry."})
    actor = (actor or "").strip()
    if len(actor) > ACTOR_MAX:
        raise ValidationFailed(fields={"actor": f"At most {ACTOR_MAX} characters."})
    if actor and not actor.isdigit() and "@" not in actor:
        raise ValidationFailed(fields={"actor": "A user id or an email address."})
    return {"kind": kind or None, "actor": actor or None, "since": parse_since(since)}


def security_event_list(
    *,
    provider: Provider,
    kind: str | None = None,
    actor: str | None = None,
    since: dt.datetime | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> Page[SecurityEvent]:
    """`actor` is a user id or an email address (as the entry recorded it)."""
    qs = SecurityEvent.objects.filter(provider_id=provider.pk)
    if kind:
        qs = qs.filter(kind=kind)
    if actor:
        qs = qs.filter(actor_id=int(actor)) if actor.isdigit() else qs.filter(actor_email__iexact=actor)
    if since is not None:
        qs = qs.filter(at__gte=since)
    return keyset_page(qs, ordering=("-at", "-id"), limit=limit, cursor=cursor)


def actor_choices(*, provider: Provider) -> list[tuple[int, str]]:
    """The staff of the provider, for the page's actor filter."""
    from accountdesk.tenancy.models import User

    return list(User.objects.filter(provider=provider).order_by("name", "id").values_list("id", "name")[:500])
