"""The policy: saved whole by administrators, refused whole when its steps are out of order or
wrong, and a promise to pay: who may make one, for how long."""

import datetime as dt

import pytest

from accountdesk.audit.models import SecurityEvent
from accountdesk.core.errors import PermissionDenied, ValidationFailed
from accountdesk.dunning.models import DunningPolicy, DunningState, DunningStep
from accountdesk.dunning.services import dunning_policy_save, promise_to_pay_make
from tests.dunning.conftest import ISSUED, STEPS

pytestmark = pytest.mark.django_db


def save(provider, actor, steps, enabled=True):
    return dunning_policy_save(provider=provider, enabled=enabled, steps=steps, actor=actor)


def test_it_saves_the_steps_in_order_and_logs_the_change(provider, actors):
    save(provider, actors["admin"], STEPS)
    assert list(DunningStep.objects.values_list("position", "days", "action")) == [
        (1, 5, "email"), (2, 10, "sms"), (3, 15, "fee"), (4, 30, "block"),
    ]  # fmt: skip
    save(provider, actors["admin"], STEPS[:2])
    assert DunningStep.objects.count() == 2
    event = SecurityEvent.objects.filter(provider=provider).latest("id")
    assert event.summary == "Collections policy saved"


@pytest.mark.parametrize(
    ("steps", "field", "message"),
    [
        (
            [{"days": 10, "action": "block"}, {"days": 5, "action": "block"}],
            "steps.2.days",
            "Step 2 at 5 days comes before step 1 at 10 days: steps go in order of days overdue, "
            "one step per day.",
        ),
        (
            [{"days": 10, "action": "sms", "body": "Pay"}, {"days": 10, "action": "block"}],
            "steps.2.days",
            "Step 2 at 10 days comes the same day as step 1 at 10 days: steps go in order of days overdue, "
            "one step per day.",
        ),
        (
            [{"days": 0, "action": "block"}],
            "steps.1.days",
            "Step 1: days overdue is a whole number from 1 to 365.",
        ),
        (
            [{"days": "7.5", "action": "block"}],
            "steps.1.days",
            "Step 1: days overdue is a whole number from 1 to 365.",
        ),
        (
            [{"days": True, "action": "block"}],
            "steps.1.days",
            "Step 1: days overdue is a whole number from 1 to 365.",
        ),
        ([{"days": 3, "action": "shout"}], "steps.1.action", "Choose one of: email, sms, fee, block."),
        ([{"days": 3, "action": "fee"}], "steps.1.fee", None),
        ([{"days": 3, "action": "fee", "fee": "-2.00"}], "steps.1.fee", None),
        ([{"days": 3, "action": "email", "body": "Pay"}], "steps.1.subject", "Write the email's subject."),
        ([{"days": 3, "action": "sms", "body": ""}], "steps.1.body", "Write the message."),
        (
            [{"days": 3, "action": "sms", "body": "Hi {customer.password}"}],
            "steps.1.body",
            "Step 1: unknown placeholders {customer.password}. Write {{ and }} for braces.",
        ),
        ([{"days": n, "action": "block"} for n in range(1, 10)], "steps", "A policy has at most 8 steps."),
        (["block at 5"], "steps.1", None),
    ],
)
def test_it_refuses_a_bad_policy_whole(provider, actors, steps, field, message):
    save(provider, actors["admin"], STEPS)
    with pytest.raises(ValidationFailed) as caught:
        save(provider, actors["admin"], steps)
    assert field in caught.value.fields
    if message:
        assert caught.value.fields[field] == message
    # Nothing changed: the saved policy is still the one before.
    assert list(DunningStep.objects.values_list("days", flat=True)) == [5, 10, 15, 30]


@pytest.mark.parametrize("role", ["agent", "billing", "technician", "readonly"])
def test_only_administrators_save_a_policy(provider, actors, role):
    with pytest.raises(PermissionDenied):
        save(provider, actors[role], STEPS)
    assert not DunningPolicy.objects.exists()


def test_an_administrator_saves_only_their_own_providers_policy(provider, other_provider, actors):
    from accountdesk.core.errors import NotFound

    with pytest.raises(NotFound):
        save(other_provider, actors["admin"], STEPS)
    assert not DunningPolicy.objects.exists()


@pytest.mark.parametrize("role", ["agent", "billing", "admin"])
def test_agents_billing_and_admins_make_promises(customer, actors, role):
    promise_to_pay_make(customer=customer, until=ISSUED + dt.timedelta(days=7), actor=actors[role])
    assert DunningState.objects.get(customer=customer).promise_until == dt.date(2025, 3, 8)


@pytest.mark.parametrize("role", ["technician", "readonly"])
def test_other_roles_make_no_promise(customer, actors, role):
    with pytest.raises(PermissionDenied):
        promise_to_pay_make(customer=customer, until=ISSUED + dt.timedelta(days=7), actor=actors[role])
    assert not DunningState.objects.exists()


@pytest.mark.parametrize(
    ("until", "message"),
    [
        (ISSUED, "Choose a day after today."),
        (ISSUED - dt.timedelta(days=1), "Choose a day after today."),
        (ISSUED + dt.timedelta(days=61), "A promise to pay runs at most 60 days, to 30 Apr 2025."),
        ("soon", None),
    ],
)
def test_it_refuses_a_promise_out_of_range(customer, actors, until, message):
    with pytest.raises(ValidationFailed) as caught:
        promise_to_pay_make(customer=customer, until=until, actor=actors["agent"])
    assert "until" in caught.value.fields
    if message:
        assert caught.value.fields["until"] == message
    assert not DunningState.objects.exists()


def test_a_promise_for_another_providers_customer_is_not_found(foreign_customer, actors):
    from accountdesk.core.errors import NotFound

    with pytest.raises(NotFound):
        promise_to_pay_make(
            customer=foreign_customer, until=ISSUED + dt.timedelta(days=7), actor=actors["agent"]
        )
    assert not DunningState.objects.exists()


def test_the_demo_policy_is_one_the_service_accepts(provider, actors):
    """The demo writes its default policy directly; the same steps pass the policy's checks."""
    from accountdesk.dunning.demo import DEFAULT_STEPS

    steps = [
        {"days": d, "action": a, "subject": s, "body": b, "fee": str(f) if f is not None else None}
        for d, a, s, b, f in DEFAULT_STEPS
    ]
    save(provider, actors["admin"], steps)
    assert list(DunningStep.objects.values_list("days", flat=True)) == [7, 14, 21, 30]
