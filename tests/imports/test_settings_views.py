"""Settings > Import: upload, a preview with every problem by row and column (or what the import
would do), then the import; the template to start from."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accountdesk.activity.models import Activity
from accountdesk.customers.models import Customer
from accountdesk.imports import forms as import_forms
from accountdesk.imports.models import ImportJob
from tests.factories import UserFactory
from tests.imports.conftest import csv_bytes, good_rows, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = "/settings/import/"


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def signed_in(client, admin):
    client.force_login(admin)
    return client


def upload(client, content: bytes, name: str = "customers.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def checked(signed_in, django_capture_on_commit_callbacks):
    """Upload a file and let the worker check it (the test task backend runs a task at once):
    the job's page."""

    def run(content: bytes, name: str = "customers.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(signed_in, content, name)
        assert response.status_code == 302, response.content.decode()[:2000]
        job = ImportJob.objects.latest("id")
        assert response["Location"] == f"{URL}{job.pk}/"
        return job, signed_in.get(response["Location"])

    return run


def stored(tmp_path) -> list[Path]:
    folder = tmp_path / "imports"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


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
    assert client.post(f"{URL}1/apply/").status_code == 403
    assert client.get(f"{URL}1/").status_code == 403
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


def test_a_good_file_is_checked_previewed_then_imported(
    signed_in, checked, provider, catalogue, tmp_path, django_capture_on_commit_callbacks
):
    job, page = checked(csv_bytes(good_rows()), name="../../etc/passwd.csv")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ready to import" in html and "<strong>3</strong> new customers to create" in html
    assert ">OLD-1<" in html and "Dana Whitfield" in html and 'hx-trigger="every 2s"' not in html
    assert not Customer.objects.exists()
    (kept,) = stored(tmp_path)
    assert kept.parent == tmp_path / "imports" / str(provider.pk) and "passwd" not in kept.name
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(f"{URL}{job.pk}/apply/")
    assert response.status_code == 302 and response["Location"] == f"{URL}{job.pk}/"
    assert Customer.objects.filter(provider=provider).count() == 3
    assert stored(tmp_path) == []
    html = signed_in.get(f"{URL}{job.pk}/").content.decode()
    assert "Imported" in html and "3 customers created, 0 updated" in html
    entry = Activity.objects.filter(kind="customer.imported").first()
    assert entry.actor_type == "system" and entry.details["imported_by"]
    # Confirmed twice: the second finds nothing waiting.
    again = signed_in.post(f"{URL}{job.pk}/apply/")
    assert again.status_code == 400 and "not waiting to be imported" in again.content.decode()
    assert Customer.objects.count() == 3
    assert "Latest imports" in signed_in.get(URL).content.decode()


def test_while_the_worker_runs_the_page_follows_it(signed_in, catalogue):
    response = upload(signed_in, csv_bytes(good_rows()))  # the check is queued, not yet run
    html = signed_in.get(response["Location"]).content.decode()
    assert "Checking every row of the file" in html and 'hx-trigger="every 2s"' in html
    card = signed_in.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert card.startswith('<section class="card" id="import-job"') and "settings_base" not in card


def test_an_xlsx_file_is_previewed(checked, catalogue):
    content = xlsx_bytes([["external_id", "name"], ["X-1", "From a spreadsheet"]])
    _job, page = checked(content, name="customers.xlsx")
    assert "From a spreadsheet" in page.content.decode()


def test_a_bad_file_lists_every_problem_and_keeps_nothing(signed_in, checked, catalogue, tmp_path):
    rows = good_rows()
    rows[0]["package"] = "Fibre 9000"
    rows[2]["opening_balance"] = "1.234"
    job, page = checked(csv_bytes(rows))
    html = page.content.decode()
    assert "Cannot be imported" in html and "2 problems" in html
    assert (
        '<td class="num">2</td><td class="mono">package</td>'
        "<td>No package named Fibre 9000 in your catalogue.</td>"
    ) in html
    assert (
        '<td class="num">4</td><td class="mono">opening_balance</td><td>Use at most two decimal places.</td>'
        in html
    )
    assert "/apply/" not in html
    assert stored(tmp_path) == [] and not Customer.objects.exists()
    assert signed_in.post(f"{URL}{job.pk}/apply/").status_code == 400


def test_a_file_that_is_not_csv_or_xlsx_is_refused(signed_in, tmp_path):
    for content in (b"", b"%PDF-1.7\x00\x01binary", b"PK\x03\x04broken zip", "Zoë".encode("utf-16")):
        assert upload(signed_in, content).status_code == 400
    assert stored(tmp_path) == [] and not ImportJob.objects.exists()


def test_a_zip_that_is_no_spreadsheet_fails_its_check(checked, tmp_path):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    job, page = checked(out.getvalue())
    assert job.__class__.objects.get(pk=job.pk).has_failed
    assert "This is not a CSV or XLSX file." in page.content.decode()
    assert stored(tmp_path) == []


def test_a_file_over_the_limit_is_refused(signed_in, monkeypatch, catalogue):
    monkeypatch.setattr(import_forms, "MAX_BYTES", 100)
    response = upload(signed_in, csv_bytes(good_rows()))
    assert response.status_code == 400 and "The file is larger than" in response.content.decode()


def test_another_admins_or_providers_job_is_not_found(client, checked, provider, other_provider, catalogue):
    job, _page = checked(csv_bytes(good_rows()))
    for user in (
        UserFactory(provider=provider, role="admin", email="second@acme.test"),
        UserFactory(provider=other_provider, role="admin", email="admin@other.test"),
    ):
        client.force_login(user)
        assert client.get(f"{URL}{job.pk}/").status_code == 404
        assert client.post(f"{URL}{job.pk}/apply/").status_code == 404
    assert not Customer.objects.exists()


def test_a_file_that_went_stale_between_check_and_import_imports_nothing(
    signed_in, checked, catalogue, django_capture_on_commit_callbacks
):
    job, _page = checked(csv_bytes(good_rows()))
    catalogue["tv"].delete()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(f"{URL}{job.pk}/apply/")
    html = signed_in.get(f"{URL}{job.pk}/").content.decode()
    assert "No package named TV Basic" in html and not Customer.objects.exists()


def test_each_provider_previews_against_its_own_customers(checked, other_provider, catalogue):
    from tests.factories import CustomerFactory

    CustomerFactory(provider=other_provider, external_id="OLD-1")
    _job, page = checked(csv_bytes(good_rows()))
    assert "<strong>3</strong> new customers to create" in page.content.decode()


def test_the_job_page_reads_a_fixed_number_of_queries(
    signed_in, checked, catalogue, django_assert_max_num_queries
):
    job, _page = checked(csv_bytes(good_rows()))
    with django_assert_max_num_queries(8):
        assert signed_in.get(f"{URL}{job.pk}/").status_code == 200
