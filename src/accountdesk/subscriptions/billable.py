"""The subscriptions' part of the billing run: invoice each period due, pro-rated (see proration.py).

Registered with billing.run when billing is installed. Each period is its own invoice with a
source key naming the subscription and the period's first day, so a re-run (or a crash halfway)
never invoices a day twice: billing returns the invoice it already issued for a known key.
"""

import datetime as dt
import re

from django.db import transaction
from django.db.models import Min

from accountdesk.activity.rendering import amount_slot
from accountdesk.activity.services import event_record
from accountdesk.billing.models import BillingProfile
from accountdesk.core.actors import Actor
from accountdesk.core.money import to_str
from accountdesk.subscriptions.models import Subscription, SubscriptionStatus
from accountdesk.subscriptions.proration import anchor_day_of, charge_for

S = SubscriptionStatus
# A subscription left unbilled for years is caught up at most this many periods per run.
MAX_PERIODS_PER_RUN = 36


def subscriptions_bill(*, provider, on: dt.date, actor: Actor) -> int:
    """Start pending subscriptions due by `on` and invoice every period starting on or before `on`.
    Returns how many invoices were issued."""
    _activate_pending(provider=provider, on=on, actor=actor)
    due = (
        Subscription.objects.filter(
            provider=provider, status__in=(S.ACTIVE, S.CANCELLED), next_bill_on__lte=on
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    issued = 0
    for subscription_id in list(due.iterator(chunk_size=2000)):
        issued += _bill_one(subscription_id, on=on, actor=actor)
    return issued


def _activate_pending(*, provider, on: dt.date, actor: Actor) -> None:
    pending = Subscription.objects.filter(provider=provider, status=S.PENDING, started_on__lte=on)
    for subscription in pending.select_related("package", "customer").order_by("id").iterator(chunk_size=500):
        with transaction.atomic():
            updated = Subscription.objects.filter(pk=subscription.pk, status=S.PENDING).update(
                status=S.ACTIVE
            )
            if updated:
                event_record(
                    customer=subscription.customer,
                    actor=actor,
                    kind="subscription.activated",
                    summary=f"{subscription.package.name} started",
                    subject=subscription,
                    details={"status": [S.PENDING, S.ACTIVE]},
                )


@transaction.atomic
def _bill_one(subscription_id: int, *, on: dt.date, actor: Actor) -> int:
    from accountdesk.billing.services import invoice_issue

    subscription = (
        # Only the subscription row is locked: the billing profile may be missing (an outer join).
        Subscription.objects.select_for_update(of=("self",))
        .select_related("package", "customer__provider", "customer__billing_profile")
        .get(pk=subscription_id)
    )
    anchor_day = anchor_day_of(subscription.customer)
    issued = 0
    for _ in range(MAX_PERIODS_PER_RUN):
        bill_from = subscription.next_bill_on
        if bill_from is None or bill_from > on or subscription.status not in (S.ACTIVE, S.CANCELLED):
            break
        charge = charge_for(
            subscription.price,
            months=subscription.package.months,
            bill_from=bill_from,
            ends_on=subscription.ends_on,
            anchor_day=anchor_day,
        )
        if charge is None:
            subscription.next_bill_on = None
            break
        start, until, amount = charge
        last_day = until - dt.timedelta(days=1)
        finished = subscription.ends_on is not None and until > subscription.ends_on
        subscription.next_bill_on = None if finished else until
        if amount == 0:
            continue  # a free package: nothing to invoice, the period still counts as billed
        description = period_line(subscription.package.name, start, last_day)
        invoice = invoice_issue(
            customer=subscription.customer,
            lines=[{"description": description, "quantity": 1, "unit_price": amount}],
            issued_on=on,
            actor=actor,
            source_key=f"subscription:{subscription.pk}:{start.isoformat()}",
        )
        event_record(
            customer=subscription.customer,
            actor=actor,
            kind="subscription.billed",
            summary=f"{description}: {amount_slot('amount')}",
            subject=subscription,
            details={
                "invoice": getattr(invoice, "number", invoice.pk),
                "from": start,
                "to": last_day,
                "amount": to_str(amount),
            },
        )
        issued += 1
    subscription.save(update_fields=["next_bill_on", "updated_at"])
    profile_next_bill_sync(customer=subscription.customer)
    return issued


def period_line(name: str, start: dt.date, last_day: dt.date) -> str:
    """The invoice line of one billed period: "Fibre 100, 01 Dec 2026 to 31 Dec 2026"."""
    return f"{name}, {start:%d %b %Y} to {last_day:%d %b %Y}"


_PERIOD = re.compile(r", (\d{2} [A-Z][a-z]{2} \d{4}) to (\d{2} [A-Z][a-z]{2} \d{4})$")


def period_of_line(description: str) -> tuple[dt.date, dt.date] | None:
    """The period [start, day after the last) a line written by period_line() bills, else None."""
    found = _PERIOD.search(description)
    if found is None:
        return None
    start, last = (dt.datetime.strptime(text, "%d %b %Y").date() for text in found.groups())
    return start, last + dt.timedelta(days=1)


def next_bill_of(customer_id: int) -> dt.date | None:
    """The customer's next bill: the earliest first-unbilled day of its subscriptions still billed
    (pending, active, or cancelled with a last period to bill); a suspended one bills nothing."""
    return (
        Subscription.objects.filter(customer_id=customer_id, next_bill_on__isnull=False)
        .exclude(status=S.SUSPENDED)
        .aggregate(first=Min("next_bill_on"))["first"]
    )


def profile_next_bill_sync(*, customer) -> None:
    """Keep the billing profile's next bill date on the first period not yet billed."""
    BillingProfile.objects.filter(customer_id=customer.pk).update(next_bill_date=next_bill_of(customer.pk))


def register() -> None:
    """Hook the subscriptions into the billing run, when billing provides one."""
    try:
        from accountdesk.billing.run import register_billable
    except ModuleNotFoundError as exc:
        if exc.name not in ("accountdesk.billing.run", "accountdesk.billing"):
            raise
        return
    register_billable("subscriptions", subscriptions_bill)
