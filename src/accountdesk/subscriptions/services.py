import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from accountdesk.activity.rendering import amount_slot
from accountdesk.activity.services import event_record
from accountdesk.billing.models import Cycle
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, NotFound, ValidationFailed
from accountdesk.core.money import to_str
from accountdesk.core.parse import parse_amount
from accountdesk.core.permissions import require
from accountdesk.core.security_log import settings_record
from accountdesk.core.text import refuse_card_number
from accountdesk.customers.models import Customer
from accountdesk.subscriptions import proration
from accountdesk.subscriptions.billable import profile_next_bill_sync
from accountdesk.subscriptions.models import Package, Subscription, SubscriptionStatus, UsageUnit
from accountdesk.subscriptions.selectors import package_get
from accountdesk.tenancy.models import Provider

S = SubscriptionStatus


def _package(provider: Provider, package_id: object) -> Package:
    """A package of the provider's catalogue; an unknown id (or another provider's) is a bad field."""
    try:
        package = package_get(provider=provider, pk=package_id)
    except NotFound:
        raise ValidationFailed("Unknown package.", fields={"package_id": "Choose a package."}) from None
    if not package.active:
        raise ValidationFailed(
            "This package is no longer offered.", fields={"package_id": "Choose an active package."}
        )
    return package


def _lock(subscription: Subscription) -> Subscription:
    return (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("package", "customer")
        .get(pk=subscription.pk)
    )


@transaction.atomic
def package_create(
    *,
    provider: Provider,
    name: str,
    price: object,
    frequency: str = Cycle.MONTHLY,
    usage_allowance: int | None = None,
    usage_unit: str | None = None,
    actor: Actor,
) -> Package:
    require(actor, "provider.manage")
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Name the package."
    elif Package.objects.filter(provider=provider, name__iexact=name).exists():
        errors["name"] = "A package with this name exists."
    if frequency not in Cycle.values:
        errors["frequency"] = "Choose monthly, quarterly or annual."
    if (usage_allowance is None) != (usage_unit is None):
        errors["usage_allowance"] = "Give both the allowance and its unit, or neither."
    elif usage_unit is not None and usage_unit not in UsageUnit.values:
        errors["usage_unit"] = "Choose bytes, minutes or messages."
    elif usage_allowance is not None and usage_allowance <= 0:
        errors["usage_allowance"] = "The allowance must be more than zero."
    if errors:
        raise ValidationFailed(fields=errors)
    values = {
        "name": name,
        "price": parse_amount(price, field="price", allow_zero=True),
        "frequency": frequency,
        "usage_allowance": usage_allowance,
        "usage_unit": usage_unit,
    }
    package = Package.objects.create(provider=provider, **values)
    settings_record(provider=provider, actor=actor, summary=f"Package {name} added", new=values)
    return package


@transaction.atomic
def subscription_add(
    *,
    customer: Customer,
    package_id: object,
    started_on: dt.date,
    ends_on: dt.date | None = None,
    price: object = None,
    actor: Actor,
) -> Subscription:
    """Subscribe the customer to a package; it is pending until its start date."""
    require(actor, "subscriptions.edit")
    package = _package(customer.provider, package_id)
    amount = package.price if price in (None, "") else parse_amount(price, field="price", allow_zero=True)
    if ends_on is not None and ends_on < started_on:
        raise ValidationFailed(
            "The end is before the start.", fields={"ends_on": "End on or after the start."}
        )
    status = S.PENDING if started_on > clock.today() else S.ACTIVE
    subscription = Subscription.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        package=package,
        status=status,
        started_on=started_on,
        ends_on=ends_on,
        price=amount,
        next_bill_on=started_on,
    )
    profile_next_bill_sync(customer=customer)
    event_record(
        customer=customer,
        actor=actor,
        kind="subscription.created",
        summary=f"Subscribed to {package.name} at {amount_slot('price')} from {started_on:%Y-%m-%d}",
        subject=subscription,
        details={
            "package": package.name,
            "price": to_str(amount),
            "started_on": started_on,
            "ends_on": ends_on,
        },
    )
    return subscription


@transaction.atomic
def subscription_change(
    *, subscription: Subscription, package_id: object = None, price: object = None, actor: Actor
) -> Subscription:
    """Move to another package (its price unless one is given) or change the price alone.

    Takes effect from the next invoice: what has been billed stays billed."""
    require(actor, "subscriptions.edit")
    subscription = _lock(subscription)
    if not subscription.can_change:
        raise Conflict("A cancelled subscription cannot be changed.")
    changes: dict[str, list[Any]] = {}
    if package_id not in (None, "") and str(package_id) != str(subscription.package_id):
        package = _package(subscription.customer.provider, package_id)
        changes["package"] = [subscription.package.name, package.name]
        subscription.package = package
        if price in (None, ""):
            price = package.price
    if price not in (None, ""):
        amount = parse_amount(price, field="price", allow_zero=True)
        if amount != subscription.price:
            changes["price"] = [to_str(subscription.price), to_str(amount)]
            subscription.price = amount
    if not changes:
        return subscription
    subscription.save(update_fields=["package", "price", "updated_at"])
    event_record(
        customer=subscription.customer,
        actor=actor,
        kind="subscription.changed",
        summary="Subscription changed: " + ", ".join(_change_text(k, pair) for k, pair in changes.items()),
        subject=subscription,
        details=changes,
    )
    return subscription


def _change_text(field: str, pair: list[Any]) -> str:
    if field == "price":  # the figures stay in the details, shown to who may see money
        return f"price {amount_slot('price', 0)} → {amount_slot('price', 1)}"
    return f"{field} {pair[0]} → {pair[1]}"


@transaction.atomic
def subscription_suspend(*, subscription: Subscription, reason: str = "", actor: Actor) -> Subscription:
    """Pause the service and its billing; the period already invoiced stays invoiced."""
    require(actor, "subscriptions.edit")
    refuse_card_number(reason, "reason")
    subscription = _lock(subscription)
    if not subscription.can_suspend:
        raise Conflict(f"Only an active subscription can be suspended (this one is {subscription.status}).")
    subscription.status = S.SUSPENDED
    subscription.save(update_fields=["status", "updated_at"])
    profile_next_bill_sync(customer=subscription.customer)
    event_record(
        customer=subscription.customer,
        actor=actor,
        kind="subscription.suspended",
        summary=f"{subscription.package.name} suspended" + (f": {reason}" if reason else ""),
        subject=subscription,
        details={"status": [S.ACTIVE, S.SUSPENDED], "reason": reason},
    )
    return subscription


@transaction.atomic
def subscription_resume(*, subscription: Subscription, actor: Actor) -> Subscription:
    """Resume a suspended subscription. Days while suspended are not billed: billing restarts today
    (pro-rated to the end of the period) unless it was already paid beyond today."""
    require(actor, "subscriptions.edit")
    subscription = _lock(subscription)
    if not subscription.can_resume:
        raise Conflict(f"Only a suspended subscription can be resumed (this one is {subscription.status}).")
    today = clock.today()
    subscription.status = S.ACTIVE
    if subscription.next_bill_on is not None and subscription.next_bill_on < today:
        subscription.next_bill_on = today
    subscription.save(update_fields=["status", "next_bill_on", "updated_at"])
    profile_next_bill_sync(customer=subscription.customer)
    event_record(
        customer=subscription.customer,
        actor=actor,
        kind="subscription.resumed",
        summary=f"{subscription.package.name} resumed",
        subject=subscription,
        details={"status": [S.SUSPENDED, S.ACTIVE], "next_bill_on": subscription.next_bill_on},
    )
    return subscription


@transaction.atomic
def subscription_cancel(
    *, subscription: Subscription, ends_on: dt.date | None = None, reason: str = "", actor: Actor
) -> Subscription:
    """Cancel with a last day of service (today by default). The last period is billed pro rata;
    a pending subscription that never started is simply called off."""
    require(actor, "subscriptions.edit")
    refuse_card_number(reason, "reason")
    subscription = _lock(subscription)
    if not subscription.can_change:
        raise Conflict("This subscription is already cancelled.")
    today = clock.today()
    old_status = subscription.status
    if ends_on is not None and ends_on < subscription.started_on:
        raise ValidationFailed(
            "The end is before the start.", fields={"ends_on": "End on or after the start date."}
        )
    overbilled = Decimal("0.00")
    if old_status == S.PENDING and ends_on is None:
        # Called off before it started: no day of service, nothing to bill.
        subscription.next_bill_on = None
    else:
        ends_on = ends_on or today
        if subscription.next_bill_on is not None and subscription.next_bill_on > ends_on:
            overbilled = _already_billed_after(subscription, ends_on)
            subscription.next_bill_on = None
    subscription.status = S.CANCELLED
    subscription.ends_on = ends_on
    subscription.cancelled_on = today
    subscription.save(update_fields=["status", "ends_on", "cancelled_on", "next_bill_on", "updated_at"])
    profile_next_bill_sync(customer=subscription.customer)
    event_record(
        customer=subscription.customer,
        actor=actor,
        kind="subscription.cancelled",
        summary=f"{subscription.package.name} cancelled"
        + (f", last day {ends_on:%Y-%m-%d}" if ends_on else " before it started")
        + (f": {reason}" if reason else ""),
        subject=subscription,
        details={
            "status": [old_status, S.CANCELLED],
            "ends_on": ends_on,
            "reason": reason,
            # Invoiced in advance for days after the end: what a credit should return (billing's call).
            "billed_after_end": to_str(overbilled),
        },
    )
    return subscription


def _already_billed_after(subscription: Subscription, ends_on: dt.date) -> Decimal:
    """The pro-rata value of days already invoiced after `ends_on` (up to next_bill_on)."""
    total = Decimal("0.00")
    day = max(ends_on + dt.timedelta(days=1), subscription.started_on)
    until = subscription.next_bill_on
    months = subscription.package.months
    anchor_day = proration.anchor_day_of(subscription.customer)
    while until is not None and day < until:
        start, end = proration.period_containing(day, months, anchor_day)
        stop = min(end, until)
        total += proration.prorate(
            subscription.price, days_used=(stop - day).days, days_in_period=(end - start).days
        )
        day = stop
    return total
