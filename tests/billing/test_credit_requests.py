"""An agent's credits to one customer are capped over a rolling 30 days: a credit above that is not
issued but awaits a billing user's approval; approving issues it, declining records why."""

import datetime as dt
from decimal import Decimal as D

import pytest

from accountdesk.activity.models import Activity
from accountdesk.activity.rendering import summary_for
from accountdesk.audit.models import SecurityEvent
from accountdesk.billing import services
from accountdesk.billing.ledger import account_summary_verify
from accountdesk.billing.models import Credit, CreditRequest
from accountdesk.billing.selectors import account_metrics
from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from tests.factories import CustomerFactory, UserFactory


@pytest.fixture
def limits(provider):
    provider.agent_credit_limit = D("50.00")
    provider.agent_credit_limit_30d = D("100.00")
    provider.save()
    return provider


def _issue(customer, actor, amount: str, reason: str = "Outage"):
    return services.credit_issue(customer=customer, amount=amount, reason=reason, actor=actor)


def test_an_agent_issues_up_to_the_30_day_limit_then_the_credit_awaits_approval(limits, customer, actors):
    agent = actors["agent"]
    assert isinstance(_issue(customer, agent, "50.00"), Credit)
    assert isinstance(_issue(customer, agent, "50.00"), Credit)  # exactly the limit: issued
    pending = _issue(customer, agent, "0.01")
    assert isinstance(pending, CreditRequest) and pending.status == "pending"
    assert (pending.window_used, pending.window_limit) == (D("100.00"), D("100.00"))
    assert Credit.objects.count() == 2
    assert account_metrics(customer=customer).account_credit == D("100.00")
    assert account_summary_verify(customer) == {}


def test_the_per_credit_cap_still_refuses(limits, customer, actors):
    with pytest.raises(PermissionDenied, match=r"at most \$50\.00 of credit"):
        _issue(customer, actors["agent"], "50.01")
    assert not Credit.objects.exists() and not CreditRequest.objects.exists()


def test_the_request_is_in_the_activity_log_and_the_security_log(limits, customer, actors, agent):
    _issue(customer, actors["agent"], "50.00")
    _issue(customer, actors["agent"], "50.00")
    pending = _issue(customer, actors["agent"], "30.00", "Missed visit")
    activity = Activity.objects.get(kind="credit.requested")
    assert activity.actor_id == agent.pk and activity.subject_id == pending.pk
    shown = summary_for(activity.summary, group=activity.group, details=activity.details, shows_money=True)
    assert shown == "Credit of $30.00 awaits approval: Missed visit"
    event = SecurityEvent.objects.get(kind="credit.approval_requested")
    assert event.provider_id == customer.provider_id and event.actor_id == agent.pk
    assert event.details["request"] == pending.pk and event.details["customer"] == customer.pk
    assert Activity.objects.filter(kind="credit.issued").count() == 2


def test_the_window_rolls_over_30_days(limits, customer, actors):
    agent = actors["agent"]
    _issue(customer, agent, "50.00")
    _issue(customer, agent, "50.00")
    start = clock.now()
    clock.freeze(start + dt.timedelta(days=29, hours=23))
    assert isinstance(_issue(customer, agent, "10.00"), CreditRequest)
    clock.freeze(start + dt.timedelta(days=30, seconds=1))
    assert isinstance(_issue(customer, agent, "50.00"), Credit)


def test_the_limit_is_per_agent_and_per_customer(limits, provider, customer, actors):
    agent = actors["agent"]
    other_agent = Actor.staff(UserFactory(provider=provider, role="agent"))
    other_customer = CustomerFactory(provider=provider)
    _issue(customer, agent, "50.00")
    _issue(customer, agent, "50.00")
    assert isinstance(_issue(customer, other_agent, "50.00"), Credit)
    assert isinstance(_issue(other_customer, agent, "50.00"), Credit)
    assert isinstance(_issue(customer, agent, "1.00"), CreditRequest)


def test_billing_and_admin_are_not_limited(limits, customer, actors):
    for role in ("billing", "admin"):
        for _ in range(3):
            assert isinstance(_issue(customer, actors[role], "500.00"), Credit)
    assert not CreditRequest.objects.exists()


def test_approving_issues_the_credit_by_the_approver_naming_the_requester(limits, customer, actors, staff):
    _issue(customer, actors["agent"], "50.00")
    _issue(customer, actors["agent"], "50.00")
    pending = _issue(customer, actors["agent"], "40.00", "Goodwill")
    approved = services.credit_request_approve(credit_request=pending, actor=actors["billing"])
    assert approved.status == "approved" and approved.decided_by == staff["billing"]
    credit = approved.credit
    assert credit.amount == D("40.00") and credit.actor == staff["billing"] and credit.reason == "Goodwill"
    entry = Activity.objects.get(kind="credit.issued", subject_id=credit.pk)
    assert entry.actor_id == staff["billing"].pk
    assert entry.details["requested_by"] == staff["agent"].display_name
    assert staff["agent"].display_name in entry.summary
    assert account_metrics(customer=customer).account_credit == D("140.00")
    assert account_summary_verify(customer) == {}
    # The approved credit is the approver's: the agent's own 30-day total is unchanged.
    assert isinstance(_issue(customer, actors["agent"], "1.00"), CreditRequest)


def test_declining_needs_a_reason_and_credits_nothing(limits, customer, actors):
    _issue(customer, actors["agent"], "50.00")
    _issue(customer, actors["agent"], "50.00")
    pending = _issue(customer, actors["agent"], "40.00")
    with pytest.raises(ValidationFailed):
        services.credit_request_decline(credit_request=pending, reason="  ", actor=actors["billing"])
    declined = services.credit_request_decline(
        credit_request=pending, reason="Already compensated", actor=actors["billing"]
    )
    assert declined.status == "declined" and declined.decline_reason == "Already compensated"
    entry = Activity.objects.get(kind="credit.declined")
    assert entry.actor_id == actors["billing"].user.pk and "Already compensated" in entry.summary
    assert Credit.objects.count() == 2


@pytest.mark.parametrize("role", ["agent", "technician", "readonly"])
def test_only_billing_and_admin_decide(limits, customer, actors, role):
    _issue(customer, actors["agent"], "50.00")
    _issue(customer, actors["agent"], "50.00")
    pending = _issue(customer, actors["agent"], "40.00")
    with pytest.raises(PermissionDenied):
        services.credit_request_approve(credit_request=pending, actor=actors[role])
    with pytest.raises(PermissionDenied):
        services.credit_request_decline(credit_request=pending, reason="no", actor=actors[role])
    pending.refresh_from_db()
    assert pending.status == "pending" and Credit.objects.count() == 2


def test_a_request_is_decided_once(limits, customer, actors):
    _issue(customer, actors["agent"], "50.00")
    _issue(customer, actors["agent"], "50.00")
    pending = _issue(customer, actors["agent"], "40.00")
    services.credit_request_approve(credit_request=pending, actor=actors["billing"])
    with pytest.raises(Conflict):
        services.credit_request_approve(credit_request=pending, actor=actors["admin"])
    with pytest.raises(Conflict):
        services.credit_request_decline(credit_request=pending, reason="late", actor=actors["admin"])
    assert Credit.objects.count() == 3


def test_a_zero_limit_sends_every_agent_credit_for_approval(limits, customer, actors):
    limits.agent_credit_limit_30d = D("0.00")
    limits.save()
    assert isinstance(_issue(customer, actors["agent"], "0.01"), CreditRequest)
    assert not Credit.objects.exists()
