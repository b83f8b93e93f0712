import datetime as dt
import re

from django.http import HttpResponse
from django.test import RequestFactory

from accountdesk.core import clock
from accountdesk.core.middleware import ServerTimingMiddleware
from accountdesk.tenancy.models import Provider


def test_server_timing_counts_the_queries_of_the_request(db):
    def view(request):
        list(Provider.objects.all())
        list(Provider.objects.all())
        return HttpResponse("ok")

    response = ServerTimingMiddleware(view)(RequestFactory().get("/"))
    match = re.fullmatch(
        r'db;dur=([\d.]+);desc="(\d+) queries", total;dur=([\d.]+)', response["Server-Timing"]
    )
    assert match and match.group(2) == "2"


def test_server_timing_on_a_response_without_queries(db):
    response = ServerTimingMiddleware(lambda r: HttpResponse("ok"))(RequestFactory().get("/"))
    assert response["Server-Timing"].startswith('db;dur=0.0;desc="0 queries"')


def test_the_clock_freezes_and_thaws():
    moment = dt.datetime(2024, 12, 31, 23, 30, tzinfo=dt.UTC)
    clock.freeze(moment)
    try:
        assert clock.now() == moment and clock.today() == dt.date(2024, 12, 31)
    finally:
        clock.freeze(None)
    assert clock.now() != moment
