"""Benchmark: activity writes per second with the hash chain and without it, side by side.

    uv run python bench/audit.py                        (SQLite file in a scratch directory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/adk_bench uv run python bench/audit.py

Two workloads, each run both ways in the same process on the same database:
- spread: THREADS threads, each writing to its own customers (no two writers share a chain);
- hot: THREADS threads all writing to one customer (every write queues on that chain's head).

"chained" is event_record() in its own transaction, as a service writes (lock the customer's chain
head, hash, move the head, insert). "plain" is the same row inserted without chaining (what
event_record did before: one INSERT in its own transaction). Prints a table with the machine, the
database and the command. Options: --writes N (per thread, default 300), --threads N (default 4).
"""

import argparse
import itertools
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("ACCOUNTDESK_VAR_DIR", tempfile.mkdtemp(prefix="accountdesk-bench-audit-"))

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402

_negative = itertools.count(1)


def plain_insert(customer, i: int) -> None:
    from accountdesk.activity.models import Activity
    from accountdesk.core import clock

    with transaction.atomic():
        Activity.objects.create(
            provider_id=customer.provider_id,
            customer=customer,
            at=clock.now(),
            actor_type="system",
            actor_name="System",
            kind="note.added",
            group="notes",
            summary=f"Plain entry {i}",
            details={"i": i},
            seq=-next(_negative),  # a distinct link that no chain uses: no head, no hash
            prev_hash="",
            hash="",
        )


def chained_insert(customer, i: int) -> None:
    from accountdesk.activity.services import event_record
    from accountdesk.core.actors import Actor

    with transaction.atomic():
        event_record(
            customer=customer,
            actor=Actor.system(customer.provider),
            kind="note.added",
            summary=f"Chained entry {i}",
            details={"i": i},
        )


def run(write, customers_for_thread, threads: int, writes: int) -> float:
    """Writes per second, all threads together."""
    errors = []
    barrier = threading.Barrier(threads + 1)

    def work(n: int) -> None:
        try:
            mine = customers_for_thread(n)
            barrier.wait()
            for i in range(writes):
                write(mine[i % len(mine)], i)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in pool:
        t.join()
    took = time.perf_counter() - started
    if errors:
        raise errors[0]
    return threads * writes / took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        # A file, as in production (the test default is in memory).
        db.setdefault("TEST", {})["NAME"] = str(Path(os.environ["ACCOUNTDESK_VAR_DIR"]) / "bench.sqlite3")
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from tests.factories import CustomerFactory, ProviderFactory

        provider = ProviderFactory(name="Bench", slug="bench")
        spread = [CustomerFactory(provider=provider) for _ in range(args.threads * 4)]
        hot = CustomerFactory(provider=provider)
        for customer in [*spread, hot]:  # every chain exists already, as for a customer with history
            chained_insert(customer, -1)
        connection.close()
        workloads = (
            ("1 thread, 1 customer", 1, lambda n: [hot]),
            (f"{args.threads} threads, own customers", args.threads, lambda n: spread[n * 4 : n * 4 + 4]),
            (f"{args.threads} threads, 1 hot customer", args.threads, lambda n: [hot]),
        )
        for write in (plain_insert, chained_insert):  # warm up: connections, caches, statements
            run(write, lambda n: [hot], 1, 30)
        rows = []
        for label, threads, customers in workloads:
            plain = run(plain_insert, customers, threads, args.writes)
            chained = run(chained_insert, customers, threads, args.writes)
            rows.append((label, plain, chained))
        _report(args, rows)
    finally:
        connection.close()
        teardown_databases(old, verbosity=0)


def _report(args, rows) -> None:
    vendor = connection.vendor
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    else:
        version = __import__("sqlite3").sqlite_version
    load = os.getloadavg()[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {load:.1f}")
    print(f"platform: {platform.platform()}, Python {platform.python_version()}")
    print(f"database: {vendor} {version}; each write its own transaction; {args.writes} writes per thread")
    url = "DATABASE_URL=... " if os.environ.get("DATABASE_URL") else ""
    print(f"command: {url}uv run python {' '.join(sys.argv)}")
    print()
    print(f"{'workload':<32} {'plain writes/s':>15} {'chained writes/s':>17} {'chained/plain':>14}")
    for label, plain, chained in rows:
        print(f"{label:<32} {plain:>15.0f} {chained:>17.0f} {chained / plain:>14.0%}")


if __name__ == "__main__":
    main()
