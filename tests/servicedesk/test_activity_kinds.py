"""A ticket's life reads in the activity as people see it."""

from accountdesk.servicedesk.services import ticket_assign, ticket_comment, ticket_open, ticket_status_change
from tests.activity.logged import assert_logged


def test_a_tickets_comment_status_and_assignee(actor_as, customer, staff, agent):
    ticket = ticket_open(customer=customer, subject="No signal", actor=actor_as("agent"))
    n = ticket.number
    assert_logged(customer, "ticket.opened", f"Ticket {n} opened: No signal", viewer=agent)
    ticket_comment(ticket=ticket, body="Router   rebooted,\nsignal back", actor=actor_as("agent"))
    assert_logged(customer, "ticket.commented", f"Comment on {n}: Router rebooted, signal back", viewer=agent)
    ticket = ticket_status_change(ticket=ticket, status="resolved", actor=actor_as("agent"))
    assert_logged(customer, "ticket.status_changed", f"Ticket {n} open → resolved", viewer=agent)
    ticket_assign(ticket=ticket, assignee=staff["technician"].pk, actor=actor_as("agent"))
    name = staff["technician"].display_name
    assert_logged(customer, "ticket.assigned", f"Ticket {n} assigned to {name}", viewer=agent)
