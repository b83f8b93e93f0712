from accountdesk.servicedesk.selectors import ticket_recent, ticket_recent_for_notes
from tests.factories import CustomerFactory
from tests.servicedesk.factories import TicketFactory


def test_it_gives_the_three_most_recent_tickets_of_any_status(customer, django_assert_num_queries):
    tickets = [TicketFactory(customer=customer, status=s) for s in ("closed", "open", "resolved", "pending")]
    tie = TicketFactory(customer=customer, created_at=tickets[-1].created_at)
    TicketFactory(customer=CustomerFactory(provider=customer.provider))
    with django_assert_num_queries(1):
        assert ticket_recent(customer=customer) == [tie, tickets[3], tickets[2]]


def test_it_shapes_tickets_for_the_notes_list(customer):
    ticket = TicketFactory(customer=customer, subject="Router", created_by_name="Ada Agent")
    assert ticket_recent_for_notes(customer=customer) == [
        {
            "id": ticket.pk,
            "number": ticket.number,
            "subject": "Router",
            "created_at": ticket.created_at,
            "author": "Ada Agent",
        }
    ]


def test_it_spends_no_query_without_the_module(bare_customer, django_assert_num_queries):
    bare_customer.provider  # noqa: B018  (the page has loaded it already)
    with django_assert_num_queries(0):
        assert ticket_recent(customer=bare_customer) is None
        assert ticket_recent_for_notes(customer=bare_customer) is None
