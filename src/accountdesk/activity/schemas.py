import datetime as dt

from ninja import Schema
from pydantic import Field

from accountdesk.activity.models import Activity
from accountdesk.activity.rendering import entry_details, entry_summary
from accountdesk.core.visibility import for_viewer


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
    summary: str = Field(description='Its amounts read "(amount hidden)" for a role without billing.view.')
    subject: SubjectOut | None
    details: dict = Field(description="For edits {field: [old, new]}; no amounts without billing.view.")


@for_viewer
def activity_out(entry: Activity, *, viewer) -> dict:
    """The entry as `viewer` may see it: no amounts in its summary or details for a role without
    billing.view (see activity.rendering)."""
    return {
        "id": entry.pk,
        "at": entry.at,
        "kind": entry.kind,
        "group": entry.group,
        "actor_type": entry.actor_type,
        "actor": entry.actor_name,
        "actor_email": entry.actor_email,
        "summary": entry_summary(entry, viewer=viewer),
        "subject": entry.subject,
        "details": entry_details(entry, viewer=viewer),
    }
