import pytest

from accountdesk.tenancy.selectors import staff_assignable
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_offers_active_technicians_first_then_admins_and_agents_by_name(provider, other_provider):
    zed = UserFactory(provider=provider, role="technician", name="Zed Tech")
    amy = UserFactory(provider=provider, role="agent", name="Amy Agent")
    bob = UserFactory(provider=provider, role="admin", name="Bob Admin")
    abe = UserFactory(provider=provider, role="technician", name="Abe Tech")
    UserFactory(provider=provider, role="billing", name="Bill Billing")
    UserFactory(provider=provider, role="readonly", name="Rea Readonly")
    UserFactory(provider=provider, role="technician", name="Gone Tech", is_active=False)
    UserFactory(provider=other_provider, role="technician", name="Other Tech")
    assert staff_assignable(provider=provider) == [abe, zed, amy, bob]


def test_it_breaks_name_ties_by_id_and_keeps_to_the_limit(provider):
    first = UserFactory(provider=provider, role="agent", name="Sam")
    second = UserFactory(provider=provider, role="agent", name="Sam")
    UserFactory(provider=provider, role="agent", name="Tom")
    assert staff_assignable(provider=provider, limit=2) == [first, second]
