import datetime as dt

from ninja import Schema

from accountdesk.audit.kinds import SECURITY_KINDS
from accountdesk.audit.models import SecurityEvent


class SecurityEventOut(Schema):
    id: int
    at: dt.datetime
    kind: str
    kind_label: str
    actor_type: str
    actor_id: int | None
    actor: str
    actor_email: str
    address: str
    user_agent: str
    summary: str
    details: dict
    seq: int
    hash: str


def security_event_out(event: SecurityEvent) -> dict:
    return {
        "id": event.pk,
        "at": event.at,
        "kind": event.kind,
        "kind_label": SECURITY_KINDS.get(event.kind, event.kind),
        "actor_type": event.actor_type,
        "actor_id": event.actor_id,
        "actor": event.actor_name,
        "actor_email": event.actor_email,
        "address": event.address,
        "user_agent": event.user_agent,
        "summary": event.summary,
        "details": event.details,
        "seq": event.seq,
        "hash": event.hash,
    }
