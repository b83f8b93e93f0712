import pytest
from django.urls import reverse

from accountdesk.core.actors import Actor
from accountdesk.customers.services import contact_add, customer_status_change
from accountdesk.notes.services import note_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(agent, customer):
    actor = Actor.staff(agent)
    customer_status_change(customer=customer, status="blocked", reason="Unpaid bill", actor=actor)
    contact_add(customer=customer, data={"name": "Ada Lovelace"}, actor=actor)
    note_add(customer=customer, body="Spoke to Ada", actor=Actor.system(customer.provider))
    return customer


def test_it_shows_tiles_with_details_and_actor(client, agent, history):
    client.force_login(agent)
    body = client.get(reverse("tabs:activity", args=[history.pk])).content.decode()
    assert "Status changed from active to blocked" in body
    assert agent.display_name in body and agent.email in body
    assert 'class="diff-old">active<' in body


def test_it_filters_by_group_actor_type_and_text(client, agent, history):
    client.force_login(agent)
    url = reverse("tabs:activity", args=[history.pk])
    contacts = client.get(url, {"group": "contacts"}).content.decode()
    assert "Contact added" in contacts and "Status changed" not in contacts
    system = client.get(url, {"actor_type": "system"}).content.decode()
    assert "Note added" in system and "Contact added" not in system
    searched = client.get(url, {"q": "unpaid"}).content.decode()
    assert "Status changed" in searched and "Contact added" not in searched


def test_it_shows_the_event_log_as_a_table(client, agent, history):
    client.force_login(agent)
    body = client.get(reverse("tabs:event_log", args=[history.pk]), {"q": "ada"}).content.decode()
    assert "contact.added" in body and "customer.status_changed" not in body


@pytest.mark.parametrize("params", [{"group": "nope"}, {"actor_type": "robot"}, {"cursor": "garbage"}])
def test_it_ignores_unknown_filters(client, agent, history, params):
    client.force_login(agent)
    response = client.get(reverse("tabs:activity", args=[history.pk]), params)
    assert response.status_code == 200
    body = response.content.decode()  # the whole log, as with no filter
    assert (
        "Status changed from active to blocked" in body and "Contact added" in body and "Note added" in body
    )


def test_it_404s_another_providers_activity(client, agent, foreign_customer):
    client.force_login(agent)
    assert client.get(reverse("tabs:activity", args=[foreign_customer.pk])).status_code == 404
    assert client.get(reverse("tabs:event_log", args=[foreign_customer.pk])).status_code == 404
