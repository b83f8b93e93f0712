import pytest

from accountdesk.core.actors import Actor
from accountdesk.servicedesk.models import CallLog, Ticket, TicketComment
from tests.servicedesk.factories import CallLogFactory, TicketFactory


def tab(customer, tail: str) -> str:
    return f"/customers/{customer.pk}/{tail}"


def test_it_shows_tickets_including_closed_ones_and_filters_by_status(browser_client, agent, customer):
    TicketFactory(customer=customer, subject="Open one")
    TicketFactory(customer=customer, subject="Closed one", status="closed")
    client = browser_client(agent)
    page = client.get(tab(customer, "tickets/")).content.decode()
    assert "Open one" in page and "Closed one" in page
    closed = client.get(tab(customer, "tickets/"), {"status": "closed"}).content.decode()
    assert "Closed one" in closed and "Open one" not in closed


def test_it_says_so_when_there_are_no_tickets(browser_client, agent, customer):
    assert "No tickets yet." in browser_client(agent).get(tab(customer, "tickets/")).content.decode()


def test_it_opens_a_ticket_from_the_dialog(browser_client, agent, customer):
    response = browser_client(agent).post(
        tab(customer, "tickets/"), {"subject": "Wifi drops", "priority": "high"}
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/tickets/{ticket.pk}/")


def test_it_shows_form_errors_and_stores_nothing(browser_client, agent, customer):
    response = browser_client(agent).post(tab(customer, "tickets/"), {"subject": "  ", "priority": "normal"})
    assert response.status_code == 400
    assert "Give a subject." in response.content.decode()
    assert not Ticket.objects.exists()


def test_it_hides_the_open_button_and_refuses_the_post_for_technicians(browser_client, staff, customer):
    client = browser_client(staff["technician"])
    assert "Open ticket" not in client.get(tab(customer, "tickets/")).content.decode()
    assert client.post(tab(customer, "tickets/"), {"subject": "x"}).status_code == 403
    assert not Ticket.objects.exists()


def test_it_comments_changes_status_and_assigns_on_the_ticket_page(browser_client, staff, customer):
    ticket = TicketFactory(customer=customer)
    client = browser_client(staff["agent"])
    url = tab(customer, f"tickets/{ticket.pk}/")
    assert client.post(url, {"action": "comment", "body": "Rebooted"}).status_code == 302
    assert client.post(url, {"action": "status", "status": "resolved"}).status_code == 302
    assert client.post(url, {"action": "assign", "assignee": staff["technician"].pk}).status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == ("resolved", staff["technician"])
    assert "Rebooted" in client.get(url).content.decode()
    refused = client.post(url, {"action": "status", "status": "pending"})
    assert (
        refused.status_code == 400 and "A resolved ticket cannot become pending." in refused.content.decode()
    )


def test_it_404s_another_providers_ticket_and_customer(browser_client, agent, customer, foreign_customer):
    foreign = TicketFactory(customer=foreign_customer)
    client = browser_client(agent)
    assert client.get(tab(customer, f"tickets/{foreign.pk}/")).status_code == 404
    assert client.get(tab(foreign_customer, "tickets/")).status_code == 404
    assert (
        client.post(tab(customer, f"tickets/{foreign.pk}/"), {"action": "comment", "body": "x"}).status_code
        == 404
    )
    assert not TicketComment.objects.exists()


def test_it_logs_a_call_from_the_dialog(browser_client, staff, customer):
    CallLogFactory(customer=customer, summary="Earlier call", duration_s=65)
    client = browser_client(staff["technician"])
    page = client.get(tab(customer, "call-logs/")).content.decode()
    assert "Earlier call" in page and "1m 05s" in page
    response = client.post(
        tab(customer, "call-logs/"),
        {"direction": "outbound", "summary": "Booked visit", "duration_min": "2.5"},
    )
    assert response.status_code == 302
    assert CallLog.objects.get(summary="Booked visit").duration_s == 150


@pytest.mark.parametrize("form", [{"duration_min": "lots"}, {"at": "not a date"}, {"summary": ""}])
def test_it_rejects_bad_calls_on_the_page(browser_client, agent, customer, form):
    data = {"direction": "inbound", "summary": "x", **form}
    response = browser_client(agent).post(tab(customer, "call-logs/"), data)
    assert response.status_code == 400 and not CallLog.objects.exists()


def test_it_hides_the_tabs_without_the_module(browser_client, bare_agent, bare_customer):
    client = browser_client(bare_agent)
    assert client.get(tab(bare_customer, "tickets/")).status_code == 404
    assert client.get(tab(bare_customer, "call-logs/")).status_code == 404


def test_it_lists_the_tabs_only_with_the_module(agent, bare_agent):
    from accountdesk.customers.tabs import visible_tabs

    assert {"tickets", "call_logs"} <= {t.key for t in visible_tabs(agent)}
    assert not {"tickets", "call_logs"} & {t.key for t in visible_tabs(bare_agent)}


def test_it_shows_an_empty_comment_inline_and_writes_nothing(browser_client, agent, customer):
    ticket = TicketFactory(customer=customer)
    url = tab(customer, f"tickets/{ticket.pk}/")
    response = browser_client(agent).post(url, {"action": "comment", "body": "  "})
    page = response.content.decode()
    assert response.status_code == 400 and "Write the comment." in page
    assert "No comments yet." in page and not TicketComment.objects.exists()


def test_it_answers_htmx_with_the_form_alone_then_a_redirect(browser_client, agent, customer):
    ticket = TicketFactory(customer=customer)
    url = tab(customer, f"tickets/{ticket.pk}/")
    client = browser_client(agent)
    refused = client.post(url, {"action": "comment", "body": ""}, HTTP_HX_REQUEST="true")
    fragment = refused.content.decode()
    assert (
        refused.status_code == 400
        and fragment.strip().startswith("<form")
        and "Write the comment." in fragment
    )
    assert 'name="action" value="comment"' in fragment
    done = client.post(url, {"action": "comment", "body": "Rebooted"}, HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Redirect"] == url
    assert TicketComment.objects.get().body == "Rebooted"


def test_it_offers_the_staff_who_take_work_and_refuses_anyone_else(browser_client, staff, customer):
    ticket = TicketFactory(customer=customer)
    url = tab(customer, f"tickets/{ticket.pk}/")
    client = browser_client(staff["agent"])
    page = client.get(url).content.decode()
    assert f'value="{staff["technician"].pk}"' in page and f'value="{staff["billing"].pk}"' not in page
    response = client.post(url, {"action": "assign", "assignee": staff["billing"].pk})
    assert response.status_code == 400 and "Select a valid choice." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_it_refuses_an_unknown_action(browser_client, agent, customer):
    ticket = TicketFactory(customer=customer)
    response = browser_client(agent).post(tab(customer, f"tickets/{ticket.pk}/"), {"action": "delete"})
    assert response.status_code == 400


def test_an_internal_note_is_marked_on_the_ticket_page(browser_client, agent, customer):
    from accountdesk.servicedesk.services import ticket_open

    ticket = ticket_open(customer=customer, subject="Slow line", actor=Actor.staff(agent))
    client = browser_client(agent)
    url = f"/customers/{customer.pk}/tickets/{ticket.pk}/"
    response = client.post(url, {"action": "comment", "body": "Suspect the DSLAM card.", "internal": "on"})
    assert response.status_code == 302
    note = TicketComment.objects.get()
    assert note.internal is True and note.body == "Suspect the DSLAM card."
    page = client.get(url).content.decode()
    assert "Internal note</span>" in page
