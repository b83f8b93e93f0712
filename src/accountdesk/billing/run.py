"""The billing run: everything due on a date, issued once.

Apps register what they bill with `register_billable(name, fn)`; fn(*, provider, on, actor) issues
what is due on `on` for that provider and returns how many invoices it issued. Each fn must be
idempotent for a date (billing uses invoice source keys), so running the same date twice issues
nothing twice. The actor is the system (activity actor type "system").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django_tasks import task

from accountdesk.core.actors import Actor

Billable = Callable[..., int]
BILLABLES: dict[str, Billable] = {}
# A recurring invoice left unrun for years is caught up at most this many periods per run (as
# subscriptions are), so one forgotten schedule cannot hold a run for thousands of invoices.
MAX_RECURRING_PERIODS_PER_RUN = 36


def register_billable(name: str, fn: Billable) -> None:
    BILLABLES[name] = fn


def billing_run(*, provider, on: dt.date) -> dict[str, int]:
    """Run every registered billable for one provider; returns {name: invoices issued}."""
    actor = Actor.system(provider)
    return {name: fn(provider=provider, on=on, actor=actor) for name, fn in BILLABLES.items()}


def bill_recurring(*, provider, on: dt.date, actor: Actor) -> int:
    from accountdesk.billing.models import RecurringInvoice, RecurringStatus
    from accountdesk.billing.services import recurring_invoice_run

    issued = 0
    due = RecurringInvoice.objects.filter(
        provider=provider, status=RecurringStatus.ACTIVE, next_run_on__lte=on
    )
    for pk in due.order_by("id").values_list("pk", flat=True).iterator():
        # A recurring invoice behind by several periods catches up one period per pass, at most
        # MAX_RECURRING_PERIODS_PER_RUN of them: the next runs issue the rest.
        for _ in range(MAX_RECURRING_PERIODS_PER_RUN):
            recurring = RecurringInvoice.objects.select_related("customer__provider").get(pk=pk)
            if recurring.status != RecurringStatus.ACTIVE or recurring.next_run_on > on:
                break
            if recurring_invoice_run(recurring=recurring, on=on, actor=actor) is not None:
                issued += 1
    return issued


def bill_instalments(*, provider, on: dt.date, actor: Actor) -> int:
    if not provider.has_module("instalments"):
        return 0
    from accountdesk.billing.models import InstalmentPurchase
    from accountdesk.billing.services import instalment_bill

    issued = 0
    due = InstalmentPurchase.objects.filter(provider=provider, next_bill_on__lte=on)
    for pk in due.order_by("id").values_list("pk", flat=True).iterator():
        while True:
            purchase = InstalmentPurchase.objects.select_related("customer__provider").get(pk=pk)
            if purchase.next_bill_on is None or purchase.next_bill_on > on:
                break
            if instalment_bill(purchase=purchase, on=on, actor=actor) is None:
                break
            issued += 1
    return issued


register_billable("recurring_invoices", bill_recurring)
register_billable("instalments", bill_instalments)


@task()
def billing_run_task(on: str, provider_id: int | None = None) -> dict:
    """The scheduled run: every provider (or one), for the date given as YYYY-MM-DD."""
    from accountdesk.tenancy.models import Provider

    providers = Provider.objects.all() if provider_id is None else Provider.objects.filter(pk=provider_id)
    day = dt.date.fromisoformat(on)
    return {p.slug: billing_run(provider=p, on=day) for p in providers.order_by("id")}
