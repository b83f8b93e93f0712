"""Benchmark: the ledger's first page and the key metrics cost the same queries for an account with
10,000 invoices as for one with 10.

    uv run python bench/ledger.py            (SQLite in memory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/adk_bench uv run python bench/ledger.py

It builds both accounts in bulk (the demo's Books, so the ledger and summary are exact), then times
each read and counts its queries.
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("ACCOUNTDESK_VAR_DIR", "/tmp/accountdesk-bench")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def build(provider, number: str, invoices: int):
    from accountdesk.billing.demo.books import Books, reserve_numbers
    from accountdesk.customers.models import Customer

    customer = Customer.objects.create(
        provider=provider,
        number=number,
        name=f"Bench {number}",
        status="active",
        joined_on=dt.date(2015, 1, 1),
    )
    books = Books(customer=customer, tax_rate=Decimal("0"))
    rng = random.Random(1)
    start = timezone.make_aware(dt.datetime(2016, 1, 1, 9))

    for i in range(invoices):
        at = start + dt.timedelta(hours=8 * i)
        inv = books.invoice(at, [("Service", Decimal("29.99"))], terms="net30")
        if rng.random() < 0.97:
            books.pay(at + dt.timedelta(hours=1), inv.row.balance, "card", f"P{i}")
    books.save(reserve_numbers(provider, len(books.invoices)))
    return customer


def measure(label, fn, repeat=20):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return label, queries, statistics.median(times)


def main() -> None:
    setup_test_environment()
    from django.test.utils import setup_databases, teardown_databases

    old = setup_databases(verbosity=0, interactive=False)
    try:
        from accountdesk.billing.selectors import account_metrics, ledger_list
        from accountdesk.billing.statements import statement_build
        from accountdesk.tenancy.models import Provider

        provider = Provider.objects.create(name="Bench", slug="bench")
        t = time.perf_counter()
        with transaction.atomic():
            small = build(provider, "C-SMALL", 10)
            big = build(provider, "C-BIG", 10_000)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # what autovacuum does after a bulk load
        print(f"seeded 10 + 10,000 invoices in {time.perf_counter() - t:.1f}s on {connection.vendor}")
        rows = []
        for customer in (small, big):
            n = customer.invoices.count()
            entries = customer.ledger.count()
            rows += [
                (
                    n,
                    entries,
                    *measure("ledger first page (50)", lambda c=customer: ledger_list(customer=c, limit=50)),
                ),
                (
                    n,
                    entries,
                    *measure(
                        "ledger latest 50 (the tab)",
                        lambda c=customer: ledger_list(customer=c, limit=50, newest_first=True),
                    ),
                ),
                (n, entries, *measure("metrics", lambda c=customer: account_metrics(customer=c))),
                (
                    n,
                    entries,
                    *measure("statement (last quarter)", lambda c=customer: statement_build(customer=c)),
                ),
            ]
        print(f"{'invoices':>9} {'entries':>8}  {'read':<26} {'queries':>7} {'median ms':>10}")
        for n, entries, label, queries, ms in rows:
            print(f"{n:>9,} {entries:>8,}  {label:<26} {queries:>7} {ms:>10.2f}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
