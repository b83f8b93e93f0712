"""`accountdesk import customers FILE [--provider SLUG] [--dry-run]`."""

import pytest
from django.core.management import CommandError, call_command

from accountdesk.activity.models import Activity
from accountdesk.customers.models import Customer
from tests.imports.conftest import csv_bytes, good_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes(csv_bytes(good_rows()))
    return path


def test_it_imports_a_file_and_says_what_it_did(provider, other_provider, catalogue, good_file, capsys):
    call_command("import", "customers", str(good_file), provider="acme")
    out = capsys.readouterr().out
    assert "Imported customers.csv: 3 customers created, 0 updated, 0 unchanged; 2 opening balances, " in out
    assert Customer.objects.filter(provider=provider).count() == 3
    assert not Customer.objects.filter(provider=other_provider).exists()
    assert set(Activity.objects.values_list("kind", "actor_type")) == {("customer.imported", "system")}
    call_command("import", "customers", str(good_file), provider="acme")
    assert "0 customers created, 0 updated, 3 unchanged" in capsys.readouterr().out
    call_command("verify", provider="acme")
    assert "All hold: 3 customers" in capsys.readouterr().out


def test_a_dry_run_writes_nothing(provider, catalogue, good_file, capsys):
    call_command("import", "customers", str(good_file), dry_run=True)
    assert "Dry run: 3 rows hold together: 3 customers to create, 0 to update." in capsys.readouterr().out
    assert not Customer.objects.exists()


def test_a_bad_file_exits_non_zero_naming_each_bad_row(provider, catalogue, tmp_path, capsys):
    rows = good_rows()
    rows[0]["joined_on"] = "2021-13-01"
    rows[2].update({"package": "Nope", "external_id": "OLD-1"})
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(rows))
    with pytest.raises(
        CommandError, match=r"2 problems on 2 rows; nothing was imported\. Rows: 2, 4\."
    ) as error:
        call_command("import", "customers", str(path))
    assert error.value.returncode == 1
    assert capsys.readouterr().err.splitlines() == [
        "Row 2, column joined_on: Enter a date as YYYY-MM-DD.",
        "Row 4, column external_id: OLD-1 is on row 2 too.",
    ]
    assert not Customer.objects.exists()


def test_an_xlsx_file(provider, catalogue, tmp_path, capsys):
    path = tmp_path / "customers.xlsx"
    path.write_bytes(xlsx_bytes([["external_id", "name"], ["X-1", "From a spreadsheet"]]))
    call_command("import", "customers", str(path))
    assert Customer.objects.get(external_id="X-1").name == "From a spreadsheet"


def test_it_needs_a_file_and_a_provider(provider, other_provider, good_file):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import", "customers", str(good_file) + ".missing", provider="acme")
    with pytest.raises(CommandError, match="Name the provider with --provider SLUG"):
        call_command("import", "customers", str(good_file))
    with pytest.raises(CommandError, match="No provider nope"):
        call_command("import", "customers", str(good_file), provider="nope")
