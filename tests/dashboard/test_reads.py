"""The dashboard's one-statement read (core.bundle) gives exactly what each section's queryset
gives when Django runs it on its own: the same rows, in the same order, with the same values and
types, on SQLite and on PostgreSQL."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.db.models import Model

from accountdesk.billing.services import billing_profile_ensure
from accountdesk.core.bundle import Bundle, Part
from accountdesk.customers.models import AlertDefinition, Customer, ManualAlert
from accountdesk.dashboard.selectors import READS
from accountdesk.dunning.models import DunningState
from accountdesk.notes.models import Note
from accountdesk.usage.models import UsageNotification
from tests.dashboard.builders import busy_customer, new_customer
from tests.factories import TagFactory
from tests.servicedesk.factories import TicketFactory


def as_django_reads(customer) -> dict[str, list]:
    """Each part's queryset, run by Django one at a time."""
    return {
        name: list(part.query(provider_id=customer.provider_id, customer_id=customer.pk))
        for name, part in READS.parts.items()
    }


def concrete(obj: Model):
    return obj._meta.concrete_fields


def snapshot(row, part: Part):
    """Everything a row carries: each concrete field with its type, its related objects' fields and
    its annotations."""
    if not isinstance(row, Model):
        return tuple((v, type(v)) for v in row)
    fields = {
        f.attname: (getattr(row, f.attname), type(getattr(row, f.attname))) for f in row._meta.concrete_fields
    }
    related = {}
    for name in part.related:
        obj = getattr(row, name)
        related[name] = (
            None if obj is None else {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
        )
    annotations = {name: getattr(row, name) for name in part.annotations}
    return fields, related, annotations


def test_every_part_reads_what_its_queryset_reads(provider, staff):
    customer = busy_customer(provider, staff)
    AlertDefinition.objects.create(provider=provider, name="VIP", rule="has_tag", value="vip", message="VIP")
    ManualAlert.objects.create(
        provider=provider, customer=customer, message="Check the line", created_at=dt.datetime.now(dt.UTC)
    )
    TicketFactory(customer=customer, assignee=staff["agent"])  # among tickets with no assignee
    billing_profile_ensure(customer=customer)
    DunningState.objects.create(
        provider=provider, customer=customer, episode=1, overdue_since=dt.date(2026, 1, 1),
        stage_days=10, stage_action="sms", stage_on=dt.date(2026, 1, 11), promise_until=dt.date(2026, 2, 1),
    )  # fmt: skip
    expected = as_django_reads(customer)
    bundled = READS.read(READS.parts, provider_id=provider.pk, customer_id=customer.pk)
    for name, part in READS.parts.items():
        assert bundled[name], f"{name} has no rows: the test data should give every part some"
        want = [snapshot(r, part) for r in expected[name]]
        got = [snapshot(r, part) for r in bundled[name]]
        if name == "banners":  # a UNION has no order: alert_banners_from() sorts it
            want, got = sorted(want, key=repr), sorted(got, key=repr)
        assert got == want, name


def test_it_keeps_money_exact_and_times_aware(provider, staff):
    customer = busy_customer(provider, staff)
    read = READS.read(
        {"customer", "invoices", "notes", "activity"}, provider_id=provider.pk, customer_id=customer.pk
    )
    invoice = read["invoices"][0]
    assert invoice.total == Decimal("40.00") and str(invoice.total) == "40.00"
    assert isinstance(invoice.issued_on, dt.date) and not isinstance(invoice.issued_on, dt.datetime)
    assert read["notes"][0].created_at.tzinfo is not None
    assert isinstance(read["activity"][0].details, dict)


def test_a_new_customer_reads_as_empty_lists(provider):
    customer = new_customer(provider)
    read = READS.read(READS.parts, provider_id=provider.pk, customer_id=customer.pk)
    assert [c.pk for c in read["customer"]] == [customer.pk]
    assert all(read[name] == [] for name in READS.parts if name != "customer")


def test_another_providers_customer_reads_as_nothing(provider, foreign_customer):
    read = READS.read(READS.parts, provider_id=provider.pk, customer_id=foreign_customer.pk)
    assert all(rows == [] for rows in read.values())


def test_it_orders_ties_as_the_queryset_does(provider, staff):
    customer = new_customer(provider)
    at = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    notes = Note.objects.bulk_create(
        Note(provider=provider, customer=customer, created_at=at, author_name="A", body=f"n{i}")
        for i in range(7)
    )
    read = READS.read({"customer", "notes"}, provider_id=provider.pk, customer_id=customer.pk)
    assert [n.pk for n in read["notes"]] == sorted((n.pk for n in notes), reverse=True)[:5]


def test_text_keeps_the_databases_order(provider):
    customer = new_customer(provider)
    customer.tags.add(*(TagFactory(provider=provider, name=n) for n in ("Zebra", "apple", "Mango", "banana")))
    read = READS.read({"customer", "tags"}, provider_id=provider.pk, customer_id=customer.pk)
    assert [t.name for t in read["tags"]] == [t.name for t in customer.tags.all()]


def test_it_compiles_once_and_binds_each_customers_ids(provider, staff):
    bundle = Bundle(ids=READS.ids, parts={"notes": READS.parts["notes"], "customer": READS.parts["customer"]})
    first, second = new_customer(provider), new_customer(provider)
    Note.objects.create(provider=provider, customer=second, created_at=dt.datetime.now(dt.UTC), body="x")
    with mock.patch.object(Bundle, "_compile", wraps=bundle._compile) as compile_:
        a = bundle.read({"customer", "notes"}, provider_id=provider.pk, customer_id=first.pk)
        b = bundle.read({"notes", "customer"}, provider_id=provider.pk, customer_id=second.pk)
    assert compile_.call_count == 1
    assert a["customer"][0].pk == first.pk and a["notes"] == []
    assert b["customer"][0].pk == second.pk and len(b["notes"]) == 1


def test_a_part_that_forgets_the_provider_cannot_be_read():
    careless = Bundle(
        ids=("provider_id", "customer_id"),
        parts={
            "notes": Part(lambda provider_id, customer_id: Note.objects.filter(customer_id=customer_id)[:5])
        },
    )
    with pytest.raises(ValueError, match="provider_id"):
        careless.read({"notes"}, provider_id=1, customer_id=1)


def test_a_part_ordered_across_a_relation_is_refused():
    across = Bundle(
        ids=("provider_id",),
        parts={
            "alerts": Part(
                lambda provider_id: UsageNotification.objects.filter(provider_id=provider_id).order_by(
                    "customer__name"
                )[:3]
            )
        },
    )
    with pytest.raises(ValueError, match="customer__name"):
        across.read({"alerts"}, provider_id=1)


def test_the_customer_part_carries_its_group_and_manager(provider, staff):
    customer = new_customer(provider)
    customer.account_manager = staff["agent"]
    customer.save()
    row = READS.read({"customer"}, provider_id=provider.pk, customer_id=customer.pk)["customer"][0]
    assert isinstance(row, Customer) and row.account_manager.pk == staff["agent"].pk and row.group is None
