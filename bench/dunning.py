"""The collections run over N overdue customers (default 500): the first reminder for all of them,
a rerun of the same date (nothing to do), then a date where the SMS, the late fee and the block
fall due for everyone at once. Prints the time and queries of each run.

    uv run python bench/dunning.py [N]                      # a throwaway SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dunning uv run python bench/dunning.py

The database is created and migrated from scratch (SQLite: in a temporary directory).
"""

import datetime as dt
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("ACCOUNTDESK_VAR_DIR", tempfile.mkdtemp(prefix="bench-dunning-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountdesk.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Reminders are queued for the task worker; the bench measures the run, not the mail server.
os.environ.setdefault("ACCOUNTDESK_TASK_BACKEND", "django_tasks.backends.dummy.DummyBackend")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    call_command("migrate", verbosity=0)
    from accountdesk.billing import services as billing
    from accountdesk.core import clock
    from accountdesk.core.actors import Actor
    from accountdesk.customers.models import Customer
    from accountdesk.dunning.demo import DEFAULT_STEPS
    from accountdesk.dunning.services import dunning_policy_save, dunning_run
    from accountdesk.tenancy.models import Provider

    clock.freeze(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC))
    provider = Provider.objects.create(name="Bench Telecom", slug=f"bench-{os.getpid()}")
    system = Actor.system(provider)
    dunning_policy_save(
        provider=provider,
        enabled=True,
        steps=[
            {"days": d, "action": a, "subject": s, "body": b, "fee": str(f) if f is not None else None}
            for d, a, s, b, f in DEFAULT_STEPS
        ],
        actor=system,
    )
    for n in range(count):
        customer = Customer.objects.create(
            provider=provider, number=f"C-{n:06d}", name=f"Customer {n}", status="active",
            email=f"c{n}@bench.test", phone="+1 555 0100", joined_on=dt.date(2024, 1, 1),
        )  # fmt: skip
        billing.invoice_issue(
            customer=customer, lines=[{"description": "March", "unit_price": "59.99"}], actor=system
        )
    due = dt.date(2025, 3, 31)
    queries: list[str] = []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    for label, day in [
        ("7 days: email reminder for each", due + dt.timedelta(days=7)),
        ("7 days again: nothing to do", due + dt.timedelta(days=7)),
        ("30 days: SMS, late fee and block for each", due + dt.timedelta(days=30)),
    ]:
        clock.freeze(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))
        queries.clear()
        with connection.execute_wrapper(counted):
            started = time.perf_counter()
            counts = dunning_run(provider=provider, on=day)
            seconds = time.perf_counter() - started
        per_customer = f"{seconds / count * 1000:.1f} ms and {len(queries) / count:.1f} queries per customer"
        print(
            f"{connection.vendor}, {count} overdue customers, {label}: "
            f"{counts.steps} steps in {seconds:.2f} s ({per_customer})"
        )


if __name__ == "__main__":
    main()
