"""A customer's history of every kind, grown in bulk: for tests that pin what a page or an endpoint
costs, whatever the size of the history.

`grow_history(customer, n)` adds n rows of each kind a customer tab or list endpoint shows
(contacts with addresses, notes, activity, status changes, messages, invoices with lines,
payments with allocations, credits with applications, credit requests, ledger entries, payment
methods, instalments, recurring invoices, estimates, agreements, subscriptions, usage records and
roll-ups, usage notifications, tickets with comments, call logs, jobs past and future, equipment
and contracts), half of the dated rows in the past and half around today, so the tabs that show a
window (the statement, the schedule, future jobs, the usage graph) see them too. Every batch is
one bulk insert (activity through `event_bulk_record`, which keeps the hash chain), so a test can
grow an account by hundreds of rows in a moment.
"""

import datetime as dt
import itertools
from decimal import Decimal

from accountdesk.activity.kinds import kind_of
from accountdesk.activity.models import Activity
from accountdesk.activity.services import event_bulk_record
from accountdesk.billing.models import (
    Agreement,
    Credit,
    CreditApplication,
    CreditRequest,
    Estimate,
    InstalmentPurchase,
    Invoice,
    InvoiceLine,
    LedgerEntry,
    Payment,
    PaymentAllocation,
    PaymentMethod,
    RecurringInvoice,
)
from accountdesk.contracts.models import Contract, ContractTemplate
from accountdesk.core import clock
from accountdesk.customers.models import (
    Contact,
    ContactAddress,
    CustomFieldDefinition,
    CustomFieldValue,
    StatusChange,
)
from accountdesk.fieldservice.models import Job
from accountdesk.messaging.models import Message
from accountdesk.network.models import Equipment
from accountdesk.notes.models import Note
from accountdesk.servicedesk.models import CallLog, Ticket, TicketComment
from accountdesk.subscriptions.models import Package, Subscription
from accountdesk.usage.models import UsageNotification, UsageRecord, UsageRollup

_batches = itertools.count(1)
TEN = Decimal("10.00")


def _times(n: int) -> list[dt.datetime]:
    """n moments: the first half hours apart from 2020 on, the second around now (a day apart,
    from n/4 days ago to n/4 days ahead)."""
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    now = clock.now().replace(microsecond=0)
    half = n // 2
    return [past + dt.timedelta(hours=i) for i in range(half)] + [
        now + dt.timedelta(days=i - (n - half) // 2) for i in range(n - half)
    ]


def grow_history(customer, n: int) -> None:
    """n more rows of every kind in `customer`'s history (see the module's docstring)."""
    batch = next(_batches)
    p, c = customer.provider, customer
    times = _times(n)
    _grow_account(p, c, n, times, batch)
    _grow_billing(p, c, n, times, batch)
    _grow_modules(p, c, n, times, batch)


def _grow_account(p, c, n, times, batch) -> None:
    contacts = Contact.objects.bulk_create(
        Contact(provider=p, customer=c, name=f"Contact {batch}-{i}", email=f"c{batch}-{i}@example.test")
        for i in range(n)
    )
    ContactAddress.objects.bulk_create(
        ContactAddress(contact=x, line1=f"{i} Main St") for i, x in enumerate(contacts)
    )
    definitions = CustomFieldDefinition.objects.bulk_create(
        CustomFieldDefinition(provider=p, name=f"Field {batch}-{i}") for i in range(min(n, 20))
    )
    CustomFieldValue.objects.bulk_create(
        CustomFieldValue(provider=p, customer=c, definition=d, value="x") for d in definitions
    )
    Note.objects.bulk_create(
        Note(provider=p, customer=c, created_at=at, author_name="Agent", body=f"Note {batch}-{i}")
        for i, at in enumerate(times)
    )
    kinds = ["note.added", "payment.recorded", "ticket.opened", "job.created"]
    event_bulk_record(
        Activity(
            provider=p,
            customer=c,
            at=at,
            actor_type="system",
            actor_name="System",
            kind=kinds[i % len(kinds)],
            group=kind_of(kinds[i % len(kinds)]).group,
            summary=f"Entry {batch}-{i}",
        )
        for i, at in enumerate(times)
    )
    StatusChange.objects.bulk_create(
        StatusChange(
            provider=p,
            customer=c,
            at=at,
            old="active",
            new="blocked",
            actor_type="system",
            actor_name="System",
        )
        for at in times
    )
    Message.objects.bulk_create(
        Message(
            provider=p,
            customer=c,
            channel="email" if i % 2 else "sms",
            to=c.email or "x@example.test",
            subject=f"Subject {i}",
            body=f"Message {batch}-{i}",
            status="sent",
            created_at=at,
            sent_at=at,
            author_name="Agent",
        )
        for i, at in enumerate(times)
    )


def _grow_billing(p, c, n, times, batch) -> None:
    invoices = Invoice.objects.bulk_create(
        Invoice(
            provider=p,
            customer=c,
            number=f"G{batch}-{i:05d}",
            status="approved",
            issued_on=at.date(),
            due_on=at.date() + dt.timedelta(days=30),
            total=TEN,
            balance=Decimal("4.00"),
            approved_at=at,
            created_at=at,
        )
        for i, at in enumerate(times)
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(provider=p, invoice=inv, description="Service", unit_price=TEN, net=TEN, tax=Decimal("0"))
        for inv in invoices
    )
    payments = Payment.objects.bulk_create(
        Payment(
            provider=p,
            customer=c,
            amount=Decimal("5.00"),
            method="card",
            received_on=at.date(),
            created_at=at,
        )
        for at in times
    )
    PaymentAllocation.objects.bulk_create(
        PaymentAllocation(provider=p, payment=pay, invoice=inv, amount=Decimal("5.00"))
        for pay, inv in zip(payments, invoices, strict=True)
    )
    credits = Credit.objects.bulk_create(
        Credit(
            provider=p,
            customer=c,
            issued_on=at.date(),
            amount=Decimal("2.00"),
            remaining=Decimal("1.00"),
            reason=f"Credit {batch}-{i}",
            actor_name="Agent",
            created_at=at,
        )
        for i, at in enumerate(times)
    )
    CreditApplication.objects.bulk_create(
        CreditApplication(
            provider=p, credit=cr, invoice=inv, amount=Decimal("1.00"), applied_at=inv.created_at
        )
        for cr, inv in zip(credits, invoices, strict=True)
    )
    CreditRequest.objects.bulk_create(
        CreditRequest(
            provider=p,
            customer=c,
            amount=Decimal("200.00"),
            reason="Outage",
            window_used=Decimal("100.00"),
            window_limit=Decimal("150.00"),
            requested_at=at,
            requested_by_name="Agent",
        )
        for at in times
    )
    entries, balance = [], Decimal("0")
    for inv, pay, cr in zip(invoices, payments, credits, strict=True):
        for kind, amount, subject in (
            ("invoice_approved", TEN, inv),
            ("payment", Decimal("-5.00"), pay),
            ("credit_issued", Decimal("-2.00"), cr),
        ):
            balance += amount
            entries.append(
                LedgerEntry(
                    provider=p,
                    customer=c,
                    at=inv.created_at,
                    kind=kind,
                    description=f"{kind} {subject.pk}",
                    amount=amount,
                    running_balance=balance,
                    subject_type=subject._meta.model_name,
                    subject_id=subject.pk,
                )
            )
    LedgerEntry.objects.bulk_create(entries)
    PaymentMethod.objects.bulk_create(
        PaymentMethod(
            provider=p, customer=c, kind="card", token=f"tok_{batch}_{i}", last4="4242", created_at=at
        )
        for i, at in enumerate(times)
    )
    InstalmentPurchase.objects.bulk_create(
        InstalmentPurchase(
            provider=p,
            customer=c,
            description=f"Router {batch}-{i}",
            purchased_on=at.date(),
            total=Decimal("120.00"),
            instalments_total=12,
            instalment_amount=TEN,
            instalments_billed=1,
            next_bill_on=at.date() + dt.timedelta(days=30),
            created_at=at,
        )
        for i, at in enumerate(times)
    )
    RecurringInvoice.objects.bulk_create(
        RecurringInvoice(
            provider=p,
            customer=c,
            description=f"Rent {batch}-{i}",
            amount=TEN,
            next_run_on=at.date(),
            created_at=at,
        )
        for i, at in enumerate(times)
    )
    Estimate.objects.bulk_create(
        Estimate(
            provider=p,
            customer=c,
            number=f"E{batch}-{i:05d}",
            description="Install",
            issued_on=at.date(),
            expires_on=at.date() + dt.timedelta(days=30),
            total=TEN,
            created_at=at,
        )
        for i, at in enumerate(times)
    )
    Agreement.objects.bulk_create(
        Agreement(
            provider=p,
            customer=c,
            name=f"Agreement {batch}-{i}",
            starts_on=at.date(),
            value=TEN,
            created_at=at,
        )
        for i, at in enumerate(times)
    )


def _grow_modules(p, c, n, times, batch) -> None:
    package = Package.objects.create(
        provider=p, name=f"Metered {batch}", price=TEN, usage_allowance=10_000, usage_unit="minutes"
    )
    subscriptions = Subscription.objects.bulk_create(
        Subscription(provider=p, customer=c, package=package, started_on=dt.date(2020, 1, 1), price=TEN)
        for _ in range(n)
    )
    first = subscriptions[0]
    UsageRecord.objects.bulk_create(
        UsageRecord(provider=p, subscription=first, customer=c, at=at, quantity=5, unit="minutes")
        for at in times
    )
    UsageRollup.objects.bulk_create(
        UsageRollup(provider=p, subscription=first, resolution=res, bucket_start=at, total=5)
        for res in ("hour", "day")
        for at in times
    )
    UsageNotification.objects.bulk_create(
        UsageNotification(
            provider=p,
            customer=c,
            subscription=sub,
            period_start=dt.date(2020, 1, 1),
            threshold=50,
            channel="email",
            message="50% used",
            sent_at=at,
        )
        for sub, at in zip(subscriptions, times, strict=True)
    )
    tickets = Ticket.objects.bulk_create(
        Ticket(
            provider=p,
            customer=c,
            number=f"T{batch}-{i:05d}",
            subject=f"Ticket {batch}-{i}",
            created_by_name="Agent",
            created_at=at,
            updated_at=at,
        )
        for i, at in enumerate(times)
    )
    TicketComment.objects.bulk_create(
        TicketComment(provider=p, ticket=t, author_name="Agent", body="Looking", created_at=t.created_at)
        for t in tickets
    )
    CallLog.objects.bulk_create(
        CallLog(provider=p, customer=c, at=at, direction="inbound", summary=f"Call {i}", staff_name="Agent")
        for i, at in enumerate(times)
    )
    Job.objects.bulk_create(
        Job(
            provider=p,
            customer=c,
            number=f"J{batch}-{i:05d}",
            kind="service",
            status="scheduled",
            scheduled_start=at,
            scheduled_end=at + dt.timedelta(hours=1),
            created_at=at,
            updated_at=at,
        )
        for i, at in enumerate(times)
    )
    Equipment.objects.bulk_create(
        Equipment(
            provider=p,
            customer=c,
            name=f"Router {batch}-{i}",
            mac=f"02:00:00:{batch % 256:02X}:{i // 256 % 256:02X}:{i % 256:02X}",
            ip=f"10.{batch % 256}.{i // 256 % 256}.{i % 256}",
            created_at=at,
        )
        for i, at in enumerate(times)
    )
    now = clock.now()
    template = ContractTemplate.objects.create(
        provider=p, name=f"Service terms {batch}", body="Terms", created_at=now, updated_at=now
    )
    Contract.objects.bulk_create(
        Contract(provider=p, customer=c, template=template, contact_name="Signer", body="Terms", queued_at=at)
        for at in times
    )
