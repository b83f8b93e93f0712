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
from accountdesk.billing.models import PaymentMeans
from accountdesk.core.money import ZERO
from accountdesk.core.pagination import Page
from accountdesk.core.visibility import sees_money
from accountdesk.customers import selectors as customers
from accountdesk.customers.models import Customer, Status
from accountdesk.fieldservice import selectors as fieldservice
from accountdesk.fieldservice.models import Job, JobStatus
from accountdesk.notes import selectors as notes
from accountdesk.search.answers import (
    CITATION_LIMIT,
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
from accountdesk.search.parsing import Period, Threshold, period_in, threshold_in
from accountdesk.servicedesk import selectors as servicedesk
from accountdesk.servicedesk.models import Ticket, TicketStatus
from accountdesk.subscriptions import selectors as subscriptions
from accountdesk.subscriptions.models import SubscriptionStatus

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
    period: Period | None = field(init=False)
    threshold: Threshold | None = field(init=False)

    def __post_init__(self) -> None:
        self.period = period_in(self.text, self.today)
        self.threshold = threshold_in(self.text)

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
    profile = billing.billing_profile_get(customer=q.customer)
    if profile is None or profile.next_bill_date is None:
        return Answer(f"{q.name} has no next bill date set.")
    text = (
        f"The next bill date of {q.name} is {date_text(profile.next_bill_date)} "
        f"({profile.get_cycle_display().lower()} billing, {profile.get_terms_display()})."
    )
    citation = Citation("billing_profile", profile.pk, "Billing information", tab_url("billing", q.customer))
    return Answer(text, [citation])


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
    elif q.has(r"\b(next|upcoming|future|coming|scheduled)\b"):
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


def tickets(q: Question) -> Answer:
    open_only = q.has(r"\b(open|unresolved|outstanding|pending)\b")
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
    if not rows:
        return Answer(f"{q.name} has no contacts.")
    url = tab_url("contacts", q.customer)
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
