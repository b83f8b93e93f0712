"""GET /api/v1/audit: the provider's security log for admins, in the usual list shape."""

import datetime as dt

import pytest
from django.db import transaction

from accountdesk.audit.services import security_record
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from tests.api.conftest import assert_error
from tests.conftest import ROLES

URL = "/api/v1/audit"


@pytest.fixture
def log(provider, other_provider, staff):
    """Four entries of ours on three days, one of another provider's."""
    admin, agent = Actor.staff(staff["admin"]), Actor.staff(staff["agent"])
    made = []
    for day, kind, actor in (
        (1, "settings.changed", admin),
        (2, "module.switched", admin),
        (2, "export.downloaded", agent),
        (3, "settings.changed", admin),
    ):
        clock.freeze(dt.datetime(2025, 3, day, 12, tzinfo=dt.UTC))
        with transaction.atomic():
            made.append(security_record(provider=provider, kind=kind, summary=f"{kind} {day}", actor=actor,
                                        details={"name": ["old", "new"]}))  # fmt: skip
    with transaction.atomic():
        security_record(provider=other_provider, kind="settings.changed", summary="Theirs")
    clock.freeze(None)
    return made


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_it_lists_the_providers_entries_newest_first(api_as, log, staff):
    body = api_as("admin").get(URL).json()
    assert [item["id"] for item in body["items"]] == [e.pk for e in reversed(log)]
    assert body["next_cursor"] is None
    first = body["items"][0]
    assert first["kind"] == "settings.changed" and first["kind_label"] == "Settings changed"
    assert (first["actor_id"], first["actor_email"]) == (staff["admin"].pk, "admin@acme.test")
    assert first["details"] == {"name": ["old", "new"]}
    assert first["at"].startswith("2025-03-03T12:00:00")
    assert set(first) >= {"address", "user_agent", "summary", "actor", "actor_type", "seq", "hash"}


def test_it_pages_with_a_cursor(api_as, log):
    api = api_as("admin")
    first = api.get(URL, limit=3).json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    rest = api.get(URL, limit=3, cursor=first["next_cursor"]).json()
    assert [i["id"] for i in rest["items"]] == [log[0].pk]
    assert rest["next_cursor"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "settings.changed"}, [3, 0]),
        ({"actor": "agent@acme.test"}, [2]),
        ({"actor": "AGENT@acme.test"}, [2]),
        ({"since": "2025-03-02"}, [3, 2, 1]),
        ({"since": "2025-03-02T12:00:01Z"}, [3]),
        ({"since": "2025-03-02T12:00:00+00:00", "kind": "module.switched"}, [1]),
    ],
)
def test_it_filters_by_kind_actor_and_since(api_as, log, params, expected):
    assert ids(api_as("admin").get(URL, **params)) == [log[i].pk for i in expected]


def test_it_filters_by_the_actors_user_id(api_as, log, staff):
    assert ids(api_as("admin").get(URL, actor=str(staff["agent"].pk))) == [log[2].pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "nonsense"}, "kind"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2025-13-01"}, "since"),
        ({"actor": "somebody"}, "actor"),
    ],
)
def test_it_refuses_bad_filters(api_as, log, params, field):
    error = assert_error(api_as("admin").get(URL, **params), 422, "validation_error")
    assert field in error["fields"]


@pytest.mark.parametrize("params", [{"limit": "501"}, {"limit": "0"}, {"cursor": "garbage"}])
def test_it_refuses_a_bad_limit_or_cursor(api_as, log, params):
    response = api_as("admin").get(URL, **params)
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_read_the_security_log(api_as, log, role):
    response = api_as(role).get(URL)
    if role == "admin":
        assert len(ids(response)) == 4
    else:
        assert_error(response, 403, "permission_denied")


def test_another_providers_admin_sees_only_their_own(other_provider, log):
    from tests.conftest import ApiClient
    from tests.factories import UserFactory

    theirs = ApiClient(UserFactory(provider=other_provider, role="admin", email="boss@other.test"))
    items = theirs.get(URL).json()["items"]
    assert [i["summary"] for i in items] == ["Theirs"]
