"""Demo billing: years of invoices and payments per account, built in memory and bulk inserted.

The services would take minutes for heavy accounts, so `Books` replays the same rules here, in date
order: approval numbers, oldest-first allocation, overpayment to credit, credit applied to the next
invoice, refunds from leftover credit, the ledger with running balances and the AccountSummary.
account_summary_verify() agrees with the result (tests/billing/test_demo.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from accountdesk.activity.kinds import kind_of
from accountdesk.activity.models import Activity
from accountdesk.activity.rendering import amount_slot
from accountdesk.activity.services import event_bulk_record
from accountdesk.billing import services
from accountdesk.billing.instalments import add_months
from accountdesk.billing.models import (
    CYCLE_MONTHS,
    TERMS_DAYS,
    AccountSummary,
    BillingProfile,
    Credit,
    CreditApplication,
    CreditOrigin,
    InstalmentPurchase,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentAllocation,
    PaymentKind,
    PaymentMeans,
    PaymentMethod,
    line_amounts,
)
from accountdesk.core.money import ZERO, money_text, quantize
from accountdesk.core.periods import period_start_on_or_after
from accountdesk.tenancy.models import Sequence

EXTRAS = [
    ("Static IP address", "5.00"),
    ("Technician visit", "85.00"),
    ("Router replacement", "49.00"),
    ("Late payment fee", "7.50"),
    ("Data add-on 10 GB", "10.00"),
]
INSTALMENT_ITEMS = [
    ("iPhone 15 128 GB", "829.00", 24),
    ("Mesh Wi-Fi kit", "299.00", 12),
    ('Smart TV 55"', "649.00", 18),
]


@dataclass
class _Inv:
    row: Invoice
    lines: list[InvoiceLine]
    seq: int = 0


@dataclass
class Books:
    """One customer's billing history, simulated in date order, then written in bulk."""

    customer: object
    tax_rate: Decimal
    invoices: list[_Inv] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    allocations: list[tuple[Payment, _Inv, Decimal]] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    applications: list[tuple[Credit, _Inv, Decimal, dt.datetime]] = field(default_factory=list)
    entries: list[tuple[dt.datetime, str, Decimal, str, object]] = field(default_factory=list)
    lifetime: Decimal = ZERO
    purchase: InstalmentPurchase | None = None
    instalment_invoices: list[tuple[int, _Inv]] = field(default_factory=list)

    open_items: list[_Inv] = field(default_factory=list)

    def _open(self) -> list[_Inv]:
        """The open invoices, oldest due first. Kept as its own short list: most invoices are paid
        soon after they are issued, so this stays small where scanning every invoice would not."""
        self.open_items = [i for i in self.open_items if i.row.balance > 0]
        self.open_items.sort(key=lambda i: (i.row.due_on, i.seq))
        return list(self.open_items)

    def invoice(
        self, at: dt.datetime, lines: list[tuple[str, Decimal]], *, terms: str, source_key=None
    ) -> _Inv:
        c = self.customer
        rows, total = [], ZERO
        for pos, (desc, price) in enumerate(lines, 1):
            net, tax = line_amounts(Decimal(1), price, self.tax_rate)
            rows.append(
                InvoiceLine(
                    provider_id=c.provider_id,
                    position=pos,
                    description=desc,
                    quantity=Decimal(1),
                    unit_price=price,
                    tax_rate=self.tax_rate,
                    net=net,
                    tax=tax,
                )
            )
            total += net + tax
        day = timezone.localdate(at)
        inv = Invoice(
            provider_id=c.provider_id,
            customer=c,
            status=InvoiceStatus.APPROVED,
            issued_on=day,
            due_on=day + dt.timedelta(days=TERMS_DAYS[terms]),
            terms=terms,
            total=total,
            balance=total,
            approved_at=at,
            created_at=at,
            source_key=source_key,
        )
        item = _Inv(inv, rows, len(self.invoices))
        self.invoices.append(item)
        self.open_items.append(item)
        self.entries.append((at, LedgerKind.INVOICE_APPROVED, total, "", item))
        return item

    def pay(self, at: dt.datetime, amount: Decimal, method: str, reference: str) -> Payment:
        c = self.customer
        p = Payment(
            provider_id=c.provider_id,
            customer=c,
            kind=PaymentKind.PAYMENT,
            amount=amount,
            method=method,
            reference=reference,
            received_on=timezone.localdate(at),
            created_at=at,
            actor_name="Billing",
        )
        self.payments.append(p)
        description = f"Payment by {PaymentMeans.phrase(method, reference)}"
        self.entries.append((at, LedgerKind.PAYMENT, -amount, description, p))
        left = amount
        for inv in self._open():
            if left <= 0:
                break
            part = min(left, inv.row.balance)
            inv.row.balance -= part
            self.allocations.append((p, inv, part))
            left -= part
        if left > 0:
            self.credits.append(
                Credit(
                    provider_id=c.provider_id,
                    customer=c,
                    issued_on=p.received_on,
                    amount=left,
                    remaining=left,
                    reason=f"Overpayment of {money_text(left, c.currency)}",
                    origin=CreditOrigin.OVERPAYMENT,
                    source_payment=p,
                    actor_name="Billing",
                    created_at=at,
                )
            )
        self.lifetime += amount
        return p

    def credit(self, at: dt.datetime, amount: Decimal, reason: str, actor_name: str) -> Credit:
        c = self.customer
        credit = Credit(
            provider_id=c.provider_id,
            customer=c,
            issued_on=timezone.localdate(at),
            amount=amount,
            remaining=amount,
            reason=reason,
            origin=CreditOrigin.ISSUED,
            actor_name=actor_name,
            created_at=at,
        )
        self.credits.append(credit)
        self.entries.append((at, LedgerKind.CREDIT_ISSUED, -amount, f"Credit: {reason}", credit))
        return credit

    def apply_credits(self, at: dt.datetime, inv: _Inv) -> None:
        applied = ZERO
        for credit in self.credits:
            if credit.remaining <= 0 or inv.row.balance <= 0:
                continue
            part = min(credit.remaining, inv.row.balance)
            credit.remaining -= part
            inv.row.balance -= part
            applied += part
            self.applications.append((credit, inv, part, at))
        if applied:
            text = f"Credit of {money_text(applied, self.customer.currency)} applied to"
            self.entries.append((at, LedgerKind.CREDIT_APPLIED, ZERO, text, inv))

    def refund_leftover(self, at: dt.datetime, payment: Payment, reason: str) -> None:
        credit = next((cr for cr in self.credits if cr.source_payment is payment and cr.remaining > 0), None)
        if credit is None:
            return
        amount = credit.remaining
        credit.remaining, credit.refunded = ZERO, amount
        payment.refunded += amount
        c = self.customer
        r = Payment(
            provider_id=c.provider_id,
            customer=c,
            kind=PaymentKind.REFUND,
            amount=-amount,
            method=payment.method,
            reference=payment.reference,
            received_on=timezone.localdate(at),
            refund_of=payment,
            reason=reason,
            created_at=at,
            actor_name="Billing",
        )
        self.payments.append(r)
        self.entries.append((at, LedgerKind.REFUND, amount, f"Refund: {reason}", r))
        self.lifetime -= amount

    def save(self, next_number: int) -> int:
        """Insert everything; returns how many invoice numbers were used."""
        self.invoices.sort(key=lambda i: (i.row.approved_at, i.seq))
        for n, inv in enumerate(self.invoices):
            inv.row.number = f"INV-{next_number + n:06d}"
        Invoice.objects.bulk_create([i.row for i in self.invoices], batch_size=1000)
        lines = []
        for inv in self.invoices:
            for line in inv.lines:
                line.invoice = inv.row
                lines.append(line)
        InvoiceLine.objects.bulk_create(lines, batch_size=2000)
        Payment.objects.bulk_create(
            [p for p in self.payments if p.kind == PaymentKind.PAYMENT], batch_size=1000
        )
        Payment.objects.bulk_create(
            [p for p in self.payments if p.kind == PaymentKind.REFUND], batch_size=1000
        )
        for cr in self.credits:
            cr.source_payment_id = cr.source_payment.pk if cr.source_payment else None
        Credit.objects.bulk_create(self.credits, batch_size=1000)
        pid = self.customer.provider_id
        PaymentAllocation.objects.bulk_create(
            [
                PaymentAllocation(provider_id=pid, payment=p, invoice=i.row, amount=a)
                for p, i, a in self.allocations
            ],
            batch_size=2000,
        )
        CreditApplication.objects.bulk_create(
            [
                CreditApplication(provider_id=pid, credit=cr, invoice=i.row, amount=a, applied_at=at)
                for cr, i, a, at in self.applications
            ],
            batch_size=2000,
        )
        Payment.objects.bulk_update([p for p in self.payments if p.refunded], ["refunded"])
        self.entries.sort(key=lambda e: e[0])
        running, ledger = ZERO, []
        for at, kind, amount, text, subject in self.entries:
            running += amount
            row = subject.row if isinstance(subject, _Inv) else subject
            description = text or f"Invoice {row.number}"
            if kind == LedgerKind.CREDIT_APPLIED:
                description = f"{text} {row.number}"
            ledger.append(
                LedgerEntry(
                    provider_id=pid,
                    customer=self.customer,
                    at=at,
                    kind=kind,
                    description=description,
                    amount=amount,
                    running_balance=running,
                    subject_type=row._meta.model_name,
                    subject_id=row.pk,
                )
            )
        LedgerEntry.objects.bulk_create(ledger, batch_size=2000)
        open_rows = [i.row for i in self.invoices if i.row.balance > 0]
        AccountSummary.objects.update_or_create(
            customer=self.customer,
            defaults={
                "provider_id": pid,
                "total_due": sum((r.balance for r in open_rows), ZERO),
                "account_credit": sum((c.remaining for c in self.credits), ZERO),
                "lifetime_value": self.lifetime,
                "ledger_balance": running,
                "open_invoice_count": len(open_rows),
                "earliest_open_due_on": min((r.due_on for r in open_rows), default=None),
                "last_entry_id": ledger[-1].pk if ledger else None,
                "last_entry_at": ledger[-1].at if ledger else None,
            },
        )
        return len(self.invoices)


def _reserve_numbers(provider, count: int) -> int:
    seq, _ = Sequence.objects.select_for_update().get_or_create(provider=provider, name="invoice")
    first = seq.last_value + 1
    seq.last_value += count
    seq.save(update_fields=["last_value"])
    return first


def demo_populate(ctx) -> None:
    """Billing profiles, payment methods and the extras; each customer's billing day goes to
    ctx.extra["billing_anchor"] so what is billed later falls on it. The invoices wait for
    demo_finish(), once every app has said what it bills (ctx.extra["billing_charges"])."""
    rng, provider, today = ctx.rng, ctx.provider, ctx.today
    profiles, methods, plans = [], [], []
    instalment_ids = set()
    if provider.has_module("instalments"):
        active = [c.pk for c in ctx.customers if c.status == "active"]
        instalment_ids = set(rng.sample(active, min(len(active), 20)))
    anchors = ctx.extra.setdefault("billing_anchor", {})
    for customer in ctx.customers:
        if customer.status == "prospect":
            continue
        business = customer.type == "business"
        terms = rng.choice(
            ["net14", "net30", "net30", "net60"] if business else ["due_on_receipt", "net14", "net30"]
        )
        anchor = rng.choice([1, 1, 5, 15, 20, 28])
        anchors[customer.pk] = anchor
        profiles.append(
            BillingProfile(
                provider=provider,
                customer=customer,
                cycle="monthly",
                anchor_day=anchor,
                terms=terms,
                billing_type="business" if business else "residential",
                delivery=rng.choice(["email", "email", "post", "portal"]),
                currency=customer.currency,
            )
        )
        if rng.random() < 0.75:
            kind = rng.choice(["card", "card", "direct_debit", "bank_account"])
            last4 = f"{rng.randrange(10000):04d}"
            methods.append(
                PaymentMethod(
                    provider=provider,
                    customer=customer,
                    kind=kind,
                    label={"card": rng.choice(["Visa", "Mastercard"])}.get(kind, ""),
                    token=f"tok_{rng.getrandbits(48):012x}",
                    last4=last4,
                    expires_on=dt.date(today.year + rng.randint(0, 4), rng.randint(1, 12), 1)
                    if kind == "card"
                    else None,
                    autopay=rng.random() < 0.6,
                    is_default=True,
                    created_at=ctx.now,
                )
            )
        instalment = rng.choice(INSTALMENT_ITEMS) if customer.pk in instalment_ids else None
        plans.append((customer, terms, instalment))
    BillingProfile.objects.bulk_create(profiles, batch_size=1000)
    PaymentMethod.objects.bulk_create(methods, batch_size=1000)
    ctx.extra["billing_plans"] = plans
    _extras(ctx)


def demo_finish(ctx) -> None:
    """Every customer's invoices, payments, credits and ledger, in date order, in bulk: what each
    app bills (ctx.extra["billing_charges"]: customer id -> (day, line, amount, source key,
    subscription id)) issued on its day as the billing run issues it, then paid or not."""
    charges = ctx.extra.get("billing_charges", {})
    billing_user = ctx.staff.get("billing")
    all_books, activity = [], []
    for customer, terms, instalment in ctx.extra.get("billing_plans", []):
        all_books.append(_history(ctx, customer, terms, charges.get(customer.pk, []), instalment=instalment))
    InstalmentPurchase.objects.bulk_create([b.purchase for b in all_books if b.purchase])
    for books in all_books:
        for index, inv in books.instalment_invoices:
            inv.row.source_key = f"instalment:{books.purchase.pk}:{index}"
    number = _reserve_numbers(ctx.provider, sum(len(b.invoices) for b in all_books))
    for books in all_books:
        number += books.save(number)
        activity += _recent_activity(ctx, books, billing_user)
    event_bulk_record(activity, batch_size=2000)
    _profiles_finish(ctx)


def _profiles_finish(ctx) -> None:
    """Each profile's cycle is its customer's shortest billing period, and its next bill date the
    first period not yet billed (ctx.extra["next_bill"] and ["billing_months"], from the
    subscriptions)."""
    next_bill, months = ctx.extra.get("next_bill", {}), ctx.extra.get("billing_months", {})
    cycles = {months: cycle for cycle, months in CYCLE_MONTHS.items()}
    profiles = list(BillingProfile.objects.filter(provider=ctx.provider))
    for profile in profiles:
        profile.next_bill_date = next_bill.get(profile.customer_id)
        profile.cycle = cycles.get(months.get(profile.customer_id, 1), profile.cycle)
    BillingProfile.objects.bulk_update(profiles, ["next_bill_date", "cycle"], batch_size=1000)


def _history(ctx, customer, terms: str, charges: list[tuple], *, instalment: tuple | None = None) -> Books:
    """Each period billed on its day (several lines of business on one day: one invoice each, as
    the billing run issues them), now and then a one-off charge or a goodwill credit, and payments
    as the customer makes them."""
    rng = ctx.rng
    # The billing run's invoices carry no tax line: the demo's books neither.
    books = Books(customer=customer, tax_rate=ZERO)
    late_payer = rng.random() < 0.15
    by_day: dict[dt.date, list[tuple]] = {}
    for charge in charges:
        by_day.setdefault(charge[0], []).append(charge)
    for day in sorted(by_day):
        at = ctx.moment_on(day)
        for _day, line, amount, source_key, *_ in sorted(by_day[day], key=lambda c: c[3]):
            inv = books.invoice(at, [(line, amount)], terms=terms, source_key=source_key)
            books.apply_credits(at, inv)
            _settle(ctx, books, inv, late_payer)
            at = min(at + dt.timedelta(seconds=1), ctx.now)
        if rng.random() < 0.05:
            inv = books.invoice(at, [rng.choice([(d, Decimal(p)) for d, p in EXTRAS])], terms=terms)
            books.apply_credits(at, inv)
            _settle(ctx, books, inv, late_payer)
        if rng.random() < 0.03:
            amount = Decimal(rng.choice(["5.00", "10.00", "15.00", "25.00"]))
            reason = rng.choice(["Outage compensation", "Goodwill", "Billing correction"])
            books.credit(min(at + dt.timedelta(hours=2), ctx.now), amount, reason, "Support")
    if instalment is not None:
        _instalments(ctx, books, instalment, terms, late_payer)
    return books


def _instalments(ctx, books: Books, item: tuple, terms: str, late_payer: bool) -> None:
    """An instalment purchase in progress, its instalments so far billed as the billing run would."""
    rng, today, customer = ctx.rng, ctx.today, books.customer
    description, total, count = item
    total = Decimal(total)
    # Bought on a billing day of the customer's, so its instalments fall on the regular bill day.
    purchased_on = period_start_on_or_after(
        add_months(today, -rng.randint(1, count - 1)),
        months=1,
        anchor_day=ctx.extra.get("billing_anchor", {}).get(customer.pk, 1),
    )
    each = quantize(total / count)
    billed = 0
    while billed < count and add_months(purchased_on, billed) <= today:
        billed += 1
        amount = total - each * (count - 1) if billed == count else each
        at = ctx.moment_on(add_months(purchased_on, billed - 1))
        inv = books.invoice(at, [(f"{description}: instalment {billed} of {count}", amount)], terms=terms)
        books.instalment_invoices.append((billed, inv))
        _settle(ctx, books, inv, late_payer)
    books.purchase = InstalmentPurchase(
        provider_id=customer.provider_id,
        customer=customer,
        description=description,
        purchased_on=purchased_on,
        total=total,
        instalments_total=count,
        instalment_amount=each,
        instalments_billed=billed,
        next_bill_on=add_months(purchased_on, billed) if billed < count else None,
        created_at=ctx.now,
    )


def _settle(ctx, books: Books, inv: _Inv, late_payer: bool) -> None:
    rng, today = ctx.rng, ctx.today
    due = inv.row.due_on
    roll = rng.random()
    if roll < (0.7 if late_payer else 0.93):
        pay_on = due - dt.timedelta(days=rng.randint(0, 10))
    elif roll < 0.98:
        pay_on = due + dt.timedelta(days=rng.randint(5, 75))
    else:
        return  # never paid: an overdue invoice
    pay_on = max(pay_on, inv.row.issued_on)
    if pay_on > today:
        return
    amount = inv.row.balance
    if amount <= 0:
        return
    overpay = rng.random() < 0.03
    at = max(ctx.moment_on(pay_on), inv.row.approved_at + dt.timedelta(minutes=1))
    if at > ctx.now:
        return  # issued moments ago: not paid yet
    payment = books.pay(
        at,
        amount + (Decimal("20.00") if overpay else ZERO),
        rng.choice(["card", "direct_debit", "bank_transfer"]),
        f"PAY-{rng.getrandbits(32):08X}",
    )
    if overpay and rng.random() < 0.4 and at + dt.timedelta(days=2) <= ctx.now:
        books.refund_leftover(at + dt.timedelta(days=2), payment, "Overpayment returned")


def _recent_activity(ctx, books: Books, billing_user) -> list[Activity]:
    """Activity rows for the last year of billing events (older history stays in the ledger)."""
    since = ctx.now - dt.timedelta(days=365)
    rows = []
    kinds = {
        LedgerKind.INVOICE_APPROVED: "invoice.approved",
        LedgerKind.PAYMENT: "payment.recorded",
        LedgerKind.CREDIT_ISSUED: "credit.issued",
        LedgerKind.REFUND: "payment.refunded",
    }
    for at, kind, amount, _text, subject in books.entries:
        if at < since or kind not in kinds:
            continue
        row = subject.row if isinstance(subject, _Inv) else subject
        system = kind == LedgerKind.INVOICE_APPROVED
        name = kinds[kind]
        rows.append(
            Activity(
                provider_id=books.customer.provider_id,
                customer=books.customer,
                at=at,
                actor_type="system" if system else "staff",
                actor=None if system else billing_user,
                actor_name="System" if system else billing_user.display_name,
                actor_email=None if system else billing_user.email,
                kind=name,
                group=kind_of(name).group,
                subject_type=row._meta.model_name,
                subject_id=row.pk,
                summary=(
                    f"Invoice {row.number} approved: {amount_slot('total')}"
                    if system
                    else f"{kind_of(name).label}: {amount_slot('amount')}"
                ),
                details={"total": f"{amount:.2f}"} if system else {"amount": f"{abs(amount):.2f}"},
            )
        )
        if system and (row.source_key or "").startswith("subscription:"):
            rows.append(_billed(books, subject, at))
    return rows


def _billed(books: Books, item: _Inv, at: dt.datetime) -> Activity:
    """The entry the billing run writes beside a subscription's invoice (subscription.billed)."""
    invoice, line = item.row, item.lines[0]
    _, subscription_id, start = invoice.source_key.split(":", 2)
    return Activity(
        provider_id=books.customer.provider_id,
        customer=books.customer,
        at=at,
        actor_type="system",
        actor=None,
        actor_name="System",
        actor_email=None,
        kind="subscription.billed",
        group=kind_of("subscription.billed").group,
        subject_type="subscription",
        subject_id=int(subscription_id),
        summary=f"{line.description[:280]}: {amount_slot('amount')}",
        details={"invoice": invoice.number, "from": start, "amount": f"{line.net:.2f}"},
    )


def _extras(ctx) -> None:
    """Recurring templates, through the services."""
    rng, provider, today = ctx.rng, ctx.provider, ctx.today
    anchors = ctx.extra.get("billing_anchor", {})
    active = [c for c in ctx.customers if c.status == "active"]
    billing, agent = ctx.actor("billing"), ctx.actor("agent")
    for customer in rng.sample(active, min(len(active), 25)):
        extra, price = rng.choice([*EXTRAS[:1], ("Cloud backup 100 GB", "4.99"), ("Security suite", "6.99")])
        services.recurring_invoice_create(
            customer=customer,
            description=extra,
            amount=price,
            schedule=rng.choice(["monthly", "monthly", "annual"]),
            # Set up today: the first run is the customer's next billing day.
            next_run_on=period_start_on_or_after(
                today + dt.timedelta(days=1), months=1, anchor_day=anchors.get(customer.pk, 1)
            ),
            actor=billing,
        )
