"""Account changes the other tests assert by their details also read as people see them."""

from accountdesk.core.actors import Actor
from accountdesk.customers import services
from tests.activity.logged import assert_logged
from tests.factories import GroupFactory, TagFactory


def test_tags_read_as_the_new_set(customer, agent):
    tags = [TagFactory(provider=customer.provider, name=n) for n in ("vip", "fibre")]
    services.customer_tags_set(customer=customer, tags=tags, actor=Actor.staff(agent))
    assert_logged(customer, "customer.tags_changed", "Tags: fibre, vip", viewer=agent)
    services.customer_tags_set(customer=customer, tags=[], actor=Actor.staff(agent))
    assert_logged(customer, "customer.tags_changed", "Tags: none", viewer=agent)


def test_a_new_group_and_manager_are_an_account_edit(customer, agent, admin):
    group = GroupFactory(provider=customer.provider, name="Business")
    services.customer_update(
        customer=customer, data={"group": group, "account_manager": admin}, actor=Actor.staff(agent)
    )
    assert_logged(customer, "customer.updated", "Account edited: group, account manager", viewer=agent)
