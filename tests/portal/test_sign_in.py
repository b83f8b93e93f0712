import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from accountdesk.activity.models import Activity
from accountdesk.core import clock
from accountdesk.portal.models import PortalLink, PortalSession, digest
from tests.portal.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def test_it_signs_in_and_records_the_sign_in_as_the_customer(client, account, contact):
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/portal/"
    entry = Activity.objects.get(kind="portal.signed_in")
    assert entry.customer_id == contact.customer_id
    assert (entry.actor_type, entry.actor_id, entry.actor_name) == ("customer", None, "Bob Contact")
    account.refresh_from_db()
    assert account.last_sign_in_at == clock.now()


@pytest.mark.django_db(transaction=True)
def test_signing_in_outside_a_test_transaction_writes_its_entry(client, account):
    """As in production: no transaction around the request, so the service must open its own."""
    assert sign_in(client).status_code == 302
    assert Activity.objects.filter(kind="portal.signed_in").count() == 1


def test_a_wrong_password_and_an_unknown_email_fail_alike(client, account):
    wrong = sign_in(client, password="not the password")
    unknown = sign_in(client, email="nobody@example.test")
    assert wrong.status_code == unknown.status_code == 400
    assert b"That email and password do not match an account." in wrong.content
    assert b"That email and password do not match an account." in unknown.content
    assert not PortalSession.objects.exists()


def test_a_revoked_account_cannot_sign_in(client, account, admin):
    from accountdesk.core.actors import Actor
    from accountdesk.portal.services import portal_access_revoke

    portal_access_revoke(account=account, actor=Actor.staff(admin))
    assert sign_in(client).status_code == 400


def test_it_slows_down_repeated_failures_even_with_the_right_password_next(client, account):
    for _ in range(settings.SIGNIN_MAX_FAILURES):
        sign_in(client, password="guess")
    response = sign_in(client)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not PortalSession.objects.exists()


def test_the_session_cookie_is_http_only_lax_and_only_for_the_portal(client, account):
    cookie = sign_in(client).cookies[settings.PORTAL_SESSION_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/portal/"
    # Only a digest of the key is stored.
    assert not PortalSession.objects.filter(key_hash=cookie.value).exists()
    assert PortalSession.objects.filter(key_hash=digest(cookie.value)).exists()


def test_portal_forms_need_the_csrf_token(account):
    browser = Client(enforce_csrf_checks=True)
    assert (
        browser.post("/portal/sign-in/", {"email": "bob@example.test", "password": PASSWORD}).status_code
        == 403
    )
    page = browser.get("/portal/sign-in/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()
    response = browser.post(
        "/portal/sign-in/", {"email": "bob@example.test", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def _emailed_link() -> str:
    return re.search(r"https?://\S+", mail.outbox[-1].body).group(0).replace("http://testserver", "")


def test_a_reset_link_sets_a_new_password_once(client, account):
    response = client.post("/portal/password/", {"email": "BOB@example.test"})
    assert response.status_code == 200 and b"Check your email" in response.content
    link = _emailed_link()
    assert not PortalLink.objects.filter(token_hash=link.rstrip("/").rsplit("/", 1)[1]).exists()
    new = "a brand new passphrase"
    response = client.post(link, {"new_password": new, "new_password_again": new})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert Activity.objects.filter(kind="portal.password_set", actor_type="customer").count() == 1
    again = Client().post(
        link, {"new_password": "another passphrase 9", "new_password_again": "another passphrase 9"}
    )
    assert again.status_code == 400
    assert sign_in(Client(), password=PASSWORD).status_code == 400
    assert sign_in(Client(), password=new).status_code == 302


def test_a_reset_answers_alike_for_an_unknown_email(client, account):
    response = client.post("/portal/password/", {"email": "nobody@example.test"})
    assert response.status_code == 200 and b"Check your email" in response.content
    assert mail.outbox == []


def test_a_weak_password_keeps_the_link_usable(client, account):
    client.post("/portal/password/", {"email": "bob@example.test"})
    link = _emailed_link()
    response = client.post(link, {"new_password": "short", "new_password_again": "short"})
    assert response.status_code == 400
    assert PortalLink.objects.get().used_at is None


def test_a_reset_link_expires(client, account):
    client.post("/portal/password/", {"email": "bob@example.test"})
    link = _emailed_link()
    clock.freeze(clock.now() + dt.timedelta(minutes=settings.PORTAL_LINK_MINUTES, seconds=1))
    assert client.get(link).status_code == 400


def test_a_sign_in_link_signs_in_once_and_a_get_does_not_use_it(client, account):
    client.post("/portal/sign-in/email/", {"email": "bob@example.test"})
    link = _emailed_link()
    assert client.get(link).status_code == 200  # a mail scanner fetching the link uses nothing
    response = client.post(link)
    assert response.status_code == 302 and settings.PORTAL_SESSION_COOKIE in response.cookies
    assert Client().post(link).status_code == 400
    assert Activity.objects.get(kind="portal.signed_in").details == {"method": "link"}


def test_signing_out_ends_the_session(portal):
    assert portal.post("/portal/sign-out/").status_code == 302
    assert not PortalSession.objects.exists()
    assert portal.get("/portal/")["Location"].startswith("/portal/sign-in/")
    assert Activity.objects.get(kind="portal.signed_out").actor_type == "customer"
