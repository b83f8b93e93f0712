"""`accountdesk verify`: do the books and the billing dates hold together, customer by customer?

Checks run over customers in chunks (a fixed number of queries per chunk, whatever the history
size), so the whole base is checked in one pass. Each check takes a chunk of customers and yields
(customer id, what is wrong). Billing checks the ledger against the balances and summaries
(books_verify, the one recomputation the tests use too), recurring invoices and instalments; other
apps register theirs (`register_check`), as subscriptions do for their billed periods.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from accountdesk.billing.instalments import add_months
from accountdesk.billing.ledger import books_verify
from accountdesk.billing.models import (
    CYCLE_MONTHS,
    InstalmentPurchase,
    Invoice,
    RecurringInvoice,
    RecurringStatus,
)
from accountdesk.customers.models import Customer

# check(chunk of customers, *, counts) -> (customer id, what is wrong) for each problem found
Check = Callable[..., Iterable[tuple[int, str]]]
CHECKS: dict[str, Check] = {}


def register_check(name: str, check: Check) -> None:
    CHECKS[name] = check


@dataclass
class Problem:
    provider: str
    customer: str
    check: str
    what: str

    def __str__(self) -> str:
        return f"{self.provider} {self.customer} [{self.check}]: {self.what}"


@dataclass
class Report:
    providers: int = 0
    customers: int = 0
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(*, providers, chunk_size: int = 500, on_chunk: Callable[[Report], None] | None = None) -> Report:
    """Run every check over every customer of `providers` (a Provider queryset or list)."""
    report = Report()
    for provider in providers:
        report.providers += 1
        after = 0
        while True:
            chunk = list(
                Customer.objects.filter(provider=provider, pk__gt=after)
                .only("id", "number", "provider_id")
                .order_by("pk")[:chunk_size]
            )
            if not chunk:
                break
            after = chunk[-1].pk
            report.customers += len(chunk)
            numbers = {c.pk: c.number for c in chunk}
            for name, check in CHECKS.items():
                for customer_id, what in check(chunk, counts=report.counts):
                    report.problems.append(Problem(provider.slug, numbers[customer_id], name, what))
            if on_chunk:
                on_chunk(report)
    return report


def _books(chunk: list[Customer], *, counts) -> Iterable[tuple[int, str]]:
    counts["customers with books checked"] += len(chunk)
    for customer_id, found in books_verify([c.pk for c in chunk]).items():
        for what, values in found.items():
            yield customer_id, f"{what} disagrees with the ledger: {', '.join(str(v) for v in values)}"


def _runs_by_source(chunk: list[Customer], prefix: str) -> dict[int, list[str]]:
    """The issued invoices' source keys "<prefix>:<id>:<rest>", as {id: [rest, ...]}."""
    runs: dict[int, list[str]] = defaultdict(list)
    keys = Invoice.objects.filter(
        customer_id__in=[c.pk for c in chunk], source_key__startswith=f"{prefix}:"
    ).values_list("source_key", flat=True)
    for key in keys.iterator(chunk_size=5000):
        assert key is not None, "filtered on its prefix"
        _, object_id, rest = key.split(":", 2)
        runs[int(object_id)].append(rest)
    return runs


def _recurring(chunk: list[Customer], *, counts) -> Iterable[tuple[int, str]]:
    """An active recurring invoice's next run is the run after its last one: never one already
    issued, never one skipped (a resume after a pause moves it on, and says so in its history)."""
    from accountdesk.activity.models import Activity
    from accountdesk.billing.services import next_run_after

    runs = _runs_by_source(chunk, "recurring")
    recurring = list(
        RecurringInvoice.objects.filter(customer__in=chunk, status=RecurringStatus.ACTIVE).order_by("id")
    )
    moved = set(
        Activity.objects.filter(
            customer__in=chunk,
            kind="recurring_invoice.status_changed",
            subject_type="recurringinvoice",
            subject_id__in=[r.pk for r in recurring],
        ).values_list("subject_id", flat=True)
    )
    for r in recurring:
        counts["recurring invoices"] += 1
        if not runs.get(r.pk):
            continue
        last = max(runs[r.pk])
        expected = next_run_after(
            run_on=dt.date.fromisoformat(last), months=CYCLE_MONTHS[r.schedule], anchor_day=r.anchor_day
        )
        name = f"recurring invoice {r.description!r}"
        if r.next_run_on < expected:
            yield r.customer_id, f"{name}: next run {r.next_run_on}, yet it last ran on {last}"
        elif r.next_run_on > expected and r.pk not in moved:
            yield r.customer_id, f"{name}: runs from {expected} to {r.next_run_on} never issued"


def _instalments(chunk: list[Customer], *, counts) -> Iterable[tuple[int, str]]:
    runs = _runs_by_source(chunk, "instalment")
    for p in InstalmentPurchase.objects.filter(customer__in=chunk).order_by("id"):
        counts["instalment purchases"] += 1
        billed = len(runs.get(p.pk, []))
        if billed != p.instalments_billed:
            yield (
                p.customer_id,
                f"instalments of {p.description!r}: {p.instalments_billed} billed, {billed} invoiced",
            )
        expected = add_months(p.purchased_on, p.instalments_billed) if p.instalments_remaining else None
        if p.next_bill_on != expected:
            yield (
                p.customer_id,
                f"instalments of {p.description!r}: next bill {p.next_bill_on}, expected {expected}",
            )


register_check("books", _books)
register_check("recurring", _recurring)
register_check("instalments", _instalments)
