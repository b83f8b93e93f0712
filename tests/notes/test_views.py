import pytest
from django.urls import reverse

from accountdesk.notes.models import Note

pytestmark = pytest.mark.django_db


def test_it_adds_a_note(client, agent, customer):
    client.force_login(agent)
    response = client.post(reverse("tabs:notes", args=[customer.pk]), {"body": "Called about the outage"})
    assert response.status_code == 302
    note = Note.objects.get(customer=customer)
    assert note.author == agent
    assert "Called about the outage" in client.get(reverse("tabs:notes", args=[customer.pk])).content.decode()


def test_it_rejects_an_empty_or_oversized_note(client, agent, customer):
    client.force_login(agent)
    assert client.post(reverse("tabs:notes", args=[customer.pk]), {"body": "   "}).status_code == 400
    assert client.post(reverse("tabs:notes", args=[customer.pk]), {"body": "x" * 10_001}).status_code == 400
    assert not Note.objects.exists()


def test_it_forbids_notes_to_readonly(client, staff, customer):
    client.force_login(staff["readonly"])
    assert client.post(reverse("tabs:notes", args=[customer.pk]), {"body": "hi"}).status_code == 403
    assert not Note.objects.exists()
    assert "Add note" not in client.get(reverse("tabs:notes", args=[customer.pk])).content.decode()


def test_it_404s_another_providers_notes(client, agent, foreign_customer):
    client.force_login(agent)
    assert client.get(reverse("tabs:notes", args=[foreign_customer.pk])).status_code == 404
    assert client.post(reverse("tabs:notes", args=[foreign_customer.pk]), {"body": "x"}).status_code == 404
    assert not Note.objects.exists()


def test_it_pages_notes(client, agent, customer):
    from accountdesk.core.actors import Actor
    from accountdesk.notes.services import note_add

    for i in range(30):
        note_add(customer=customer, body=f"Note number {i:02d}", actor=Actor.staff(agent))
    client.force_login(agent)
    first = client.get(reverse("tabs:notes", args=[customer.pk]))
    assert "Note number 29" in first.content.decode() and "Note number 00" not in first.content.decode()
    second = client.get(reverse("tabs:notes", args=[customer.pk]) + first.context["next_url"])
    assert "Note number 00" in second.content.decode()
