"""The demo's books: one customer's invoices, payments, credits and ledger, built in memory in date
order and saved in bulk. The services would take minutes for heavy accounts, so Books replays their
rules: approval numbers, oldest-first allocation, overpayment to credit, credit applied to the next
invoice, refunds from leftover credit, the ledger with running balances and the AccountSummary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from accountdesk.billing.models import (
    TERMS_DAYS,
    AccountSummary,
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
    line_amounts,
)
from accountdesk.core.money import ZERO, money_text
from accountdesk.customers.models import Customer
from accountdesk.tenancy.models import Provider, Sequence


@dataclass
class BookInvoice:
    row: Invoice
    lines: list[InvoiceLine]
    approved_at: dt.datetime
    seq: int = 0


@dataclass
class Books:
    """One customer's billing history, simulated in date order, then written in bulk."""

    customer: Customer
    tax_rate: Decimal
    invoices: list[BookInvoice] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    allocations: list[tuple[Payment, BookInvoice, Decimal]] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    applications: list[tuple[Credit, BookInvoice, Decimal, dt.datetime]] = field(default_factory=list)
    entries: list[tuple[dt.datetime, str, Decimal, str, BookInvoice | Payment | Credit]] = field(
        default_factory=list
    )
    lifetime: Decimal = ZERO
    purchase: InstalmentPurchase | None = None
    instalment_invoices: list[tuple[int, BookInvoice]] = field(default_factory=list)

    open_items: list[BookInvoice] = field(default_factory=list)

    def _open(self) -> list[BookInvoice]:
        """The open invoices, oldest due first. Kept as its own short list: most invoices are paid
        soon after they are issued, so this stays small where scanning every invoice would not."""
        self.open_items = [i for i in self.open_items if i.row.balance > 0]
        self.open_items.sort(key=lambda i: (i.row.due_on, i.seq))
        return list(self.open_items)

    def invoice(
        self, at: dt.datetime, lines: list[tuple[str, Decimal]], *, terms: str, source_key: str | None = None
    ) -> BookInvoice:
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
        item = BookInvoice(inv, rows, at, len(self.invoices))
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

    def apply_credits(self, at: dt.datetime, inv: BookInvoice) -> None:
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
            row = subject.row if isinstance(subject, BookInvoice) else subject
            description = text
            if isinstance(row, Invoice):  # approved (no text), or a credit applied to it
                description = f"{text} {row.number}" if text else f"Invoice {row.number}"
            ledger.append(
                LedgerEntry(
                    provider_id=pid,
                    customer=self.customer,
                    at=at,
                    kind=kind,
                    description=description,
                    amount=amount,
                    running_balance=running,
                    subject_type=row._meta.model_name or "",
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


def reserve_numbers(provider: Provider, count: int) -> int:
    seq, _ = Sequence.objects.select_for_update().get_or_create(provider=provider, name="invoice")
    first = seq.last_value + 1
    seq.last_value += count
    seq.save(update_fields=["last_value"])
    return first
