import datetime as dt

import pytest

from accountdesk.activity.models import Activity
from accountdesk.core import clock
from accountdesk.core.errors import Conflict, ModuleNotEnabled, PermissionDenied, ValidationFailed
from accountdesk.servicedesk.models import CallLog, Ticket, TicketComment
from accountdesk.servicedesk.services import (
    call_log_add,
    ticket_assign,
    ticket_comment,
    ticket_open,
    ticket_status_change,
)
from tests.factories import ContactFactory, CustomerFactory, UserFactory


def test_it_numbers_tickets_per_provider_without_gaps(actor_as, customer, other_provider):
    first = ticket_open(customer=customer, subject="No sync", actor=actor_as("agent"))
    second = ticket_open(customer=customer, subject="Slow line", actor=actor_as("agent"))
    assert (first.number, second.number) == ("T-000001", "T-000002")
    other = CustomerFactory(provider=other_provider)
    other_agent = UserFactory(provider=other_provider, role="agent")
    from accountdesk.core.actors import Actor

    assert ticket_open(customer=other, subject="x", actor=Actor.staff(other_agent)).number == "T-000001"


def test_it_records_who_opened_the_ticket(actor_as, customer, agent):
    ticket = ticket_open(customer=customer, subject="No dial tone", priority="high", actor=actor_as("agent"))
    event = Activity.objects.get(kind="ticket.opened")
    assert event.group == "service_desk" and event.actor_id == agent.pk
    assert event.subject_id == ticket.pk and "No dial tone" in event.summary
    assert ticket.created_by_name == agent.display_name and ticket.priority == "high"


@pytest.mark.parametrize("role", ["technician", "billing", "readonly"])
def test_it_refuses_tickets_to_roles_without_servicedesk_edit(actor_as, customer, role):
    with pytest.raises(PermissionDenied):
        ticket_open(customer=customer, subject="x", actor=actor_as(role))
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"subject": "   "}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"subject": "ok", "description": "x" * 10_001}, "description"),
        ({"subject": "ok", "priority": "whenever"}, "priority"),
        ({"subject": "ok", "assignee": 999_999}, "assignee"),
        ({"subject": "ok", "assignee": "abc"}, "assignee"),
    ],
)
def test_it_rejects_bad_ticket_input_and_stores_nothing(actor_as, customer, kwargs, field):
    with pytest.raises(ValidationFailed) as err:
        ticket_open(customer=customer, actor=actor_as("agent"), **kwargs)
    assert field in err.value.fields
    assert not Ticket.objects.exists() and not Activity.objects.exists()


def test_it_rejects_an_assignee_from_another_provider(actor_as, customer, other_provider):
    stranger = UserFactory(provider=other_provider, role="agent")
    with pytest.raises(ValidationFailed) as err:
        ticket_open(customer=customer, subject="x", assignee=stranger, actor=actor_as("agent"))
    assert "assignee" in err.value.fields


def test_it_refuses_a_ticket_without_the_module(bare_customer, bare_agent):
    from accountdesk.core.actors import Actor

    with pytest.raises(ModuleNotEnabled):
        ticket_open(customer=bare_customer, subject="x", actor=Actor.staff(bare_agent))


def test_it_moves_tickets_through_valid_statuses_only(actor_as, customer):
    ticket = ticket_open(customer=customer, subject="x", actor=actor_as("agent"))
    ticket = ticket_status_change(ticket=ticket, status="resolved", actor=actor_as("agent"))
    ticket = ticket_status_change(ticket=ticket, status="closed", actor=actor_as("agent"))
    with pytest.raises(Conflict):
        ticket_status_change(ticket=ticket, status="pending", actor=actor_as("agent"))
    with pytest.raises(Conflict):
        ticket_status_change(ticket=ticket, status="closed", actor=actor_as("agent"))
    with pytest.raises(ValidationFailed):
        ticket_status_change(ticket=ticket, status="gone", actor=actor_as("agent"))
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    changes = Activity.objects.filter(kind="ticket.status_changed").order_by("id")
    assert [e.details["status"] for e in changes] == [["open", "resolved"], ["resolved", "closed"]]
    assert changes.last().summary.endswith("resolved \u2192 closed")  # one arrow, old to new


def test_it_adds_comments_and_touches_the_ticket(actor_as, customer):
    clock.freeze(dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC))
    try:
        ticket = ticket_open(customer=customer, subject="x", actor=actor_as("agent"))
        clock.freeze(dt.datetime(2025, 3, 2, 9, 0, tzinfo=dt.UTC))
        ticket_comment(ticket=ticket, body="Called back, router rebooted", actor=actor_as("admin"))
    finally:
        clock.freeze(None)
    ticket.refresh_from_db()
    assert ticket.updated_at == dt.datetime(2025, 3, 2, 9, 0, tzinfo=dt.UTC)
    assert TicketComment.objects.get().body == "Called back, router rebooted"
    with pytest.raises(ValidationFailed):
        ticket_comment(ticket=ticket, body=" ", actor=actor_as("agent"))
    with pytest.raises(PermissionDenied):
        ticket_comment(ticket=ticket, body="hi", actor=actor_as("technician"))
    assert TicketComment.objects.count() == 1


def test_it_assigns_and_unassigns(actor_as, customer, staff):
    ticket = ticket_open(customer=customer, subject="x", actor=actor_as("agent"))
    ticket = ticket_assign(ticket=ticket, assignee=staff["technician"].pk, actor=actor_as("agent"))
    assert ticket.assignee == staff["technician"]
    ticket = ticket_assign(ticket=ticket, assignee=None, actor=actor_as("agent"))
    assert ticket.assignee is None
    events = Activity.objects.filter(kind="ticket.assigned").order_by("id")
    assert [e.details["assignee"][1] for e in events] == [staff["technician"].display_name, None]


def test_it_lets_technicians_log_calls(actor_as, customer, staff):
    contact = ContactFactory(customer=customer)
    call = call_log_add(
        customer=customer,
        direction="outbound",
        summary="Booked the install",
        duration_s=245,
        contact=contact.pk,
        actor=actor_as("technician"),
    )
    assert call.staff == staff["technician"] and call.contact == contact
    assert Activity.objects.get(kind="call.logged").group == "service_desk"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"direction": "sideways"}, "direction"),
        ({"summary": ""}, "summary"),
        ({"summary": "x" * 2001}, "summary"),
        ({"duration_s": -1}, "duration_s"),
        ({"duration_s": 50_000}, "duration_s"),
        ({"at": dt.datetime(2999, 1, 1, tzinfo=dt.UTC)}, "at"),
        ({"at": dt.datetime(2024, 1, 1)}, "at"),
        ({"contact": 999_999}, "contact"),
    ],
)
def test_it_rejects_bad_calls_and_stores_nothing(actor_as, customer, kwargs, field):
    args = {"direction": "inbound", "summary": "Billing question", "duration_s": 60, **kwargs}
    with pytest.raises(ValidationFailed) as err:
        call_log_add(customer=customer, actor=actor_as("agent"), **args)
    assert field in err.value.fields
    assert not CallLog.objects.exists()


def test_it_refuses_another_customers_contact_on_a_call(actor_as, customer, provider):
    neighbour = ContactFactory(customer=CustomerFactory(provider=provider))
    with pytest.raises(ValidationFailed) as err:
        call_log_add(
            customer=customer, direction="inbound", summary="x", contact=neighbour.pk, actor=actor_as("agent")
        )
    assert "contact" in err.value.fields


def test_it_refuses_calls_to_readonly_and_billing(actor_as, customer):
    for role in ("readonly", "billing"):
        with pytest.raises(PermissionDenied):
            call_log_add(customer=customer, direction="inbound", summary="x", actor=actor_as(role))
    assert not CallLog.objects.exists()
