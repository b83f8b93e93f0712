"""The activity log is append-only."""

import pytest
from django.db import transaction

from accountdesk.activity.models import Activity, AppendOnly
from accountdesk.activity.services import event_record
from accountdesk.core.actors import Actor


@pytest.fixture
def entry(customer, agent):
    with transaction.atomic():
        return event_record(
            customer=customer, actor=Actor.staff(agent), kind="note.added", summary="Note added"
        )


def test_an_entry_cannot_be_changed(entry):
    entry.summary = "rewritten"
    with pytest.raises(AppendOnly):
        entry.save()
    entry.refresh_from_db()
    assert entry.summary == "Note added"


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AppendOnly):
        entry.delete()
    assert Activity.objects.filter(pk=entry.pk).exists()


def test_bulk_updates_and_deletes_are_refused(entry):
    with pytest.raises(AppendOnly):
        Activity.objects.filter(pk=entry.pk).update(summary="rewritten")
    with pytest.raises(AppendOnly):
        Activity.objects.all().delete()
    assert Activity.objects.get(pk=entry.pk).summary == "Note added"


def test_a_customer_with_activity_cannot_be_deleted(entry, customer):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        customer.delete()
