"""`accountdesk audit verify`: every chain holds on data the services made; an entry edited,
removed or inserted with SQL behind the application's back is named."""

import io
from dataclasses import replace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from accountdesk.activity.models import Activity
from accountdesk.audit.models import SecurityEvent
from accountdesk.audit.services import security_record
from accountdesk.core.actors import Actor
from accountdesk.notes.services import note_add
from tests.factories import CustomerFactory


@pytest.fixture
def logs(provider, other_provider, customer, foreign_customer, admin):
    """Activity for two customers of ours and one of another provider; both security logs."""
    actor = Actor.staff(admin)
    second = CustomerFactory(provider=provider)
    for i in range(3):
        note_add(customer=customer, body=f"Note {i}", actor=actor)
    note_add(customer=second, body="Other", actor=actor)
    note_add(customer=foreign_customer, body="Theirs", actor=Actor.system(other_provider))
    with transaction.atomic():
        for i in range(2):
            security_record(provider=provider, kind="settings.changed", summary=f"Change {i}", actor=actor)
        security_record(provider=other_provider, kind="settings.changed", summary="Theirs")
    return {"customer": customer, "second": second}


def verify(*args) -> str:
    out = io.StringIO()
    call_command("audit", "verify", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", *args, stdout=io.StringIO(), stderr=err)
    return str(failure.value) + "\n" + err.getvalue()


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _activity(customer, seq: int) -> Activity:
    return Activity.objects.get(customer=customer, seq=seq)


def test_it_counts_entries_and_chains_when_all_hold(logs):
    # 5 activity entries in 3 customers' chains, 3 security events in 2 providers' chains.
    assert "Verified 8 entries in 5 chains: all intact" in verify()


def test_it_checks_one_provider_when_asked(logs):
    assert "Verified 6 entries in 3 chains: all intact" in verify("--provider", "acme")


def test_an_unknown_provider_is_refused(logs):
    assert "No provider with slug nope" in refused("--provider", "nope")


def test_an_edited_activity_entry_is_named(logs):
    edited = _activity(logs["customer"], 2)
    sql("UPDATE activity_activity SET summary = 'Nothing happened' WHERE id = %s", [edited.pk])
    message = refused()
    assert f"activity entry {edited.pk} (customer {logs['customer'].pk}): content does not match" in message
    assert "1 of 5 chains broken" in message


def test_a_removed_activity_entry_is_named_by_the_entry_after_it(logs):
    removed, after = _activity(logs["customer"], 2), _activity(logs["customer"], 3)
    sql("DELETE FROM activity_activity WHERE id = %s", [removed.pk])
    assert (
        f"activity entry {after.pk} (customer {logs['customer'].pk}): follows a missing link 2" in refused()
    )


def test_removing_the_newest_entry_is_caught_by_the_head(logs):
    newest = _activity(logs["customer"], 3)
    sql("DELETE FROM activity_activity WHERE id = %s", [newest.pk])
    assert f"chain activity:customer:{logs['customer'].pk}: link 3 is missing" in refused()


def test_an_inserted_activity_entry_is_named(logs):
    customer = logs["customer"]
    last = _activity(customer, 3)
    sql(
        "INSERT INTO activity_activity (provider_id, customer_id, at, actor_type, actor_name, kind, "
        '"group", summary, subject_type, details, seq, prev_hash, hash) '
        "VALUES (%s, %s, %s, 'system', 'System', 'note.added', 'notes', 'Forged', '', '{}', 4, %s, %s)",
        [customer.provider_id, customer.pk, last.at, last.hash, "f" * 64],
    )
    forged = Activity.objects.get(customer=customer, seq=4)
    assert f"activity entry {forged.pk} (customer {customer.pk}): comes after the newest link 3" in refused()


def test_an_edited_security_event_is_named_with_its_provider(logs, provider):
    edited = SecurityEvent.objects.get(provider=provider, seq=1)
    sql("UPDATE audit_securityevent SET summary = 'Nothing' WHERE id = %s", [edited.pk])
    assert f"security event {edited.pk} (provider acme): content does not match" in refused()
    assert "all intact" in verify("--provider", "other")


def test_a_removed_security_event_is_named(logs, provider):
    first, second = SecurityEvent.objects.filter(provider=provider).order_by("seq")
    sql("DELETE FROM audit_securityevent WHERE id = %s", [first.pk])
    assert f"security event {second.pk} (provider acme): follows a missing link 1" in refused()


def test_an_inserted_security_event_is_named(logs, provider):
    last = SecurityEvent.objects.filter(provider=provider).order_by("seq").last()
    sql(
        "INSERT INTO audit_securityevent (provider_id, at, actor_type, actor_name, actor_email, kind, "
        "summary, details, address, user_agent, seq, prev_hash, hash) "
        "VALUES (%s, %s, 'system', 'System', '', 'settings.changed', 'Forged', '{}', '', '', 3, %s, %s)",
        [provider.pk, last.at, last.hash, "e" * 64],
    )
    forged = SecurityEvent.objects.get(provider=provider, seq=3)
    assert f"security event {forged.pk} (provider acme): comes after the newest link 2" in refused()


def test_an_entry_appended_while_the_walk_runs_is_not_taken_for_a_forgery(logs, monkeypatch, admin):
    """The heads are read before the entries: an entry committed in between has its head moved."""
    from accountdesk.audit import verify as walk
    from accountdesk.customers.activity_chains import ACTIVITY_CHAINS, activity_heads

    customer = logs["customer"]

    def heads_then_a_write(provider):
        heads = activity_heads(provider)
        note_add(customer=customer, body="Meanwhile", actor=Actor.staff(admin))
        return heads

    sources = [replace(ACTIVITY_CHAINS, heads=heads_then_a_write)]
    monkeypatch.setattr(walk, "CHAIN_SOURCES", sources)
    assert "Verified 9 entries in 5 chains: all intact" in verify()
