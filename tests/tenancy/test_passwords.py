"""Changing a password, resetting a forgotten one by an emailed link, and an admin sending the link."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse

from accountdesk.audit.models import SecurityEvent
from accountdesk.core.actors import Actor
from accountdesk.core.errors import ValidationFailed
from accountdesk.tenancy import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW = "a-new-long-passphrase"


def kinds(provider) -> list[str]:
    return list(
        SecurityEvent.objects.filter(provider=provider).order_by("seq").values_list("kind", flat=True)
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestChange:
    def url(self):
        return reverse("account:password_change")

    def test_it_needs_the_current_password(self, agent):
        client = signed_in(agent)
        data = {"current_password": "wrong", "new_password": NEW, "new_password_again": NEW}
        response = client.post(self.url(), data)
        assert response.status_code == 400 and "not your current password" in response.content.decode()
        agent.refresh_from_db()
        assert agent.check_password(PASSWORD)

    @pytest.mark.parametrize("weak", ["short1", "1234567890", "password123"])
    def test_it_applies_the_password_rules(self, agent, weak):
        client = signed_in(agent)
        data = {"current_password": PASSWORD, "new_password": weak, "new_password_again": weak}
        assert client.post(self.url(), data).status_code == 400
        agent.refresh_from_db()
        assert agent.check_password(PASSWORD)

    def test_it_wants_the_new_password_twice_alike(self, agent):
        client = signed_in(agent)
        data = {"current_password": PASSWORD, "new_password": NEW, "new_password_again": NEW + "x"}
        assert client.post(self.url(), data).status_code == 400

    def test_it_ends_the_other_sessions_and_keeps_this_one(self, agent, provider):
        here, elsewhere = signed_in(agent), signed_in(agent)
        data = {"current_password": PASSWORD, "new_password": NEW, "new_password_again": NEW}
        assert here.post(self.url(), data).status_code == 302
        agent.refresh_from_db()
        assert agent.check_password(NEW)
        assert here.get(reverse("customers:list")).status_code == 200
        assert elsewhere.get(reverse("customers:list")).status_code == 302
        assert kinds(provider) == ["password.changed"]


@pytest.fixture(autouse=True)
def _emails_sent_on_commit(monkeypatch):
    """The reset email is queued on commit; here each transaction's callbacks run as it commits."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, *a, **k: func())


class TestReset:
    def ask(self, client, email):
        return client.post(reverse("password_reset"), {"email": email})

    def link(self) -> str:
        return re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[-1].body).group(1)

    def test_it_answers_alike_for_known_and_unknown_emails(self, client, agent, provider):
        known = self.ask(client, agent.email)
        unknown = self.ask(Client(), "nobody@acme.test")
        assert known.status_code == unknown.status_code == 302
        assert known["Location"] == unknown["Location"] == reverse("password_reset_sent")
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [agent.email]
        assert kinds(provider) == ["password.reset_requested"]

    def test_an_inactive_user_gets_no_link(self, client, agent):
        agent.is_active = False
        agent.save()
        assert self.ask(client, agent.email)["Location"] == reverse("password_reset_sent")
        assert mail.outbox == []

    def test_the_link_sets_a_new_password_once_and_ends_every_session(self, client, agent, provider):
        old_session = signed_in(agent)
        self.ask(client, agent.email)
        link = self.link()
        assert client.get(link).status_code == 200
        response = client.post(link, {"new_password": NEW, "new_password_again": NEW})
        assert response.status_code == 200 and "has been set" in response.content.decode()
        agent.refresh_from_db()
        assert agent.check_password(NEW)
        assert old_session.get(reverse("customers:list")).status_code == 302
        again = client.post(link, {"new_password": "yet-another-passphrase", "new_password_again": "x"})
        assert again.status_code == 400 and "does not work any more" in again.content.decode()
        assert kinds(provider) == ["password.reset_requested", "password.reset_completed"]

    def test_the_link_expires(self, client, agent, settings):
        self.ask(client, agent.email)
        link = self.link()
        settings.PASSWORD_RESET_TIMEOUT = -1
        assert client.get(link).status_code == 400

    def test_a_forged_or_garbled_link_is_refused(self, client, agent):
        assert client.get(reverse("password_reset_confirm", args=["MQ", "abc-123"])).status_code == 400
        assert client.get(reverse("password_reset_confirm", args=["!!!", "abc-123"])).status_code == 400
        token = default_token_generator.make_token(agent)
        assert client.get(reverse("password_reset_confirm", args=["OTk5OTk5", token])).status_code == 400

    def test_the_new_password_follows_the_rules(self, client, agent):
        self.ask(client, agent.email)
        response = client.post(
            self.link(), {"new_password": "1234567890", "new_password_again": "1234567890"}
        )
        assert response.status_code == 400
        agent.refresh_from_db()
        assert agent.check_password(PASSWORD)


class TestAdminSendsALink:
    def test_an_admin_emails_a_staff_member_a_link(self, client, admin, agent, provider):
        client.force_login(admin)
        response = client.post(reverse("settings:staff_password_reset", args=[agent.pk]))
        assert response.status_code == 302
        assert mail.outbox[0].to == [agent.email] and admin.display_name in mail.outbox[0].body
        event = SecurityEvent.objects.get(kind="password.reset_requested")
        assert event.actor_id == admin.pk and event.details == {"user_id": agent.pk, "by": "admin"}

    def test_not_for_another_providers_staff(self, client, admin, other_provider):
        foreign = UserFactory(provider=other_provider, email="x@other.test")
        client.force_login(admin)
        assert client.post(reverse("settings:staff_password_reset", args=[foreign.pk])).status_code == 404
        assert mail.outbox == []

    def test_not_by_other_roles(self, client, staff):
        client.force_login(staff["billing"])
        url = reverse("settings:staff_password_reset", args=[staff["agent"].pk])
        assert client.post(url).status_code == 403
        assert mail.outbox == []


def test_adding_staff_applies_the_password_rules(provider, admin):
    with pytest.raises(ValidationFailed) as error:
        services.staff_add(
            provider=provider, email="n@acme.test", name="N", role="agent", password="1234567890",
            actor=Actor.staff(admin),
        )  # fmt: skip
    assert "password" in error.value.fields
