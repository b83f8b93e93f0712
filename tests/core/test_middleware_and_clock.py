import datetime as dt
import re

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from accountdesk.core import clock
from accountdesk.core.middleware import ServerTimingMiddleware
from accountdesk.tenancy.models import Provider


def _request(user=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return request


def test_server_timing_counts_the_queries_of_the_request(agent):
    def view(request):
        list(Provider.objects.all())
        list(Provider.objects.all())
        return HttpResponse("ok")

    response = ServerTimingMiddleware(view)(_request(agent))
    match = re.fullmatch(
        r'db;dur=([\d.]+);desc="(\d+) queries", total;dur=([\d.]+)', response["Server-Timing"]
    )
    assert match and match.group(2) == "2"


def test_server_timing_on_a_response_without_queries(agent):
    response = ServerTimingMiddleware(lambda r: HttpResponse("ok"))(_request(agent))
    assert response["Server-Timing"].startswith('db;dur=0.0;desc="0 queries"')


def test_server_timing_is_not_told_to_a_stranger(db):
    response = ServerTimingMiddleware(lambda r: HttpResponse("ok"))(_request())
    assert "Server-Timing" not in response


def test_server_timing_goes_to_everyone_when_published(db, settings):
    settings.ACCOUNTDESK_SERVER_TIMING_PUBLIC = True
    response = ServerTimingMiddleware(lambda r: HttpResponse("ok"))(_request())
    assert response["Server-Timing"].startswith("db;dur=")


def test_the_clock_freezes_and_thaws():
    moment = dt.datetime(2024, 12, 31, 23, 30, tzinfo=dt.UTC)
    clock.freeze(moment)
    try:
        assert clock.now() == moment and clock.today() == dt.date(2024, 12, 31)
    finally:
        clock.freeze(None)
    assert clock.now() != moment
