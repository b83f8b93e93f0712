"""Property: the dashboard as of a past day is the dashboard that was shown at the end of that day.

Random histories are driven through the real services with the clock frozen at each step's time:
invoices issued (and drafts approved), payments allocated by the oldest-first rule, to a chosen
invoice, or beyond what is owed (credit), refunds, credits issued and applied, voids, status
changes, account field, tag, custom field and contact edits, contacts added, notes. At the end of
some days the live document is kept. Afterwards, asked in a random order (so the monthly snapshots
are built from one another in every order), the document as of each of those days equals what was
kept, except for the sections the document itself declares not rebuilt (in these histories only
"contacts", when a contact added since moved the primary flag; every money section, the status,
the fields and the activity are always compared).
"""

import datetime as dt
from contextlib import suppress
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accountdesk.billing import services as billing
from accountdesk.billing.models import Invoice, Payment
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import DomainError
from accountdesk.customers import services as customers
from accountdesk.customers.models import Contact, CustomFieldDefinition
from accountdesk.dashboard.asof import dashboard_as_of
from accountdesk.dashboard.document import dashboard_document
from accountdesk.dashboard.selectors import dashboard_get
from accountdesk.notes import services as notes
from tests.factories import TagFactory

cents = st.integers(min_value=1, max_value=40_000).map(lambda c: Decimal(c) / 100)
step = st.tuples(
    st.integers(min_value=0, max_value=40),  # days since the previous step
    st.integers(min_value=0, max_value=23),  # the hour of the day
    st.sampled_from(
        [
            "invoice", "invoice", "draft", "pay", "pay", "pay_to", "overpay", "refund", "credit", "apply",
            "void", "status", "edit", "tags", "custom", "contact_add", "contact_edit", "note",
        ]
    ),
    cents,
    st.integers(min_value=0, max_value=50),  # picks a row among those that exist
    st.booleans(),  # keep the live document at the end of this day
)  # fmt: skip
START = dt.datetime(2023, 1, 28, 0, 0, tzinfo=dt.UTC)
STATUSES = {"active": "blocked", "blocked": "active"}


def _pick(rows, index):
    return rows[index % len(rows)] if rows else None


def _act(kind, amount, index, *, customer, actor, field, tags, counter):
    invoices = list(Invoice.objects.filter(customer=customer).order_by("id"))
    if kind == "invoice":
        billing.invoice_issue(
            customer=customer, lines=[{"description": "Service", "unit_price": str(amount)}], actor=actor
        )
    elif kind == "draft":
        draft = billing.invoice_create_draft(
            customer=customer, actor=actor, lines=[{"description": "Extra", "unit_price": str(amount)}]
        )
        if index % 2:
            billing.invoice_approve(invoice=draft, actor=actor)
    elif kind == "pay":
        billing.payment_record(customer=customer, amount=str(amount), method="card", actor=actor)
    elif kind == "pay_to":
        open_ones = [i for i in invoices if i.is_open]
        target = _pick(open_ones, index)
        if target is not None:
            part = min(amount, target.balance)
            billing.payment_record(
                customer=customer,
                amount=str(amount),
                method="bank",
                actor=actor,
                allocations={target.pk: part},
            )
    elif kind == "overpay":
        owed = sum((i.balance for i in invoices if i.is_open), Decimal("0.00"))
        billing.payment_record(customer=customer, amount=str(owed + amount), method="cash", actor=actor)
    elif kind == "refund":
        payment = _pick(list(Payment.objects.filter(customer=customer, kind="payment").order_by("id")), index)
        if payment is not None:
            billing.payment_refund(payment=payment, amount=str(amount), reason="Refund", actor=actor)
    elif kind == "credit":
        billing.credit_issue(customer=customer, amount=str(amount), reason="Goodwill", actor=actor)
    elif kind == "apply":
        target = _pick([i for i in invoices if i.is_open], index)
        if target is not None:
            billing.credit_apply(invoice=target, actor=actor)
    elif kind == "void":
        target = _pick(invoices, index)
        if target is not None:
            billing.invoice_void(invoice=target, reason="Wrong", actor=actor)
    elif kind == "status":
        customer.refresh_from_db()
        customers.customer_status_change(
            customer=customer, status=STATUSES[customer.status], reason="Payment", actor=actor
        )
    elif kind == "edit":
        counter[0] += 1
        data = {"name": f"Name {counter[0]}"} if index % 2 else {"email": f"e{counter[0]}@example.test"}
        customers.customer_update(customer=customer, data=data, actor=actor)
    elif kind == "tags":
        chosen = [t for i, t in enumerate(tags) if index >> i & 1]
        customers.customer_tags_set(customer=customer, tags=chosen, actor=actor)
    elif kind == "custom":
        customers.custom_field_set(customer=customer, definition=field, value=f"RT-{index}", actor=actor)
    elif kind == "contact_add":
        counter[0] += 1
        customers.contact_add(
            customer=customer,
            data={
                "name": f"Contact {counter[0]}",
                "email": f"c{counter[0]}@example.test",
                "is_primary": index % 3 == 0,
            },
            actor=actor,
        )
    elif kind == "contact_edit":
        contact = _pick(list(Contact.objects.filter(customer=customer).order_by("id")), index)
        if contact is not None:
            counter[0] += 1
            customers.contact_update(contact=contact, data={"phone": f"555-{counter[0]:04d}"}, actor=actor)
    elif kind == "note":
        notes.note_add(customer=customer, body=f"Call {index}", actor=actor)


def _live(user, customer, day):
    clock.freeze(dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC))
    return dashboard_document(dashboard_get(user=user, customer_id=customer.pk))


def _without(doc, sections):
    doc = {k: v for k, v in doc.items() if k not in sections and k != "as_of"}
    if "metrics.open_jobs" in sections:
        doc["metrics"] = {k: v for k, v in doc["metrics"].items() if k != "open_jobs"}
    return doc


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=4, max_size=28), order=st.randoms(use_true_random=False))
def test_the_document_as_of_a_day_is_the_one_shown_that_day(provider, staff, steps, order):
    provider.credit_auto_apply = order.random() < 0.5
    provider.save(update_fields=["credit_auto_apply"])
    actor = Actor.system(provider)
    user = staff["billing"]
    clock.freeze(START)
    customer = customers.customer_create(
        provider=provider, data={"name": "Property", "status": "active"}, actor=actor
    )
    field = CustomFieldDefinition.objects.get_or_create(
        provider=provider, name="Router", defaults={"show_on_overview": True}
    )[0]
    tags = [TagFactory(provider=provider, name=f"tag-{i}-{customer.pk}") for i in range(3)]
    counter = [0]
    kept: dict[dt.date, dict] = {}
    now = START
    keep_today = False
    try:
        for gap, hour, kind, amount, index, keep in steps:
            moment = (now + dt.timedelta(days=gap)).replace(hour=hour, minute=index % 60)
            moment = max(moment, now + dt.timedelta(seconds=1))
            if keep_today and moment.date() != now.date():
                kept[now.date()] = _live(user, customer, now.date())
            if moment.date() != now.date():
                keep_today = False
            now = moment
            clock.freeze(now)
            with suppress(DomainError):  # refused: nothing changed
                _act(
                    kind,
                    amount,
                    index,
                    customer=customer,
                    actor=actor,
                    field=field,
                    tags=tags,
                    counter=counter,
                )
            keep_today = keep_today or keep
        if keep_today:
            kept[now.date()] = _live(user, customer, now.date())
        # Ask later, in a random order.
        clock.freeze(now + dt.timedelta(days=2))
        days = sorted(kept)
        order.shuffle(days)
        for day in days:
            board = dashboard_as_of(user=user, customer_id=customer.pk, day=day)
            skipped = set(board.not_rebuilt)
            assert skipped <= {"contacts"}, board.not_rebuilt
            rebuilt = dashboard_document(board)
            assert rebuilt["as_of"]["date"] == day
            assert _without(rebuilt, skipped) == _without(kept[day], skipped), day
    finally:
        clock.freeze(None)
