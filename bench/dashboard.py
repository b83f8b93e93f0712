"""Dashboard benchmark: server time and throughput of the dashboard for a light and a heavy account.

Seeds (once) on PostgreSQL a light customer (a few rows in each section it shows) and a heavy one
with 10,000 invoices, 100,000 activity entries and 500,000 usage records, serves the product with
gunicorn (2 workers, this machine has 2 cores) on loopback, and measures the JSON document and the
page:

    uv run python bench/dashboard.py [--requests 400] [--concurrency 4]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/accountdesk_bench (created if missing).
Prints p50/p95/p99 of the server's own time (the Server-Timing `total`, one client at a time),
the client round trip, requests per second with `--concurrency` clients, and the queries per
request.
"""

import argparse
import datetime as dt
import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/accountdesk_bench"
ENV = {
    "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DB),
    "ACCOUNTDESK_DEBUG": "0",
    "ACCOUNTDESK_SSL_REDIRECT": "0",
    "ACCOUNTDESK_SECURE_COOKIES": "0",
    "ACCOUNTDESK_MANIFEST_STATIC": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "k" * 60),
    "LOG_LEVEL": "WARNING",
}
HEAVY = {"invoices": 10_000, "activity": 100_000, "usage": 500_000, "notes": 2_000, "payments": 3_000}
TIMING = re.compile(r'db;dur=([\d.]+);desc="(\d+) queries", total;dur=([\d.]+)')


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


def setup_django() -> None:
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)


def seed() -> dict:
    """The bench provider, its agent, a light and a heavy customer (seeded once, then reused)."""
    from django.db import transaction

    from accountdesk.billing.models import AccountSummary, Invoice, Payment
    from accountdesk.core.actors import Actor
    from accountdesk.customers import services as customers
    from accountdesk.subscriptions.models import Package, Subscription
    from accountdesk.tenancy.models import MODULES, Provider, User
    from accountdesk.usage.models import UsageRecord

    provider = Provider.objects.filter(slug="bench").first()
    if provider is not None:
        agent = User.objects.get(email="agent@bench.test")
        light = provider.customers.get(name="Light Customer")
        heavy = provider.customers.get(name="Heavy Customer")
        fill_light(light)
        return {"agent": agent, "light": light, "heavy": heavy}

    started = time.perf_counter()
    with transaction.atomic():
        provider = Provider.objects.create(
            name="Bench Networks", slug="bench", **dict.fromkeys(MODULES, True)
        )
        agent = User.objects.create_user(
            "agent@bench.test", "bench-password", provider=provider, name="Bench Agent", role="agent"
        )
        system = Actor.system(provider)
        light = customers.customer_create(
            provider=provider, data={"name": "Light Customer", "status": "active"}, actor=system
        )
        heavy = customers.customer_create(
            provider=provider, data={"name": "Heavy Customer", "status": "active"}, actor=system
        )
    now = dt.datetime.now(dt.UTC)
    start_day = dt.date.today() - dt.timedelta(days=3650)
    invoices = [
        Invoice(
            provider=provider,
            customer=heavy,
            number=f"INV-{i + 1:07d}",
            status="approved",
            issued_on=start_day + dt.timedelta(days=i * 3650 // HEAVY["invoices"]),
            due_on=start_day + dt.timedelta(days=i * 3650 // HEAVY["invoices"] + 30),
            total=Decimal("49.90"),
            balance=Decimal("0.00") if i < HEAVY["invoices"] - 3 else Decimal("49.90"),
            created_at=now,
        )
        for i in range(HEAVY["invoices"])
    ]
    Invoice.objects.bulk_create(invoices, batch_size=5000)
    Payment.objects.bulk_create(
        [
            Payment(
                provider=provider,
                customer=heavy,
                kind="payment",
                amount=Decimal("166.33"),
                method="card",
                reference=f"P{i}",
                received_on=start_day + dt.timedelta(days=i),
                created_at=now,
            )
            for i in range(HEAVY["payments"])
        ],
        batch_size=5000,
    )
    AccountSummary.objects.update_or_create(
        customer=heavy,
        defaults={
            "provider": provider,
            "total_due": Decimal("149.70"),
            "open_invoice_count": 3,
            "lifetime_value": Decimal("498990.00"),
        },
    )
    add_notes(heavy, HEAVY["notes"], now)
    add_activity(heavy, HEAVY["activity"], now)
    package = Package.objects.create(
        provider=provider,
        name="Fibre 500",
        price=Decimal("49.90"),
        usage_allowance=10**12,
        usage_unit="bytes",
    )
    subscription = Subscription.objects.create(
        provider=provider,
        customer=heavy,
        package=package,
        status="active",
        started_on=start_day,
        price=package.price,
    )
    minute0 = now.replace(second=0, microsecond=0) - dt.timedelta(minutes=HEAVY["usage"])
    for chunk in range(0, HEAVY["usage"], 50_000):
        UsageRecord.objects.bulk_create(
            [
                UsageRecord(
                    provider=provider,
                    subscription=subscription,
                    customer=heavy,
                    at=minute0 + dt.timedelta(minutes=i),
                    quantity=1000 + i % 977,
                    unit="bytes",
                )
                for i in range(chunk, min(chunk + 50_000, HEAVY["usage"]))
            ],
            batch_size=10_000,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a long-lived database
    fill_light(light)
    print(f"seeded the heavy account in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return {"agent": agent, "light": light, "heavy": heavy}


def add_notes(customer, count: int, now: dt.datetime) -> None:
    """`count` notes, an hour apart back from `now`."""
    from accountdesk.notes.models import Note

    Note.objects.bulk_create(
        (
            Note(
                provider_id=customer.provider_id,
                customer=customer,
                created_at=now - dt.timedelta(hours=i),
                author_name="Bench Agent",
                body=f"Called about the bill ({i})",
            )
            for i in range(count)
        ),
        batch_size=5000,
    )


def add_activity(customer, count: int, now: dt.datetime) -> None:
    """`count` activity entries, a minute apart back from `now`."""
    from accountdesk.activity.models import Activity
    from accountdesk.activity.services import event_bulk_record

    event_bulk_record(
        (
            Activity(
                provider_id=customer.provider_id,
                customer=customer,
                at=now - dt.timedelta(minutes=i),
                actor_type="system",
                actor_name="System",
                kind="note.added",
                group="notes",
                summary=f"Entry {i}",
            )
            for i in range(count)
        ),
        batch_size=5000,
    )


def fill_light(light) -> None:
    """Give the light account just enough history to fill the sections the heavy one fills (3
    invoices, 3 payments, 5 notes, 8 activity entries, a subscription), so the two pages draw the
    same rows and the heavy/light ratio measures the history's size, not the page's content."""
    from accountdesk.billing.models import Invoice, Payment
    from accountdesk.subscriptions.models import Package, Subscription

    if Invoice.objects.filter(customer=light).exists():
        return
    provider = light.provider
    now = dt.datetime.now(dt.UTC)
    today = dt.date.today()
    for i in range(3):
        Invoice.objects.create(
            provider=provider,
            customer=light,
            number=f"LIGHT-{i + 1}",
            status="approved",
            issued_on=today - dt.timedelta(days=30 * i),
            due_on=today - dt.timedelta(days=30 * i - 30),
            total=Decimal("49.90"),
            balance=Decimal("0.00"),
            created_at=now,
        )
        Payment.objects.create(
            provider=provider,
            customer=light,
            kind="payment",
            amount=Decimal("49.90"),
            method="card",
            reference=f"L{i}",
            received_on=today - dt.timedelta(days=30 * i),
            created_at=now,
        )
    add_notes(light, 5, now)
    add_activity(light, 8, now)
    package = Package.objects.get(provider=provider, name="Fibre 500")
    Subscription.objects.create(
        provider=provider,
        customer=light,
        package=package,
        status="active",
        started_on=today - dt.timedelta(days=90),
        price=package.price,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "accountdesk.wsgi",
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **ENV})
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def _run(
    port: int, paths: list[str], headers: dict, requests: int, concurrency: int
) -> tuple[dict, list, set, float]:
    """`requests` GETs from `concurrency` clients, each client taking the `paths` in turn: server
    times per path, round trips, query counts, wall time."""
    server_ms: dict[str, list[float]] = {path: [] for path in paths}
    client_ms: list[float] = []
    queries: set[int] = set()
    lock = threading.Lock()

    def worker(count: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for i in range(count):
            path = paths[i % len(paths)]
            t0 = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - t0) * 1000
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status}")
            match = TIMING.search(response.getheader("Server-Timing", ""))
            with lock:
                client_ms.append(elapsed)
                if match:
                    server_ms[path].append(float(match.group(3)))
                    queries.add(int(match.group(2)))
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(requests // concurrency,)) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return server_ms, client_ms, queries, time.perf_counter() - started


def measure(port: int, paths: dict[str, str], headers: dict, requests: int, concurrency: int) -> dict:
    """Latency from one client at a time (so the server's time is its own, not time spent waiting
    for the load generator's share of the two cores), the accounts taken in turn so that whatever
    else the machine does weighs on both alike; then throughput from `concurrency` clients."""
    _run(port, list(paths.values()), headers, 40, 2)  # warm both workers
    server_ms, _, _, _ = _run(port, list(paths.values()), headers, requests * len(paths), 1)
    results = {}
    for label, path in paths.items():
        _, client_ms, queries, _ = _run(port, [path], headers, requests // 4, 1)
        _, loaded_ms, _, wall = _run(port, [path], headers, requests, concurrency)
        q = statistics.quantiles(server_ms[path], n=100)
        results[label] = {
            "p50": q[49],
            "p95": q[94],
            "p99": q[98],
            "client_p50": statistics.median(client_ms),
            "rps": len(loaded_ms) / wall,
            "queries": sorted(queries),
        }
    return results


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accountdesk.core import clock
    from accountdesk.core.middleware import SEEN_KEY, SIGNED_IN_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # What signing in stamps: without a sign-in time the session would be ended at once.
    session[SIGNED_IN_KEY] = session[SEEN_KEY] = int(clock.now().timestamp())
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    ensure_database(ENV["DATABASE_URL"])
    setup_django()
    data = seed()
    from accountdesk.tenancy.models import ApiToken

    _, token = ApiToken.objects.issue(data["agent"], name=f"bench {secrets.token_hex(3)}")
    cookie = session_cookie(data["agent"])
    port = free_port()
    server = serve(port)
    try:
        accounts = {label: data[label].pk for label in ("light", "heavy")}
        json_stats = measure(
            port,
            {label: f"/api/v1/customers/{pk}/dashboard" for label, pk in accounts.items()},
            {"Authorization": f"Bearer {token}"},
            args.requests,
            args.concurrency,
        )
        page_stats = measure(
            port,
            {label: f"/customers/{pk}/" for label, pk in accounts.items()},
            {"Cookie": cookie},
            args.requests,
            args.concurrency,
        )
        rows = [
            (label, what, stats[label])
            for label in accounts
            for what, stats in (("JSON", json_stats), ("page", page_stats))
        ]
    finally:
        server.terminate()
        server.wait(10)
    print(
        f"{'account':8} {'what':5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'rtt p50':>8} {'req/s':>7}"
        "  queries"
    )
    for label, what, s in rows:
        print(
            f"{label:8} {what:5} {s['p50']:7.1f} {s['p95']:7.1f} {s['p99']:7.1f} {s['client_p50']:8.1f} "
            f"{s['rps']:7.0f}  {','.join(map(str, s['queries']))}"
        )
    by = {(label, what): s for label, what, s in rows}
    for what in ("JSON", "page"):
        ratio = by[("heavy", what)]["p50"] / by[("light", what)]["p50"]
        print(f"heavy/light p50 ratio ({what}): {ratio:.2f}")


if __name__ == "__main__":
    main()
