"""`accountdesk token create --email E` prints a working token alone on its last line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accountdesk.tenancy.models import ApiToken
from tests.factories import UserFactory


def _create(email: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", "create", "--email", email, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_the_token_alone_on_its_last_line(provider, client):
    user = UserFactory(provider=provider, email="agent@acme.test", role="agent")
    out, err = _create(" Agent@Acme.test ")
    last = out.rstrip("\n").splitlines()[-1]
    assert last.startswith("adk_") and last == last.strip() and " " not in last
    assert ApiToken.objects.authenticate(last) == user
    assert "agent@acme.test" in err  # the explanation goes to stderr, so `| tail -1` is just the token
    response = client.get("/api/v1/customers", HTTP_AUTHORIZATION=f"Bearer {last}")
    assert response.status_code == 200


def test_it_stores_only_a_hash(provider):
    UserFactory(provider=provider, email="agent@acme.test")
    out, _ = _create("agent@acme.test")
    token = out.split()[-1]
    row = ApiToken.objects.get()
    assert token not in (row.key_hash, row.prefix) and row.prefix == token[:10]


def test_each_call_makes_a_new_token(provider):
    UserFactory(provider=provider, email="agent@acme.test")
    assert _create("agent@acme.test")[0] != _create("agent@acme.test")[0]


@pytest.mark.parametrize("active", [True, False])
def test_it_refuses_an_unknown_or_inactive_user(provider, active):
    UserFactory(provider=provider, email="gone@acme.test", is_active=False)
    with pytest.raises(CommandError):
        _create("nobody@acme.test" if active else "gone@acme.test")
    assert not ApiToken.objects.exists()


def test_a_revoked_token_no_longer_works(provider, client):
    UserFactory(provider=provider, email="agent@acme.test")
    token = _create("agent@acme.test")[0].split()[-1]
    ApiToken.objects.update(revoked_at="2025-01-01T00:00:00Z")
    assert client.get("/api/v1/customers", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def _run(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_creates_a_read_only_token_with_its_own_lifetime_and_logs_it(provider):
    import datetime as dt

    from accountdesk.audit.models import SecurityEvent

    UserFactory(provider=provider, email="agent@acme.test")
    _run("create", "--email", "agent@acme.test", "--read-only", "--days", "7")
    row = ApiToken.objects.get()
    assert row.scope == "read" and row.expires_at - row.created_at == dt.timedelta(days=7)
    event = SecurityEvent.objects.get(kind="token.created")
    assert event.actor_type == "system" and event.details["user"] == "agent@acme.test"


def test_it_lists_a_users_tokens(provider):
    from django.utils import timezone

    user = UserFactory(provider=provider, email="agent@acme.test")
    live, _ = ApiToken.objects.issue(user, name="Nightly export")
    gone, _ = ApiToken.objects.issue(user, name="Old script")
    ApiToken.objects.filter(pk=gone.pk).update(revoked_at=timezone.now(), last_used_at=timezone.now())
    lines = _run("list", "--email", "Agent@acme.test").splitlines()
    assert lines[0].split() == ["PREFIX", "NAME", "CREATED", "EXPIRES", "LAST", "USED", "SCOPE", "REVOKED"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {live.prefix, gone.prefix}
    assert "Nightly export" in rows[live.prefix] and rows[live.prefix].endswith("read_write  no")
    assert rows[gone.prefix].split()[-1] != "no"  # the revocation time


def test_it_revokes_a_token_by_its_value(provider, client):
    from accountdesk.audit.models import SecurityEvent

    UserFactory(provider=provider, email="agent@acme.test")
    token = _create("agent@acme.test")[0].split()[-1]
    out = _run("revoke", token)
    assert len(out.strip().splitlines()) == 1 and "Revoked" in out and token not in out
    assert ApiToken.objects.get().revoked_at is not None
    assert SecurityEvent.objects.filter(kind="token.revoked").count() == 1
    assert client.get("/api/v1/customers", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert "already revoked" in _run("revoke", token)


def test_it_refuses_to_revoke_an_unknown_token(provider):
    UserFactory(provider=provider, email="agent@acme.test")
    _, token = ApiToken.objects.issue(UserFactory(provider=provider))
    with pytest.raises(CommandError, match="No such API token"):
        _run("revoke", token + "x")
    assert ApiToken.objects.get().revoked_at is None
