"""An admin imports customers from Settings > Import: a file with a mistake is refused naming its
row and column, the corrected file is previewed, then imported, and the customers are there."""

import re

import pytest

from accountdesk.customers.models import Customer
from tests.browser.axe import axe_violations, describe
from tests.browser.sign_in import sign_in
from tests.factories import ProviderFactory, UserFactory
from tests.imports.conftest import csv_bytes, good_rows
from tests.subscriptions.factories import PackageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def acme(transactional_db):
    from accountdesk.customers.models import CustomerGroup, CustomFieldDefinition
    from tests.network.factories import DeviceTypeFactory

    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    PackageFactory(provider=provider, name="Fibre 100", price="49.00")
    PackageFactory(provider=provider, name="TV Basic", price="15.00")
    CustomerGroup.objects.create(provider=provider, name="Residential East")
    DeviceTypeFactory(provider=provider, name="hAP ac2")
    CustomFieldDefinition.objects.create(provider=provider, name="Router model")
    return {"provider": provider, "admin": UserFactory(provider=provider, role="admin", name="Ada Admin")}


def upload(page, tmp_path, rows, name="customers.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    page.get_by_label("Customer file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url(re.compile(r"/settings/import/\d+/$"))


def test_an_admin_imports_customers_after_a_refused_first_try(page, live_server, acme, shot, tmp_path):
    page.set_default_timeout(30_000)  # each check and import runs in the live server's request
    sign_in(page, live_server, acme["admin"])
    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("navigation", name="Settings sections").get_by_role("link", name="Import").click()
    page.wait_for_url(re.compile(r"/settings/import/$"))
    page.get_by_role("link", name="Template (CSV)").wait_for()
    shot(page, "settings-import")

    bad = good_rows()
    bad[0]["joined_on"] = "15/03/2021"
    bad[1]["package"] = "Fibre 9000"
    upload(page, tmp_path, bad, "bad.csv")
    page.get_by_role("heading", name="Cannot be imported").wait_for()
    problems = page.get_by_role("table", name="Problems in the file")
    assert "Enter a date as YYYY-MM-DD." in problems.inner_text()
    assert "No package named Fibre 9000 in your catalogue." in problems.inner_text()
    shot(page, "settings-import-refused")
    assert not Customer.objects.exists()

    page.get_by_role("link", name="Upload a corrected file").click()
    upload(page, tmp_path, good_rows())
    page.get_by_role("heading", name="Ready to import").wait_for()
    assert "Dana Whitfield" in page.get_by_role("table", name="What the import would do").inner_text()
    found = {"import preview": axe_violations(page)}
    shot(page, "settings-import-preview")
    page.get_by_role("button", name="Import 3 rows").click()
    page.get_by_role("heading", name="Imported").wait_for()
    page.get_by_text("3 customers created, 0 updated").wait_for()
    shot(page, "settings-import-done")
    assert Customer.objects.filter(provider=acme["provider"]).count() == 3
    found = {name: v for name, v in found.items() if v}
    assert not found, describe(found)
