import pytest

from accountdesk.tenancy.selectors import staff_assignable
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_lists_active_staff_who_take_work_technicians_first(provider, other_provider):
    ann = UserFactory(provider=provider, role="agent", name="Ann")
    zed = UserFactory(provider=provider, role="technician", name="Zed")
    bob = UserFactory(provider=provider, role="admin", name="Bob")
    UserFactory(provider=provider, role="billing", name="Bill")
    UserFactory(provider=provider, role="readonly", name="Rita")
    UserFactory(provider=provider, role="technician", name="Gone", is_active=False)
    UserFactory(provider=other_provider, role="technician", name="Stranger")
    assert staff_assignable(provider=provider) == [zed, ann, bob]


def test_it_is_bounded(provider):
    for name in ("A", "B", "C"):
        UserFactory(provider=provider, role="technician", name=name)
    assert [u.name for u in staff_assignable(provider=provider, limit=2)] == ["A", "B"]
