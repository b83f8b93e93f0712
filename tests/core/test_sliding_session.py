import datetime as dt

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountdesk.core import clock


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_it_extends_a_used_session_at_most_every_five_minutes(client, agent):
    start = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
    clock.freeze(start)
    try:
        client.force_login(agent)
        client.get("/customers/")
        first = _expiry(client)
        clock.freeze(start + dt.timedelta(minutes=2))
        with CaptureQueriesContext(connection) as queries:
            client.get("/customers/")
        assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)
        assert _expiry(client) == first
        clock.freeze(start + dt.timedelta(minutes=6))
        client.get("/customers/")
        assert _expiry(client) > first
    finally:
        clock.freeze(None)


def _busy_until(client, start, end, *, every=dt.timedelta(hours=1)):
    """Use the session every hour from `start` to `end` (so it never slides out)."""
    moment = start
    while moment < end:
        clock.freeze(moment)
        assert client.get("/customers/").status_code == 200
        moment += every


def test_a_busy_session_still_ends_seven_days_after_sign_in(client, agent, customer):
    start = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
    clock.freeze(start)
    try:
        client.force_login(agent)
        _busy_until(client, start, start + dt.timedelta(days=7), every=dt.timedelta(hours=6))
        clock.freeze(start + dt.timedelta(days=7, seconds=1))
        page = f"/customers/{customer.pk}/dashboard/?tab=x"
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"] == "/login/?next=/customers/" + f"{customer.pk}/dashboard/%3Ftab%3Dx"
        assert "_auth_user_id" not in client.session
        assert client.get("/customers/").status_code == 302  # signed out for good
    finally:
        clock.freeze(None)


def test_the_absolute_age_is_a_setting(client, agent, settings):
    settings.ACCOUNTDESK_SESSION_ABSOLUTE_AGE = 3600
    start = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
    clock.freeze(start)
    try:
        client.force_login(agent)
        clock.freeze(start + dt.timedelta(minutes=59))
        assert client.get("/customers/").status_code == 200
        clock.freeze(start + dt.timedelta(minutes=61))
        assert client.get("/customers/").status_code == 302
    finally:
        clock.freeze(None)


def test_an_htmx_request_after_the_end_takes_the_window_to_sign_in(client, agent, customer):
    start = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
    clock.freeze(start)
    try:
        client.force_login(agent)
        clock.freeze(start + dt.timedelta(days=8))
        response = client.get(
            f"/customers/{customer.pk}/messages/email/",
            HTTP_HX_REQUEST="true",
            HTTP_HX_CURRENT_URL=f"http://testserver/customers/{customer.pk}/messages/",
        )
        assert response.status_code == 204
        assert response["HX-Redirect"] == f"/login/?next=/customers/{customer.pk}/messages/"
    finally:
        clock.freeze(None)


def test_an_htmx_request_never_carries_an_offsite_page_to_sign_in(client, agent, customer):
    start = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
    clock.freeze(start)
    try:
        client.force_login(agent)
        clock.freeze(start + dt.timedelta(days=8))
        response = client.get(
            "/customers/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="javascript:alert(1)"
        )
        assert response["HX-Redirect"] == "/login/?next=/"
    finally:
        clock.freeze(None)


def test_the_api_answers_401_to_an_ended_session(client, agent, customer):
    start = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
    clock.freeze(start)
    try:
        client.force_login(agent)
        assert client.get(f"/api/v1/customers/{customer.pk}").status_code == 200
        clock.freeze(start + dt.timedelta(days=8))
        assert client.get(f"/api/v1/customers/{customer.pk}").status_code == 401
    finally:
        clock.freeze(None)


def test_a_session_without_a_sign_in_time_ends(client, agent):
    client.force_login(agent)
    session = client.session
    del session["_signed_in_at"]
    session.save()
    assert client.get("/customers/").status_code == 302
