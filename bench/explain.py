"""Explained figures benchmark: what /metrics/{metric}/explain costs on a light and a heavy account,
beside the dashboard document that shows the same figures.

Seeds (once) on PostgreSQL a light customer (a few rows of every kind) and a heavy one (`--rows`
rows of every kind: invoices with lines, payments with allocations, credits with applications,
ledger entries, jobs ...; tests/history.py), then calls each endpoint in process through Django's
test client with an API token, one request at a time:

    uv run python bench/explain.py [--rows 3000] [--requests 60]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/accountdesk_bench_explain (created if
missing). Prints p50 and p95 of the time per request (in process: routing, auth, the reads and the
JSON) per endpoint and account, and its queries.

Measured 1 Dec 2026 on the shared 2-core build machine (PostgreSQL 15 on loopback, a test run of
another suite alongside), `--rows 2000 --requests 40`: p50 / p95 ms, queries

    dashboard          light  48 / 73 (2)    heavy  65 / 101 (2)
    total_due          light 164 / 199 (9)   heavy 243 / 288 (9)
    account_credit     light 116 / 136 (7)   heavy 178 / 452 (7)
    lifetime_value     light 110 / 152 (7)   heavy 142 / 233 (7)
    account_current    light 116 / 149 (7)   heavy 194 / 262 (7)
    open_jobs          light  98 / 119 (4)   heavy 136 / 225 (4)
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/accountdesk_bench_explain"
METRICS = ("total_due", "account_credit", "lifetime_value", "account_current", "open_jobs")


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(f'create database "{name}"')


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-" + "k" * 60)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ.setdefault("ACCOUNTDESK_DEBUG", "0")
    os.environ.setdefault("ACCOUNTDESK_SSL_REDIRECT", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "accountdesk.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(rows: int):
    from tests.factories import CustomerFactory, ProviderFactory, UserFactory
    from tests.history import grow_history

    from accountdesk.customers.models import Customer
    from accountdesk.tenancy.models import Provider, User

    provider = Provider.objects.filter(slug="bench-explain").first()
    if provider is None:
        provider = ProviderFactory.with_all_modules(name="Bench", slug="bench-explain")
        UserFactory(provider=provider, role="agent", email="agent@bench-explain.test")
        light = CustomerFactory(provider=provider, name="Light")
        grow_history(light, 3)
        heavy = CustomerFactory(provider=provider, name="Heavy")
        for _ in range(rows // 500):
            grow_history(heavy, 500)
    user = User.objects.get(email="agent@bench-explain.test")
    customers = {c.name: c for c in Customer.objects.filter(provider=provider, name__in=["Light", "Heavy"])}
    return user, customers


def measure(client, path: str, requests: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    ensure_database(url)
    setup(url)
    from django.test import Client

    from accountdesk.tenancy.models import ApiToken

    user, customers = seed(args.rows)
    _, token = ApiToken.objects.issue(user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    print(f"rows of each kind on the heavy account: {args.rows}; {args.requests} requests each")
    print(f"{'endpoint':<36}{'account':<8}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
    for name, customer in sorted(customers.items(), reverse=True):
        base = f"/api/v1/customers/{customer.pk}"
        paths = {"dashboard": f"{base}/dashboard"}
        paths |= {f"explain {m}": f"{base}/metrics/{m}/explain" for m in METRICS}
        for label, path in paths.items():
            p50, p95, queries = measure(client, path, args.requests)
            print(f"{label:<36}{name:<8}{p50:>9.1f}{p95:>9.1f}{queries:>9}")


if __name__ == "__main__":
    main()
