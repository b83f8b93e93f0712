"""Importing customers: a file checked whole, then written all at once or not at all, matched on
the external id so a second import updates."""

import datetime as dt
from decimal import Decimal

import pytest

from accountdesk.activity.models import Activity
from accountdesk.billing.ledger import account_summary_verify
from accountdesk.billing.models import AccountSummary, BillingProfile, Credit, Invoice, LedgerEntry
from accountdesk.billing.verify import verify
from accountdesk.core.actors import Actor
from accountdesk.core.errors import PermissionDenied
from accountdesk.customers.models import Contact, Customer, CustomFieldValue, StatusChange
from accountdesk.customers.search_index import search_condition
from accountdesk.imports.reader import read_table
from accountdesk.imports.services import ImportRefused, customers_import, import_check
from accountdesk.network.models import Equipment
from accountdesk.subscriptions.models import Subscription
from tests.activity.logged import assert_logged
from tests.factories import CustomerFactory
from tests.imports.conftest import csv_bytes, good_rows, xlsx_bytes
from tests.network.factories import EquipmentFactory
from tests.subscriptions.factories import PackageFactory

pytestmark = pytest.mark.django_db


def run(provider, content: bytes, actor=None):
    return customers_import(
        provider=provider, table=read_table(content), actor=actor or Actor.system(provider)
    )


def problems(provider, content: bytes) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        run(provider, content)
    return [str(p) for p in refused.value.problems]


def test_a_good_file_creates_each_customer_with_every_part(provider, catalogue, admin):
    result = run(provider, csv_bytes(good_rows()))
    assert (
        result.created,
        result.updated,
        result.opening_balances,
        result.subscriptions,
        result.equipment,
    ) == (
        3,
        0,
        2,
        3,
        1,
    )
    dana = Customer.objects.get(provider=provider, external_id="OLD-1")
    assert (dana.name, dana.type, dana.status, dana.email, dana.joined_on) == (
        "Dana Whitfield",
        "residential",
        "active",
        "dana@example.com",
        dt.date(2021, 3, 15),
    )
    assert (dana.group, dana.billing_city, dana.billing_country) == (catalogue["group"], "Boulder", "US")
    assert dana.number.startswith("C-") and dana.currency == provider.currency
    assert CustomFieldValue.objects.get(customer=dana).value == "hAP ac2"
    contacts = list(
        Contact.objects.filter(customer=dana)
        .order_by("-is_primary")
        .values_list("name", "is_primary", "phone")
    )
    assert contacts == [("Dana Whitfield", True, ""), ("Sam Whitfield", False, "720-555-0199")]
    profile = BillingProfile.objects.get(customer=dana)
    assert (profile.cycle, profile.anchor_day, profile.terms, profile.next_bill_date) == (
        "monthly",
        5,
        "net14",
        dt.date(2026, 11, 1),
    )
    subs = {
        s.package.name: (s.price, s.status, s.next_bill_on)
        for s in Subscription.objects.filter(customer=dana)
    }
    assert subs == {
        "Fibre 100": (Decimal("49.00"), "active", dt.date(2026, 11, 1)),
        "TV Basic": (Decimal("12.00"), "active", dt.date(2026, 11, 1)),
    }
    device = Equipment.objects.get(customer=dana)
    assert (device.name, device.device_type, device.mac, device.ip) == (
        "Home router",
        catalogue["router"],
        "AA:BB:CC:00:11:22",
        "192.0.2.10",
    )
    # Found by what the list search matches: its MAC in another notation, and its contact's name.
    assert Customer.objects.filter(search_condition(provider, "aa-bb-cc-00-11-22")).get() == dana
    assert Customer.objects.filter(search_condition(provider, "sam whitfield")).get() == dana
    assert StatusChange.objects.get(customer=dana).reason == "Imported"
    entry = assert_logged(
        dana,
        "customer.imported",
        f"Customer {dana.number} created by import, opening balance $42.50",
        viewer=admin,
    )
    assert (entry.actor_type, entry.actor_name) == ("system", "System")


def test_an_opening_balance_is_an_opening_invoice_or_a_credit_and_the_books_hold(provider, catalogue):
    run(provider, csv_bytes(good_rows()))
    dana = Customer.objects.get(external_id="OLD-1")
    invoice = Invoice.objects.get(customer=dana)
    assert (invoice.status, invoice.total, invoice.balance, invoice.due_on) == (
        "approved",
        Decimal("42.50"),
        Decimal("42.50"),
        dt.date(2026, 12, 15),
    )
    assert invoice.number.startswith("INV-") and invoice.lines.get().description == "Opening balance"
    summary = AccountSummary.objects.get(customer=dana)
    assert (summary.total_due, summary.ledger_balance, summary.open_invoice_count) == (
        Decimal("42.50"),
        Decimal("42.50"),
        1,
    )
    cafe = Customer.objects.get(external_id="OLD-2")
    credit = Credit.objects.get(customer=cafe)
    assert (credit.amount, credit.remaining, credit.actor_type) == (
        Decimal("10.00"),
        Decimal("10.00"),
        "system",
    )
    (line,) = LedgerEntry.objects.filter(customer=cafe)
    assert (line.kind, line.amount, line.running_balance) == (
        "credit_issued",
        Decimal("-10.00"),
        Decimal("-10.00"),
    )
    assert AccountSummary.objects.get(customer=cafe).account_credit == Decimal("10.00")
    assert not AccountSummary.objects.filter(customer__external_id="OLD-3").exists()
    for customer in Customer.objects.filter(provider=provider):
        assert account_summary_verify(customer) == {}
    report = verify(providers=[provider])
    assert report.ok, [str(p) for p in report.problems]
    assert report.customers == 3


def test_importing_the_same_file_again_changes_nothing(provider, catalogue):
    run(provider, csv_bytes(good_rows()))
    counts = [m.objects.count() for m in (Customer, Contact, Subscription, Equipment, LedgerEntry, Activity)]
    result = run(provider, csv_bytes(good_rows()))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert [
        m.objects.count() for m in (Customer, Contact, Subscription, Equipment, LedgerEntry, Activity)
    ] == counts


def test_a_changed_row_updates_its_customer(provider, catalogue, admin):
    run(provider, csv_bytes(good_rows()))
    rows = good_rows()
    rows[0].update(
        {
            "email": "dana@new.example",
            "contact2_phone": "720-555-0000",
            "equipment_ip": "192.0.2.99",
            "package2_price": "13.00",
            "custom:Router model": "",
            "billing_day": "9",
            "status": "blocked",
        }
    )
    rows[1]["package2"] = "TV Basic"
    result = run(provider, csv_bytes(rows))
    assert (result.created, result.updated, result.unchanged, result.subscriptions) == (0, 2, 1, 1)
    dana = Customer.objects.get(external_id="OLD-1")
    assert (dana.email, dana.status) == ("dana@new.example", "blocked")
    assert StatusChange.objects.filter(customer=dana).latest("id").reason == "Changed by import"
    assert Contact.objects.get(customer=dana, is_primary=False).phone == "720-555-0000"
    assert Equipment.objects.get(customer=dana).ip == "192.0.2.99"
    assert Subscription.objects.get(customer=dana, package__name="TV Basic").price == Decimal("13.00")
    assert not CustomFieldValue.objects.filter(customer=dana).exists()
    assert BillingProfile.objects.get(customer=dana).anchor_day == 9
    assert Customer.objects.filter(search_condition(provider, "dana@new.example")).get() == dana
    assert_logged(
        dana,
        "customer.import_updated",
        "Updated by import: email, status, Router model, contact 2, billing profile, TV Basic price, "
        "equipment Home router",
        viewer=admin,
    )
    cafe = Customer.objects.get(external_id="OLD-2")
    assert set(Subscription.objects.filter(customer=cafe).values_list("package__name", flat=True)) == {
        "Fibre 100",
        "TV Basic",
    }
    assert verify(providers=[provider]).ok


def test_an_opening_balance_is_written_once(provider, catalogue):
    run(provider, csv_bytes(good_rows()))
    rows = good_rows()
    rows[0]["opening_balance"] = "50.00"
    assert problems(provider, csv_bytes(rows)) == [
        "Row 2, column opening_balance: An opening balance of 42.50 was imported already; it cannot change "
        "by import. Record a payment, a credit or an invoice instead."
    ]


def test_a_customer_imported_without_an_opening_balance_gets_one_later(provider, catalogue):
    rows = good_rows()
    run(provider, csv_bytes([rows[2]]))
    run(provider, csv_bytes([{**rows[2], "opening_balance": "19.99"}]))
    quiet = Customer.objects.get(external_id="OLD-3")
    assert AccountSummary.objects.get(customer=quiet).total_due == Decimal("19.99")
    assert account_summary_verify(quiet) == {}
    run(provider, csv_bytes([{**rows[2], "opening_balance": "19.99"}]))
    assert LedgerEntry.objects.filter(customer=quiet).count() == 1


BAD_CASES = [
    ({"joined_on": "15/03/2021"}, "joined_on", "Enter a date as YYYY-MM-DD."),
    ({"package_start": "2026-02-30"}, "package_start", "Enter a date as YYYY-MM-DD."),
    ({"package": "Fibre 9000"}, "package", "No package named Fibre 9000 in your catalogue."),
    ({"opening_balance": "12.345"}, "opening_balance", "Use at most two decimal places."),
    ({"opening_balance": "lots"}, "opening_balance", "Enter an amount such as 12.30."),
    ({"package_price": "-3"}, "package_price", "The amount must be positive."),
    ({"email": "dana@"}, "email", "Enter a valid email address."),
    ({"contact_email": "not an email"}, "contact_email", "Enter a valid email address."),
    (
        {"billing_terms": "net45"},
        "billing_terms",
        "Choose one of: due_on_receipt, net7, net14, net30, net60.",
    ),
    ({"billing_day": "31"}, "billing_day", "Choose a day from 1 to 28."),
    ({"status": "archived"}, "status", "Choose one of: prospect, active, blocked, deactivated."),
    ({"equipment_mac": "zz:zz"}, "equipment_mac", "Enter a MAC address such as AA:BB:CC:DD:EE:FF."),
    ({"group": "Nowhere"}, "group", "No customer group named Nowhere."),
    ({"joined_on": "2027-01-01"}, "joined_on", "A customer cannot join in the future."),
    ({"name": ""}, "name", "Required for a new customer."),
    ({"custom:Router model": "x" * 501}, "custom:Router model", "At most 500 characters."),
]


@pytest.mark.parametrize(("change", "column", "message"), BAD_CASES)
def test_a_bad_cell_is_named_by_row_and_column_and_nothing_is_imported(
    provider, catalogue, change, column, message
):
    rows = good_rows()
    rows[1].update({"joined_on": "", "package_start": "", "contact_email": "", **change})
    rows[0].update(change)
    assert problems(provider, csv_bytes(rows)) == [
        f"Row 2, column {column}: {message}",
        f"Row 3, column {column}: {message}",
    ]
    assert (
        not Customer.objects.exists() and not Activity.objects.exists() and not LedgerEntry.objects.exists()
    )


def test_a_wrong_header_names_each_column_and_reads_no_row(provider, catalogue):
    content = csv_bytes([{"externalid": "A", "name": "X", "colour": "red", "custom:Shoe size": "9"}])
    assert problems(provider, content) == [
        "Row 1, column externalid: Unknown column. Download the template for the columns an import reads.",
        "Row 1, column colour: Unknown column. Download the template for the columns an import reads.",
        "Row 1, column custom:Shoe size: No custom field has this name (Settings › Custom fields).",
        "Row 1, column external_id: This column is required.",
    ]
    twice = b"external_id,name,name\nA,X,Y\n"
    assert problems(provider, twice) == ["Row 1, column name: This column is in the file twice."]


def test_duplicate_external_ids_and_macs_are_named_on_the_later_row(provider, catalogue):
    rows = [
        {"external_id": "A", "name": "One", "equipment_mac": "aa:bb:cc:dd:ee:01"},
        {"external_id": "B", "name": "Two", "equipment_mac": "AABB.CCDD.EE01"},
        {"external_id": "A", "name": "Three"},
    ]
    assert problems(provider, csv_bytes(rows)) == [
        "Row 3, column equipment_mac: AA:BB:CC:DD:EE:01 is on row 2 too.",
        "Row 4, column external_id: A is on row 2 too.",
    ]


def test_one_bad_row_among_good_ones_imports_nothing(provider, catalogue):
    rows = good_rows() + [{"external_id": f"N-{i}", "name": f"Customer {i}"} for i in range(30)]
    rows.append({"external_id": "N-bad", "name": "Bad", "package": "Nope"})
    assert problems(provider, csv_bytes(rows)) == [
        f"Row {len(rows) + 1}, column package: No package named Nope in your catalogue."
    ]
    assert not Customer.objects.exists() and not Subscription.objects.exists()


def test_a_mac_on_another_customer_is_refused(provider, catalogue):
    other = EquipmentFactory(customer=CustomerFactory(provider=provider), mac="AA:BB:CC:00:11:22")
    assert problems(provider, csv_bytes(good_rows())) == [
        "Row 2, column equipment_mac: AA:BB:CC:00:11:22 is the equipment of customer "
        f"{other.customer.number} "
        "already."
    ]


def test_an_xlsx_file_with_dates_and_numbers_as_cells(provider, catalogue):
    content = xlsx_bytes(
        [
            [
                "external_id",
                "name",
                "joined_on",
                "opening_balance",
                "billing_day",
                "package",
                "package_price",
            ],
            ["X-1", "Spreadsheet Person", dt.datetime(2020, 5, 17), 12.3, 7, "Fibre 100", 45],
            [None, None, None, None, None, None, None],
            [1002, "Numbered Id", dt.date(2019, 1, 2), -5, None, None, None],
        ]
    )
    result = run(provider, content)
    assert result.created == 2
    person = Customer.objects.get(external_id="X-1")
    assert person.joined_on == dt.date(2020, 5, 17)
    assert AccountSummary.objects.get(customer=person).total_due == Decimal("12.30")
    assert BillingProfile.objects.get(customer=person).anchor_day == 7
    assert Subscription.objects.get(customer=person).price == Decimal("45.00")
    assert AccountSummary.objects.get(customer__external_id="1002").account_credit == Decimal("5.00")


def test_a_bad_xlsx_file_names_its_rows(provider, catalogue):
    content = xlsx_bytes(
        [["external_id", "name", "joined_on"], ["X-1", "A", "yesterday"], ["X-1", "B", None]]
    )
    assert problems(provider, content) == [
        "Row 2, column joined_on: Enter a date as YYYY-MM-DD.",
        "Row 3, column external_id: X-1 is on row 2 too.",
    ]


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(provider):
    from accountdesk.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="not a CSV or XLSX"):
        read_table(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValidationFailed, match="UTF-8"):
        read_table("external_id,name\n1,Zoë\n".encode("utf-16"))


def test_each_provider_imports_into_its_own_customers(provider, other_provider, catalogue):
    PackageFactory(provider=other_provider, name="Only Theirs")
    theirs = CustomerFactory(provider=other_provider, external_id="OLD-1", name="Not Dana")
    EquipmentFactory(customer=theirs, mac="AA:BB:CC:00:11:22")
    assert run(provider, csv_bytes(good_rows())).created == 3
    theirs.refresh_from_db()
    assert theirs.name == "Not Dana" and theirs.provider == other_provider
    rows = [{"external_id": "Z", "name": "Z", "package": "Only Theirs"}]
    assert problems(provider, csv_bytes(rows)) == [
        "Row 2, column package: No package named Only Theirs in your catalogue."
    ]


def test_numbers_continue_after_the_customers_already_there(provider, catalogue):
    CustomerFactory(provider=provider, number="C-000500")
    run(provider, csv_bytes(good_rows()))
    assert sorted(
        Customer.objects.filter(external_id__startswith="OLD").values_list("number", flat=True)
    ) == [
        "C-000501",
        "C-000502",
        "C-000503",
    ]


def test_only_admins_import(provider, catalogue, staff):
    for role in ("agent", "billing", "readonly"):
        with pytest.raises(PermissionDenied):
            run(provider, csv_bytes(good_rows()), actor=Actor.staff(staff[role]))
        with pytest.raises(PermissionDenied):
            import_check(
                provider=provider, table=read_table(csv_bytes(good_rows())), actor=Actor.staff(staff[role])
            )
    assert run(provider, csv_bytes(good_rows()), actor=Actor.staff(staff["admin"])).created == 3
    # What the import writes is the system's doing; who started it is named in each entry.
    entries = Activity.objects.filter(kind="customer.imported")
    assert {(e.actor_type, e.details["imported_by"]) for e in entries} == {
        ("system", staff["admin"].display_name)
    }


def test_a_dry_run_says_what_it_would_do_and_writes_nothing(provider, catalogue):
    run(provider, csv_bytes(good_rows()[:1]))
    plan = import_check(
        provider=provider, table=read_table(csv_bytes(good_rows())), actor=Actor.system(provider)
    )
    assert (plan.ok, plan.creates, plan.updates) == (True, 2, 1)
    assert Customer.objects.count() == 1
