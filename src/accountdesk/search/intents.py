"""One function per kind of question. Each reads through the domain apps' selectors, every read
bounded, and answers with a sentence and the records it rests on.

The engine has already checked that the asker may see what the function reads and that the
provider has its module; a function only decides what to show of the money it may hold (plans).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

from accountdesk.billing import selectors as billing
from accountdesk.billing.explain import total_due_explain
from accountdesk.billing.instalments import estimated_end
from accountdesk.billing.models import InvoiceStatus, PaymentKind, PaymentMeans
from accountdesk.contracts import selectors as contracts
from accountdesk.contracts.models import ContractStatus
from accountdesk.core.money import ZERO
from accountdesk.core.pagination import Page
from accountdesk.core.visibility import sees_money
from accountdesk.customers import selectors as customers
from accountdesk.customers.models import Customer, CustomFieldKind, Status
from accountdesk.fieldservice import selectors as fieldservice
from accountdesk.fieldservice.models import Job, JobStatus
from accountdesk.history.money import money_as_of
from accountdesk.network import selectors as network
from accountdesk.notes import selectors as notes
from accountdesk.search.answers import (
    CITATION_LIMIT,
    NAMED_IN_SENTENCE,
    Answer,
    Citation,
    cite,
    date_text,
    listing,
    moment_text,
    money_text,
    plural,
    tab_url,
)
from accountdesk.search.parsing import Period, Threshold, day_in, invoice_number_in, period_in, threshold_in
from accountdesk.servicedesk import selectors as servicedesk
from accountdesk.servicedesk.models import Ticket, TicketStatus
from accountdesk.subscriptions import selectors as subscriptions
from accountdesk.subscriptions.models import SubscriptionStatus
from accountdesk.usage import selectors as usage_selectors

# Lists are read a page at a time and at most this many rows in all; past that an answer says
# "at least".
PAGE_SIZE = 200
MAX_PAGES = 5
OPEN_INVOICE_SCAN = 500


@dataclass
class Question:
    text: str
    customer: Customer
    viewer: object  # anything with can(permission): a staff user or an API actor
    today: dt.date
    # The custom field the question names (understanding.field_named), if any.
    field_name: str | None = None
    period: Period | None = field(init=False)
    threshold: Threshold | None = field(init=False)
    invoice_number: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.period = period_in(self.text, self.today)
        self.threshold = threshold_in(self.text)
        self.invoice_number = invoice_number_in(self.text)

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.text) is not None

    @property
    def name(self) -> str:
        return self.customer.name

    @property
    def shows_money(self) -> bool:
        return sees_money(self.viewer)


def _collect(fetch: Callable[[str | None], Page], *, older_than=None, date_of=None) -> tuple[list, bool]:
    """Rows of a newest-first keyset list, page by page, until a row is older than `older_than`
    (by `date_of(row)`) or MAX_PAGES were read. Returns the rows and whether the list was read
    to its end (or to that date)."""
    rows: list = []
    cursor = None
    for _ in range(MAX_PAGES):
        page = fetch(cursor)
        for row in page.items:
            if older_than is not None and date_of(row) < older_than:
                return rows, True
            rows.append(row)
        if page.next_cursor is None:
            return rows, True
        cursor = page.next_cursor
    return rows, False


def _how_many(count: int, complete: bool) -> str:
    return str(count) if complete else f"at least {count}"


def _period_phrase(period: Period | None) -> str:
    if period is None:
        return ""
    if period.end - period.start == dt.timedelta(days=1):
        return f" {period.name} ({date_text(period.start)})"
    return f" {period.name} ({date_text(period.start)} to {date_text(period.last_day)})"


# ---------------------------------------------------------------- money


def _invoice_citation(customer, invoice) -> Citation:
    return cite("invoice", invoice, invoice.label, tab_url("billing_invoice", customer, invoice.pk))


def balance(q: Question) -> Answer:
    metrics = billing.account_metrics(customer=q.customer, today=q.today)
    invoices = billing.invoice_open(customer=q.customer, limit=CITATION_LIMIT)
    credit = ""
    if metrics.account_credit > ZERO:
        credit = f"; {money_text(metrics.account_credit, q.customer)} of account credit is not yet applied"
    if metrics.total_due <= ZERO:
        return Answer(f"{q.name} owes nothing: no approved invoice has an open balance{credit}.")
    oldest = metrics.earliest_open_due_on
    overdue = " (overdue)" if not metrics.account_current else ""
    text = (
        f"{q.name} owes {money_text(metrics.total_due, q.customer)} on "
        f"{plural(metrics.open_invoice_count, 'open invoice')}, the oldest due {date_text(oldest)}"
        f"{overdue}{credit}."
    )
    return Answer(text, [_invoice_citation(q.customer, i) for i in invoices])


def balance_why(q: Question) -> Answer:
    """ "Why is the balance so high?": the total due's explanation (billing/explain.py, the panel
    behind the dashboard's figure), its sentence and the records it rests on."""
    explanation = total_due_explain(customer=q.customer)
    cited = [
        Citation(type=line.type, id=line.id, label=line.label, url=line.url)
        for line in explanation.lines
        if line.id is not None and line.url
    ]
    return Answer(explanation.sentence, cited[:CITATION_LIMIT])


def balance_on(q: Question) -> Answer:
    """ "What was the balance on 1 March?": the books at the end of that day, rebuilt as the
    dashboard's as-of view rebuilds them (the month's snapshot and a replay of its days)."""
    day = day_in(q.text, q.today)
    if day is None:
        return Answer("Which day? Ask, for example, \u201cwhat was the balance on 1 March\u201d.")
    joined = q.customer.joined_on
    if day > q.today or (joined is not None and day < joined):
        since = f", and {q.name} joined on {date_text(joined)}" if joined is not None else ""
        return Answer(f"I can only tell the balance from the day they joined up to today{since}.")
    state = money_as_of(customer=q.customer, day=day)
    credit = ""
    if state.account_credit > ZERO:
        credit = f", with {money_text(state.account_credit, q.customer)} of account credit not yet applied"
    if state.total_due <= ZERO:
        text = f"At the end of {date_text(day)}, {q.name} owed nothing{credit}."
    else:
        text = (
            f"At the end of {date_text(day)}, {q.name} owed {money_text(state.total_due, q.customer)} on "
            f"{plural(len(state.open), 'open invoice')}{credit}."
        )
    view = reverse("tabs:dashboard", args=[q.customer.pk]) + f"?as_of={day.isoformat()}"
    cited = [
        Citation(type="account", id=q.customer.pk, label=f"The account as of {date_text(day)}", url=view)
    ]
    invoices = billing.invoice_by_ids(customer=q.customer, ids=state.open, limit=CITATION_LIMIT - 1)
    return Answer(text, cited + [_invoice_citation(q.customer, i) for i in invoices])


def last_payment(q: Question) -> Answer:
    payments = list(billing.payment_recent(customer=q.customer, limit=1))
    if not payments:
        return Answer(f"{q.name} has not made a payment yet.")
    payment = payments[0]
    reference = f" (reference {payment.reference})" if payment.reference else ""
    text = (
        f"{q.name} last paid {money_text(payment.amount, q.customer)} on {date_text(payment.received_on)} "
        f"by {PaymentMeans.label_of(payment.method).lower()}{reference}."
    )
    label = payment.reference or f"Payment of {date_text(payment.received_on)}"
    return Answer(text, [cite("payment", payment, label, tab_url("payments", q.customer))])


_UNPAID = r"\b(unpaid|not paid|open|outstanding|overdue|owe|owes|owed|owing|due|unsettled)\b"


def invoices(q: Question) -> Answer:
    if q.threshold is None and not q.has(_UNPAID):
        return _recent_invoices(q)
    rows = billing.invoice_open(customer=q.customer, limit=OPEN_INVOICE_SCAN)
    complete = len(rows) < OPEN_INVOICE_SCAN
    what = "unpaid invoice"
    if q.has(r"\boverdue\b"):
        rows = [i for i in rows if i.is_overdue(q.today)]
        what = "overdue invoice"
    condition = ""
    if q.threshold is not None:
        limit, above = q.threshold.amount, q.threshold.above
        rows = [i for i in rows if (i.balance > limit if above else i.balance < limit)]
        word = "more" if above else "less"
        condition = f" with {word} than {money_text(limit, q.customer)} still owed"
    count = _how_many(len(rows), complete)
    if not rows:
        return Answer(f"{q.name} has no {what}s{condition}.")
    total = sum((i.balance for i in rows), Decimal("0"))
    items = [f"{i.label} ({money_text(i.balance, q.customer)} due {date_text(i.due_on)})" for i in rows]
    noun = what if len(rows) == 1 and complete else what + "s"
    text = (
        f"{q.name} has {count} {noun}{condition}, {money_text(total, q.customer)} in all: {listing(items)}."
    )
    return Answer(text, [_invoice_citation(q.customer, i) for i in rows[:CITATION_LIMIT]])


def _recent_invoices(q: Question) -> Answer:
    rows = list(billing.invoice_recent_approved(customer=q.customer, limit=3))
    if not rows:
        return Answer(f"{q.name} has no approved invoices yet.")
    items = [f"{i.label} of {date_text(i.issued_on)} ({money_text(i.total, q.customer)})" for i in rows]
    text = f"The latest invoices of {q.name} are {listing(items)}."
    return Answer(text, [_invoice_citation(q.customer, i) for i in rows])


def credit(q: Question) -> Answer:
    metrics = billing.account_metrics(customer=q.customer, today=q.today)
    if metrics.account_credit <= ZERO:
        return Answer(f"{q.name} has no account credit.")
    page = billing.credit_list(customer=q.customer, limit=CITATION_LIMIT)
    url = tab_url("credits", q.customer)
    citations = [
        cite("credit", c, c.reason or f"Credit of {date_text(c.issued_on)}", url)
        for c in page.items
        if c.remaining > ZERO
    ]
    text = f"{q.name} has {money_text(metrics.account_credit, q.customer)} of account credit not yet applied."
    return Answer(text, citations)


def next_bill(q: Question) -> Answer:
    """The next bill date and what the current active subscriptions charge on it."""
    profile = billing.billing_profile_get(customer=q.customer)
    if profile is None or profile.next_bill_date is None:
        return Answer(f"{q.name} has no next bill date set.")
    active = [
        s
        for s in subscriptions.subscription_current(customer=q.customer, limit=CITATION_LIMIT)
        if s.status == SubscriptionStatus.ACTIVE
    ]
    charges = ""
    if active:
        frequencies = {s.package.get_frequency_display().lower() for s in active}
        total = sum((s.price for s in active), ZERO)
        per = f" {frequencies.pop()}" if len(frequencies) == 1 else ""
        charges = (
            f"; its active subscriptions charge {money_text(total, q.customer)}{per} "
            f"({listing([s.package.name for s in active])}), before any tax, usage or one-off charges"
        )
    text = (
        f"The next bill date of {q.name} is {date_text(profile.next_bill_date)} "
        f"({profile.get_cycle_display().lower()} billing, {profile.get_terms_display()}){charges}."
    )
    citation = Citation("billing_profile", profile.pk, "Billing information", tab_url("billing", q.customer))
    url = tab_url("subscriptions", q.customer)
    return Answer(text, [citation, *(cite("subscription", s, s.package.name, url) for s in active)])


# ---------------------------------------------------------------- services


def plan(q: Question) -> Answer:
    rows = list(subscriptions.subscription_current(customer=q.customer, limit=CITATION_LIMIT))
    if not rows:
        return Answer(f"{q.name} has no current subscription.")
    total = rows[0].current_total
    items = []
    for sub in rows:
        item = sub.package.name
        if q.shows_money:
            item += f" at {money_text(sub.price, q.customer)} {sub.package.get_frequency_display().lower()}"
        if sub.status == SubscriptionStatus.SUSPENDED:
            item += " (suspended)"
        items.append(item)
    if total == 1:
        text = f"{q.name} is on {items[0]}, since {date_text(rows[0].started_on)}."
    else:
        text = f"{q.name} has {total} current subscriptions: {listing(items, total)}."
    url = tab_url("subscriptions", q.customer)
    return Answer(text, [cite("subscription", s, s.package.name, url) for s in rows])


def _job_citation(customer, job: Job) -> Citation:
    return cite("job", job, job.number, tab_url("fieldservice_job", customer, job.pk))


def _jobs_in(customer, period: Period) -> tuple[list[Job], bool]:
    """Appointments in the period, cancelled ones left out, in one read; and whether all were read."""
    start, end = period.moments()
    rows = fieldservice.job_scheduled_between(customer=customer, start=start, end=end)
    complete = len(rows) < fieldservice.SCHEDULE_LIMIT
    return [job for job in rows if job.status != JobStatus.CANCELLED], complete


def jobs(q: Question) -> Answer:
    open_only = q.has(r"\b(open|outstanding|pending|to do)\b")
    if q.period is not None:
        rows, complete = _jobs_in(q.customer, q.period)
        if open_only:
            rows = [j for j in rows if j.is_open]
        adjective = "open " if open_only else ""
        noun = f"{adjective}job"
    elif q.has(_LATEST) and not open_only:
        return _last_job(q)
    elif q.has(r"\b(next|upcoming|future|coming|scheduled|booked)\b"):
        page = fieldservice.job_list(customer=q.customer, when="future", limit=CITATION_LIMIT)
        rows, complete = page.items, page.next_cursor is None
        noun = "upcoming job"
    else:
        rows, complete = _collect(
            lambda cursor: fieldservice.job_open_list(customer=q.customer, limit=PAGE_SIZE, cursor=cursor)
        )
        noun = "open job"
    count = _how_many(len(rows), complete)
    when = _period_phrase(q.period)
    if not rows:
        return Answer(f"{q.name} has no {noun}s{when}.")
    items = [
        f"{j.number} {j.get_kind_display()} "
        + (f"on {moment_text(j.scheduled_start)}" if j.scheduled_start else "not yet scheduled")
        + (f" with {j.technician.display_name}" if j.technician else "")
        for j in rows
    ]
    noun = noun if len(rows) == 1 and complete else noun + "s"
    text = f"{q.name} has {count} {noun}{when}: {listing(items)}."
    return Answer(text, [_job_citation(q.customer, j) for j in rows[:CITATION_LIMIT]])


_OPEN_TICKETS = (TicketStatus.OPEN, TicketStatus.PENDING)


def _tickets(q: Question, status: str | None) -> tuple[list[Ticket], bool]:
    since = q.period.moments()[0] if q.period else None
    return _collect(
        lambda cursor: servicedesk.ticket_list(
            customer=q.customer, status=status, limit=PAGE_SIZE, cursor=cursor
        ),
        older_than=since,
        date_of=lambda t: t.created_at,
    )


_LATEST = r"\b(last|latest|newest|most recent|recent|previous)\b"


def tickets(q: Question) -> Answer:
    open_only = q.has(r"\b(open|unresolved|outstanding|pending)\b")
    if q.period is None and not open_only and q.has(_LATEST) and not q.has(r"\b(tickets|cases|issues)\b"):
        return _latest_ticket(q)
    if open_only:
        rows, complete = [], True
        for status in _OPEN_TICKETS:
            found, whole = _tickets(q, status)
            rows += found
            complete = complete and whole
        rows.sort(key=lambda t: (t.created_at, t.pk), reverse=True)
    else:
        rows, complete = _tickets(q, None)
    if q.period is not None:
        end = q.period.moments()[1]
        rows = [t for t in rows if t.created_at < end]
    noun = "open ticket" if open_only else "ticket"
    when = f" opened{_period_phrase(q.period)}" if q.period else ""
    if not rows:
        return Answer(f"{q.name} has no {noun}s{when}.")
    items = [f"{t.number} {t.subject.rstrip('.')} ({t.get_status_display().lower()})" for t in rows]
    noun = noun if len(rows) == 1 and complete else noun + "s"
    text = f"{q.name} has {_how_many(len(rows), complete)} {noun}{when}: {listing(items)}."
    citations = [
        cite("ticket", t, t.number, tab_url("servicedesk_ticket", q.customer, t.pk))
        for t in rows[:CITATION_LIMIT]
    ]
    return Answer(text, citations)


# ---------------------------------------------------------------- the account


def _status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value or "(none)"


def status_history(q: Question) -> Answer:
    page = customers.status_history(customer=q.customer, limit=3)
    current = _status_label(q.customer.status)
    if not page.items:
        return Answer(f"The status of {q.name} ({current}) has never been changed.")
    url = reverse("customers:status_history", args=[q.customer.pk])
    citations = [
        cite("status_change", c, f"{_status_label(c.old)} \u2192 {_status_label(c.new)}", url)
        for c in page.items
    ]
    latest = page.items[0]
    who = latest.actor_name or "the system"
    reason = f", reason: \u201c{latest.reason}\u201d" if latest.reason else ""
    change = f"to {_status_label(latest.new)}"
    if latest.old:
        change = f"from {_status_label(latest.old)} {change}"
    text = f"{who} changed the status of {q.name} {change} on {moment_text(latest.at)}{reason}."
    return Answer(text, citations)


def contacts(q: Question) -> Answer:
    rows = customers.contact_list(customer=q.customer, limit=CITATION_LIMIT + 1)
    complete = len(rows) <= CITATION_LIMIT
    rows = rows[:CITATION_LIMIT]
    url = tab_url("contacts", q.customer)
    for what, pattern, read in _REACH:
        if q.has(pattern):
            return _reach(q, rows, what, read, url)
    if not rows:
        return Answer(f"{q.name} has no contacts.")
    citations = [cite("contact", c, c.name, url) for c in rows]
    first = rows[0]
    reach = ", ".join(part for part in (first.email, first.phone) if part)
    described = first.name + (f" ({first.title})" if first.title else "") + (f", {reach}" if reach else "")
    others = f", one of {_how_many(len(rows), complete)} contacts" if len(rows) > 1 else ""
    if first.is_primary:
        return Answer(f"The primary contact of {q.name} is {described}{others}.", citations)
    return Answer(f"{q.name} has no primary contact; the first contact is {described}{others}.", citations)


def last_note(q: Question) -> Answer:
    rows = list(notes.note_recent(customer=q.customer, limit=1))
    if not rows:
        return Answer(f"{q.name} has no notes yet.")
    note = rows[0]
    when = moment_text(note.created_at)
    text = f"The last note, by {note.author_name} on {when}, says \u201c{note.excerpt}\u201d."
    return Answer(text, [cite("note", note, f"Note #{note.pk}", tab_url("notes", q.customer))])


# ---------------------------------------------------------------- money, more


def overdue(q: Question) -> Answer:
    """In arrears or not: how much is past due, and since when (the oldest overdue due date)."""
    rows = billing.invoice_open(customer=q.customer, limit=OPEN_INVOICE_SCAN)
    complete = len(rows) < OPEN_INVOICE_SCAN
    late = [i for i in rows if i.is_overdue(q.today)]
    if not late:
        owed = sum((i.balance for i in rows), ZERO)
        rest = f"; {money_text(owed, q.customer)} is owed and not yet due" if owed > ZERO else ""
        return Answer(f"{q.name} is not behind: no invoice is past its due date{rest}.")
    total = sum((i.balance for i in late), ZERO)
    oldest = min(i.due_on for i in late)
    days = (q.today - oldest).days
    text = (
        f"{q.name} is in arrears: {money_text(total, q.customer)} is overdue on "
        f"{_how_many(len(late), complete)} {'invoice' if len(late) == 1 and complete else 'invoices'}, "
        f"the oldest due {date_text(oldest)} ({plural(days, 'day')} ago)."
    )
    return Answer(text, [_invoice_citation(q.customer, i) for i in late[:CITATION_LIMIT]])


def _payments_citation(customer: Customer) -> Citation:
    return Citation("payments", customer.pk, "Payments", tab_url("payments", customer))


def lifetime(q: Question) -> Answer:
    metrics = billing.account_metrics(customer=q.customer, today=q.today)
    since = date_text(q.customer.created_at)
    text = (
        f"{q.name} has paid {money_text(metrics.lifetime_value, q.customer)} in all since the account "
        f"was opened on {since} (payments less refunds): its lifetime value."
    )
    return Answer(text, [_payments_citation(q.customer)])


def payments(q: Question) -> Answer:
    """Payments received in the period named (all of them when none is): how many, and the sum."""
    start = q.period.start if q.period else None
    rows, complete = _collect(
        lambda cursor: billing.payment_list(
            customer=q.customer, kind=PaymentKind.PAYMENT, limit=PAGE_SIZE, cursor=cursor
        ),
        older_than=start,
        date_of=lambda p: p.received_on,
    )
    if q.period is not None:
        rows = [p for p in rows if p.received_on < q.period.end]
    when = _period_phrase(q.period) if q.period else " in all"
    if not rows:
        return Answer(f"{q.name} made no payments{when}.")
    total = sum((p.amount for p in rows), ZERO)
    items = [f"{money_text(p.amount, q.customer)} on {date_text(p.received_on)}" for p in rows]
    count = _how_many(len(rows), complete)
    noun = "payment" if len(rows) == 1 and complete else "payments"
    text = f"{q.name} made {count} {noun}{when}, {money_text(total, q.customer)} in all: {listing(items)}."
    url = tab_url("payments", q.customer)
    citations = [
        cite("payment", p, p.reference or f"Payment of {date_text(p.received_on)}", url)
        for p in rows[:CITATION_LIMIT]
    ]
    return Answer(text, citations)


def invoice_count(q: Question) -> Answer:
    """How many invoices were issued in the period named (in all when none is); drafts and voided
    invoices are not the customer's bills."""
    start = q.period.start if q.period else None
    rows, complete = _collect(
        lambda cursor: billing.invoice_list(
            customer=q.customer, status=InvoiceStatus.APPROVED, limit=PAGE_SIZE, cursor=cursor
        ),
        older_than=start,
        date_of=lambda i: i.issued_on,
    )
    if q.period is not None:
        rows = [i for i in rows if i.issued_on < q.period.end]
    when = _period_phrase(q.period) if q.period else " in all"
    if not rows:
        return Answer(f"{q.name} was issued no invoices{when}.")
    total = sum((i.total for i in rows), ZERO)
    items = [f"{i.label} of {date_text(i.issued_on)}" for i in rows]
    count = _how_many(len(rows), complete)
    noun = "invoice" if len(rows) == 1 and complete else "invoices"
    text = (
        f"{q.name} was issued {count} {noun}{when}, {money_text(total, q.customer)} in all: {listing(items)}."
    )
    return Answer(text, [_invoice_citation(q.customer, i) for i in rows[:CITATION_LIMIT]])


def invoice_latest(q: Question) -> Answer:
    """One invoice by its number, or the latest one (or three, when asked in the plural)."""
    if q.invoice_number is not None:
        found = billing.invoice_by_number(customer=q.customer, number=q.invoice_number)
        if found is None:
            return Answer(f"{q.name} has no invoice numbered {q.invoice_number.upper()}.")
        return Answer(
            _invoice_sentence(q, found, "Invoice " + found.label), [_invoice_citation(q.customer, found)]
        )
    if q.has(r"\b(invoices|bills)\b"):
        return _recent_invoices(q)
    rows = list(billing.invoice_recent_approved(customer=q.customer, limit=1))
    if not rows:
        return Answer(f"{q.name} has no approved invoices yet.")
    latest = rows[0]
    return Answer(
        _invoice_sentence(q, latest, f"The latest invoice of {q.name}, {latest.label},"),
        [_invoice_citation(q.customer, latest)],
    )


def _invoice_sentence(q: Question, invoice, subject: str) -> str:
    if invoice.status == InvoiceStatus.DRAFT:
        return f"{subject} is a draft of {money_text(invoice.total, q.customer)}, not yet issued."
    if invoice.status == InvoiceStatus.VOID:
        return f"{subject} of {date_text(invoice.issued_on)} was voided."
    owed = (
        f"{money_text(invoice.balance, q.customer)} still owed, due {date_text(invoice.due_on)}"
        if invoice.balance > ZERO
        else "paid in full"
    )
    return (
        f"{subject} was issued on {date_text(invoice.issued_on)} for "
        f"{money_text(invoice.total, q.customer)}: {owed}."
    )


def _paid_off(q: Question, purchase) -> dt.date:
    return estimated_end(today=q.today, instalments_remaining=purchase.instalments_remaining)


def instalments(q: Question) -> Answer:
    """Instalment purchases still being paid: what remains, and when each is paid off (today plus
    the instalments remaining, in months: product.md's estimated end)."""
    page = billing.instalment_list(customer=q.customer, limit=CITATION_LIMIT)
    running = [p for p in page.items if p.instalments_remaining > 0]
    if not running:
        return Answer(f"{q.name} has no instalments left to pay.")
    url = tab_url("instalments", q.customer)
    items = [
        f"{p.description}: {money_text(p.remaining_amount, q.customer)} left in "
        f"{plural(p.instalments_remaining, 'instalment')} of {money_text(p.instalment_amount, q.customer)}, "
        f"paid off by {date_text(_paid_off(q, p))}"
        for p in running
    ]
    total = sum((p.remaining_amount for p in running), ZERO)
    more = "" if page.next_cursor is None else " (the latest purchases)"
    if len(running) == 1:
        text = f"{q.name} is paying off {items[0]}."
    else:
        text = (
            f"{q.name} has {len(running)} instalment purchases{more} with "
            f"{money_text(total, q.customer)} left in all: {'; '.join(items)}."
        )
    return Answer(text, [cite("instalment", p, p.description, url) for p in running])


# ---------------------------------------------------------------- the account, more


def account_manager(q: Question) -> Answer:
    manager = q.customer.account_manager
    if manager is None:
        return Answer(f"{q.name} has no account manager.")
    url = tab_url("customer_details", q.customer)
    label = manager.display_name
    return Answer(
        f"The account manager of {q.name} is {label}.", [Citation("account_manager", manager.pk, label, url)]
    )


def equipment(q: Question) -> Answer:
    page = network.equipment_list(customer=q.customer, limit=CITATION_LIMIT)
    rows = page.items
    if not rows:
        return Answer(f"{q.name} has no equipment on record.")
    items = [
        f"{d.name}{f' ({d.device_type.name})' if d.device_type else ''}: "
        f"MAC {d.mac or 'not recorded'}, IP {d.ip or 'not recorded'}"
        for d in rows
    ]
    complete = page.next_cursor is None
    if len(rows) == 1 and complete:
        text = f"{q.name} has one device, {items[0]}."
    else:
        rest = len(rows) - NAMED_IN_SENTENCE
        more = f" and {'at least ' if not complete else ''}{rest} more" if rest > 0 or not complete else ""
        shown = "; ".join(items[:NAMED_IN_SENTENCE])
        text = f"{q.name} has {_how_many(len(rows), complete)} devices: {shown}{more}."
    url = tab_url("network_equipment", q.customer)
    return Answer(text, [cite("equipment", d, d.name, url) for d in rows])


def usage(q: Question) -> Answer:
    """Use in the current billing period of the metered subscription, against its allowance."""
    subscription = subscriptions.subscription_metered(customer=q.customer)
    if subscription is None:
        return Answer(f"{q.name} has no subscription that meters usage.")
    first, after = usage_selectors.current_period(subscription)
    period = usage_selectors.usage_period(subscription=subscription, first=first, after=after)
    span = f"this billing period ({date_text(period.first)} to {date_text(period.last)})"
    package = subscription.package.name
    if period.allowance is None:
        text = f"{q.name} has used {period.used} {span} on {package}, which has no allowance."
    else:
        text = (
            f"{q.name} has used {period.used} of the {period.allowance} allowance ({period.percent}%) "
            f"{span} on {package}."
        )
    return Answer(text, [cite("subscription", subscription, package, tab_url("usage", q.customer))])


def contract(q: Question) -> Answer:
    page = contracts.contract_list(customer=q.customer, limit=3)
    if not page.items:
        return Answer(f"{q.name} has no contract.")
    latest = page.items[0]
    name = latest.template.name
    if latest.status == ContractStatus.SIGNED:
        by = f" by {latest.signed_name}" if latest.signed_name else ""
        state = f"was signed{by} on {moment_text(latest.signed_at)}" if latest.signed_at else "is signed"
    elif latest.status == ContractStatus.SENT:
        when = f" on {moment_text(latest.sent_at)}" if latest.sent_at else ""
        state = f"was sent to {latest.contact_name}{when} and is not signed yet"
    elif latest.status == ContractStatus.VOIDED:
        state = "was voided" + (f" on {moment_text(latest.voided_at)}" if latest.voided_at else "")
    else:
        state = f"is queued to be sent to {latest.contact_name}, not yet sent"
    text = f"The latest contract of {q.name}, {name}, {state}."
    url = tab_url("contracts_queue", q.customer)
    return Answer(text, [cite("contract", c, c.template.name, url) for c in page.items])


def custom_field(q: Question) -> Answer:
    rows = customers.custom_field_rows(customer=q.customer)
    url = tab_url("custom_fields", q.customer)
    row = next((r for r in rows if r["definition"].name == q.field_name), None)
    if row is None:
        names = [f"\u201c{r['definition'].name}\u201d" for r in rows]
        if not names:
            return Answer("Your provider has no custom fields.")
        return Answer(f"Which custom field? Your provider has {listing(names, len(names))}.")
    definition, value = row["definition"], row["value"]
    if value in (None, ""):
        return Answer(f"{q.name} has no value for \u201c{definition.name}\u201d.")
    shown = value
    if definition.kind == CustomFieldKind.BOOLEAN:
        shown = "yes" if value == "yes" else "no"
    elif definition.kind == CustomFieldKind.DATE:
        shown = date_text(value)
    text = f"The \u201c{definition.name}\u201d of {q.name} is {shown}."
    return Answer(text, [Citation("custom_field", definition.pk, definition.name, url)])


def _address(contact) -> str:
    address = customers.primary_address(contact)
    return str(address) if address is not None else ""


# What a contact question may ask for in particular: (what, words, how to read it off a contact).
_REACH: list[tuple[str, str, Callable]] = [
    ("phone number", r"\b(phone|mobile|cell|telephone|ring|call|number|dial)\b", lambda c: c.phone),
    ("email address", r"\b(e-?mail)\b", lambda c: c.email),
    ("address", r"\b(address|live|lives|located|location|postal|where)\b", _address),
]


def _reach(q: Question, rows: list, what: str, read: Callable, url: str) -> Answer:
    """The phone number, email or address to use: the first contact (the primary one first) that
    has one, else the customer's own; for an address, the service address first."""
    if what == "address" and q.customer.service_address:
        details = tab_url("customer_details", q.customer)
        text = f"The service address of {q.name} is {q.customer.service_address}."
        return Answer(text, [Citation("customer", q.customer.pk, "Details", details)])
    for contact in rows:
        value = read(contact)
        if value:
            role = "the primary contact" if contact.is_primary else "a contact"
            text = f"The {what} for {q.name} is {value} ({contact.name}, {role})."
            return Answer(text, [cite("contact", contact, contact.name, url)])
    own = {
        "phone number": q.customer.phone,
        "email address": q.customer.email,
        "address": q.customer.billing_address,
    }[what]
    if own:
        details = tab_url("customer_details", q.customer)
        text = f"The {what} for {q.name} is {own} (on the account; no contact has one)."
        return Answer(text, [Citation("customer", q.customer.pk, "Details", details)])
    return Answer(f"{q.name} has no {what} on record.")


def _latest_ticket(q: Question) -> Answer:
    rows = list(servicedesk.ticket_recent(customer=q.customer, limit=1))
    if not rows:
        return Answer(f"{q.name} has no tickets.")
    t = rows[0]
    text = (
        f"The latest ticket of {q.name} is {t.number} \u201c{t.subject.rstrip('.')}\u201d "
        f"({t.get_status_display().lower()}), opened on {moment_text(t.created_at)}."
    )
    return Answer(text, [cite("ticket", t, t.number, tab_url("servicedesk_ticket", q.customer, t.pk))])


def _last_job(q: Question) -> Answer:
    page = fieldservice.job_list(customer=q.customer, when="past", limit=1)
    if not page.items:
        return Answer(f"{q.name} has had no jobs yet.")
    j = page.items[0]
    who = f" with {j.technician.display_name}" if j.technician else ", no technician assigned"
    when = moment_text(j.scheduled_start) if j.scheduled_start else "an unscheduled date"
    text = (
        f"The last job of {q.name} was {j.number} {j.get_kind_display()} on {when}"
        f"{who} ({j.get_status_display().lower()})."
    )
    return Answer(text, [_job_citation(q.customer, j)])
