import datetime as dt

from ninja import Schema

from accountdesk.activity.models import Activity


class SubjectOut(Schema):
    type: str
    id: int | None


class ActivityOut(Schema):
    id: int
    at: dt.datetime
    kind: str
    group: str
    actor_type: str
    actor: str
    actor_email: str | None
    summary: str
    subject: SubjectOut | None
    details: dict


def activity_out(entry: Activity) -> dict:
    return {
        "id": entry.pk,
        "at": entry.at,
        "kind": entry.kind,
        "group": entry.group,
        "actor_type": entry.actor_type,
        "actor": entry.actor_name,
        "actor_email": entry.actor_email,
        "summary": entry.summary,
        "subject": entry.subject,
        "details": entry.details,
    }
