"""Benchmark: what webhooks cost a write, and how fast one worker delivers.

    uv run python bench/webhooks.py                        (SQLite file in a scratch directory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/adk_bench uv run python bench/webhooks.py

1. Writes: a customer's status change (customer_status_change, its own transaction) per second with
   no endpoint, with one endpoint that hears it, and with five: the outbox's cost to the write
   (the endpoints' read, the event's record read and serialised, one delivery row per endpoint,
   and after the commit one task row per delivery in django-tasks' database backend, as in
   production; no worker runs meanwhile).
2. Delivery: one worker sending those deliveries one after another to a receiver on 127.0.0.1
   (http.server in a thread, answering 200), each signed, sent and logged (delivery_attempt):
   deliveries per second and the median attempt's time as logged.

Prints the machine, the database and the command. Options: --writes N (default 300).
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("ACCOUNTDESK_VAR_DIR", tempfile.mkdtemp(prefix="accountdesk-bench-webhooks-"))
os.environ["ACCOUNTDESK_WEBHOOK_ALLOW_PRIVATE"] = "1"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    override_settings,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)


def writes_per_second(customer, actor, writes: int) -> float:
    from accountdesk.customers.services import customer_status_change

    started = time.perf_counter()
    for i in range(writes):
        status = "blocked" if i % 2 == 0 else "active"
        customer_status_change(customer=customer, status=status, reason=f"Bench {i}", actor=actor)
    return writes / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=300)
    args = parser.parse_args()
    settings.ACCOUNTDESK_WEBHOOK_ALLOW_PRIVATE = True
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(Path(os.environ["ACCOUNTDESK_VAR_DIR"]) / "bench.sqlite3")
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    from tests.webhooks import receiver as receivers

    local = receivers.start(receivers.Receiver([200]))
    queue = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
    queue.enable()
    try:
        from tests.factories import CustomerFactory, ProviderFactory, UserFactory

        from accountdesk.core.actors import Actor
        from accountdesk.webhooks import services
        from accountdesk.webhooks.models import Attempt, Delivery

        provider = ProviderFactory(name="Bench", slug="bench")
        admin = Actor.staff(UserFactory(provider=provider, role="admin"))
        customer = CustomerFactory(provider=provider, status="active")
        writes_per_second(customer, admin, 20)  # warm up: the chain's head, connections, statements
        rows = [("no endpoint", writes_per_second(customer, admin, args.writes))]
        for count in (1, 5):
            while len(provider.webhook_endpoints.all()) < count:
                services.endpoint_create(
                    provider=provider, url=local.url, events=["customer.status_changed"], actor=admin
                )
            Delivery.objects.all().delete()
            rows.append(
                (
                    f"{count} endpoint{'s' if count > 1 else ''}",
                    writes_per_second(customer, admin, args.writes),
                )
            )
        ids = list(Delivery.objects.order_by("id").values_list("pk", flat=True))
        started = time.perf_counter()
        for pk in ids:
            services.delivery_attempt(delivery_id=pk)
        sent = len(ids) / (time.perf_counter() - started)
        delivered = Delivery.objects.filter(status="succeeded").count()
        median_ms = statistics.median(Attempt.objects.values_list("duration_ms", flat=True))
        _report(args, rows, sent, delivered, len(ids), median_ms, len(local.got))
    finally:
        queue.disable()
        receivers.stop(local)
        connection.close()
        teardown_databases(old, verbosity=0)


def _report(args, rows, sent, delivered, total, median_ms, received) -> None:
    vendor = connection.vendor
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    else:
        version = __import__("sqlite3").sqlite_version
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"platform: {platform.platform()}, Python {platform.python_version()}")
    print(f"database: {vendor} {version}; {args.writes} status changes per row, each its own transaction")
    url = "DATABASE_URL=... " if os.environ.get("DATABASE_URL") else ""
    print(f"command: {url}uv run python {' '.join(sys.argv)}")
    print()
    base = rows[0][1]
    print(f"{'endpoints hearing the write':<28} {'writes/s':>9} {'vs none':>8}")
    for label, rate in rows:
        print(f"{label:<28} {rate:>9.0f} {rate / base:>8.0%}")
    print()
    print(
        f"delivery, one worker, receiver on 127.0.0.1: {sent:.0f} deliveries/s "
        f"({delivered}/{total} delivered, {received} received); median attempt {median_ms:.0f} ms"
    )


if __name__ == "__main__":
    main()
