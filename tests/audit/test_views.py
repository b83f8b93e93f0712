"""Settings > Security log: admins read the provider's log, filter it, page it and export it."""

import csv
import datetime as dt
import io

import pytest
from django.db import transaction
from django.urls import reverse

from accountdesk.audit import views
from accountdesk.audit.models import SecurityEvent
from accountdesk.audit.services import security_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from tests.conftest import ROLES

URL = "/settings/security-log/"


@pytest.fixture
def log(provider, other_provider, staff):
    admin, agent = Actor.staff(staff["admin"]), Actor.staff(staff["agent"])
    made = []
    for day, kind, actor, summary in (
        (1, "settings.changed", admin, "Tag vip renamed to VIP"),
        (2, "module.switched", admin, "Usage switched off"),
        (3, "export.downloaded", agent, "Notes of C-1 exported as CSV (2 rows)"),
    ):
        clock.freeze(dt.datetime(2025, 3, day, 12, tzinfo=dt.UTC))
        with transaction.atomic():
            made.append(security_record(provider=provider, kind=kind, summary=summary, actor=actor,
                                        details={"name": ["vip", "VIP"]}))  # fmt: skip
    with transaction.atomic():
        security_record(provider=other_provider, kind="settings.changed", summary="Their secret change")
    clock.freeze(None)
    return made


@pytest.fixture
def as_admin(client, admin):
    client.force_login(admin)
    return client


def test_it_lists_entries_newest_first_with_who_where_and_what(as_admin, log):
    html = as_admin.get(URL).content.decode()
    positions = [html.index(e.summary) for e in reversed(log)]
    assert positions == sorted(positions)
    assert "Settings changed" in html and "Module switched" in html and "Export" in html
    assert "admin@acme.test" in html
    assert 'class="diff-old">vip</span>' in html
    assert "Their secret change" not in html


def test_it_is_listed_in_the_settings_menu(as_admin, log):
    html = as_admin.get(reverse("settings:overview")).content.decode()
    assert f'href="{URL}"' in html and "Security log" in html


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_only_admins_see_it(client, staff, log, role):
    client.force_login(staff[role])
    assert client.get(URL).status_code == 403
    assert client.get(URL + "export/?format=csv").status_code == 403


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"kind": "module.switched"}, [1]),
        ({"since": "2025-03-02"}, [1, 2]),
        ({"actor": "agent"}, [2]),
    ],
)
def test_it_filters(as_admin, log, staff, params, shown):
    if params.get("actor") == "agent":
        params = {"actor": str(staff["agent"].pk)}
    html = as_admin.get(URL, params).content.decode()
    assert [e.summary in html for e in log] == [i in shown for i in range(3)]


def test_a_bad_filter_is_shown_and_ignored(as_admin, log):
    response = as_admin.get(URL, {"since": "not a date"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="log-since-error"' in html
    assert all(e.summary in html for e in log)


def test_it_pages_by_keyset(as_admin, log, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first = as_admin.get(URL)
    assert log[2].summary in first.content.decode() and log[0].summary not in first.content.decode()
    second = as_admin.get(URL + first.context["next_url"])
    assert log[0].summary in second.content.decode() and log[2].summary not in second.content.decode()
    assert second.context["prev_url"]


def test_it_exports_the_filtered_entries_as_csv_and_logs_the_export(as_admin, log, provider, admin):
    response = as_admin.get(URL + "export/", {"format": "csv", "since": "2025-03-02"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="acme-security-log.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["time", "actor", "actor_email", "address", "kind", "summary", "details"]
    assert [r[5] for r in rows[1:]] == [log[2].summary, log[1].summary]
    assert rows[1][6] == "Name: vip → VIP"
    export = SecurityEvent.objects.filter(provider=provider).order_by("-seq").first()
    assert (export.kind, export.actor_id, export.details["rows"]) == ("export.downloaded", admin.pk, 2)
    assert export.details["log"] == "security" and export.details["format"] == "csv"


def test_it_exports_excel(as_admin, log):
    response = as_admin.get(URL + "export/", {"format": "xlsx"})
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_it_refuses_an_unknown_export_format(as_admin, log, provider):
    before = SecurityEvent.objects.filter(provider=provider).count()
    assert as_admin.get(URL + "export/", {"format": "exe"}).status_code == 422
    assert SecurityEvent.objects.filter(provider=provider).count() == before
