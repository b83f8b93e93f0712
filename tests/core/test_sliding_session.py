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
