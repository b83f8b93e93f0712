import pytest

from accountdesk.core.actors import Actor
from accountdesk.core.errors import ModuleNotEnabled, NotFound, PermissionDenied
from accountdesk.core.permissions import ROLE_PERMISSIONS, require, role_has
from accountdesk.core.tenancy import get_scoped, require_module, require_same_provider
from accountdesk.customers.models import Customer
from tests.factories import ProviderFactory


def test_get_scoped_finds_only_the_providers_row(provider, customer, foreign_customer):
    assert get_scoped(Customer, provider=provider, pk=str(customer.pk)) == customer
    with pytest.raises(NotFound) as exc:
        get_scoped(Customer, provider=provider, pk=foreign_customer.pk)
    missing = pytest.raises(NotFound)
    with missing as other:
        get_scoped(Customer, provider=provider, pk=10**6)
    assert str(exc.value) == str(other.value)  # another provider's id reads exactly like a missing one


def test_require_same_provider_takes_rows_providers_and_actors(provider, staff, customer, foreign_customer):
    actor = Actor.staff(staff["agent"])
    require_same_provider(actor, provider, customer, None)  # one provider; None is an empty relation
    for strangers in [
        (customer, foreign_customer),
        (actor, foreign_customer.provider),
        (provider, foreign_customer),
    ]:
        with pytest.raises(NotFound):
            require_same_provider(*strangers)


@pytest.mark.parametrize(
    "module", ["service_desk", "field_service", "usage", "network", "contracts", "instalments"]
)
def test_require_module(db, module):
    with pytest.raises(ModuleNotEnabled) as exc:
        require_module(ProviderFactory(), module)
    assert (exc.value.status, exc.value.code) == (404, "module_not_enabled")
    require_module(ProviderFactory.with_all_modules(), module)


def test_an_unknown_module_is_a_programming_error(db):
    with pytest.raises(ValueError):
        ProviderFactory().has_module("teleportation")


@pytest.mark.parametrize(
    ("role", "granted", "refused"),
    [
        ("admin", ["customers.archive", "provider.manage", "billing.payment", "customers.change_status"], []),
        (
            "billing",
            ["billing.payment", "billing.credit", "customers.edit", "notes.add"],
            ["customers.change_status", "customers.archive", "provider.manage", "fieldservice.edit"],
        ),
        (
            "agent",
            ["customers.change_status", "customers.contacts", "notes.add", "billing.credit_limited"],
            ["billing.payment", "billing.credit", "customers.archive", "provider.manage"],
        ),
        (
            "technician",
            ["fieldservice.edit", "network.edit", "notes.add", "customers.view"],
            [
                "billing.view",
                "billing.payment",
                "billing.credit_limited",
                "customers.change_status",
                "customers.edit",
            ],
        ),
        (
            "readonly",
            ["customers.view", "activity.view", "notes.view"],
            [
                "notes.add",
                "customers.edit",
                "customers.change_status",
                "billing.payment",
                "customers.contacts",
            ],
        ),
    ],
)
def test_the_role_map(role, granted, refused):
    assert all(role_has(role, p) for p in granted)
    assert not any(role_has(role, p) for p in refused)


def test_readonly_only_views():
    assert all(p.endswith(".view") for p in ROLE_PERMISSIONS["readonly"])


def test_require_checks_the_actor(staff, provider):
    require(Actor.staff(staff["agent"]), "customers.change_status")
    with pytest.raises(PermissionDenied):
        require(Actor.staff(staff["readonly"]), "customers.change_status")
    require(Actor.system(provider), "anything.at_all")  # the system acts by the provider's own rules
    portal = Actor.customer(provider, contact_id=1, name="Pat", email=None)
    with pytest.raises(PermissionDenied):
        require(portal, "customers.view")
    assert not role_has("wizard", "customers.view")
