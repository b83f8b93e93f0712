"""Collections writes: the policy, the daily run, promises to pay, and the end of an episode when
the overdue balance is cleared.

Every step goes through the service that owns what it does (messaging sends the reminder, billing
issues the late fee as an invoice so the ledger and the account summary stay right, customers
changes the status), with the system as the actor, and is then recorded here as a DunningAction
and a `dunning.step_taken` entry in the customer's activity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Min, Sum

from accountdesk.activity.rendering import amount_slot
from accountdesk.activity.services import event_record
from accountdesk.billing import services as billing
from accountdesk.billing.models import Invoice
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.dates import date_text
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.money import ZERO, money_text, to_str
from accountdesk.core.parse import parse_amount, parse_choice, parse_date, parse_text
from accountdesk.core.permissions import require
from accountdesk.core.placeholders import placeholders_fill, placeholders_unknown
from accountdesk.core.security_log import settings_record
from accountdesk.core.tenancy import require_same_provider
from accountdesk.customers.models import Customer, Status, StatusChange
from accountdesk.customers.services import customer_status_change
from accountdesk.dunning.models import DunningAction, DunningPolicy, DunningState, DunningStep, StepAction
from accountdesk.messaging import services as messaging

if TYPE_CHECKING:
    from accountdesk.activity.models import Activity
    from accountdesk.tenancy.models import Provider

MAX_STEPS = 8
MAX_DAYS = 365
BODY_MAX = 5_000
PROMISE_MAX_DAYS = 60
PROMISE_DEFAULT = dt.timedelta(days=7)

# The placeholders a reminder may use: name -> what it is (for the Settings page's hint).
PLACEHOLDERS: dict[str, str] = {
    "customer.name": "Customer name",
    "customer.number": "Customer number",
    "provider.name": "Your company name",
    "amount_overdue": "Overdue amount",
    "days_overdue": "Days overdue",
    "oldest_invoice": "Oldest overdue invoice",
    "oldest_due_on": "Its due date",
}


# ---------------------------------------------------------------- the policy


def _step_clean(position: int, raw: dict[str, Any], previous_days: int | None) -> dict[str, Any]:
    """One step as the people and API clients wrote it, checked; errors name `steps.N.<field>`."""
    key = f"steps.{position}"
    action = parse_choice(raw.get("action"), field=f"{key}.action", choices=StepAction)
    text = str(raw.get("days", "")).strip()
    if isinstance(raw.get("days"), bool) or not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        message = f"Step {position}: days overdue is a whole number from 1 to {MAX_DAYS}."
        raise ValidationFailed(message, fields={f"{key}.days": message})
    days = int(text)
    if previous_days is not None and days <= previous_days:
        what = "the same day as" if days == previous_days else "before"
        message = (
            f"Step {position} at {days} days comes {what} step {position - 1} at {previous_days} days: "
            "steps go in order of days overdue, one step per day."
        )
        raise ValidationFailed(message, fields={f"{key}.days": message})
    step: dict[str, Any] = {"days": days, "action": action, "subject": "", "body": "", "fee": None}
    if action == StepAction.EMAIL:
        step["subject"] = parse_text(
            raw.get("subject"), field=f"{key}.subject", max_length=200, required=True,
            single_line=True, label=f"Step {position}'s subject", missing="Write the email's subject.",
        )  # fmt: skip
    if action in (StepAction.EMAIL, StepAction.SMS):
        limit = BODY_MAX if action == StepAction.EMAIL else messaging.SMS_BODY_MAX
        step["body"] = parse_text(
            raw.get("body"), field=f"{key}.body", max_length=limit, required=True,
            label=f"Step {position}'s message", missing="Write the message.",
        )  # fmt: skip
        for part in ("subject", "body"):
            if unknown := placeholders_unknown(step[part], PLACEHOLDERS):
                listed = ", ".join("{" + name + "}" for name in unknown)
                message = f"Step {position}: unknown placeholders {listed}. Write {{{{ and }}}} for braces."
                raise ValidationFailed(message, fields={f"{key}.{part}": message})
    if action == StepAction.FEE:
        step["fee"] = parse_amount(raw.get("fee"), field=f"{key}.fee")
    return step


def _steps_described(steps: list[dict[str, Any]]) -> list[str]:
    return [
        f"{s['days']} days: {StepAction(s['action']).label}"
        + (f" {s['fee']}" if s["fee"] is not None else "")
        for s in steps
    ]


@transaction.atomic
def dunning_policy_save(
    *, provider: Provider, enabled: bool, steps: list[dict[str, Any]], actor: Actor
) -> DunningPolicy:
    """Replace the provider's policy. Steps come in the order they fire: days overdue strictly
    increasing (no two steps on one day); a policy out of order is refused whole."""
    require(actor, "provider.manage")
    require_same_provider(actor, provider)
    if not isinstance(steps, list) or len(steps) > MAX_STEPS:
        message = f"A policy has at most {MAX_STEPS} steps."
        raise ValidationFailed(message, fields={"steps": message})
    clean: list[dict[str, Any]] = []
    for position, raw in enumerate(steps, start=1):
        if not isinstance(raw, dict):
            raise ValidationFailed(fields={f"steps.{position}": "Each step is an object."})
        clean.append(_step_clean(position, raw, clean[-1]["days"] if clean else None))
    policy = DunningPolicy.objects.select_for_update().filter(provider=provider).first()
    old = None
    if policy is None:
        policy = DunningPolicy.objects.create(provider=provider, enabled=enabled, updated_at=clock.now())
    else:
        before = [{"days": s.days, "action": s.action, "fee": s.fee} for s in policy.steps.all()]
        old = {"enabled": policy.enabled, "steps": _steps_described(before)}
        policy.enabled = enabled
        policy.updated_at = clock.now()
        policy.save(update_fields=["enabled", "updated_at"])
        policy.steps.all().delete()
    DunningStep.objects.bulk_create(
        [DunningStep(provider=provider, policy=policy, position=n, **s) for n, s in enumerate(clean, start=1)]
    )
    settings_record(
        provider=provider,
        actor=actor,
        summary="Collections policy saved",
        old=old,
        new={"enabled": enabled, "steps": _steps_described(clean)},
    )
    return policy


# ---------------------------------------------------------------- the run


@dataclass
class RunCounts:
    overdue: int = 0
    paused: int = 0
    steps: int = 0
    cleared: int = 0
    by_action: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, int]:
        return {"overdue": self.overdue, "paused": self.paused, "steps": self.steps, "cleared": self.cleared}


def dunning_run(*, provider: Provider, on: dt.date) -> RunCounts:
    """Take every step due on `on` for the provider's overdue customers, once per episode: running
    a date twice (or any later date) never repeats a step. Customers no longer overdue leave
    collections. Each customer is its own transaction."""
    counts = RunCounts()
    actor = Actor.system(provider)
    overdue_invoices = Invoice.objects.filter(provider=provider).overdue(on)
    overdue = dict(
        overdue_invoices.exclude(customer__status=Status.ARCHIVED)
        .values("customer_id")
        .annotate(oldest=Min("due_on"))
        .values_list("customer_id", "oldest")
    )
    counts.overdue = len(overdue)
    # Open episodes of customers with nothing overdue any more: a payment's listener closes them at
    # once; this catches what reached no listener (history written in bulk, a fix in the database).
    leaving = DunningState.objects.filter(provider=provider, overdue_since__isnull=False).exclude(
        customer_id__in=overdue_invoices.values("customer_id")
    )
    for customer_id in leaving.order_by("customer_id").values_list("customer_id", flat=True):
        if _episode_end(customer_id=customer_id, on=on, actor=actor):
            counts.cleared += 1
    policy = DunningPolicy.objects.filter(provider=provider, enabled=True).first()
    steps = list(policy.steps.all()) if policy is not None else []
    if not steps:
        return counts
    states = {
        row["customer_id"]: row
        for row in DunningState.objects.filter(
            provider=provider, customer_id__in=overdue_invoices.values("customer_id")
        )
        .values("customer_id", "episode", "overdue_since", "promise_until")
        .iterator(chunk_size=2000)
    }
    fired: dict[tuple[int, int], set[int]] = {}
    for customer_id, episode, days in DunningAction.objects.filter(
        provider=provider, customer_id__in=overdue_invoices.values("customer_id")
    ).values_list("customer_id", "episode", "days"):
        fired.setdefault((customer_id, episode), set()).add(days)
    for customer_id in sorted(overdue):
        # Read once above for everyone: a customer with nothing new to do costs no transaction.
        state = states.get(customer_id)
        if state is not None and state["overdue_since"] is not None:
            promise = state["promise_until"]
            if promise is not None and on <= promise:
                counts.paused += 1
                continue
            due = {s.days for s in steps if s.days <= (on - overdue[customer_id]).days}
            if promise is None and due <= fired.get((customer_id, state["episode"]), set()):
                continue
        taken = _customer_run(
            customer_id=customer_id, on=on, oldest_due=overdue[customer_id], steps=steps, actor=actor
        )
        if taken is None:
            counts.paused += 1
            continue
        counts.steps += len(taken)
        for action in taken:
            counts.by_action[action] = counts.by_action.get(action, 0) + 1
    return counts


def _state_for(customer: Customer) -> DunningState:
    state, _ = DunningState.objects.select_for_update().get_or_create(
        customer=customer, defaults={"provider_id": customer.provider_id}
    )
    return state


@transaction.atomic
def _customer_run(
    *, customer_id: int, on: dt.date, oldest_due: dt.date, steps: list[DunningStep], actor: Actor
) -> list[str] | None:
    """The steps taken for one overdue customer (None: paused by a promise to pay)."""
    customer = Customer.objects.select_for_update(of=("self",)).select_related("provider").get(pk=customer_id)
    state = _state_for(customer)
    if not state.in_episode:
        state.episode += 1
        state.overdue_since = oldest_due
        state.stage_days, state.stage_action, state.stage_on, state.block_change_id = None, "", None, None
        state.save()
    if state.promise_until is not None:
        if state.is_paused(on):
            return None
        _promise_lapse(customer, state, actor)
    days = (on - oldest_due).days
    fired = set(
        DunningAction.objects.filter(customer=customer, episode=state.episode).values_list("days", flat=True)
    )
    taken = []
    for step in steps:
        if step.days <= days and step.days not in fired:
            _step_take(customer, state, step, on=on, days=days, actor=actor)
            taken.append(step.action)
    return taken


def _promise_lapse(customer: Customer, state: DunningState, actor: Actor) -> None:
    until = state.promise_until
    state.promise_until, state.promise_note = None, ""
    state.save(update_fields=["promise_until", "promise_note"])
    event_record(
        customer=customer,
        actor=actor,
        kind="dunning.promise_lapsed",
        summary=f"Promise to pay by {until:%Y-%m-%d} lapsed: collections resume",
        details={"until": until},
    )


@dataclass(frozen=True)
class _Overdue:
    amount: Decimal
    oldest: Invoice | None


def _overdue_now(customer: Customer, on: dt.date) -> _Overdue:
    invoices = Invoice.objects.filter(provider_id=customer.provider_id, customer=customer).overdue(on)
    amount = invoices.aggregate(total=Sum("balance"))["total"] or ZERO
    return _Overdue(amount, invoices.order_by("due_on", "id").first())


def reminder_text(template: str, *, customer: Customer, on: dt.date, days: int, overdue: _Overdue) -> str:
    """A reminder template filled for this customer on the run's date."""
    locale = customer.provider.locale
    oldest = overdue.oldest
    return placeholders_fill(
        template,
        {
            "customer.name": lambda: customer.name,
            "customer.number": lambda: customer.number,
            "provider.name": lambda: customer.provider.name,
            "amount_overdue": lambda: money_text(overdue.amount, customer.currency, locale),
            "days_overdue": lambda: days,
            "oldest_invoice": lambda: oldest.number if oldest else "",
            "oldest_due_on": lambda: date_text(oldest.due_on) if oldest else "",
        },
    )


def _step_take(
    customer: Customer, state: DunningState, step: DunningStep, *, on: dt.date, days: int, actor: Actor
) -> DunningAction:
    action = DunningAction(
        provider_id=customer.provider_id,
        customer=customer,
        episode=state.episode,
        days=step.days,
        action=step.action,
        run_on=on,
        at=clock.now(),
    )
    details: dict[str, Any] = {"days": step.days, "episode": state.episode}
    if step.is_reminder:
        overdue = _overdue_now(customer, on)
        body = reminder_text(step.body, customer=customer, on=on, days=days, overdue=overdue)
        try:
            with transaction.atomic():  # no address on file: recorded, the run goes on
                if step.is_email:
                    subject = reminder_text(
                        step.subject, customer=customer, on=on, days=days, overdue=overdue
                    )
                    message = messaging.message_send_email(
                        customer=customer, subject=subject, body=body, actor=actor
                    )
                else:
                    message = messaging.message_send_sms(customer=customer, body=body, actor=actor)
        except ValidationFailed as error:
            action.outcome = f"{step.get_action_display()} not sent: {error.message or 'no address on file'}"
        else:
            action.message_id = message.pk
            action.outcome = f"{step.get_action_display()} sent to {message.to}"
    elif step.is_fee:
        assert step.fee is not None
        invoice = billing.invoice_issue(
            customer=customer,
            lines=[{"description": f"Late fee: {step.days} days overdue", "unit_price": str(step.fee)}],
            actor=actor,
            issued_on=on,
            source_key=f"dunning:{customer.pk}:{state.episode}:{step.days}",
            memo="Late fee",
        )
        action.invoice_id = invoice.pk
        action.outcome = f"Late fee of {amount_slot('fee')} added on invoice {invoice.number}"
        details["fee"] = to_str(step.fee)
    elif customer.status == Status.ACTIVE:
        customer_status_change(
            customer=customer, status=Status.BLOCKED, reason=f"Collections: {days} days overdue", actor=actor
        )
        state.block_change_id = (
            StatusChange.objects.filter(customer=customer)
            .order_by("-id")
            .values_list("pk", flat=True)
            .first()
        )
        action.outcome = "Account blocked"
    else:
        action.outcome = f"Account not blocked: it is {customer.get_status_display().lower()}"
    action.save()
    state.stage_days, state.stage_action, state.stage_on = step.days, step.action, on
    state.save()
    event_record(
        customer=customer,
        actor=actor,
        kind="dunning.step_taken",
        summary=f"Collections, {step.days} days overdue: {action.outcome}",
        subject=action,
        details=details,
    )
    return action


# ---------------------------------------------------------------- the end of an episode


def _episode_end(*, customer_id: int, on: dt.date, actor: Actor) -> bool:
    """Close the customer's open episode if nothing is overdue on `on`: lift dunning's block (only
    while it is still the account's latest status change) and forget the promise. Inside the
    caller's transaction when there is one (a payment), else in its own."""
    with transaction.atomic():
        customer = (
            Customer.objects.select_for_update(of=("self",)).select_related("provider").get(pk=customer_id)
        )
        state = DunningState.objects.select_for_update().filter(customer=customer).first()
        if state is None or not state.in_episode:
            return False
        if Invoice.objects.filter(provider_id=customer.provider_id, customer=customer).overdue(on).exists():
            return False
        lifted = False
        if state.block_change_id is not None and customer.status == Status.BLOCKED:
            latest = (
                StatusChange.objects.filter(customer=customer).order_by("-id").values_list("pk", flat=True)
            )
            if latest.first() == state.block_change_id:
                customer_status_change(
                    customer=customer, status=Status.ACTIVE, reason="Overdue balance paid", actor=actor
                )
                lifted = True
        had_steps = bool(state.stage_action)
        state.overdue_since, state.stage_days, state.stage_action, state.stage_on = None, None, "", None
        state.promise_until, state.promise_note, state.block_change_id = None, "", None
        state.save()
        if had_steps:
            event_record(
                customer=customer,
                actor=actor,
                kind="dunning.cleared",
                summary="Overdue balance cleared: collections stopped" + (", block lifted" if lifted else ""),
                details={"block_lifted": lifted},
            )
        return True


def arrears_cleared(entry: Activity) -> None:
    """A listener on the writes that lower what is owed (payments, credit applied, voids): when the
    customer has an open episode and nothing is overdue any more, the episode ends, inside that
    write's transaction. Costs one query for customers not in collections."""
    if entry.customer_id is None:
        return
    if not DunningState.objects.filter(customer_id=entry.customer_id, overdue_since__isnull=False).exists():
        return
    _episode_end(customer_id=entry.customer_id, on=clock.today(), actor=Actor.system(entry.customer.provider))


ARREARS_KINDS = ("payment.recorded", "credit.applied", "credit.issued", "invoice.voided")


# ---------------------------------------------------------------- promise to pay


@transaction.atomic
def promise_to_pay_make(*, customer: Customer, until: object, note: str = "", actor: Actor) -> DunningState:
    """Pause the customer's collections steps up to and including `until` (at most
    PROMISE_MAX_DAYS ahead). It lapses by itself: the first run after that day resumes the steps."""
    require(actor, "dunning.promise")
    require_same_provider(actor, customer)
    day = parse_date(until, field="until")
    today = clock.today()
    if day <= today:
        raise ValidationFailed("Choose a day after today.", fields={"until": "Choose a day after today."})
    latest = today + dt.timedelta(days=PROMISE_MAX_DAYS)
    if day > latest:
        message = f"A promise to pay runs at most {PROMISE_MAX_DAYS} days, to {date_text(latest)}."
        raise ValidationFailed(message, fields={"until": message})
    note = parse_text(note, field="note", max_length=300, single_line=True)
    customer = Customer.objects.select_for_update(of=("self",)).get(pk=customer.pk)
    state = _state_for(customer)
    state.promise_until, state.promise_note = day, note
    state.save(update_fields=["promise_until", "promise_note"])
    event_record(
        customer=customer,
        actor=actor,
        kind="dunning.promise_made",
        summary=f"Promise to pay by {day:%Y-%m-%d}" + (f" ({note})" if note else ""),
        subject=state,
        details={"until": day, "note": note},
    )
    return state
