"""As-of benchmark: the dashboard document as of 1, 3 and 5 years back beside today's, on one
heavy account, measured side by side in one run.

Seeds (once) on PostgreSQL a customer with six years of history written through the services with
the clock frozen at each moment: an invoice every two days, payments every week (oldest-first,
to a chosen invoice, or beyond what is owed), a refund and a credit every month, a void every two
months, status changes, account, contact and custom field edits, plus 50,000 bulk activity entries
and 5,000 notes. Then asks the API for the document today and as of each day, in turn, and prints
each one's p50/p95 and queries per request:

    uv run python bench/asof.py [--rounds 200]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/accountdesk_bench_asof (created if
missing). Requests go through Django's test client in this process (middleware, the API, the
JSON), so the figures are the server's own time without the network. The first request of a month
writes its money snapshot; that cold cost is printed separately and not part of the p50.
"""

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/accountdesk_bench_asof"
ENV = {
    "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DB),
    "ACCOUNTDESK_DEBUG": "0",
    "ACCOUNTDESK_SSL_REDIRECT": "0",
    "ACCOUNTDESK_SECURE_COOKIES": "0",
    "ACCOUNTDESK_MANIFEST_STATIC": "0",
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "k" * 60),
    "LOG_LEVEL": "WARNING",
}
YEARS = 6
SLUG = "asof-bench"


def setup() -> None:
    from dashboard import ensure_database  # bench/dashboard.py

    ensure_database(ENV["DATABASE_URL"])
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)


def _history(customer, actor, start: dt.datetime, days: int) -> None:
    """Every day's writes through the services, the clock at that day's business hours."""
    from accountdesk.billing import services as billing
    from accountdesk.billing.models import Invoice, Payment
    from accountdesk.core import clock
    from accountdesk.core.errors import DomainError
    from accountdesk.customers import services as customers
    from accountdesk.customers.models import Contact, CustomFieldDefinition

    field = CustomFieldDefinition.objects.create(
        provider_id=customer.provider_id, name="Router", show_on_overview=True
    )
    contacts = [
        customers.contact_add(
            customer=customer, data={"name": f"Contact {i}", "email": f"c{i}@example.test"}, actor=actor
        )
        for i in range(3)
    ]
    for day in range(days):
        at = start + dt.timedelta(days=day, hours=9)
        clock.freeze(at)
        try:
            if day % 2 == 0:
                billing.invoice_issue(
                    customer=customer,
                    lines=[{"description": "Fibre 500", "unit_price": "49.90", "tax_rate": "0.2"}],
                    actor=actor,
                )
            if day % 7 == 3:
                clock.freeze(at + dt.timedelta(hours=2))
                kind = (day // 7) % 3
                if kind == 0:
                    billing.payment_record(customer=customer, amount="209.58", method="card", actor=actor)
                elif kind == 1:
                    target = Invoice.objects.filter(customer=customer).open().order_by("-id").first()
                    if target is not None:
                        billing.payment_record(
                            customer=customer,
                            amount="209.58",
                            method="bank",
                            actor=actor,
                            allocations={target.pk: target.balance},
                        )
                else:
                    billing.payment_record(customer=customer, amount="250.00", method="cash", actor=actor)
            if day % 30 == 10:
                payment = Payment.objects.filter(customer=customer, kind="payment").order_by("-id").first()
                billing.payment_refund(payment=payment, amount="10.00", reason="Overcharge", actor=actor)
                billing.credit_issue(customer=customer, amount="5.00", reason="Outage", actor=actor)
                customers.customer_update(
                    customer=customer, data={"email": f"heavy{day}@example.test"}, actor=actor
                )
                customers.custom_field_set(
                    customer=customer, definition=field, value=f"RT-{day}", actor=actor
                )
                contact = contacts[day % 3]
                customers.contact_update(
                    contact=Contact.objects.get(pk=contact.pk), data={"phone": f"555-{day:05d}"}, actor=actor
                )
            if day % 60 == 20:
                target = Invoice.objects.filter(customer=customer, status="approved").order_by("-id").first()
                billing.invoice_void(invoice=target, reason="Issued twice", actor=actor)
            if day % 90 == 45:
                customers.customer_status_change(
                    customer=customer, status="blocked", reason="Unpaid", actor=actor
                )
            if day % 90 == 50:
                customers.customer_status_change(
                    customer=customer, status="active", reason="Paid", actor=actor
                )
        except DomainError as error:
            print(f"day {day}: {error}", file=sys.stderr)
    clock.freeze(None)


def seed() -> dict:
    from django.db import connection

    from accountdesk.core import clock
    from accountdesk.core.actors import Actor
    from accountdesk.customers import services as customers
    from accountdesk.tenancy.models import MODULES, Provider, User

    provider = Provider.objects.filter(slug=SLUG).first()
    if provider is not None:
        return {"user": User.objects.get(email="billing@asof-bench.test"), "heavy": provider.customers.get()}
    started = time.perf_counter()
    provider = Provider.objects.create(name="As-of Bench", slug=SLUG, **dict.fromkeys(MODULES, True))
    user = User.objects.create_user(
        "billing@asof-bench.test", "bench-password", provider=provider, name="Bench Billing", role="billing"
    )
    actor = Actor.system(provider)
    today = dt.date.today()
    start = dt.datetime.combine(today - dt.timedelta(days=365 * YEARS), dt.time(), tzinfo=dt.UTC)
    clock.freeze(start)
    heavy = customers.customer_create(
        provider=provider, data={"name": "Heavy History", "status": "active"}, actor=actor
    )
    _history(heavy, actor, start, (today - start.date()).days)
    from dashboard import add_activity, add_notes  # bench/dashboard.py

    now = dt.datetime.now(dt.UTC)
    add_notes(heavy, 5_000, now)
    add_activity(heavy, 50_000, now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded the heavy account in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return {"user": user, "heavy": heavy}


def measure(rounds: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accountdesk.activity.models import Activity
    from accountdesk.billing.models import Invoice, LedgerEntry, Payment
    from accountdesk.history.models import MoneySnapshot
    from accountdesk.tenancy.models import ApiToken

    data = seed()
    heavy = data["heavy"]
    _, token = ApiToken.objects.issue(data["user"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    today = dt.date.today()
    cases = {"today": None}
    for years in (1, 3, 5):
        cases[f"{years} year{'s' if years > 1 else ''} back"] = today.replace(year=today.year - years)
    path = f"/api/v1/customers/{heavy.pk}/dashboard"

    def get(day):
        response = client.get(path, {"as_of": day.isoformat()} if day else {})
        assert response.status_code == 200, response.content
        return response

    MoneySnapshot.objects.filter(customer=heavy).delete()
    cold = {}
    for label, day in cases.items():
        started = time.perf_counter()
        get(day)
        cold[label] = (time.perf_counter() - started) * 1000
    queries = {}
    for label, day in cases.items():
        with CaptureQueriesContext(connection) as ctx:
            get(day)
        queries[label] = len(ctx.captured_queries)
    times: dict[str, list[float]] = {label: [] for label in cases}
    for _ in range(rounds):
        for label, day in cases.items():
            started = time.perf_counter()
            get(day)
            times[label].append((time.perf_counter() - started) * 1000)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"PostgreSQL {connection.cursor().connection.info.server_version}")  # fmt: skip
    print(
        f"account: {Invoice.objects.filter(customer=heavy).count()} invoices, "
        f"{Payment.objects.filter(customer=heavy).count()} payments and refunds, "
        f"{LedgerEntry.objects.filter(customer=heavy).count()} ledger entries, "
        f"{Activity.objects.filter(customer=heavy).count()} activity entries, "
        f"joined {heavy.joined_on}"
    )
    print(f"{rounds} rounds, the four asked in turn in each round\n")
    base = statistics.median(times["today"])
    print(f"{'dashboard':<14}{'p50 ms':>9}{'p95 ms':>9}{'x today':>9}{'queries':>9}{'cold ms':>9}")
    for label, values in times.items():
        values.sort()
        p50 = statistics.median(values)
        p95 = values[int(len(values) * 0.95) - 1]
        print(f"{label:<14}{p50:>9.1f}{p95:>9.1f}{p50 / base:>9.2f}{queries[label]:>9}{cold[label]:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    setup()
    measure(args.rounds)


if __name__ == "__main__":
    main()
