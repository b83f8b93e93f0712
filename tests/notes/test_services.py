"""Adding a note: who wrote it, when, the activity entry, and what is refused."""

import datetime as dt

import pytest

from accountdesk.activity.models import Activity
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import PermissionDenied, ValidationFailed
from accountdesk.notes import selectors
from accountdesk.notes.models import Note
from accountdesk.notes.services import note_add


@pytest.fixture(autouse=True)
def frozen():
    clock.freeze(dt.datetime(2025, 4, 5, 6, 7, tzinfo=dt.UTC))
    yield
    clock.freeze(None)


@pytest.mark.parametrize("role", ["admin", "billing", "agent", "technician"])
def test_staff_who_may_add_notes_do(customer, staff, role):
    note = note_add(customer=customer, body="  Customer called about speed  ", actor=Actor.staff(staff[role]))
    assert note.body == "Customer called about speed" and note.author == staff[role]
    assert note.created_at == clock.now() and note.provider_id == customer.provider_id
    entry = Activity.objects.get(kind="note.added")
    assert (entry.actor_id, entry.group, entry.subject) == (
        staff[role].pk,
        "notes",
        {"type": "note", "id": note.pk},
    )
    assert entry.summary == "Note added: Customer called about speed"


def test_readonly_cannot_add_notes(customer, staff):
    with pytest.raises(PermissionDenied):
        note_add(customer=customer, body="x", actor=Actor.staff(staff["readonly"]))
    assert not Note.objects.exists() and not Activity.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 10_001, None])
def test_empty_or_overlong_notes_are_refused(customer, agent, body):
    with pytest.raises(ValidationFailed) as exc:
        note_add(customer=customer, body=body, actor=Actor.staff(agent))
    assert "body" in exc.value.fields
    assert not Note.objects.exists() and not Activity.objects.exists()


def test_a_long_note_gets_a_short_excerpt_in_the_log(customer, agent):
    note_add(customer=customer, body="word " * 100, actor=Actor.staff(agent))
    assert len(Activity.objects.get().summary) <= 300
    assert Note.objects.get().excerpt.endswith("…")


def test_recent_notes_are_the_last_five_newest_first(customer, agent):
    made = [note_add(customer=customer, body=f"n{i}", actor=Actor.staff(agent)) for i in range(7)]
    assert list(selectors.note_recent(customer=customer)) == list(reversed(made))[:5]
