import datetime as dt
import re

import pytest
from django.test import Client

from accountdesk.activity.models import Activity
from accountdesk.search.engine import DENIED
from tests.search.builders import invoice, pay

HTMX = {"HX-Request": "true"}


def ask_url(customer) -> str:
    return f"/customers/{customer.pk}/ask/"


@pytest.fixture
def books(customer, system):
    first = invoice(customer, system, "150.00", dt.date(2025, 1, 5))
    pay(customer, system, "20.00", on=dt.date(2025, 1, 10), invoice=first, reference="R-9")
    return {"invoice": first}


def test_the_dashboard_has_the_ask_box_with_a_named_input(client, agent, customer):
    client.force_login(agent)
    html = client.get(f"/customers/{customer.pk}/").content.decode()
    assert f'hx-post="{ask_url(customer)}"' in html
    assert f'action="{ask_url(customer)}"' in html
    # In the dashboard's top row the label is for screen readers; the field says what to type.
    assert '<label for="ask-question" class="sr-only">Ask about this customer</label>' in html
    assert 'id="ask-question"' in html
    assert 'id="ask-answer"' in html and 'aria-live="polite"' in html


def test_it_swaps_in_the_answer_and_its_links_with_htmx(client, agent, customer, books):
    client.force_login(agent)
    response = client.post(ask_url(customer), {"question": "what's the balance"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Grace Hopper owes $130.00 on 1 open invoice" in html
    link = f'href="/customers/{customer.pk}/invoices/{books["invoice"].pk}/"'
    assert link in html and books["invoice"].number in html
    # The field comes back out of band, keeping the question and showing no error.
    assert 'id="ask-field" hx-swap-oob="true"' in html
    assert 'value="what&#x27;s the balance"' in html
    assert "aria-invalid" not in html


def test_it_answers_with_a_page_of_its_own_without_javascript(client, agent, customer, books):
    client.force_login(agent)
    response = client.post(ask_url(customer), {"question": "when did they last pay"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'aria-label="Customer sections"' in html
    assert "Grace Hopper last paid $20.00 on 10 Jan 2025 by card (reference R-9)." in html
    assert f'href="/customers/{customer.pk}/payments/"' in html


def test_it_shows_the_box_alone_on_a_get(client, agent, customer):
    client.force_login(agent)
    response = client.get(ask_url(customer))
    assert response.status_code == 200
    assert 'id="ask-question"' in response.content.decode()


@pytest.mark.parametrize("question", ["", "    ", "x" * 501])
def test_it_shows_the_error_inline_and_changes_nothing(client, agent, customer, question):
    client.force_login(agent)
    before = Activity.objects.count()
    response = client.post(ask_url(customer), {"question": question}, headers=HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="field-error" id="ask-question-error"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="ask-hint ask-question-error"' in html
    assert Activity.objects.count() == before


def test_it_shows_the_error_inline_without_javascript_too(client, agent, customer):
    client.force_login(agent)
    response = client.post(ask_url(customer), {"question": ""})
    assert response.status_code == 400
    assert "Type a question" in response.content.decode()


def test_it_shows_a_technician_no_money(client, staff, customer, books):
    client.force_login(staff["technician"])
    html = client.post(ask_url(customer), {"question": "balance"}, headers=HTMX).content.decode()
    assert "may not see billing figures" in html
    assert "$" not in html and "<a " not in html


def test_it_needs_the_csrf_token(customer, agent, books):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(agent)
    refused = browser.post(ask_url(customer), {"question": "balance"}, headers=HTMX)
    assert refused.status_code == 403
    page = browser.get(f"/customers/{customer.pk}/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(
        ask_url(customer), {"question": "balance", "csrfmiddlewaretoken": token}, headers=HTMX
    )
    assert response.status_code == 200
    assert "$130.00" in response.content.decode()


def test_it_answers_404_for_another_providers_customer(client, agent, foreign_customer):
    client.force_login(agent)
    assert client.post(ask_url(foreign_customer), {"question": "balance"}, headers=HTMX).status_code == 404
    assert client.post(ask_url(foreign_customer), {"question": "balance"}).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, customer):
    response = client.post(ask_url(customer), {"question": "balance"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_refuses_other_methods(client, agent, customer):
    client.force_login(agent)
    assert client.put(ask_url(customer)).status_code == 405


def test_its_answer_denies_money_with_the_engines_words(client, staff, customer):
    client.force_login(staff["technician"])
    html = client.post(ask_url(customer), {"question": "unpaid invoices over 100"}).content.decode()
    assert DENIED["billing.view"] in html


def test_a_citation_names_its_kind_once(client, agent, customer):
    from accountdesk.core.actors import Actor
    from accountdesk.notes import services as notes

    note = notes.note_add(customer=customer, body="Called back", actor=Actor.staff(agent))
    client.force_login(agent)
    response = client.post(ask_url(customer), {"question": "what does the last note say"}, headers=HTMX)
    html = response.content.decode()
    link = re.search(r'<a href="[^"]*notes[^"]*">(.*?)</a>', html).group(1)
    assert re.sub(r"<[^>]+>", "", link).strip() == f"Note #{note.pk}"


def test_a_citation_whose_label_lacks_its_kind_is_prefixed_with_it():
    from accountdesk.search.answers import Citation

    assert Citation("note", 1, "Note #1", "/").shown_kind == ""
    assert Citation("payment", 2, "Payment of 03 Mar 2026", "/").shown_kind == ""
    assert Citation("ticket", 3, "T-000003", "/").shown_kind == "Ticket"
    assert Citation("status_change", 4, "Active → Blocked", "/").shown_kind == "Status change"
