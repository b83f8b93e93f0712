"""An ingest reads in the activity as people see it."""

import datetime as dt

from accountdesk.core.actors import Actor
from accountdesk.usage.services import usage_ingest
from tests.activity.logged import assert_logged


def test_an_ingest_names_its_records_and_package(provider, customer, subscription, agent):
    at = dt.datetime(2025, 3, 2, 10, 0, tzinfo=dt.UTC)
    rows = [{"at": (at + dt.timedelta(minutes=i)).isoformat(), "quantity": 1000} for i in range(1200)]
    usage_ingest(provider=provider, subscription=subscription, rows=rows, actor=Actor.system(provider))
    assert_logged(customer, "usage.ingested", "1,200 usage records for Mobile 10 GB", viewer=agent)
