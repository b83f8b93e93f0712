from accountdesk.servicedesk.selectors import ticket_recent
from tests.factories import CustomerFactory
from tests.servicedesk.factories import TicketFactory


def test_it_gives_the_three_most_recent_tickets_of_any_status(customer, django_assert_num_queries):
    tickets = [TicketFactory(customer=customer, status=s) for s in ("closed", "open", "resolved", "pending")]
    tie = TicketFactory(customer=customer, created_at=tickets[-1].created_at)
    TicketFactory(customer=CustomerFactory(provider=customer.provider))
    with django_assert_num_queries(1):
        assert list(ticket_recent(customer=customer)) == [tie, tickets[3], tickets[2]]
