"""Import 100,000 customers from one CSV file (every column group: customer fields, a custom field,
two contacts, billing profile, opening balances, subscriptions, equipment) and time it; then import
the same file again (every row matched by its external id: all unchanged) and run `verify` over
the imported customers.

    uv run python bench/import.py                                   # a throwaway SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import uv run python bench/import.py

Options: --rows N (default 100000), --xlsx (also write the file as XLSX and time reading it),
--no-reimport. The database is migrated first; each run imports into a provider of its own. Prints
the machine, the database, the load average and each step's time. The target: 100,000 rows in at
most 2 minutes on PostgreSQL.
"""

import argparse
import csv
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("ACCOUNTDESK_VAR_DIR", tempfile.mkdtemp(prefix="bench-import-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountdesk.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def write_file(path: Path, rows: int, seed: int = 16) -> None:
    from faker import Faker

    fake = Faker("en_US")
    Faker.seed(seed)
    pick = random.Random(seed)
    header = [
        "external_id",
        "name",
        "type",
        "status",
        "email",
        "phone",
        "joined_on",
        "billing_line1",
        "billing_city",
        "billing_region",
        "billing_postcode",
        "billing_country",
        "service_line1",
        "service_city",
        "service_region",
        "service_postcode",
        "service_country",
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact2_name",
        "contact2_phone",
        "billing_cycle",
        "billing_day",
        "billing_terms",
        "opening_balance",
        "opening_balance_due",
        "package",
        "package_start",
        "package2",
        "package2_price",
        "package2_start",
        "equipment_name",
        "equipment_type",
        "equipment_mac",
        "equipment_ip",
        "custom:Router model",
    ]
    # Faker's slower providers drawn once into pools; rows combine them.
    streets = [fake.street_address() for _ in range(2000)]
    cities = [(fake.city(), fake.state_abbr(), fake.postcode()) for _ in range(500)]
    first, last = [fake.first_name() for _ in range(500)], [fake.last_name() for _ in range(500)]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for i in range(rows):
            name = f"{pick.choice(first)} {pick.choice(last)}"
            email = f"{name.lower().replace(' ', '.')}.{i}@example.com"
            phone = f"+1 720 555 {i % 10000:04d}"
            city, region, postcode = pick.choice(cities)
            street = pick.choice(streets)
            roll = pick.random()
            opening = (
                f"{pick.randint(1, 30000) / 100:.2f}"
                if roll < 0.35
                else (f"-{pick.randint(1, 5000) / 100:.2f}" if roll < 0.5 else "")
            )
            second = pick.random() < 0.3
            two_packages = pick.random() < 0.3
            writer.writerow(
                [
                    f"OLD-{i:07d}",
                    name,
                    "business" if i % 9 == 0 else "residential",
                    "active",
                    email,
                    phone,
                    (dt.date(2015, 1, 1) + dt.timedelta(days=i % 3650)).isoformat(),
                    street,
                    city,
                    region,
                    postcode,
                    "US",
                    street,
                    city,
                    region,
                    postcode,
                    "US",
                    name,
                    email,
                    phone,
                    f"{pick.choice(first)} {pick.choice(last)}" if second else "",
                    f"+1 303 555 {i % 10000:04d}" if second else "",
                    "monthly",
                    str(1 + i % 28),
                    "net30",
                    opening,
                    "2026-12-15" if opening and opening[0] != "-" else "",
                    "Fibre 100" if i % 2 else "Fibre 300",
                    "2026-12-01",
                    "TV Basic" if two_packages else "",
                    "12.00" if two_packages else "",
                    "2026-12-01" if two_packages else "",
                    "Home router",
                    "hAP ac2",
                    ":".join(f"{(0x02 << 40 | i):012X}"[k : k + 2] for k in range(0, 12, 2)),
                    f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}",
                    "hAP ac2",
                ]
            )


def setup_provider():
    from decimal import Decimal

    from accountdesk.customers.models import CustomFieldDefinition
    from accountdesk.network.models import DeviceType
    from accountdesk.subscriptions.models import Package
    from accountdesk.tenancy.models import Provider

    slug = f"bench-import-{time.time_ns() % 10**9}"
    provider = Provider.objects.create(slug=slug, name="Import bench", network=True)
    for name, price in (("Fibre 100", "49.00"), ("Fibre 300", "69.00"), ("TV Basic", "15.00")):
        Package.objects.create(provider=provider, name=name, price=Decimal(price))
    DeviceType.objects.create(provider=provider, name="hAP ac2", vendor="MikroTik")
    CustomFieldDefinition.objects.create(provider=provider, name="Router model")
    return provider


def _backend_cpu() -> float | None:
    """CPU seconds the database server's process for this connection has used (PostgreSQL on this
    machine, read from /proc); None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("select pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label: str, fn):
    """Run fn; print its wall-clock time, and the CPU time it took here and in the database server
    (on a shared machine the wall clock waits for the CPU; the CPU seconds do not)."""
    began, cpu, db = time.perf_counter(), time.process_time(), _backend_cpu()
    value = fn()
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    db_after = _backend_cpu()
    server = f", database server {db_after - db:.1f} s" if db is not None and db_after is not None else ""
    print(f"{label}: {wall:.1f} s (CPU: Python {cpu:.1f} s{server})", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx", action="store_true")
    parser.add_argument("--no-reimport", action="store_true")
    args = parser.parse_args()

    from accountdesk.billing.verify import verify
    from accountdesk.core.actors import Actor
    from accountdesk.imports.reader import read_table
    from accountdesk.imports.services import customers_import

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("select version()" if connection.vendor == "postgresql" else "select sqlite_version()")
        version = cursor.fetchone()[0]
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(f"database: {connection.vendor} {version.split(' on ')[0]}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    folder = Path(tempfile.mkdtemp(prefix="bench-import-file-"))
    path = folder / "customers.csv"
    timed(
        f"write {args.rows:,} rows with Faker (not part of the import)", lambda: write_file(path, args.rows)
    )
    print(f"file: {path.stat().st_size / 1e6:.1f} MB")
    provider = setup_provider()
    actor = Actor.system(provider)

    began = time.perf_counter()
    table = timed("read the CSV", lambda: read_table(path.read_bytes()))
    result = timed("check and write", lambda: customers_import(provider=provider, table=table, actor=actor))
    total = time.perf_counter() - began
    print(f"IMPORT {args.rows:,} rows: {total:.1f} s ({args.rows / total:,.0f} rows/s) -- {result.sentence}")
    print(f"load average during: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    if args.xlsx:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        for row in [table.header, *table.rows]:
            sheet.append(row)
        xlsx = folder / "customers.xlsx"
        book.save(xlsx)
        timed(
            f"read the same rows as XLSX ({xlsx.stat().st_size / 1e6:.1f} MB)",
            lambda: read_table(xlsx.read_bytes()),
        )

    if not args.no_reimport:
        again = timed(
            "import the same file again (matched by external id)",
            lambda: customers_import(provider=provider, table=read_table(path.read_bytes()), actor=actor),
        )
        print(f"  {again.sentence}")
    report = timed("verify the imported customers' books", lambda: verify(providers=[provider]))
    print(f"verify: {report.customers:,} customers, {len(report.problems)} problems")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
