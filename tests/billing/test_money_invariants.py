"""The books' invariants, as properties of random histories.

Hypothesis plays random sequences of everything that moves money on an account, through the real
services and as the staff roles that do them: invoices issued and drafted, drafts approved, voids,
payments (to the oldest invoices, or allocated by hand), refunds, credits (within an agent's limit,
or requested and then approved or declined), credit applied, instalment purchases, subscriptions
started mid-period (prorated), changed, suspended, resumed and cancelled, and the days passing
with the billing run. After every step:

- `accountdesk verify` finds nothing: its checks are the one home of the book invariants (the
  ledger's sum against every balance and the account summary row, instalments and subscriptions
  billed with no gap and no overlap);
- no invoice's open balance and no credit's remainder is below zero;
- each provider's invoice numbers run 1, 2, 3... with no gap;
- a step that went through left the activity entry of its kind; every new ledger entry has one;
- a step refused (a domain error) changed nothing: no ledger entry, no activity entry.

HYPOTHESIS_PROFILE=long (`make fuzz-long`) plays many more and longer histories.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.db.models import F
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from accountdesk.activity.models import Activity
from accountdesk.billing import services
from accountdesk.billing.models import (
    Credit,
    CreditRequest,
    InstalmentPurchase,
    Invoice,
    LedgerEntry,
    Payment,
)
from accountdesk.billing.run import billing_run
from accountdesk.billing.verify import verify
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import DomainError
from accountdesk.subscriptions import services as subscriptions
from accountdesk.subscriptions.models import Subscription
from tests.factories import CustomerFactory, ProviderFactory, UserFactory
from tests.subscriptions.factories import PackageFactory

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
HISTORIES = 300 if LONG else 8
STEPS = 60 if LONG else 25

START = dt.datetime(2025, 1, 13, 12, 0, tzinfo=dt.UTC)
ROLES = ("admin", "billing", "agent")

cents = st.integers(min_value=1, max_value=80_000).map(lambda c: Decimal(c) / 100)
small_cents = st.integers(min_value=1, max_value=5_000).map(lambda c: Decimal(c) / 100)
tax_rates = st.sampled_from(["0", "0.2", "0.075", "0.15"])
pick = st.integers(min_value=0, max_value=1_000)


def _nth(rows: list, index: int):
    return rows[index % len(rows)] if rows else None


class Books(RuleBasedStateMachine):
    """One provider with two customers; the rules act on either."""

    @initialize()
    def open_accounts(self) -> None:
        clock.freeze(START)
        n = Books.runs = getattr(Books, "runs", 0) + 1
        self.provider = ProviderFactory.with_all_modules(
            slug=f"books-{n}", agent_credit_limit=Decimal("50.00")
        )
        self.actors = {
            role: Actor.staff(UserFactory(provider=self.provider, role=role, email=f"{role}-{n}@books.test"))
            for role in ROLES
        }
        self.customers = [CustomerFactory(provider=self.provider) for _ in range(2)]
        self.packages = [
            PackageFactory(provider=self.provider, price=Decimal(price), name=f"Plan {price}")
            for price in ("29.99", "45.00", "0.00")
        ]

    def teardown(self) -> None:
        clock.freeze(None)

    # ---- the steps -------------------------------------------------------------------------

    def _step(self, customer, kinds: set[str], perform) -> None:
        """Run one service call; check what it left (or, refused, that it left nothing)."""
        last_activity = Activity.objects.order_by("-id").values_list("id", flat=True).first() or 0
        last_entry = LedgerEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        try:
            perform()
        except DomainError:
            assert not Activity.objects.filter(id__gt=last_activity).exists(), "a refused step left activity"
            assert not LedgerEntry.objects.filter(id__gt=last_entry).exists(), "a refused step moved money"
            return
        new_kinds = set(
            Activity.objects.filter(id__gt=last_activity, customer=customer).values_list("kind", flat=True)
        )
        assert kinds & new_kinds, f"expected one of {kinds} in the activity log, found {new_kinds or 'none'}"
        if LedgerEntry.objects.filter(id__gt=last_entry).exists():
            assert new_kinds, "money moved with no activity entry"

    def _invoices(self, customer, **filters) -> list[Invoice]:
        return list(Invoice.objects.filter(customer=customer, **filters).order_by("id"))

    @rule(
        c=pick,
        role=st.sampled_from(ROLES),
        lines=st.lists(st.tuples(cents, tax_rates), min_size=1, max_size=3),
    )
    def issue_invoice(self, c, role, lines) -> None:
        customer = _nth(self.customers, c)
        self._step(
            customer,
            {"invoice.approved"},
            lambda: services.invoice_issue(
                customer=customer,
                lines=[{"description": "Service", "unit_price": str(a), "tax_rate": t} for a, t in lines],
                actor=self.actors[role],
            ),
        )

    @rule(c=pick, amount=cents)
    def draft_invoice(self, c, amount) -> None:
        customer = _nth(self.customers, c)
        self._step(
            customer,
            {"invoice.created"},
            lambda: services.invoice_create_draft(
                customer=customer,
                actor=self.actors["billing"],
                lines=[{"description": "Draft", "unit_price": str(amount)}],
            ),
        )

    @rule(c=pick, i=pick)
    def approve_draft(self, c, i) -> None:
        customer = _nth(self.customers, c)
        invoice = _nth(self._invoices(customer, status="draft"), i)
        if invoice is not None:
            self._step(
                customer,
                {"invoice.approved"},
                lambda: services.invoice_approve(invoice=invoice, actor=self.actors["billing"]),
            )

    @rule(c=pick, i=pick)
    def void_invoice(self, c, i) -> None:
        customer = _nth(self.customers, c)
        invoice = _nth(self._invoices(customer), i)
        if invoice is not None:
            self._step(
                customer,
                {"invoice.voided"},
                lambda: services.invoice_void(
                    invoice=invoice, reason="Raised in error", actor=self.actors["billing"]
                ),
            )

    @rule(c=pick, amount=cents, back=st.integers(0, 40))
    def pay(self, c, amount, back) -> None:
        customer = _nth(self.customers, c)
        self._step(
            customer,
            {"payment.recorded"},
            lambda: services.payment_record(
                customer=customer,
                amount=str(amount),
                method="card",
                received_on=clock.today() - dt.timedelta(days=back),
                actor=self.actors["billing"],
            ),
        )

    @rule(
        c=pick,
        parts=st.lists(st.tuples(pick, st.integers(1, 100)), min_size=1, max_size=3),
        extra=small_cents,
    )
    def pay_allocated(self, c, parts, extra) -> None:
        """A payment split by hand over open invoices (a share of each balance), the rest to credit."""
        customer = _nth(self.customers, c)
        open_ = [i for i in self._invoices(customer, status="approved") if i.balance > 0]
        if not open_:
            return
        allocations: dict[int, Decimal] = {}
        for i, percent in parts:
            invoice = _nth(open_, i)
            share = max(Decimal("0.01"), (invoice.balance * percent / 100).quantize(Decimal("0.01")))
            allocations[invoice.pk] = min(invoice.balance, share)
        amount = sum(allocations.values()) + extra
        self._step(
            customer,
            {"payment.recorded"},
            lambda: services.payment_record(
                customer=customer,
                amount=str(amount),
                method="bank transfer",
                allocations={k: str(v) for k, v in allocations.items()},
                actor=self.actors["billing"],
            ),
        )

    @rule(c=pick, p=pick, amount=cents)
    def refund(self, c, p, amount) -> None:
        customer = _nth(self.customers, c)
        payment = _nth(list(Payment.objects.filter(customer=customer, kind="payment").order_by("id")), p)
        if payment is not None:
            self._step(
                customer,
                {"payment.refunded"},
                lambda: services.payment_refund(
                    payment=payment,
                    amount=str(min(amount, payment.amount)),
                    reason="Goodwill",
                    actor=self.actors["billing"],
                ),
            )

    @rule(c=pick, amount=cents, role=st.sampled_from(ROLES))
    def credit(self, c, amount, role) -> None:
        """An agent past the provider's limit asks for approval instead (credit.requested)."""
        customer = _nth(self.customers, c)
        self._step(
            customer,
            {"credit.issued", "credit.requested"},
            lambda: services.credit_issue(
                customer=customer, amount=str(amount), reason="Outage", actor=self.actors[role]
            ),
        )

    @rule(c=pick, r=pick, approve=st.booleans())
    def decide_credit_request(self, c, r, approve) -> None:
        customer = _nth(self.customers, c)
        request = _nth(
            list(CreditRequest.objects.filter(customer=customer, status="pending").order_by("id")), r
        )
        if request is None:
            return
        actor = self.actors["billing"]
        if approve:
            self._step(
                customer,
                {"credit.issued"},
                lambda: services.credit_request_approve(credit_request=request, actor=actor),
            )
        else:
            self._step(
                customer,
                {"credit.declined"},
                lambda: services.credit_request_decline(
                    credit_request=request, reason="Not due", actor=actor
                ),
            )

    @rule(c=pick, i=pick, amount=st.none() | small_cents)
    def apply_credit(self, c, i, amount) -> None:
        customer = _nth(self.customers, c)
        invoice = _nth(self._invoices(customer, status="approved"), i)
        if invoice is not None:
            self._step(
                customer,
                {"credit.applied"},
                lambda: services.credit_apply(
                    invoice=invoice,
                    amount=None if amount is None else str(amount),
                    actor=self.actors["billing"],
                ),
            )

    @rule(c=pick, total=cents, count=st.integers(1, 24), back=st.integers(0, 70))
    def buy_in_instalments(self, c, total, count, back) -> None:
        customer = _nth(self.customers, c)
        self._step(
            customer,
            {"instalment.created"},
            lambda: services.instalment_create(
                customer=customer,
                description="Router",
                total=str(total),
                instalments_total=count,
                purchased_on=clock.today() - dt.timedelta(days=back),
                actor=self.actors["billing"],
            ),
        )

    @rule(c=pick, k=pick, offset=st.integers(-20, 20), price=st.none() | cents)
    def subscribe(self, c, k, offset, price) -> None:
        """A start on any day: the first period is prorated to the customer's billing day."""
        customer = _nth(self.customers, c)
        package = _nth(self.packages, k)
        self._step(
            customer,
            {"subscription.created"},
            lambda: subscriptions.subscription_add(
                customer=customer,
                package_id=package.pk,
                started_on=clock.today() + dt.timedelta(days=offset),
                price=None if price is None else str(price),
                actor=self.actors["agent"],
            ),
        )

    def _subscription(self, c, s, **filters) -> tuple:
        customer = _nth(self.customers, c)
        return customer, _nth(
            list(Subscription.objects.filter(customer=customer, **filters).order_by("id")), s
        )

    @rule(c=pick, s=pick, k=pick, price=st.none() | cents)
    def change_subscription(self, c, s, k, price) -> None:
        customer, subscription = self._subscription(c, s)
        package = _nth(self.packages, k)
        if subscription is None or (
            package.pk == subscription.package_id and price in (None, subscription.price)
        ):
            return  # no change asked for: nothing to record
        self._step(
            customer,
            {"subscription.changed"},
            lambda: subscriptions.subscription_change(
                subscription=subscription,
                package_id=package.pk,
                price=None if price is None else str(price),
                actor=self.actors["agent"],
            ),
        )

    @rule(c=pick, s=pick)
    def suspend(self, c, s) -> None:
        customer, subscription = self._subscription(c, s, status="active")
        if subscription is not None:
            self._step(
                customer,
                {"subscription.suspended"},
                lambda: subscriptions.subscription_suspend(
                    subscription=subscription, actor=self.actors["agent"]
                ),
            )

    @rule(c=pick, s=pick)
    def resume(self, c, s) -> None:
        customer, subscription = self._subscription(c, s, status="suspended")
        if subscription is not None:
            self._step(
                customer,
                {"subscription.resumed"},
                lambda: subscriptions.subscription_resume(
                    subscription=subscription, actor=self.actors["agent"]
                ),
            )

    @rule(c=pick, s=pick, offset=st.none() | st.integers(-10, 40))
    def cancel(self, c, s, offset) -> None:
        customer, subscription = self._subscription(c, s)
        if subscription is not None:
            ends_on = None if offset is None else clock.today() + dt.timedelta(days=offset)
            self._step(
                customer,
                {"subscription.cancelled"},
                lambda: subscriptions.subscription_cancel(
                    subscription=subscription, ends_on=ends_on, reason="Moving", actor=self.actors["agent"]
                ),
            )

    @rule(days=st.integers(1, 45))
    def days_pass(self, days) -> None:
        """The clock moves on and the nightly billing run catches up, day by day."""
        for _ in range(days):
            clock.freeze(clock.now() + dt.timedelta(days=1))
            last_activity = Activity.objects.order_by("-id").values_list("id", flat=True).first() or 0
            last_invoice = Invoice.objects.order_by("-id").values_list("id", flat=True).first() or 0
            billing_run(provider=self.provider, on=clock.today())
            for invoice in Invoice.objects.filter(id__gt=last_invoice):
                assert Activity.objects.filter(
                    id__gt=last_activity, customer=invoice.customer_id, kind="invoice.approved"
                ).exists(), f"invoice {invoice.number} issued by the run with no activity entry"

    # ---- the invariants --------------------------------------------------------------------

    @invariant()
    def books_verify(self) -> None:
        if not hasattr(self, "provider"):
            return
        report = verify(providers=[self.provider])
        assert report.ok, "\n".join(str(p) for p in report.problems)

    @invariant()
    def nothing_open_below_zero(self) -> None:
        assert not Invoice.objects.filter(balance__lt=0).exists()
        assert not Credit.objects.filter(remaining__lt=0).exists()
        assert not InstalmentPurchase.objects.filter(instalments_billed__gt=F("instalments_total")).exists()

    @invariant()
    def invoice_numbers_have_no_gap(self) -> None:
        if not hasattr(self, "provider"):
            return
        numbers = (
            Invoice.objects.filter(provider=self.provider).exclude(number="").values_list("number", flat=True)
        )
        sequence = sorted(int("".join(ch for ch in n if ch.isdigit())) for n in numbers)
        assert sequence == list(range(1, len(sequence) + 1)), sequence


@pytest.mark.django_db
def test_the_books_hold_over_random_histories():
    run_state_machine_as_test(
        Books,
        settings=settings(
            max_examples=HISTORIES,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
