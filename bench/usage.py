"""Ingest a month of minute-level usage for one subscription (43,200 records), then draw its month
graph. Prints the time of both and the queries the graph spends.

    uv run python bench/usage.py                       # a throwaway SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_usage uv run python bench/usage.py

The database is created and migrated from scratch (SQLite: in a temporary directory).
"""

import datetime as dt
import os
import sys
import tempfile
import time
from decimal import Decimal

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("ACCOUNTDESK_VAR_DIR", tempfile.mkdtemp(prefix="bench-usage-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountdesk.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

MINUTES = 30 * 24 * 60


def main() -> None:
    call_command("migrate", verbosity=0)
    from accountdesk.core import clock
    from accountdesk.core.actors import Actor
    from accountdesk.customers.models import Customer
    from accountdesk.subscriptions.models import Package, Subscription
    from accountdesk.tenancy.models import Provider
    from accountdesk.usage.selectors import usage_series
    from accountdesk.usage.services import usage_ingest

    clock.freeze(dt.datetime(2025, 5, 1, tzinfo=dt.UTC))
    provider, _ = Provider.objects.get_or_create(
        slug="bench-usage", defaults={"name": "Bench", "usage": True}
    )
    customer = Customer.objects.create(
        provider=provider, number=f"B-{time.time_ns() % 10**12}", name="Bench", joined_on=dt.date(2025, 1, 1)
    )
    package = Package.objects.create(
        provider=provider,
        name=f"Bench {time.time_ns()}",
        price=Decimal("30.00"),
        usage_allowance=10**12,
        usage_unit="bytes",
    )
    subscription = Subscription.objects.create(
        provider=provider,
        customer=customer,
        package=package,
        started_on=dt.date(2025, 4, 1),
        price=package.price,
    )
    start = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
    rows = [{"at": start + dt.timedelta(minutes=i), "quantity": 1000 + i % 600} for i in range(MINUTES)]

    began = time.perf_counter()
    result = usage_ingest(
        provider=provider, subscription=subscription, rows=rows, actor=Actor.system(provider)
    )
    ingest_s = time.perf_counter() - began

    began = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        series = usage_series(
            subscription=subscription, start=start, end=start + dt.timedelta(days=30), resolution="day"
        )
    graph_ms = (time.perf_counter() - began) * 1000
    raw_reads = sum("usage_usagerecord" in q["sql"] for q in queries.captured_queries)

    print(f"database: {connection.vendor}")
    print(
        f"ingest: {result.records:,} minute records in {ingest_s:.2f} s "
        f"({result.records / ingest_s:,.0f} rows/s)"
    )
    print(
        f"month graph: {len(series['points'])} daily points in {graph_ms:.1f} ms, "
        f"{len(queries)} query, {raw_reads} reading raw records"
    )
    assert series["total"] == sum(r["quantity"] for r in rows)


if __name__ == "__main__":
    main()
