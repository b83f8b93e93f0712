"""Settings > Import: upload, a preview with every problem by row and column (or what the import
would do), then the import; the template to start from."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accountdesk.customers.models import Customer
from accountdesk.imports import forms as import_forms
from tests.factories import UserFactory
from tests.imports.conftest import csv_bytes, good_rows, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = "/settings/import/"
APPLY = "/settings/import/apply/"


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def signed_in(client, admin):
    client.force_login(admin)
    return client


def upload(client, content: bytes, name: str = "customers.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def stored(tmp_path) -> list[Path]:
    folder = tmp_path / "imports"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def token_of(page: str) -> str:
    marker = 'name="token" value="'
    return page[page.index(marker) + len(marker) :][:32]


def test_it_lives_in_the_settings_menu(signed_in):
    assert reverse("settings:import") == URL
    assert f'href="{URL}"' in signed_in.get(reverse("settings:overview")).content.decode()


def test_the_page_offers_the_upload_the_columns_and_the_templates(signed_in, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        page = signed_in.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert "/settings/import/template.csv" in html and "/settings/import/template.xlsx" in html
    assert ">opening_balance<" in html and ">equipment2_mac<" in html


@pytest.mark.parametrize("role", ["agent", "billing", "technician", "readonly"])
def test_only_admins_see_or_use_it(client, staff, role, catalogue, tmp_path):
    client.force_login(staff[role])
    assert client.get(URL).status_code == 403
    assert upload(client, csv_bytes(good_rows())).status_code == 403
    assert client.post(APPLY, {"token": "0" * 32}).status_code == 403
    assert client.get("/settings/import/template.csv").status_code == 403
    assert not Customer.objects.exists() and stored(tmp_path) == []


def test_the_templates_hold_every_column_and_the_providers_custom_fields(signed_in, catalogue):
    from openpyxl import load_workbook

    response = signed_in.get("/settings/import/template.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="customer-import-template.csv"' in response["Content-Disposition"]
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:2] == ["external_id", "name"] and header[-1] == "custom:Router model"
    assert {"contact2_email", "opening_balance", "package3_start", "equipment_mac"} <= set(header)
    response = signed_in.get("/settings/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    first = next(sheet.iter_rows(values_only=True))
    assert list(first) == header
    assert signed_in.get("/settings/import/template.pdf").status_code == 404


def test_the_template_imports_as_it_comes(signed_in, provider, catalogue):
    content = signed_in.get("/settings/import/template.csv").content
    from accountdesk.core.actors import Actor
    from accountdesk.imports.reader import read_table
    from accountdesk.imports.services import import_check

    plan = import_check(provider=provider, table=read_table(content), actor=Actor.system(provider))
    assert plan.ok and plan.creates == 1, [str(p) for p in plan.problems]


def test_a_good_file_is_previewed_then_imported(signed_in, provider, catalogue, tmp_path):
    response = upload(signed_in, csv_bytes(good_rows()), name="../../etc/passwd.csv")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ready to import" in html and "<strong>3</strong> new customers to create" in html
    assert ">OLD-1<" in html and "Dana Whitfield" in html
    assert not Customer.objects.exists()
    (kept,) = stored(tmp_path)
    assert kept.parent == tmp_path / "imports" / str(provider.pk) and "passwd" not in kept.name
    response = signed_in.post(APPLY, {"token": token_of(html)})
    assert response.status_code == 302 and response["Location"] == URL
    assert Customer.objects.filter(provider=provider).count() == 3
    assert stored(tmp_path) == []
    assert "Import done: 3 customers created" in signed_in.get(URL).content.decode()
    # The same token again: the file is gone.
    again = signed_in.post(APPLY, {"token": token_of(html)})
    assert again.status_code == 400 and "The checked file is no longer here" in again.content.decode()


def test_an_xlsx_file_is_previewed(signed_in, catalogue):
    content = xlsx_bytes([["external_id", "name"], ["X-1", "From a spreadsheet"]])
    response = upload(signed_in, content, name="customers.xlsx")
    assert response.status_code == 200 and "From a spreadsheet" in response.content.decode()


def test_a_bad_file_lists_every_problem_and_keeps_nothing(signed_in, catalogue, tmp_path):
    rows = good_rows()
    rows[0]["package"] = "Fibre 9000"
    rows[2]["opening_balance"] = "1.234"
    response = upload(signed_in, csv_bytes(rows))
    html = response.content.decode()
    assert response.status_code == 400
    assert "The file cannot be imported" in html and "2 problems" in html
    assert (
        '<td class="num">2</td><td class="mono">package</td>'
        "<td>No package named Fibre 9000 in your catalogue.</td>" in html
    )
    assert (
        '<td class="num">4</td><td class="mono">opening_balance</td><td>Use at most two decimal places.</td>'
        in html
    )
    assert 'name="token"' not in html
    assert stored(tmp_path) == [] and not Customer.objects.exists()


def test_a_file_that_is_not_csv_or_xlsx_is_refused(signed_in, tmp_path):
    for content in (b"", b"%PDF-1.7\x00\x01binary", b"PK\x03\x04broken zip"):
        response = upload(signed_in, content)
        assert response.status_code == 400
    assert stored(tmp_path) == []


def test_a_file_over_the_limit_is_refused(signed_in, monkeypatch, catalogue):
    monkeypatch.setattr(import_forms, "MAX_BYTES", 100)
    response = upload(signed_in, csv_bytes(good_rows()))
    assert response.status_code == 400 and "The file is larger than" in response.content.decode()


def test_another_users_or_a_made_up_token_finds_nothing(client, signed_in, provider, catalogue, tmp_path):
    token = token_of(upload(signed_in, csv_bytes(good_rows())).content.decode())
    second_admin = UserFactory(provider=provider, role="admin", email="second@acme.test")
    client.force_login(second_admin)
    assert client.post(APPLY, {"token": token}).status_code == 400
    for made_up in ("../" * 10 + "x" * 2, "g" * 32, ""):
        assert client.post(APPLY, {"token": made_up}).status_code == 400
    assert not Customer.objects.exists() and len(stored(tmp_path)) == 1


def test_a_file_that_went_stale_between_preview_and_import_imports_nothing(signed_in, provider, catalogue):
    token = token_of(upload(signed_in, csv_bytes(good_rows())).content.decode())
    catalogue["tv"].delete()
    response = signed_in.post(APPLY, {"token": token})
    assert response.status_code == 400 and "No package named TV Basic" in response.content.decode()
    assert not Customer.objects.exists()


def test_each_provider_previews_against_its_own_customers(
    client, signed_in, provider, other_provider, catalogue
):
    from tests.factories import CustomerFactory

    CustomerFactory(provider=other_provider, external_id="OLD-1")
    html = upload(signed_in, csv_bytes(good_rows())).content.decode()
    assert "<strong>3</strong> new customers to create" in html
