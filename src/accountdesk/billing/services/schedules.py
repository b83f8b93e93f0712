"""Instalment purchases and recurring invoices, billed by the billing run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from accountdesk.activity.rendering import amount_slot
from accountdesk.activity.services import event_record
from accountdesk.billing.instalments import add_months
from accountdesk.billing.models import (
    CYCLE_MONTHS,
    Cycle,
    InstalmentPurchase,
    Invoice,
    RecurringInvoice,
    RecurringStatus,
)
from accountdesk.billing.services.invoices import invoice_issue
from accountdesk.core import clock, periods
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, ValidationFailed
from accountdesk.core.money import (
    ZERO,
    quantize,
    to_str,
)
from accountdesk.core.parse import parse_amount, parse_choice, parse_date, parse_decimal, parse_text
from accountdesk.core.permissions import require
from accountdesk.core.tenancy import require_module
from accountdesk.customers.models import Customer


@transaction.atomic
def instalment_create(
    *,
    customer: Customer,
    description: str,
    total: object,
    instalments_total: int,
    actor: Actor,
    purchased_on: dt.date | None = None,
) -> InstalmentPurchase:
    """An instalment purchase: `total` split into equal instalments (rounded half up; the last
    instalment takes the difference), billed monthly by the billing run from the purchase date."""
    require_module(customer.provider, "instalments")
    require(actor, "billing.instalments")
    description = parse_text(
        description, field="description", max_length=200, required=True, single_line=True
    )
    total = parse_amount(total, field="total")
    if (
        isinstance(instalments_total, bool)
        or not isinstance(instalments_total, int)
        or not 1 <= instalments_total <= 120
    ):
        raise ValidationFailed("From 1 to 120 instalments.", fields={"instalments_total": "From 1 to 120."})
    purchased_on = (
        parse_date(purchased_on, field="purchased_on") if purchased_on is not None else clock.today()
    )
    purchase = InstalmentPurchase.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        description=description,
        purchased_on=purchased_on,
        total=total,
        instalments_total=instalments_total,
        instalment_amount=quantize(total / instalments_total),
        next_bill_on=purchased_on,
        created_at=clock.now(),
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="instalment.created",
        summary=(
            f"Instalment purchase: {description}, {amount_slot('total')} in {instalments_total} instalments"
        ),
        subject=purchase,
        details={"total": to_str(total), "instalments": instalments_total},
    )
    return purchase


def instalment_bill(*, purchase: InstalmentPurchase, on: dt.date, actor: Actor) -> Invoice | None:
    """Issue the instalment due on `on` (idempotent by its number)."""
    with transaction.atomic():
        purchase = InstalmentPurchase.objects.select_for_update().get(pk=purchase.pk)
        if purchase.instalments_remaining <= 0 or purchase.next_bill_on is None or purchase.next_bill_on > on:
            return None
        index, n = purchase.instalments_billed + 1, purchase.instalments_total
        is_last = index == purchase.instalments_total
        amount = purchase.remaining_amount if is_last else purchase.instalment_amount
        invoice = invoice_issue(
            customer=purchase.customer,
            lines=[
                {
                    "description": f"{purchase.description}: instalment {index} of {n}",
                    "unit_price": str(amount),
                }
            ],
            issued_on=on,
            actor=actor,
            source_key=f"instalment:{purchase.pk}:{index}",
        )
        purchase.instalments_billed = index
        purchase.next_bill_on = None if is_last else add_months(purchase.purchased_on, index)
        purchase.save(update_fields=["instalments_billed", "next_bill_on"])
        event_record(
            customer=purchase.customer,
            actor=actor,
            kind="instalment.billed",
            summary=f"Instalment {index} of {purchase.instalments_total} billed: {purchase.description}",
            subject=purchase,
        )
        return invoice


@transaction.atomic
def recurring_invoice_create(
    *,
    customer: Customer,
    description: str,
    amount: object,
    actor: Actor,
    schedule: str = Cycle.MONTHLY,
    next_run_on: dt.date | None = None,
    tax_rate: object = "0",
) -> RecurringInvoice:
    require(actor, "billing.invoice")
    description = parse_text(
        description, field="description", max_length=200, required=True, single_line=True
    )
    amount = parse_amount(amount)
    schedule = parse_choice(schedule, field="schedule", choices=Cycle)
    tax = parse_decimal(tax_rate, field="tax_rate", places=4, low=ZERO, high=Decimal("1"))
    next_run_on = parse_date(next_run_on, field="next_run_on") if next_run_on is not None else clock.today()
    recurring = RecurringInvoice.objects.create(
        provider_id=customer.provider_id,
        customer=customer,
        description=description,
        schedule=schedule,
        amount=amount,
        tax_rate=tax,
        anchor_day=next_run_on.day,
        next_run_on=next_run_on,
        created_at=clock.now(),
    )
    event_record(
        customer=customer,
        actor=actor,
        kind="recurring_invoice.created",
        summary=f"Recurring invoice: {description}, {amount_slot('amount')} {schedule}",
        subject=recurring,
        details={"amount": to_str(amount)},
    )
    return recurring


@transaction.atomic
def recurring_invoice_status_change(
    *, recurring: RecurringInvoice, status: str, actor: Actor
) -> RecurringInvoice:
    """Pause, resume or end a recurring invoice; an ended one stays ended."""
    require(actor, "billing.invoice")
    status = parse_choice(status, field="status", choices=RecurringStatus)
    # Locked as the billing run locks it, so a run never issues from a schedule paused meanwhile.
    recurring = RecurringInvoice.objects.select_for_update().get(pk=recurring.pk)
    old = recurring.status
    if not recurring.can_become(status):
        if old == RecurringStatus.ENDED:
            raise Conflict("An ended recurring invoice cannot change.")
        raise Conflict(f"This recurring invoice is already {recurring.get_status_display().lower()}.")
    recurring.status = status
    details: dict[str, Any] = {"status": [old, status]}
    today = clock.today()
    if status == RecurringStatus.ACTIVE and recurring.next_run_on < today:
        # Resumed after a pause: the runs missed while paused are not billed; the schedule goes
        # on from its first run on or after today.
        next_run_on = _first_run_on_or_after(recurring, today)
        details["next_run_on"] = [recurring.next_run_on, next_run_on]
        recurring.next_run_on = next_run_on
    recurring.save(update_fields=["status", "next_run_on"])
    event_record(
        customer=recurring.customer,
        actor=actor,
        kind="recurring_invoice.status_changed",
        summary=f"Recurring invoice {recurring.description}: {old} → {status}",
        subject=recurring,
        details=details,
    )
    return recurring


def recurring_invoice_run(*, recurring: RecurringInvoice, on: dt.date, actor: Actor) -> Invoice | None:
    """Issue the run due on or before `on`, and move next_run_on one period on."""
    with transaction.atomic():
        recurring = RecurringInvoice.objects.select_for_update().get(pk=recurring.pk)
        if recurring.status != RecurringStatus.ACTIVE or recurring.next_run_on > on:
            return None
        run_on = recurring.next_run_on
        invoice = invoice_issue(
            customer=recurring.customer,
            lines=[
                {
                    "description": recurring.description,
                    "unit_price": str(recurring.amount),
                    "tax_rate": str(recurring.tax_rate),
                }
            ],
            issued_on=run_on,
            actor=actor,
            source_key=f"recurring:{recurring.pk}:{run_on.isoformat()}",
        )
        recurring.next_run_on = next_run_after(
            run_on=run_on, months=CYCLE_MONTHS[recurring.schedule], anchor_day=recurring.anchor_day
        )
        recurring.save(update_fields=["next_run_on"])
        return invoice


def next_run_after(*, run_on: dt.date, months: int, anchor_day: int) -> dt.date:
    """The next run: `months` on, on the anchor day (clamped to the month's last day), so a
    schedule anchored on the 31st runs on 28/29 Feb and is back on the 31st in March."""
    return periods.next_period_start(run_on, months=months, anchor_day=anchor_day, first_month=run_on.month)


def _first_run_on_or_after(recurring: RecurringInvoice, day: dt.date) -> dt.date:
    """The schedule's first run on or after `day`, in the phase of its runs so far."""
    return periods.period_start_on_or_after(
        day,
        months=CYCLE_MONTHS[recurring.schedule],
        anchor_day=recurring.anchor_day,
        first_month=recurring.next_run_on.month,
    )
