"""The money figures of the dashboard, and an invoice's open balance, explained from their records.

Each figure is the one the page shows (the account summary row, the invoice's balance), explained
by the same computation that keeps it: total due is the open balances of the approved invoices,
each an invoice's total less the payments and credit set against it (a refund's reversal adds
back); account credit is what the credits still hold; lifetime value is the payments received
less the refunds; the account is current while no open invoice is past its due date
(`is_past_due`, from the day after). The lines add up to the figure to the cent.

Every read is bounded: at most MAX_LINES records in detail, the rest folded into one line that
carries their sum (from one aggregate), and at most MAX_APPLIED payments and credits set against
the listed invoices (an invoice whose history is longer gets one line for the rest, from its own
total and balance). A role that may not see money gets the same lines without amounts and a
sentence without figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from accountdesk.billing.models import (
    AccountSummary,
    Credit,
    CreditApplication,
    CreditOrigin,
    Invoice,
    InvoiceQuerySet,
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentAllocation,
    PaymentKind,
    PaymentMeans,
    Terms,
    account_is_current,
)
from accountdesk.billing.selectors import dispute_open_by_entry
from accountdesk.core import clock
from accountdesk.core.dates import date_text
from accountdesk.core.explain import Explanation, Line, OpenDispute
from accountdesk.core.money import ZERO, money_text, quantize
from accountdesk.customers.models import Customer

MAX_LINES = 50
MAX_APPLIED = 500

MONEY_METRICS = ("total_due", "account_credit", "lifetime_value", "account_current")


@dataclass(frozen=True)
class _Words:
    """How figures, dates and links read for this customer and viewer."""

    customer: Customer
    shows_money: bool

    def money(self, amount: Decimal) -> str:
        return money_text(amount, self.customer.currency, self.customer.provider.locale)

    def tab(self, name: str, anchor: str = "") -> str:
        url = reverse(f"tabs:{name}", args=[self.customer.pk])
        return f"{url}#{anchor}" if anchor else url

    def invoice_url(self, invoice_id: int) -> str:
        return reverse("tabs:billing_invoice", args=[self.customer.pk, invoice_id])

    def statement_url(self, period: tuple[dt.date, dt.date] | None) -> str | None:
        if period is None or not self.shows_money:
            return None
        start, end = period
        return f"{self.tab('statement')}?from={start.isoformat()}&to={end.isoformat()}"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _summary(customer: Customer) -> AccountSummary | None:
    return AccountSummary.objects.filter(provider_id=customer.provider_id, customer=customer).first()


def _sum(qs: QuerySet[Any], field: str = "amount") -> Decimal:
    # SQLite adds decimals as floats: every stored value has whole cents, so rounding is exact.
    return quantize(qs.aggregate(s=Sum(field))["s"] or ZERO)


def _explained(
    words: _Words,
    *,
    metric: str,
    value: Decimal | bool | int,
    sentence: str,
    plain: str,
    lines: list[Line],
    period: tuple[dt.date, dt.date] | None,
) -> Explanation:
    """The explanation as the viewer may read it: with money, or without any figure."""
    if not words.shows_money:
        for line in lines:
            line.amount = None
            line.dispute = None
            line.entry = None
        return Explanation(metric, None, clock.now(), plain, lines, None, None, shows_money=False)
    _attach_entries(words.customer, lines)
    return Explanation(metric, value, clock.now(), sentence, lines, period, words.statement_url(period))


# ---------------------------------------------------------------- ledger entries and disputes


def _credit_key(credit: Credit) -> tuple[str, int, str] | None:
    """The ledger entry a credit rests on: its own when issued by staff, the payment's when it is
    what a payment left over; a voided invoice's credit has no entry of its own."""
    if credit.origin == CreditOrigin.ISSUED:
        return ("credit", credit.pk, LedgerKind.CREDIT_ISSUED)
    if credit.origin == CreditOrigin.OVERPAYMENT and credit.source_payment_id is not None:
        return ("payment", credit.source_payment_id, LedgerKind.PAYMENT)
    return None


def _attach_entries(customer: Customer, lines: list[Line]) -> None:
    """Each line's ledger entry and the open dispute on it: two queries whatever the line count."""
    keys = {line.entry_key for line in lines if line.entry_key is not None}
    if not keys:
        return
    wanted: dict[tuple[str, str], set[int]] = defaultdict(set)
    for subject_type, subject_id, kind in keys:
        wanted[(subject_type, kind)].add(subject_id)
    match = Q()
    for (subject_type, kind), ids in wanted.items():
        match |= Q(subject_type=subject_type, kind=kind, subject_id__in=sorted(ids))
    entries = LedgerEntry.objects.filter(match, provider_id=customer.provider_id, customer=customer)
    found: dict[tuple[str, int, str], int] = {}
    for pk, subject_type, subject_id, kind in entries.order_by("at", "id").values_list(
        "id", "subject_type", "subject_id", "kind"
    )[: len(keys) * 2]:
        found.setdefault((subject_type, subject_id, kind), pk)
    disputes = dispute_open_by_entry(customer=customer, entry_ids=list(found.values()))
    for line in lines:
        if line.entry_key is not None and line.entry_key in found:
            line.entry = found[line.entry_key]
            dispute = disputes.get(line.entry)
            if dispute is not None:
                line.dispute = OpenDispute(
                    dispute.pk, dispute.reason, dispute.raised_at, dispute.raised_by_name
                )


# ---------------------------------------------------------------- an invoice's balance


def _terms_phrase(invoice: Invoice) -> str:
    if invoice.terms == Terms.DUE_ON_RECEIPT:
        return "due on receipt"
    return f"{invoice.get_terms_display()} terms"


@dataclass
class _Applied:
    """What the breakdown of some invoices added up: by kind, for the sentence."""

    invoiced: Decimal = ZERO
    paid: Decimal = ZERO
    refunded: Decimal = ZERO
    credited: Decimal = ZERO
    earlier: Decimal = ZERO


def _invoice_breakdown(invoices: list[Invoice], words: _Words, today: dt.date) -> tuple[list[Line], _Applied]:
    """For each invoice: its total, then what was set against it, oldest first. The lines of one
    invoice add up to its open balance (two queries for all of them)."""
    if not invoices:
        return [], _Applied()
    customer = words.customer
    ids = [invoice.pk for invoice in invoices]
    allocations = (
        PaymentAllocation.objects.filter(provider_id=customer.provider_id, invoice_id__in=ids)
        .select_related("payment")
        .order_by("invoice_id", "payment__received_on", "id")[:MAX_APPLIED]
    )
    applications = (
        CreditApplication.objects.filter(provider_id=customer.provider_id, invoice_id__in=ids)
        .select_related("credit")
        .order_by("invoice_id", "applied_at", "id")[:MAX_APPLIED]
    )
    against: dict[int, list[tuple[dt.date, int, Line]]] = defaultdict(list)
    for allocation in allocations:
        against[allocation.invoice_id].append(
            (allocation.payment.received_on, 0, _allocation_line(allocation, invoices, words))
        )
    for application in applications:
        on = timezone.localdate(application.applied_at)
        against[application.invoice_id].append((on, 1, _application_line(application, invoices, words)))
    totals = _Applied()
    lines: list[Line] = []
    for invoice in invoices:
        overdue = invoice.is_overdue(today)
        lines.append(
            Line(
                "invoice",
                invoice.pk,
                _invoice_label(invoice, overdue=overdue),
                invoice.total,
                words.invoice_url(invoice.pk),
                overdue=overdue,
                entry_key=("invoice", invoice.pk, LedgerKind.INVOICE_APPROVED),
            )
        )
        totals.invoiced += invoice.total
        listed = invoice.total
        for _, _, line in sorted(against[invoice.pk], key=lambda row: (row[0], row[1])):
            lines.append(line)
            assert line.amount is not None
            listed += line.amount
            if line.type == "payment":
                totals.paid -= line.amount
            elif line.type == "refund":
                totals.refunded += line.amount
            else:
                totals.credited -= line.amount
        rest = invoice.balance - listed
        if rest:
            # More payments and credits than one read brings: the invoice page lists them all.
            lines.append(
                Line(
                    "invoice",
                    invoice.pk,
                    f"Earlier payments and credits on {invoice.label} (listed on the invoice)",
                    rest,
                    words.invoice_url(invoice.pk),
                )
            )
            totals.earlier -= rest
    return lines, totals


def _invoice_label(invoice: Invoice, *, overdue: bool) -> str:
    due = f"due {date_text(invoice.due_on)}"
    if overdue:
        due += f", overdue since {date_text(invoice.due_on + dt.timedelta(days=1))}"
    return f"Invoice {invoice.label}, issued {date_text(invoice.issued_on)}, {due}"


def _allocation_line(allocation: PaymentAllocation, invoices: list[Invoice], words: _Words) -> Line:
    payment = allocation.payment
    label = next(i.label for i in invoices if i.pk == allocation.invoice_id)
    anchor = f"payment-{payment.pk}"
    if payment.kind == PaymentKind.REFUND:
        text = f"Refund of {date_text(payment.received_on)} put back on {label}"
        if payment.reason:
            text += f": {payment.reason}"
        key = ("payment", payment.pk, LedgerKind.REFUND)
        return Line(
            "refund", payment.pk, text, -allocation.amount, words.tab("payments", anchor), entry_key=key
        )
    means = PaymentMeans.phrase(payment.method, payment.reference)
    text = f"Payment of {date_text(payment.received_on)} by {means}, applied to {label}"
    key = ("payment", payment.pk, LedgerKind.PAYMENT)
    return Line("payment", payment.pk, text, -allocation.amount, words.tab("payments", anchor), entry_key=key)


def _credit_words(credit: Credit) -> str:
    if credit.origin == CreditOrigin.OVERPAYMENT:
        return f"credit left over from a payment of {date_text(credit.issued_on)}"
    if credit.origin == CreditOrigin.VOIDED_INVOICE:
        return f"credit released on {date_text(credit.issued_on)} ({credit.reason})"
    return f"credit issued on {date_text(credit.issued_on)} ({credit.reason})"


def _application_line(application: CreditApplication, invoices: list[Invoice], words: _Words) -> Line:
    credit = application.credit
    label = next(i.label for i in invoices if i.pk == application.invoice_id)
    text = f"Account {_credit_words(credit)}, applied to {label}"
    url = words.tab("credits", f"credit-{credit.pk}")
    return Line("credit", credit.pk, text, -application.amount, url, entry_key=_credit_key(credit))


def _less(totals: _Applied, words: _Words) -> str:
    parts = []
    if totals.paid:
        parts.append(f"{words.money(totals.paid)} of payments")
    if totals.credited:
        parts.append(f"{words.money(totals.credited)} of credit applied")
    if totals.earlier:
        parts.append(f"{words.money(totals.earlier)} applied earlier")
    text = f", less {' and '.join(parts)}" if parts else ""
    if totals.refunded:
        text += f", plus {words.money(totals.refunded)} refunded back onto them"
    return text


def invoice_balance_explain(*, invoice: Invoice, shows_money: bool = True) -> Explanation:
    """Why an approved invoice's open balance is what it is: its total, less each payment and
    credit set against it, with each refund put back."""
    customer = invoice.customer
    words = _Words(customer, shows_money)
    today = clock.today()
    lines, totals = _invoice_breakdown([invoice], words, today) if invoice.is_approved else ([], _Applied())
    if not invoice.is_approved:
        state = "a draft" if invoice.is_draft else "void"
        sentence = f"Invoice {invoice.label} is {state}: only an approved invoice has a balance to pay."
        return _explained(
            words,
            metric="invoice_balance",
            value=ZERO,
            sentence=sentence,
            plain=sentence,
            lines=[],
            period=None,
        )
    if invoice.balance:
        sentence = (
            f"Invoice {invoice.label} has {words.money(invoice.balance)} open: its total of "
            f"{words.money(invoice.total)}{_less(totals, words)}."
        )
    else:
        total = words.money(invoice.total)
        sentence = f"Invoice {invoice.label} is paid: its total of {total}{_less(totals, words)}."
    if invoice.is_overdue(today):
        sentence += _overdue_words(invoice)
    plain = (
        f"Invoice {invoice.label}'s open balance is its total less the payments and credits applied to it, "
        "with refunds put back."
    )
    period = (invoice.issued_on, max(invoice.issued_on, today))
    return _explained(
        words,
        metric="invoice_balance",
        value=invoice.balance,
        sentence=sentence,
        plain=plain,
        lines=lines,
        period=period,
    )


def _overdue_words(invoice: Invoice) -> str:
    return (
        f" It was due on {date_text(invoice.due_on)} ({_terms_phrase(invoice)} from its issue on "
        f"{date_text(invoice.issued_on)}) and has been overdue since "
        f"{date_text(invoice.due_on + dt.timedelta(days=1))}."
    )


# ---------------------------------------------------------------- total due


def _open_invoices(customer: Customer) -> InvoiceQuerySet[Invoice]:
    qs = Invoice.objects.filter(provider_id=customer.provider_id, customer=customer)
    return qs.open()


def _rest(qs: QuerySet[Any], shown: int, listed: Decimal, field: str) -> tuple[int, Decimal]:
    """How many rows and how much money the detailed lines left out: one aggregate, always run,
    so the explanation costs the same whatever the history."""
    row = qs.aggregate(n=Count("id"), s=Sum(field))
    return row["n"] - shown, quantize(row["s"] or ZERO) - listed


def total_due_explain(*, customer: Customer, shows_money: bool = True) -> Explanation:
    """Total due: each open invoice's total, less the payments and credit applied to it, with
    refunds put back; the lines add up to the sum of the open balances."""
    words = _Words(customer, shows_money)
    today = clock.today()
    summary = _summary(customer)
    value = summary.total_due if summary else ZERO
    credit = summary.account_credit if summary else ZERO
    open_qs = _open_invoices(customer)
    invoices = list(open_qs.order_by("due_on", "id")[:MAX_LINES])
    lines, totals = _invoice_breakdown(invoices, words, today)
    n, amount = _rest(open_qs, len(invoices), sum((i.balance for i in invoices), ZERO), "balance")
    count = len(invoices) + n
    more = n > 0
    if more:
        lines.append(
            Line(
                "invoices",
                None,
                f"{_plural(n, 'more open invoice')}, due later (the Invoices tab lists them)",
                amount,
                f"{words.tab('invoices')}?status=approved",
            )
        )
    if count:
        sentence = (
            f"Total due is {words.money(value)}: the open balances of {_plural(count, 'approved invoice')}. "
            f"Their totals come to {words.money(totals.invoiced)}{_less(totals, words)}."
        )
        if more:
            sentence = sentence.replace("Their totals", f"The first {MAX_LINES} invoices' totals")
        if credit > 0:
            net = max(value - credit, ZERO)
            sentence += (
                f" Account credit of {words.money(credit)} is not applied to them yet: "
                f"less it, {words.money(net)} is left to pay."
            )
        plain = (
            f"Total due is the open balances of {_plural(count, 'approved invoice')}: each invoice's total "
            "less the payments and credits applied to it, with refunds put back."
        )
    else:
        sentence = plain = "Nothing is due: no approved invoice has an open balance."
        if credit > 0:
            sentence += f" The account holds {words.money(credit)} of credit."
    period = (min(i.issued_on for i in invoices), today) if invoices else None
    return _explained(
        words, metric="total_due", value=value, sentence=sentence, plain=plain, lines=lines, period=period
    )


# ---------------------------------------------------------------- account credit


def account_credit_explain(*, customer: Customer, shows_money: bool = True) -> Explanation:
    """Account credit: what each credit still holds (issued by staff, left over from a payment,
    or released by voiding an invoice), not yet applied to an invoice nor refunded."""
    words = _Words(customer, shows_money)
    summary = _summary(customer)
    value = summary.account_credit if summary else ZERO
    qs = Credit.objects.filter(provider_id=customer.provider_id, customer=customer, remaining__gt=0)
    credits = list(qs.order_by("issued_on", "id")[:MAX_LINES])
    lines = []
    for credit in credits:
        label = _credit_words(credit)
        if credit.remaining != credit.amount:
            label += ", part of it applied or refunded since"
        lines.append(
            Line(
                "credit",
                credit.pk,
                label[:1].upper() + label[1:],
                credit.remaining,
                words.tab("credits", f"credit-{credit.pk}"),
                entry_key=_credit_key(credit),
            )
        )
    n, amount = _rest(qs, len(credits), sum((c.remaining for c in credits), ZERO), "remaining")
    count = len(credits) + n
    if n:
        lines.append(
            Line(
                "credits",
                None,
                f"{_plural(n, 'more credit')} (the Credits tab lists them)",
                amount,
                words.tab("credits"),
            )
        )
    if count:
        sentence = (
            f"Account credit is {words.money(value)}: what {_plural(count, 'credit')} still "
            f"{'holds' if count == 1 else 'hold'}, not yet applied to an invoice nor refunded."
        )
        plain = (
            f"Account credit is what {_plural(count, 'credit')} still {'holds' if count == 1 else 'hold'}, "
            "not yet applied to an invoice nor refunded."
        )
        auto = customer.provider.credit_auto_apply
        sentence += (
            " It pays open invoices as they come (automatic application is on)."
            if auto
            else " It is applied to an invoice from the Credits tab."
        )
    else:
        sentence = plain = "No account credit: every credit has been applied to an invoice or refunded."
    period = (credits[0].issued_on, clock.today()) if credits else None
    return _explained(
        words,
        metric="account_credit",
        value=value,
        sentence=sentence,
        plain=plain,
        lines=lines,
        period=period,
    )


# ---------------------------------------------------------------- lifetime value


def lifetime_value_explain(*, customer: Customer, shows_money: bool = True) -> Explanation:
    """Lifetime value: every payment received, less every refund, since the account was opened;
    the latest MAX_LINES in detail, the earlier ones in one line."""
    words = _Words(customer, shows_money)
    summary = _summary(customer)
    value = summary.lifetime_value if summary else ZERO
    qs = Payment.objects.filter(provider_id=customer.provider_id, customer=customer)
    rows = list(qs.order_by("-received_on", "-id")[:MAX_LINES])
    is_payment, is_refund = Q(kind=PaymentKind.PAYMENT), Q(kind=PaymentKind.REFUND)
    agg = qs.aggregate(
        paid=Sum("amount", filter=is_payment),
        n_paid=Count("id", filter=is_payment),
        refunded=Sum("amount", filter=is_refund),
        n_refunded=Count("id", filter=is_refund),
    )
    paid, refunded = quantize(agg["paid"] or ZERO), -quantize(agg["refunded"] or ZERO)
    lines = [_payment_line(p, words) for p in rows]
    earlier = agg["n_paid"] + agg["n_refunded"] - len(rows)
    if earlier:
        amount = paid - refunded - sum((p.amount for p in rows), ZERO)
        lines.append(
            Line(
                "payments",
                None,
                f"{_plural(earlier, 'earlier payment or refund', 'earlier payments and refunds')} "
                "(the Payments tab lists them)",
                amount,
                words.tab("payments"),
            )
        )
    since = date_text(customer.joined_on)
    if agg["n_paid"]:
        sentence = (
            f"Lifetime value is {words.money(value)}: {words.money(paid)} received in "
            f"{_plural(agg['n_paid'], 'payment')} since {since}"
        )
        if agg["n_refunded"]:
            sentence += f", less {words.money(refunded)} refunded in {_plural(agg['n_refunded'], 'refund')}"
        sentence += "."
        plain = (
            f"Lifetime value is the {_plural(agg['n_paid'], 'payment')} received since {since}, less refunds."
        )
    else:
        sentence = plain = f"No payment received since the account was opened on {since}."
    start = customer.joined_on if earlier or not rows else rows[-1].received_on
    period = (start, clock.today()) if rows else None
    return _explained(
        words,
        metric="lifetime_value",
        value=value,
        sentence=sentence,
        plain=plain,
        lines=lines,
        period=period,
    )


def _payment_line(payment: Payment, words: _Words) -> Line:
    anchor = f"payment-{payment.pk}"
    if payment.kind == PaymentKind.REFUND:
        text = f"Refund of {date_text(payment.received_on)}" + (
            f": {payment.reason}" if payment.reason else ""
        )
        key = ("payment", payment.pk, LedgerKind.REFUND)
        return Line("refund", payment.pk, text, payment.amount, words.tab("payments", anchor), entry_key=key)
    means = PaymentMeans.phrase(payment.method, payment.reference)
    text = f"Payment of {date_text(payment.received_on)} by {means}"
    key = ("payment", payment.pk, LedgerKind.PAYMENT)
    return Line("payment", payment.pk, text, payment.amount, words.tab("payments", anchor), entry_key=key)


# ---------------------------------------------------------------- account current


RULE = (
    "An approved invoice with an open balance is overdue from the day after its due date (its issue "
    "date plus the payment terms) until it is paid."
)


def account_current_explain(*, customer: Customer, shows_money: bool = True) -> Explanation:
    """Whether the account is current, and why: the overdue invoices (the oldest first), with
    their due dates and terms; or, when current, the next invoices to fall due."""
    words = _Words(customer, shows_money)
    today = clock.today()
    summary = _summary(customer)
    current = account_is_current(summary, today)
    open_qs = _open_invoices(customer)
    shown_qs = open_qs if current else open_qs.overdue(today)
    invoices = list(shown_qs.order_by("due_on", "id")[:MAX_LINES])
    count = shown_qs.count()
    lines = [
        Line(
            "invoice",
            invoice.pk,
            _invoice_label(invoice, overdue=invoice.is_overdue(today)) + f" ({_terms_phrase(invoice)})",
            invoice.balance,
            words.invoice_url(invoice.pk),
            overdue=invoice.is_overdue(today),
            entry_key=("invoice", invoice.pk, LedgerKind.INVOICE_APPROVED),
        )
        for invoice in invoices
    ]
    if current and invoices:
        first = invoices[0]
        sentence = plain = (
            "The account is current: no open invoice is past its due date. The next to fall due is "
            f"{first.label}, on {date_text(first.due_on)}."
        )
    elif current:
        sentence = plain = "The account is current: no approved invoice has an open balance."
    else:
        oldest = invoices[0]
        head = (
            f"The account is not current: {_plural(count, 'open invoice is', 'open invoices are')} past "
            f"the due date. The oldest, {oldest.label},"
        )
        sentence = f"{head} has {words.money(oldest.balance)} open.{_overdue_words(oldest)}"
        plain = f"{head} is still open.{_overdue_words(oldest)}"
    sentence, plain = f"{sentence} {RULE}", f"{plain} {RULE}"
    period = None if current or not invoices else (min(i.issued_on for i in invoices), today)
    return _explained(
        words,
        metric="account_current",
        value=current,
        sentence=sentence,
        plain=plain,
        lines=lines,
        period=period,
    )


EXPLAINERS: dict[str, Callable[..., Explanation]] = {
    "total_due": total_due_explain,
    "account_credit": account_credit_explain,
    "lifetime_value": lifetime_value_explain,
    "account_current": account_current_explain,
}
