"""A customer's money as it stood at an instant, rebuilt from the ledger.

The state at an instant is the ledger balance, what has been paid in all (lifetime value) and the
balance of every invoice open then. It is the monthly snapshot at the start of the instant's month
(MoneySnapshot) plus a replay of the ledger entries since: the entries say which invoices were
approved or voided, which payments and refunds came in (their allocations say which invoices they
paid or reopened) and which invoices had credit applied. A month of replay costs a handful of
indexed queries whatever the account's age; a month without its snapshot is rebuilt once from the
latest earlier snapshot (or from the first entry) and stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import IntegerField, Value
from django.utils import timezone

from accountdesk.billing.models import (
    CreditApplication,
    Invoice,
    LedgerEntry,
    LedgerKind,
    PaymentAllocation,
)
from accountdesk.core import clock
from accountdesk.core.money import ZERO, quantize, to_str
from accountdesk.customers.models import Customer
from accountdesk.history.models import MoneySnapshot


def day_end(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the site's time zone: "as of the end of the day" is
    everything dated before it."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


@dataclass
class MoneyState:
    ledger_balance: Decimal = ZERO
    lifetime_value: Decimal = ZERO
    # invoice id -> (open balance, due on), for the invoices with money owed on them.
    open: dict[int, tuple[Decimal, dt.date]] = field(default_factory=dict)

    @property
    def total_due(self) -> Decimal:
        return sum((balance for balance, _ in self.open.values()), ZERO)

    @property
    def account_credit(self) -> Decimal:
        """The ledger balance is what is owed less the credit not yet applied."""
        return self.total_due - self.ledger_balance

    @property
    def earliest_open_due_on(self) -> dt.date | None:
        return min((due for _, due in self.open.values()), default=None)

    def balance_of(self, invoice_id: int) -> Decimal:
        return self.open[invoice_id][0] if invoice_id in self.open else ZERO


def _from_snapshot(snapshot: MoneySnapshot) -> MoneyState:
    return MoneyState(
        ledger_balance=snapshot.ledger_balance,
        lifetime_value=snapshot.lifetime_value,
        open={
            int(pk): (Decimal(balance), dt.date.fromisoformat(due))
            for pk, balance, due in snapshot.open_invoices
        },
    )


def replay(
    customer: Customer, state: MoneyState, *, start: dt.datetime | None, end: dt.datetime
) -> MoneyState:
    """`state` (the books before `start`; empty when start is None) moved on by every ledger entry
    dated in [start, end). Two queries whatever the entries: the entries, then in one statement
    the invoices they approved, the allocations of the payments and refunds among them and the
    credit they applied, each with its invoice's due date."""
    window = LedgerEntry.objects.filter(customer=customer, at__lt=end)
    applied = CreditApplication.objects.filter(applied_at__lt=end)
    if start is not None:
        window = window.filter(at__gte=start)
        applied = applied.filter(applied_at__gte=start)
    rows = list(window.order_by("at", "id").values_list("kind", "amount", "running_balance", "subject_id"))

    def subjects(*kinds: str):
        return window.filter(kind__in=kinds).values("subject_id")

    moves = (
        Invoice.objects.filter(pk__in=subjects(LedgerKind.INVOICE_APPROVED))
        .annotate(sign=Value(1, output_field=IntegerField()))
        .values_list("sign", "id", "total", "due_on")
        .order_by()
        .union(
            PaymentAllocation.objects.filter(payment_id__in=subjects(LedgerKind.PAYMENT, LedgerKind.REFUND))
            .annotate(sign=Value(-1, output_field=IntegerField()))
            .values_list("sign", "invoice_id", "amount", "invoice__due_on")
            .order_by(),
            applied.filter(invoice_id__in=subjects(LedgerKind.CREDIT_APPLIED))
            .annotate(sign=Value(-1, output_field=IntegerField()))
            .values_list("sign", "invoice_id", "amount", "invoice__due_on")
            .order_by(),
            all=True,
        )
    )
    moved = list(moves)
    if not rows:
        return state
    voided = {subject_id for kind, _, _, subject_id in rows if kind == LedgerKind.INVOICE_VOIDED}
    # A payment lowers what is owed (a negative entry) and adds to what has been paid.
    paid = -sum(
        (amount for kind, amount, _, _ in rows if kind in (LedgerKind.PAYMENT, LedgerKind.REFUND)), ZERO
    )
    balances = {pk: balance for pk, (balance, _) in state.open.items()}
    due_on = {pk: due for pk, (_, due) in state.open.items()}
    for sign, invoice_id, amount, due in moved:
        balances[invoice_id] = balances.get(invoice_id, ZERO) + sign * quantize(Decimal(amount))
        due_on[invoice_id] = due if isinstance(due, dt.date) else dt.date.fromisoformat(str(due))
    return MoneyState(
        ledger_balance=rows[-1][2],
        lifetime_value=quantize(state.lifetime_value + paid),
        open={pk: (b, due_on[pk]) for pk, b in balances.items() if b > 0 and pk not in voided},
    )


def _snapshot_at(customer: Customer, month: dt.date) -> MoneyState:
    """The books at the start of `month`: its stored snapshot, or one rebuilt and stored now."""
    found = MoneySnapshot.objects.filter(customer=customer, month__lte=month).order_by("-month").first()
    if found is not None and found.month == month:
        return _from_snapshot(found)
    start_at = timezone.make_aware(dt.datetime.combine(month, dt.time()))
    base = _from_snapshot(found) if found is not None else MoneyState()
    base_at = timezone.make_aware(dt.datetime.combine(found.month, dt.time())) if found is not None else None
    state = replay(customer, base, start=base_at, end=start_at)
    if start_at <= clock.now():
        # A month that has begun: nothing can be posted before its start any more.
        MoneySnapshot.objects.bulk_create(
            [
                MoneySnapshot(
                    provider_id=customer.provider_id,
                    customer=customer,
                    month=month,
                    ledger_balance=state.ledger_balance,
                    lifetime_value=state.lifetime_value,
                    open_invoices=[
                        [pk, to_str(balance), due.isoformat()]
                        for pk, (balance, due) in sorted(state.open.items())
                    ],
                    taken_at=clock.now(),
                )
            ],
            ignore_conflicts=True,
        )
    return state


def money_as_of(*, customer: Customer, day: dt.date) -> MoneyState:
    """The customer's books at the end of `day`: the snapshot of its month and a replay of the
    days of that month up to and including `day`."""
    month = month_start(day)
    state = _snapshot_at(customer, month)
    start = timezone.make_aware(dt.datetime.combine(month, dt.time()))
    return replay(customer, state, start=start, end=day_end(day))
