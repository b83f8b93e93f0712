"""Each customer's activity entries form a hash chain, whichever way they are written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db import connection, transaction

from accountdesk.activity.models import Activity, activity_chain_key
from accountdesk.activity.services import event_bulk_record, event_record
from accountdesk.audit.chain import GENESIS, chain_verify, entry_hash
from accountdesk.audit.models import ChainHead
from accountdesk.notes.services import note_add
from tests.factories import CustomerFactory


def _entries(customer):
    rows = Activity.objects.filter(customer=customer).order_by("seq")
    return [(f"activity entry {e.pk}", e.seq, e.prev_hash, e.hash, e.chained_content()) for e in rows]


def _head(customer):
    return ChainHead.objects.get(key=activity_chain_key(customer.pk))


def test_each_entry_links_to_the_one_before_it_per_customer(customer, provider, agent_actor):
    other = CustomerFactory(provider=provider)
    first = note_add(customer=customer, body="One", actor=agent_actor)
    note_add(customer=other, body="Elsewhere", actor=agent_actor)
    note_add(customer=customer, body="Two", actor=agent_actor)
    one, two = Activity.objects.filter(customer=customer).order_by("seq")
    assert (one.seq, one.prev_hash) == (1, GENESIS)
    assert (two.seq, two.prev_hash) == (2, one.hash)
    assert one.hash == entry_hash(GENESIS, one.chained_content())
    assert Activity.objects.get(customer=other).seq == 1
    assert (_head(customer).seq, _head(customer).hash) == (2, two.hash)
    assert chain_verify(activity_chain_key(customer.pk), _entries(customer)) == (2, None)
    assert first.customer_id == customer.pk


def test_the_hash_survives_the_round_trip_through_the_database(customer, agent_actor):
    with transaction.atomic():
        event_record(
            customer=customer,
            actor=agent_actor,
            kind="customer.updated",
            summary="Ünïcode → and a long one " + "x" * 400,
            details={"amount": Decimal("10.50"), "on": dt.date(2025, 1, 2), "ratio": 2.0, "n": [1, None]},
        )
    entry = Activity.objects.get(customer=customer)
    assert entry.hash == entry_hash(entry.prev_hash, entry.chained_content())


def test_a_rolled_back_write_leaves_the_chain_as_it_was(customer, agent_actor):
    note_add(customer=customer, body="Kept", actor=agent_actor)
    with pytest.raises(RuntimeError), transaction.atomic():
        event_record(customer=customer, actor=agent_actor, kind="customer.updated", summary="Lost")
        raise RuntimeError
    note_add(customer=customer, body="Next", actor=agent_actor)
    assert list(Activity.objects.filter(customer=customer).order_by("seq").values_list("seq", flat=True)) == [
        1,
        2,
    ]
    assert chain_verify(activity_chain_key(customer.pk), _entries(customer)) == (2, None)


def test_a_write_costs_one_locked_read_and_one_head_update_more(
    customer, agent_actor, django_assert_num_queries
):
    note_add(customer=customer, body="First: creates the head", actor=agent_actor)
    with django_assert_num_queries(5), transaction.atomic():
        # SAVEPOINT, SELECT ... FOR UPDATE the head, UPDATE the head, INSERT the entry, RELEASE.
        # (A kind no listener hears: webhooks add one read of the endpoints to the kinds they send,
        # pinned in tests/webhooks.)
        event_record(customer=customer, actor=agent_actor, kind="note.added", summary="x")


def _bulk_row(customer, summary, at):
    return Activity(
        provider_id=customer.provider_id,
        customer=customer,
        at=at,
        actor_type="system",
        actor_name="System",
        kind="note.added",
        group="notes",
        summary=summary,
    )


def test_bulk_writes_continue_each_customers_chain(customer, provider, agent_actor):
    other = CustomerFactory(provider=provider)
    note_add(customer=customer, body="Before", actor=agent_actor)
    at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    event_bulk_record([_bulk_row(customer, "a", at), _bulk_row(other, "b", at), _bulk_row(customer, "c", at)])
    note_add(customer=customer, body="After", actor=agent_actor)
    summaries = list(Activity.objects.filter(customer=customer).order_by("seq").values_list("seq", "summary"))
    assert [s for s, _ in summaries] == [1, 2, 3, 4]
    assert [text for _, text in summaries][1:3] == ["a", "c"]
    for c, count in ((customer, 4), (other, 1)):
        assert chain_verify(activity_chain_key(c.pk), _entries(c)) == (count, None)


def test_the_migration_chains_entries_written_before_chaining(customer, provider, agent_actor):
    other = CustomerFactory(provider=provider)
    for body in ("One", "Two", "Three"):
        note_add(customer=customer, body=body, actor=agent_actor)
    note_add(customer=other, body="Elsewhere", actor=agent_actor)
    expected = dict(Activity.objects.values_list("id", "hash"))
    # As the log stood before chaining: no links, no heads.
    ChainHead.objects.filter(key__startswith="activity:customer:").delete()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE activity_activity SET seq = -id, prev_hash = '', hash = ''")
    migration = __import__(
        "accountdesk.activity.migrations.0002_activity_hash_chain", fromlist=["chain_existing_entries"]
    )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.chain_existing_entries(django_apps, editor)
    assert dict(Activity.objects.values_list("id", "hash")) == expected
    assert (_head(customer).seq, _head(other).seq) == (3, 1)
    assert chain_verify(activity_chain_key(customer.pk), _entries(customer)) == (3, None)
