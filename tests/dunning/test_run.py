"""The collections run over a sequence of dates: reminder, reminder, fee, promise to pay (pauses,
then lapses), block, payment, unblock; reruns of a date do nothing twice."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accountdesk.activity.models import Activity
from accountdesk.billing import services as billing
from accountdesk.billing.models import AccountSummary, Invoice
from accountdesk.billing.verify import verify
from accountdesk.customers.models import StatusChange
from accountdesk.customers.services import customer_status_change
from accountdesk.dunning.models import DunningAction, DunningState
from accountdesk.dunning.services import dunning_policy_save, dunning_run, promise_to_pay_make
from accountdesk.dunning.tasks import dunning_run_task
from accountdesk.messaging.models import Message
from tests.activity.logged import assert_logged
from tests.dunning.conftest import STEPS, days_after_due, on
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def run(provider, n: int):
    """The daily run on the n-th day after the due date, with the clock on that day."""
    day = days_after_due(n)
    on(day)
    return dunning_run(provider=provider, on=day)


def state_of(customer) -> DunningState:
    return DunningState.objects.get(customer=customer)


def test_the_whole_sequence(provider, customer, policy, overdue_invoice, actors, staff):
    viewer = staff["admin"]
    # On the due date nothing is overdue yet; the day after, the episode opens with no step yet.
    assert run(provider, 0).overdue == 0
    counts = run(provider, 1)
    assert (counts.overdue, counts.steps) == (1, 0)
    assert state_of(customer).badge(days_after_due(1)) == ("Collections: no step yet", "warning")

    # Day 5: the email reminder, from the template, to the customer's address.
    counts = run(provider, 5)
    assert (counts.steps, counts.by_action) == (1, {"email": 1})
    email = Message.objects.get(customer=customer, channel="email")
    assert email.to == customer.email
    assert email.subject == f"{customer.number}: $100.00 overdue"
    assert email.body == (
        f"Dear {customer.name}, invoice {overdue_invoice.number} (due 31 Mar 2025) is 5 days overdue: "
        "$100.00. Acme Telecom"
    )
    assert_logged(
        customer, "dunning.step_taken",
        f"Collections, 5 days overdue: Email reminder sent to {customer.email}", viewer=viewer,
    )  # fmt: skip
    assert state_of(customer).badge(days_after_due(5)) == ("Collections: reminder sent (5 days)", "warning")
    # A rerun of the date, and the days after, send nothing twice.
    assert run(provider, 5).steps == 0
    assert run(provider, 6).steps == 0
    assert Message.objects.filter(customer=customer).count() == 1

    # Day 10: the SMS.
    assert run(provider, 10).by_action == {"sms": 1}
    sms = Message.objects.get(customer=customer, channel="sms")
    assert sms.body == "Acme Telecom: $100.00 is 10 days overdue."

    # Day 15: the late fee, a real invoice through billing (ledger and summary kept).
    assert run(provider, 15).by_action == {"fee": 1}
    fee = Invoice.objects.get(customer=customer, memo="Late fee")
    assert fee.total == Decimal("5.00") and fee.issued_on == days_after_due(15)
    assert fee.lines.get().description == "Late fee: 15 days overdue"
    assert AccountSummary.objects.get(customer=customer).total_due == Decimal("105.00")
    assert_logged(
        customer, "dunning.step_taken",
        f"Collections, 15 days overdue: Late fee of $5.00 added on invoice {fee.number}", viewer=viewer,
    )  # fmt: skip
    assert run(provider, 15).steps == 0
    assert Invoice.objects.filter(customer=customer, memo="Late fee").count() == 1
    assert verify(providers=[provider]).ok

    # Day 16: the customer promises to pay by day 25. Runs up to and including that day do nothing.
    on(days_after_due(16))
    promise_to_pay_make(
        customer=customer, until=days_after_due(25), note="Pays on payday", actor=actors["agent"]
    )
    assert_logged(
        customer, "dunning.promise_made", "Promise to pay by 25 Apr 2025 (Pays on payday)", viewer=viewer
    )
    assert state_of(customer).badge(days_after_due(16)) == ("Promise to pay by 25 Apr 2025", "info")
    for n in (20, 25):
        counts = run(provider, n)
        assert (counts.paused, counts.steps) == (1, 0)
    assert not Activity.objects.filter(customer=customer, kind="dunning.promise_lapsed").exists()

    # Day 26: the promise has lapsed by itself; the run says so, and goes on (block is at 30).
    counts = run(provider, 26)
    assert (counts.paused, counts.steps) == (0, 0)
    entry = assert_logged(
        customer, "dunning.promise_lapsed", "Promise to pay by 25 Apr 2025 lapsed: collections resume",
        viewer=viewer,
    )  # fmt: skip
    assert entry.actor_type == "system"
    assert state_of(customer).promise_until is None

    # Day 30: blocked, by the system, through the customer's status rules.
    assert run(provider, 30).by_action == {"block": 1}
    customer.refresh_from_db()
    assert customer.status == "blocked"
    change = StatusChange.objects.filter(customer=customer).latest("id")
    assert (change.new, change.actor_type, change.reason) == (
        "blocked",
        "system",
        "Collections: 30 days overdue",
    )
    status_entry = Activity.objects.filter(customer=customer, kind="customer.status_changed").latest("seq")
    assert status_entry.actor_type == "system"
    assert state_of(customer).badge(days_after_due(30)) == ("Collections: blocked (30 days)", "danger")
    assert run(provider, 30).steps == 0 and run(provider, 45).steps == 0

    # Day 31: a partial payment leaves the March invoice overdue: still blocked.
    on(days_after_due(31))
    billing.payment_record(customer=customer, amount="40.00", method="card", actor=actors["billing"])
    customer.refresh_from_db()
    assert customer.status == "blocked"

    # Day 32: the rest is paid: the block dunning set is lifted, by the system, in the payment's
    # transaction, and the episode ends.
    on(days_after_due(32))
    billing.payment_record(customer=customer, amount="65.00", method="card", actor=actors["billing"])
    customer.refresh_from_db()
    assert customer.status == "active"
    lift = StatusChange.objects.filter(customer=customer).latest("id")
    assert (lift.old, lift.new, lift.actor_type, lift.reason) == (
        "blocked",
        "active",
        "system",
        "Overdue balance paid",
    )
    entry = assert_logged(
        customer,
        "dunning.cleared",
        "Overdue balance cleared: collections stopped, block lifted",
        viewer=viewer,
    )
    assert entry.actor_type == "system"
    state = state_of(customer)
    assert not state.in_episode and state.badge(days_after_due(32)) is None
    assert run(provider, 32).overdue == 0
    assert DunningAction.objects.filter(customer=customer).count() == 4
    assert verify(providers=[provider]).ok


def test_a_new_overdue_spell_starts_the_steps_again(provider, customer, policy, overdue_invoice, actors):
    run(provider, 5)
    on(days_after_due(6))
    billing.payment_record(customer=customer, amount="100.00", method="card", actor=actors["billing"])
    assert not state_of(customer).in_episode
    # A second invoice, overdue in its turn: the first step is taken again, in a second episode.
    on(dt.date(2025, 5, 1))
    billing.invoice_issue(
        customer=customer, lines=[{"description": "May", "unit_price": "20.00"}], actor=actors["billing"]
    )
    day = dt.date(2025, 6, 5)  # due 31 May: 5 days overdue
    on(day)
    assert dunning_run(provider=provider, on=day).by_action == {"email": 1}
    assert list(
        DunningAction.objects.filter(customer=customer).order_by("id").values_list("episode", "days")
    ) == [
        (1, 5),
        (2, 5),
    ]


def test_a_block_a_person_set_is_never_lifted(provider, customer, policy, overdue_invoice, actors):
    run(provider, 20)
    on(days_after_due(21))
    customer_status_change(customer=customer, status="blocked", reason="Abusive calls", actor=actors["agent"])
    # The block step finds the account blocked already: it records that and blocks nothing.
    run(provider, 30)
    action = DunningAction.objects.get(customer=customer, days=30)
    assert action.outcome == "Account not blocked: it is blocked"
    on(days_after_due(31))
    billing.payment_record(customer=customer, amount="105.00", method="card", actor=actors["billing"])
    customer.refresh_from_db()
    assert customer.status == "blocked"
    assert StatusChange.objects.filter(customer=customer).latest("id").actor_type == "staff"
    assert not state_of(customer).in_episode


def test_a_person_who_reblocks_after_dunning_keeps_the_block(
    provider, customer, policy, overdue_invoice, actors
):
    run(provider, 30)
    on(days_after_due(30))
    customer_status_change(customer=customer, status="active", reason="", actor=actors["agent"])
    customer_status_change(customer=customer, status="blocked", reason="Fraud check", actor=actors["agent"])
    on(days_after_due(31))
    billing.payment_record(customer=customer, amount="105.00", method="card", actor=actors["billing"])
    customer.refresh_from_db()
    assert customer.status == "blocked"


def test_a_reminder_without_an_address_is_recorded_and_the_run_goes_on(provider, policy, actors):
    customer = CustomerFactory(provider=provider, email="", phone="")
    billing.invoice_issue(
        customer=customer, lines=[{"description": "March", "unit_price": "10.00"}], actor=actors["billing"]
    )
    counts = run(provider, 10)
    assert counts.steps == 2
    outcomes = list(
        DunningAction.objects.filter(customer=customer).order_by("days").values_list("outcome", flat=True)
    )
    assert outcomes == [
        "Email reminder not sent: Enter a valid email address.",
        "SMS reminder not sent: Enter a valid phone number.",
    ]
    assert not Message.objects.filter(customer=customer).exists()


def test_a_run_long_after_takes_every_step_due_in_order(provider, customer, policy, overdue_invoice):
    counts = run(provider, 40)
    assert counts.steps == 4
    taken = DunningAction.objects.filter(customer=customer).order_by("id")
    assert list(taken.values_list("action", flat=True)) == ["email", "sms", "fee", "block"]


def test_it_runs_one_provider_at_a_time(provider, other_provider, customer, policy, overdue_invoice):
    from accountdesk.core.actors import Actor
    from tests.factories import UserFactory

    foreign = CustomerFactory(provider=other_provider)
    billing.invoice_issue(
        customer=foreign, lines=[{"description": "March", "unit_price": "10.00"}],
        actor=Actor.staff(UserFactory(provider=other_provider, role="admin")),
    )  # fmt: skip
    # The other provider has no policy: its overdue customer is left alone.
    assert run(provider, 40).steps == 4
    assert not DunningAction.objects.filter(customer=foreign).exists()
    assert dunning_run(provider=other_provider, on=days_after_due(40)).steps == 0
    assert not DunningState.objects.filter(customer=foreign).exists()


def test_the_run_closes_an_episode_no_listener_saw_end(provider, customer, policy, overdue_invoice, actors):
    run(provider, 5)
    Invoice.objects.filter(pk=overdue_invoice.pk).update(balance=0)  # as history written in bulk would
    counts = run(provider, 6)
    assert (counts.overdue, counts.cleared) == (0, 1)
    assert not state_of(customer).in_episode
    assert Activity.objects.filter(customer=customer, kind="dunning.cleared").count() == 1


def test_a_disabled_policy_takes_no_step(provider, customer, overdue_invoice, actors):
    dunning_policy_save(provider=provider, enabled=False, steps=STEPS, actor=actors["admin"])
    assert run(provider, 40).steps == 0
    assert not Message.objects.exists()


def test_the_command_runs_a_date_and_repeats_safely(provider, customer, policy, overdue_invoice):
    day = days_after_due(10).isoformat()
    on(days_after_due(10))
    out = StringIO()
    call_command("dunning", "--date", day, stdout=out)
    assert out.getvalue().startswith(f"acme {day}: 1 overdue, 2 steps taken (email 1, sms 1)")
    out = StringIO()
    call_command("dunning", "--date", day, "--provider", "acme", stdout=out)
    assert "0 steps taken (none)" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("dunning", "--date", "10/04/2025")
    with pytest.raises(CommandError, match="No provider"):
        call_command("dunning", "--provider", "nope")


def test_the_scheduled_task_runs_every_provider(provider, customer, policy, overdue_invoice):
    on(days_after_due(5))
    result = dunning_run_task.enqueue(days_after_due(5).isoformat()).return_value
    assert result["acme"]["steps"] == 1
