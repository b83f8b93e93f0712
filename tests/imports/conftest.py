import csv
import datetime as dt
import io

import pytest

from accountdesk.core import clock
from accountdesk.customers.models import CustomFieldDefinition
from tests.factories import GroupFactory
from tests.network.factories import DeviceTypeFactory
from tests.subscriptions.factories import PackageFactory


def csv_bytes(rows: list[dict], header: list[str] | None = None) -> bytes:
    header = header or list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return out.getvalue().encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze(dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC))
    yield
    clock.freeze(None)


@pytest.fixture
def catalogue(provider):
    """What the import files of these tests name: two packages, a group, a device type, a custom field."""
    return {
        "fibre": PackageFactory(provider=provider, name="Fibre 100", price="49.00"),
        "tv": PackageFactory(provider=provider, name="TV Basic", price="15.00"),
        "group": GroupFactory(provider=provider, name="Residential East"),
        "router": DeviceTypeFactory(provider=provider, name="hAP ac2", vendor="MikroTik"),
        "router_model": CustomFieldDefinition.objects.create(provider=provider, name="Router model"),
    }


def good_rows() -> list[dict]:
    return [
        {
            "external_id": "OLD-1",
            "name": "Dana Whitfield",
            "type": "residential",
            "status": "active",
            "email": "dana@example.com",
            "phone": "+1 720 555 0134",
            "group": "Residential East",
            "joined_on": "2021-03-15",
            "billing_line1": "12 Elm Street",
            "billing_city": "Boulder",
            "billing_country": "us",
            "contact_name": "Dana Whitfield",
            "contact_email": "dana@example.com",
            "contact2_name": "Sam Whitfield",
            "contact2_phone": "720-555-0199",
            "billing_cycle": "Monthly",
            "billing_day": "5",
            "billing_terms": "NET14",
            "opening_balance": "42.50",
            "opening_balance_due": "2026-12-15",
            "package": "Fibre 100",
            "package_start": "2026-11-01",
            "package2": "TV Basic",
            "package2_price": "12.00",
            "package2_start": "2026-11-01",
            "equipment_name": "Home router",
            "equipment_type": "hAP ac2",
            "equipment_mac": "aabb.cc00.1122",
            "equipment_ip": "192.0.2.10",
            "custom:Router model": "hAP ac2",
        },
        {
            "external_id": "OLD-2",
            "name": "Northwind Café",
            "type": "business",
            "email": "billing@northwind.example",
            "contact_name": "Ana Trujillo",
            "opening_balance": "-10.00",
            "package": "fibre 100",
        },
        {"external_id": "OLD-3", "name": "Quiet Account"},
    ]
