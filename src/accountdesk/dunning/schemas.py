import datetime as dt

from ninja import Field, Schema

from accountdesk.core.money import to_str
from accountdesk.dunning.models import DunningAction, DunningPolicy, DunningState, DunningStep


class PolicyIn(Schema):
    enabled: bool = True
    # Each step {"days", "action", "subject", "body", "fee"}: the service checks each field and
    # answers 422 naming it (`steps.2.days`).
    steps: list[dict] = Field(..., max_length=20)


class StepOut(Schema):
    days: int
    action: str
    subject: str
    body: str
    fee: str | None


class PolicyOut(Schema):
    enabled: bool
    steps: list[StepOut]
    updated_at: dt.datetime | None


def policy_out(policy: DunningPolicy | None, steps: list[DunningStep]) -> dict:
    return {
        "enabled": policy.enabled if policy else False,
        "steps": [
            {"days": s.days, "action": s.action, "subject": s.subject, "body": s.body, "fee": to_str(s.fee)}
            for s in steps
        ],
        "updated_at": policy.updated_at if policy else None,
    }


class PromiseIn(Schema):
    until: str = Field(..., max_length=40)
    note: str = Field("", max_length=2000)


class ActionOut(Schema):
    days: int
    action: str
    run_on: dt.date
    outcome: str
    invoice_id: int | None
    message_id: int | None


class CollectionsOut(Schema):
    in_collections: bool
    overdue_since: dt.date | None
    stage_days: int | None
    stage_action: str | None
    stage_on: dt.date | None
    promise_until: dt.date | None
    promise_note: str
    recent_steps: list[ActionOut]


def collections_out(state: DunningState | None, actions: list[DunningAction]) -> dict:
    recent = [
        {
            "days": a.days,
            "action": a.action,
            "run_on": a.run_on,
            "outcome": a.outcome,
            "invoice_id": a.invoice_id,
            "message_id": a.message_id,
        }
        for a in actions
    ]
    if state is None:
        return {
            "in_collections": False, "overdue_since": None, "stage_days": None, "stage_action": None,
            "stage_on": None, "promise_until": None, "promise_note": "", "recent_steps": recent,
        }  # fmt: skip
    return {
        "in_collections": state.in_episode,
        "overdue_since": state.overdue_since,
        "stage_days": state.stage_days,
        "stage_action": state.stage_action or None,
        "stage_on": state.stage_on,
        "promise_until": state.promise_until,
        "promise_note": state.promise_note,
        "recent_steps": recent,
    }
