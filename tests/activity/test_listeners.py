"""Listeners hear each recorded entry inside the write's transaction, filtered by kind."""

import pytest
from django.db import transaction

from accountdesk.activity import listeners
from accountdesk.activity.models import Activity
from accountdesk.activity.services import event_record
from accountdesk.core.actors import Actor


@pytest.fixture
def heard():
    got: list[tuple[str, bool]] = []

    def hear(entry):
        got.append((entry.kind, transaction.get_connection().in_atomic_block))

    def hear_notes(entry):
        got.append(("notes-only:" + entry.kind, True))

    listeners.listen(hear)
    listeners.listen(hear_notes, kinds=["note.added"])
    yield got
    listeners._REGISTRATIONS[:] = [
        r for r in listeners._REGISTRATIONS if r.listener not in (hear, hear_notes)
    ]


def _record(customer, agent, kind):
    with transaction.atomic():
        return event_record(customer=customer, actor=Actor.staff(agent), kind=kind, summary="x")


def test_a_listener_hears_every_entry_inside_the_transaction(customer, agent, heard):
    _record(customer, agent, "customer.updated")
    assert heard == [("customer.updated", True)]


def test_a_listener_for_some_kinds_hears_only_those(customer, agent, heard):
    _record(customer, agent, "note.added")
    assert heard == [("note.added", True), ("notes-only:note.added", True)]


def test_what_a_listener_raises_undoes_the_write(customer, agent):
    def refuse(entry):
        raise RuntimeError("no")

    listeners.listen(refuse)
    try:
        with pytest.raises(RuntimeError):
            _record(customer, agent, "customer.updated")
    finally:
        listeners._REGISTRATIONS[:] = [r for r in listeners._REGISTRATIONS if r.listener is not refuse]
    assert not Activity.objects.filter(customer=customer, kind="customer.updated").exists()
