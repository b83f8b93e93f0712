import pytest
from django.db import transaction

from accountdesk.audit.chain import GENESIS, chain_verify
from accountdesk.audit.models import AppendOnly, SecurityEvent
from accountdesk.audit.services import security_chain_key, security_record
from accountdesk.core.actors import Actor


def _entries(provider):
    rows = SecurityEvent.objects.filter(provider=provider).order_by("seq")
    return [(f"security event {e.pk}", e.seq, e.prev_hash, e.hash, e.chained_content()) for e in rows]


@pytest.mark.django_db(transaction=True)
def test_it_chains_each_entry_to_the_one_before(provider, admin):
    with transaction.atomic():
        first = security_record(
            provider=provider, kind="staff.added", summary="Added", actor=Actor.staff(admin)
        )
    with transaction.atomic():
        second = security_record(
            provider=provider, kind="settings.changed", summary="Changed", details={"a": [1, 2]}
        )
    assert (first.seq, first.prev_hash) == (1, GENESIS)
    assert (second.seq, second.prev_hash) == (2, first.hash)
    assert chain_verify(security_chain_key(provider.pk), _entries(provider)) == (2, None)


def test_a_rolled_back_change_leaves_no_entry_and_no_link(provider):
    with pytest.raises(RuntimeError), transaction.atomic():
        security_record(provider=provider, kind="staff.added", summary="Added")
        raise RuntimeError
    with transaction.atomic():
        kept = security_record(provider=provider, kind="staff.added", summary="Added again")
    assert kept.seq == 1


def test_an_edited_row_breaks_the_chain_at_that_row(provider):
    with transaction.atomic():
        security_record(provider=provider, kind="staff.added", summary="One")
        edited = security_record(provider=provider, kind="staff.added", summary="Two")
        security_record(provider=provider, kind="staff.added", summary="Three")
    # Behind the application's back: a raw UPDATE, which the model refuses.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_securityevent SET summary = 'Tampered' WHERE id = %s", [edited.pk])
    count, problem = chain_verify(security_chain_key(provider.pk), _entries(provider))
    assert count == 1
    assert problem.startswith(f"security event {edited.pk}: content does not match")


def test_entries_are_never_changed_or_deleted(provider):
    with transaction.atomic():
        event = security_record(provider=provider, kind="staff.added", summary="Added")
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        SecurityEvent.objects.filter(pk=event.pk).delete()


def test_an_unknown_kind_is_refused(provider):
    with pytest.raises(ValueError), transaction.atomic():
        security_record(provider=provider, kind="nonsense", summary="x")
