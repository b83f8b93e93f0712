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
