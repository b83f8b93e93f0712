"""event_record(): who, what, when, and only inside the service's transaction."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from accountdesk.activity import kinds
from accountdesk.activity.services import changed_fields, event_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor

NOW = dt.datetime(2025, 2, 3, 4, 5, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    clock.freeze(NOW)
    yield
    clock.freeze(None)


def _record(customer, actor, **kwargs):
    with transaction.atomic():
        return event_record(
            customer=customer, actor=actor, **{"kind": "customer.updated", "summary": "x", **kwargs}
        )


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda s, p: Actor.staff(s["agent"]), ("staff", "agent")),
        (lambda s, p: Actor.api(s["billing"]), ("api", "billing")),
        (lambda s, p: Actor.system(p), ("system", None)),
        (
            lambda s, p: Actor.customer(p, contact_id=7, name="Pat Portal", email="pat@x.test"),
            ("customer", None),
        ),
    ],
)
def test_it_records_each_kind_of_actor(customer, staff, provider, make, expected):
    actor = make(staff, provider)
    entry = _record(customer, actor)
    actor_type, role = expected
    assert entry.actor_type == actor_type
    assert entry.actor_id == (staff[role].pk if role else None)
    assert entry.actor_name == actor.name and entry.actor_email == actor.email
    assert entry.at == NOW and entry.provider_id == customer.provider_id


def test_it_takes_the_group_from_the_kind_registry(customer, agent):
    assert _record(customer, Actor.staff(agent), kind="contact.added").group == "contacts"


def test_it_refuses_an_unregistered_kind(customer, agent):
    with pytest.raises(ValueError, match="unregistered"):
        _record(customer, Actor.staff(agent), kind="made.up")


def test_it_must_run_inside_a_transaction(transactional_db, customer, agent):
    # Outside a test transaction: an entry written on its own could survive a failed write.
    with pytest.raises(AssertionError):
        event_record(customer=customer, actor=Actor.staff(agent), kind="note.added", summary="outside")


def test_it_stores_details_as_plain_json(customer, agent):
    details = {
        "amount": [Decimal("1.50"), Decimal("2.00")],
        "on": [dt.date(2025, 1, 1), None],
        "manager": [None, agent],
        "flag": [True, False],
    }
    entry = _record(customer, Actor.staff(agent), details=details)
    entry.refresh_from_db()
    assert entry.details == {
        "amount": ["1.50", "2.00"],
        "on": ["2025-01-01", None],
        "manager": [None, str(agent)],
        "flag": [True, False],
    }


def test_it_names_the_subject(customer, agent):
    entry = _record(customer, Actor.staff(agent), subject=customer)
    assert entry.subject == {"type": "customer", "id": customer.pk}
    assert _record(customer, Actor.staff(agent)).subject is None


def test_it_cuts_an_overlong_summary(customer, agent):
    assert len(_record(customer, Actor.staff(agent), summary="x" * 400).summary) == 300


def test_changed_fields_reports_only_real_changes(customer):
    changes = changed_fields(customer, {"name": customer.name, "phone": "999"})
    assert changes == {"phone": [changes["phone"][0], "999"]} and customer.phone == "999"


def test_registering_a_kind_needs_a_known_group(monkeypatch):
    monkeypatch.setattr(kinds, "KINDS", dict(kinds.KINDS))
    assert kinds.register_kind("thing.done", "billing", "Thing done").group == "billing"
    assert kinds.kind_of("thing.done").label == "Thing done"
    with pytest.raises(ValueError):
        kinds.register_kind("thing.odd", "nowhere", "Odd")


def test_every_registered_kind_belongs_to_a_known_group():
    assert kinds.KINDS and all(k.group in kinds.GROUPS for k in kinds.KINDS.values())
