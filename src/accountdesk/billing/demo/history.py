"""One customer's demo billing history, played into its Books: each period billed on its day,
extras and instalments, payments (late payers late), and the recent activity entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from accountdesk.activity.kinds import kind_of
from accountdesk.activity.models import Activity
from accountdesk.activity.rendering import amount_slot
from accountdesk.billing.demo.books import BookInvoice, Books
from accountdesk.billing.instalments import add_months
from accountdesk.billing.models import (
    InstalmentPurchase,
    LedgerKind,
)
from accountdesk.core.money import ZERO, quantize
from accountdesk.core.periods import period_start_on_or_after
from accountdesk.customers.models import Customer
from accountdesk.tenancy.models import User

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

if TYPE_CHECKING:
    from accountdesk.demo.context import DemoContext


def history(
    ctx: DemoContext, customer: Customer, terms: str, charges: list[tuple], *, instalment: tuple | None = None
) -> Books:
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


def _instalments(ctx: DemoContext, books: Books, item: tuple, terms: str, late_payer: bool) -> None:
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


def _settle(ctx: DemoContext, books: Books, inv: BookInvoice, late_payer: bool) -> None:
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
    at = max(ctx.moment_on(pay_on), inv.approved_at + dt.timedelta(minutes=1))
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


def recent_activity(ctx: DemoContext, books: Books, billing_user: User) -> list[Activity]:
    """Activity rows for the last year of billing events (older history stays in the ledger)."""
    since = ctx.now - dt.timedelta(days=365)
    rows = []
    kinds: dict[str, str] = {
        LedgerKind.INVOICE_APPROVED: "invoice.approved",
        LedgerKind.PAYMENT: "payment.recorded",
        LedgerKind.CREDIT_ISSUED: "credit.issued",
        LedgerKind.REFUND: "payment.refunded",
    }
    for at, kind, amount, _text, subject in books.entries:
        if at < since or kind not in kinds:
            continue
        # Of these kinds only an approval has an invoice for its subject: the system approves it.
        invoice = subject if isinstance(subject, BookInvoice) else None
        row = subject.row if isinstance(subject, BookInvoice) else subject
        system = invoice is not None
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
                subject_type=row._meta.model_name or "",
                subject_id=row.pk,
                summary=(
                    f"Invoice {invoice.row.number} approved: {amount_slot('total')}"
                    if invoice is not None
                    else f"{kind_of(name).label}: {amount_slot('amount')}"
                ),
                details={"total": f"{amount:.2f}"} if system else {"amount": f"{abs(amount):.2f}"},
            )
        )
        if invoice is not None and (invoice.row.source_key or "").startswith("subscription:"):
            rows.append(_billed(books, invoice, at))
    return rows


def _billed(books: Books, item: BookInvoice, at: dt.datetime) -> Activity:
    """The entry the billing run writes beside a subscription's invoice (subscription.billed)."""
    invoice, line = item.row, item.lines[0]
    _, subscription_id, start = (invoice.source_key or "").split(":", 2)
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
