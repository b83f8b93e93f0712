"""`accountdesk demo`: its options, its determinism, and the hook other apps extend it through."""

import hashlib
import importlib.machinery
import io
import sys
import types

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from accountdesk.activity.models import Activity
from accountdesk.core import clock
from accountdesk.customers.models import Contact, ContactAddress, Customer, CustomFieldValue, StatusChange
from accountdesk.notes.models import Note
from accountdesk.tenancy.models import Provider, User
from tests.demo.conftest import DEMO_NOW, load_demo
from tests.factories import ProviderFactory

TINY = ["--customers", "6", "--heavy", "0"]


def digest() -> str:
    """A fingerprint of what the generator wrote, ids left out (they depend on the database)."""
    rows = []
    for p in Provider.objects.order_by("slug"):
        rows.append(("provider", p.name, p.slug, p.currency, p.locale, sorted(p.modules.items())))
    rows += list(User.objects.order_by("email").values_list("email", "name", "role", "provider__slug"))
    for c in Customer.objects.order_by("provider__slug", "number").select_related("group", "account_manager"):
        rows.append(
            (
                c.provider.slug,
                c.number,
                c.name,
                c.type,
                c.status,
                c.email,
                c.phone,
                c.billing_address,
                c.service_address,
                str(c.service_latitude),
                str(c.service_longitude),
                c.joined_on,
                c.created_at,
                c.updated_at,
                c.group and c.group.name,
                c.account_manager and c.account_manager.email,
                sorted(c.tags.values_list("name", flat=True)),
            )
        )
    rows += list(
        Contact.objects.order_by(
            "customer__provider__slug", "customer__number", "created_at", "name"
        ).values_list(
            "customer__number", "name", "title", "email", "phone", "is_primary", "is_billing", "created_at"
        )
    )
    rows += sorted(map(str, ContactAddress.objects.all()))
    rows += sorted(
        CustomFieldValue.objects.values_list(
            "customer__provider__slug", "customer__number", "definition__name", "value"
        )
    )
    rows += list(
        Note.objects.order_by("provider__slug", "customer__number", "created_at", "body").values_list(
            "customer__number", "created_at", "author__email", "body"
        )
    )
    rows += list(
        StatusChange.objects.order_by("provider__slug", "customer__number", "at", "new").values_list(
            "customer__number", "at", "old", "new", "reason", "actor_type", "actor_name"
        )
    )
    rows += list(
        Activity.objects.order_by("provider__slug", "customer__number", "at", "kind", "summary").values_list(
            "customer__number", "at", "kind", "actor_type", "actor_name", "summary"
        )
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def load_and_digest(*args: str) -> str:
    """Load the demo, fingerprint it, then undo the load (back to a savepoint of the test's transaction)."""
    savepoint = transaction.savepoint()
    load_demo(*args)
    assert Provider.objects.count() == 2
    fingerprint = digest()
    transaction.savepoint_rollback(savepoint)
    assert not Provider.objects.exists()
    return fingerprint


@pytest.mark.django_db
def test_it_gives_the_same_data_for_the_same_seed():
    first = load_and_digest("--customers", "8", "--heavy", "1", "--seed", "11")
    assert load_and_digest("--customers", "8", "--heavy", "1", "--seed", "11") == first


@pytest.mark.django_db
def test_it_gives_other_data_for_another_seed():
    assert load_and_digest(*TINY, "--seed", "1") != load_and_digest(*TINY, "--seed", "2")


@pytest.mark.django_db
def test_it_does_nothing_with_if_empty_when_a_provider_exists():
    ProviderFactory(slug="someone")
    out = io.StringIO()
    call_command("demo", "--if-empty", *TINY, stdout=out)
    assert list(Provider.objects.values_list("slug", flat=True)) == ["someone"]
    assert not Customer.objects.exists() and not User.objects.exists()
    assert "not loaded" in out.getvalue()


@pytest.mark.django_db
def test_it_loads_with_if_empty_on_an_empty_database():
    load_demo("--if-empty", *TINY)
    assert set(Provider.objects.values_list("slug", flat=True)) == {"acme", "bluegum"}


@pytest.mark.django_db
def test_it_refuses_to_load_the_demo_twice():
    load_demo(*TINY)
    counts = (Customer.objects.count(), Activity.objects.count())
    with pytest.raises(CommandError, match="already loaded"):
        load_demo(*TINY)
    assert (Customer.objects.count(), Activity.objects.count()) == counts


@pytest.mark.django_db
@pytest.mark.parametrize("args", [["--customers", "lots"], ["--customers", "-3"], ["--seed", "x"]])
def test_it_rejects_bad_options_without_writing(args):
    with pytest.raises(CommandError):
        call_command("demo", *args)
    assert not Provider.objects.exists()


@pytest.mark.django_db
def test_it_prints_every_demo_sign_in_and_the_url_and_changes_nothing(monkeypatch):
    load_demo(*TINY)
    monkeypatch.setenv("PORT", "8123")
    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("demo", "--print-logins", stdout=out)
    text = out.getvalue()
    assert "http://localhost:8123/" in text and "accountdesk-demo" in text
    for slug in ("acme", "bluegum"):
        for role in ("admin", "billing", "agent", "technician", "readonly"):
            assert f"{role}@{slug}.test" in text
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)


@pytest.mark.django_db
def test_it_prints_the_default_port_and_loads_nothing_when_asked_for_logins(monkeypatch):
    monkeypatch.delenv("PORT", raising=False)
    out = io.StringIO()
    call_command("demo", "--print-logins", stdout=out)
    assert "http://localhost:8000/" in out.getvalue()
    assert not Provider.objects.exists()


@pytest.mark.django_db
@override_settings(DOMAIN_APPS=[])
def test_it_puts_back_the_clock_it_found():
    savepoint = transaction.savepoint()
    clock.freeze(DEMO_NOW)
    try:
        call_command("demo", *TINY, stdout=io.StringIO())
        assert clock.now() == DEMO_NOW
    finally:
        clock.freeze(None)
    transaction.savepoint_rollback(savepoint)
    call_command("demo", *TINY, stdout=io.StringIO())
    assert clock._frozen is None


@pytest.mark.django_db
def test_it_loads_every_apps_demo_data_with_its_own():
    """The whole generator, other apps' demo_populate included, as `make run` runs it (small)."""
    out = io.StringIO()
    clock.freeze(DEMO_NOW)
    try:
        call_command("demo", "--customers", "6", "--heavy", "1", stdout=out)
    finally:
        clock.freeze(None)
    assert "Demo data loaded" in out.getvalue()
    assert Customer.objects.count() == 12


def _fake_app_demo(monkeypatch, app: str, populate) -> None:
    name = f"accountdesk.{app}.demo"
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, loader=None)
    module.demo_populate = populate
    monkeypatch.setitem(sys.modules, name, module)


@pytest.mark.django_db
def test_it_hands_each_app_its_context_once_per_provider(monkeypatch):
    seen = []

    def populate(ctx):
        seen.append(ctx)
        assert clock.now() == ctx.now == DEMO_NOW  # every app starts from the run's "now"
        clock.freeze(DEMO_NOW.replace(year=2020))  # a careless app leaves the clock frozen elsewhere

    _fake_app_demo(monkeypatch, "search", populate)
    load_demo(*TINY, "--heavy", "1", apps=["customers", "search"])
    assert [ctx.provider.slug for ctx in seen] == ["acme", "bluegum"]
    for ctx in seen:
        assert len(ctx.customers) == 6 and len(ctx.heavy_customers) == 1
        assert set(ctx.heavy_customers) <= set(ctx.customers)
        assert set(ctx.staff) == {"admin", "billing", "agent", "technician", "readonly"}
        assert ctx.today == DEMO_NOW.date() and ctx.account_managers
    assert seen[0].rng.random() != seen[1].rng.random()  # each provider and app has its own stream


@pytest.mark.django_db
def test_it_rolls_back_a_provider_whose_app_data_fails(monkeypatch):
    def populate(ctx):
        if ctx.provider.slug == "bluegum":
            raise RuntimeError("broken demo data")

    _fake_app_demo(monkeypatch, "search", populate)
    with pytest.raises(RuntimeError):
        load_demo(*TINY, apps=["search"])
    assert list(Provider.objects.values_list("slug", flat=True)) == ["acme"]
    assert not Customer.objects.filter(provider__slug="bluegum").exists()
