"""One test per kind of question, on data built so that a careless rule answers wrongly."""

import datetime as dt

import pytest

from accountdesk.billing import services as billing
from accountdesk.billing.models import Invoice
from accountdesk.customers import services as customers
from accountdesk.notes import services as notes
from accountdesk.search.engine import DENIED, TOPICS
from tests.factories import ContactFactory, CustomerFactory, ProviderFactory, UserFactory
from tests.fieldservice.factories import JobFactory
from tests.search.builders import invoice, pay
from tests.servicedesk.factories import TicketFactory
from tests.subscriptions.factories import PackageFactory, SubscriptionFactory

UTC = dt.UTC


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def labels(answer) -> list[str]:
    return [c.label for c in answer.citations]


# ---------------------------------------------------------------- money


@pytest.fixture
def books(customer, system):
    """Two open invoices (one overdue, part paid), plus a draft and a void one that must not count."""
    old = invoice(customer, system, "120.00", dt.date(2024, 12, 1))
    recent = invoice(customer, system, "80.50", dt.date(2025, 1, 20))
    pay(customer, system, "20.00", on=dt.date(2025, 1, 5), invoice=old)
    billing.invoice_create_draft(
        customer=customer, actor=system, lines=[{"description": "Draft", "unit_price": "999.00"}]
    )
    voided = invoice(customer, system, "500.00", dt.date(2025, 1, 10))
    billing.invoice_void(invoice=voided, reason="Wrong customer", actor=system)
    return {"old": old, "recent": recent}


@pytest.mark.parametrize("question", ["what's the balance", "How much do they owe?", "total due"])
def test_it_answers_the_balance_from_open_approved_invoices(ask_as, books, question):
    answer = ask_as("agent", question)
    assert answer.intent == "balance"
    assert answer.text == (
        "Grace Hopper owes $180.50 on 2 open invoices, the oldest due 31 Dec 2024 (overdue)."
    )
    assert labels(answer) == [books["old"].number, books["recent"].number]
    assert [c.type for c in answer.citations] == ["invoice", "invoice"]
    assert answer.citations[0].url == f"/customers/{books['old'].customer_id}/invoices/{books['old'].pk}/"


def test_it_says_a_customer_with_no_open_invoice_owes_nothing_and_names_unapplied_credit(
    ask_as, customer, system
):
    billing.credit_issue(customer=customer, amount="15.00", reason="Outage", actor=system)
    answer = ask_as("agent", "what's the balance")
    assert answer.text == (
        "Grace Hopper owes nothing: no approved invoice has an open balance; "
        "$15.00 of account credit is not yet applied."
    )
    assert answer.citations == []


def test_it_formats_money_in_the_customers_currency(provider, staff, system):
    customer = CustomerFactory(provider=provider, name="Euro Kunde", currency="EUR")
    invoice(customer, system, "42.00", dt.date(2025, 1, 20))
    from accountdesk.search.engine import ask

    answer = ask(viewer=staff["billing"], customer=customer, question="balance")
    assert "€42.00" in answer.text and "$" not in answer.text


@pytest.fixture
def unpaid(customer, system):
    """Invoices around a threshold of 100: only `over` and `well_over` are unpaid and above it."""
    paid = invoice(customer, system, "300.00", dt.date(2024, 11, 1))
    pay(customer, system, "300.00", on=dt.date(2024, 11, 5), invoice=paid)
    exactly = invoice(customer, system, "100.00", dt.date(2024, 12, 1))
    over = invoice(customer, system, "100.51", dt.date(2024, 12, 10))
    well_over = invoice(customer, system, "400.00", dt.date(2025, 1, 25))
    pay(customer, system, "150.00", on=dt.date(2025, 1, 26), invoice=well_over)  # 250.00 left
    small = invoice(customer, system, "40.00", dt.date(2025, 1, 2))
    billing.invoice_create_draft(
        customer=customer, actor=system, lines=[{"description": "Draft", "unit_price": "900.00"}]
    )
    voided = invoice(customer, system, "700.00", dt.date(2025, 1, 3))
    billing.invoice_void(invoice=voided, reason="Duplicate", actor=system)
    return {"exactly": exactly, "over": over, "well_over": well_over, "small": small}


@pytest.mark.parametrize(
    "question",
    ["unpaid invoices over 100", "Unpaid invoices over $100", "any open invoices above 100.00?"],
)
def test_it_lists_unpaid_invoices_over_an_amount(ask_as, unpaid, question):
    answer = ask_as("billing", question)
    assert answer.intent == "invoices"
    assert labels(answer) == [unpaid["over"].number, unpaid["well_over"].number]
    assert answer.text == (
        f"Grace Hopper has 2 unpaid invoices with more than $100.00 still owed, $350.51 in all: "
        f"{unpaid['over'].number} ($100.51 due 09 Jan 2025) and "
        f"{unpaid['well_over'].number} ($250.00 due 24 Feb 2025)."
    )


def test_it_compares_with_cents(ask_as, unpaid):
    answer = ask_as("billing", "unpaid invoices over 100.51")
    assert labels(answer) == [unpaid["well_over"].number]
    assert "1 unpaid invoice with more than $100.51" in answer.text


def test_it_lists_every_unpaid_invoice_without_an_amount(ask_as, unpaid):
    answer = ask_as("billing", "unpaid invoices")
    expected = ["exactly", "over", "small", "well_over"]  # by due date
    assert labels(answer) == [unpaid[k].number for k in expected]
    assert "4 unpaid invoices, $490.51 in all" in answer.text


def test_it_lists_overdue_invoices_only_when_asked_for_overdue(ask_as, unpaid):
    answer = ask_as("billing", "overdue invoices")
    assert labels(answer) == [unpaid["exactly"].number, unpaid["over"].number]


def test_it_says_when_no_invoice_is_over_the_amount(ask_as, unpaid):
    answer = ask_as("billing", "unpaid invoices over 1000")
    assert answer.text == "Grace Hopper has no unpaid invoices with more than $1,000.00 still owed."
    assert answer.citations == []


def test_it_names_the_latest_approved_invoices_when_not_asked_about_unpaid_ones(ask_as, customer, unpaid):
    answer = ask_as("billing", "latest invoices")
    latest = Invoice.objects.filter(customer=customer, status="approved").order_by("-issued_on")[:3]
    assert labels(answer) == [i.number for i in latest]


def test_it_says_how_the_last_payment_came_in_words(ask_as, customer, system):
    on = dt.date(2025, 1, 28)
    billing.payment_record(
        customer=customer, amount="12.00", method="bank_transfer", received_on=on, actor=system
    )
    answer = ask_as("agent", "last payment")
    assert answer.text == "Grace Hopper last paid $12.00 on 28 Jan 2025 by bank transfer."


@pytest.mark.parametrize("question", ["when did they last pay", "When did they last pay?", "last payment"])
def test_it_answers_the_last_payment_not_a_refund(ask_as, customer, system, question):
    invoice(customer, system, "200.00", dt.date(2025, 1, 1))
    pay(customer, system, "50.00", on=dt.date(2025, 1, 10), reference="R-1")
    later = pay(customer, system, "30.00", on=dt.date(2025, 1, 20), reference="R-2")
    billing.payment_refund(payment=later, amount="30.00", reason="Charged twice", actor=system)
    answer = ask_as("agent", question)
    assert answer.intent == "last_payment"
    assert answer.text == "Grace Hopper last paid $30.00 on 20 Jan 2025 by card (reference R-2)."
    assert [(c.type, c.id, c.label) for c in answer.citations] == [("payment", later.pk, "R-2")]


def test_it_says_when_no_payment_was_ever_made(ask_as):
    answer = ask_as("agent", "when did they last pay")
    assert answer.text == "Grace Hopper has not made a payment yet."
    assert answer.citations == []


def test_it_answers_the_account_credit(ask_as, customer, system):
    credit = billing.credit_issue(customer=customer, amount="25.00", reason="Outage", actor=system)
    answer = ask_as("agent", "how much credit do they have")
    assert answer.intent == "credit"
    assert answer.text == "Grace Hopper has $25.00 of account credit not yet applied."
    assert [(c.type, c.id, c.label) for c in answer.citations] == [("credit", credit.pk, "Outage")]


def test_it_answers_the_next_bill_date(ask_as, customer):
    profile = billing.billing_profile_ensure(customer=customer)
    profile.next_bill_date = dt.date(2025, 2, 1)
    profile.save()
    answer = ask_as("agent", "when is the next bill date?")
    assert answer.intent == "next_bill"
    assert answer.text.startswith("The next bill date of Grace Hopper is 01 Feb 2025 (")
    assert [c.type for c in answer.citations] == ["billing_profile"]


# ---------------------------------------------------------------- who may see what


MONEY_QUESTIONS = [
    "what's the balance",
    "how much do they owe",
    "when did they last pay",
    "unpaid invoices over 100",
    "account credit",
    "next bill date",
]


@pytest.mark.parametrize("question", MONEY_QUESTIONS)
def test_it_tells_a_technician_no_money(ask_as, books, question):
    answer = ask_as("technician", question)
    assert answer.text == DENIED["billing.view"]
    assert answer.citations == []


@pytest.mark.parametrize("role", ["admin", "billing", "agent", "readonly"])
def test_it_answers_money_to_every_role_that_sees_billing(ask_as, books, role):
    assert "$180.50" in ask_as(role, "what's the balance").text


def test_it_shows_a_technician_the_plan_without_its_price(ask_as, customer):
    package = PackageFactory(provider=customer.provider, name="Fibre 300")
    SubscriptionFactory(customer=customer, package=package)
    technician = ask_as("technician", "which plan are they on")
    assert technician.text == "Grace Hopper is on Fibre 300, since 01 Jan 2025."
    assert "$" not in technician.text
    assert "Fibre 300 at $31.00 monthly" in ask_as("agent", "which plan are they on").text


def test_it_says_when_a_module_is_not_enabled(staff):
    provider = ProviderFactory(name="Small ISP", slug="small")
    user = UserFactory(provider=provider, role="agent")
    customer = CustomerFactory(provider=provider)
    JobFactory(customer=customer)
    from accountdesk.search.engine import ask

    jobs = ask(viewer=user, customer=customer, question="open jobs next week")
    assert jobs.text == "Field Service is not enabled for your provider, so I cannot answer that."
    assert jobs.citations == []
    tickets = ask(viewer=user, customer=customer, question="tickets this year")
    assert tickets.text.startswith("Service Desk is not enabled")


def test_it_says_plainly_it_cannot_answer_and_offers_the_closest_questions(ask_as):
    answer = ask_as("agent", "what is the weather like")
    assert answer.intent == "unknown"
    assert answer.citations == []
    assert answer.text == "I can\u2019t answer that. Try one of these questions instead."
    assert len(answer.suggestions) == 3
    assert all(s in {t.example for t in TOPICS.values()} for s in answer.suggestions)


def test_it_offers_the_closest_questions_first(ask_as):
    answer = ask_as("billing", "refund the last payment")
    assert answer.intent == "unknown"
    assert "when did they last pay" in answer.suggestions


def test_it_offers_a_technician_no_money_questions(ask_as):
    answer = ask_as("technician", "refund the last payment")
    assert answer.intent == "unknown"
    assert answer.suggestions
    money = {t.example for t in TOPICS.values() if t.permission == "billing.view"}
    assert not money & set(answer.suggestions)


def test_every_suggestion_is_answered_as_its_own_topic(ask_as):
    """A suggestion clicked is asked: each topic's example must be understood as that topic."""
    for topic in TOPICS.values():
        if topic.name == "custom_field":
            continue
        assert ask_as("admin", topic.example).intent == topic.name, topic.example


# ---------------------------------------------------------------- services


def test_it_answers_which_plan_with_current_subscriptions_only(ask_as, customer):
    provider = customer.provider
    current = SubscriptionFactory(
        customer=customer,
        package=PackageFactory(provider=provider, name="Fibre 300", price="45.00"),
        price="45.00",
        started_on=dt.date(2024, 6, 1),
    )
    SubscriptionFactory(
        customer=customer,
        package=PackageFactory(provider=provider, name="Fibre 100"),
        status="cancelled",
        started_on=dt.date(2024, 12, 1),
    )
    answer = ask_as("agent", "which plan are they on")
    assert answer.intent == "plan"
    assert answer.text == "Grace Hopper is on Fibre 300 at $45.00 monthly, since 01 Jun 2024."
    assert [(c.type, c.id, c.label) for c in answer.citations] == [("subscription", current.pk, "Fibre 300")]


@pytest.fixture
def schedule(customer, foreign_customer):
    """Jobs on both sides of each boundary of this week and next week."""

    def job(number, start, status="scheduled", who=customer):
        return JobFactory(customer=who, number=number, scheduled_start=start, status=status)

    return {
        "tue": job("J-TUE", at(2025, 1, 28, 9)),
        "today": job("J-TODAY", at(2025, 1, 31, 15)),
        "sat": job("J-SAT", at(2025, 2, 1, 9)),
        "sun_late": job("J-SUN", at(2025, 2, 2, 23, 30)),
        "mon_midnight": job("J-MON", at(2025, 2, 3, 0, 0)),
        "wed_done": job("J-DONE", at(2025, 2, 5, 10), status="completed"),
        "thu_cancelled": job("J-CANC", at(2025, 2, 6, 10), status="cancelled"),
        "sun_last_minute": job("J-LAST", at(2025, 2, 9, 23, 59)),
        "next_monday": job("J-AFTER", at(2025, 2, 10, 0, 0)),
        "foreign": job("J-FOREIGN", at(2025, 2, 4, 9), who=foreign_customer),
    }


def test_it_lists_open_jobs_next_week_within_its_boundaries(ask_as, schedule):
    answer = ask_as("technician", "open jobs next week")
    assert answer.intent == "jobs"
    assert labels(answer) == ["J-MON", "J-LAST"]
    assert answer.text == (
        "Grace Hopper has 2 open jobs next week (03 Feb 2025 to 09 Feb 2025): "
        "J-MON Service call on 03 Feb 2025 00:00 and J-LAST Service call on 09 Feb 2025 23:59."
    )
    monday = schedule["mon_midnight"]
    assert answer.citations[0].url == f"/customers/{monday.customer_id}/jobs/{monday.pk}/"


def test_it_counts_completed_jobs_next_week_when_not_asked_for_open_ones(ask_as, schedule):
    assert labels(ask_as("technician", "jobs next week")) == ["J-MON", "J-DONE", "J-LAST"]


@pytest.mark.parametrize(
    "question, expected",
    [
        ("open jobs this week", ["J-TUE", "J-TODAY", "J-SAT", "J-SUN"]),
        ("open jobs today", ["J-TODAY"]),
        ("open jobs tomorrow", ["J-SAT"]),
        ("open jobs this month", ["J-TUE", "J-TODAY"]),
    ],
)
def test_it_lists_open_jobs_in_other_periods(ask_as, schedule, question, expected):
    assert labels(ask_as("agent", question)) == expected


def test_it_lists_every_open_job_without_a_period(ask_as, schedule, customer):
    JobFactory(customer=customer, number="J-UNSCHED", scheduled_start=None, status="unscheduled")
    answer = ask_as("agent", "open jobs")
    assert sorted(labels(answer)) == sorted(
        ["J-TUE", "J-TODAY", "J-SAT", "J-SUN", "J-MON", "J-LAST", "J-AFTER", "J-UNSCHED"]
    )
    assert "8 open jobs" in answer.text


@pytest.fixture
def ticket_history(customer, foreign_customer):
    def ticket(number, created, status="open", who=customer):
        return TicketFactory(customer=who, number=number, created_at=created, status=status)

    return {
        "old": ticket("T-DEC31", at(2024, 12, 31, 23, 59), status="closed"),
        "new_year": ticket("T-JAN1", at(2025, 1, 1, 0, 0), status="resolved"),
        "pending": ticket("T-PEND", at(2025, 1, 15, 9), status="pending"),
        "recent": ticket("T-JAN30", at(2025, 1, 30, 9)),
        "foreign": ticket("T-FOREIGN", at(2025, 1, 20, 9), who=foreign_customer),
    }


def test_it_lists_the_tickets_opened_this_year(ask_as, ticket_history):
    answer = ask_as("agent", "tickets this year")
    assert answer.intent == "tickets"
    assert labels(answer) == ["T-JAN30", "T-PEND", "T-JAN1"]
    assert answer.text.startswith(
        "Grace Hopper has 3 tickets opened this year (01 Jan 2025 to 31 Dec 2025): T-JAN30 "
    )
    assert answer.citations[0].url.endswith(f"/tickets/{ticket_history['recent'].pk}/")


def test_it_lists_the_tickets_of_last_month(ask_as, ticket_history):
    assert labels(ask_as("agent", "tickets last month")) == ["T-DEC31"]


def test_it_lists_open_and_pending_tickets_as_open(ask_as, ticket_history):
    answer = ask_as("agent", "open tickets")
    assert labels(answer) == ["T-JAN30", "T-PEND"]
    assert "2 open tickets:" in answer.text


def test_it_lists_open_tickets_of_this_month(ask_as, ticket_history):
    assert labels(ask_as("agent", "open tickets this month")) == ["T-JAN30", "T-PEND"]


# ---------------------------------------------------------------- the account


def test_it_answers_who_changed_the_status(ask_as, customer, staff):
    from accountdesk.core.actors import Actor

    customers.customer_status_change(
        customer=customer, status="blocked", reason="Unpaid", actor=Actor.staff(staff["agent"])
    )
    answer = ask_as("readonly", "who changed the status?")
    assert answer.intent == "status"
    agent = staff["agent"].display_name
    assert answer.text == (
        f"{agent} changed the status of Grace Hopper from Active to Blocked on 31 Jan 2025 12:00, "
        "reason: \u201cUnpaid\u201d."
    )
    assert [(c.type, c.label) for c in answer.citations] == [("status_change", "Active \u2192 Blocked")]
    assert answer.citations[0].url == f"/customers/{customer.pk}/status/history/"


def test_it_says_when_the_status_never_changed(ask_as):
    answer = ask_as("agent", "who changed the status")
    assert answer.text == "The status of Grace Hopper (Active) has never been changed."


def test_it_names_the_primary_contact(ask_as, customer):
    ContactFactory(customer=customer, name="Ada First")
    primary = ContactFactory(
        customer=customer,
        name="Linus Primary",
        title="CTO",
        email="linus@example.test",
        phone="555-1000",
        is_primary=True,
    )
    answer = ask_as("technician", "who is the primary contact")
    assert answer.text == (
        "The primary contact of Grace Hopper is Linus Primary (CTO), linus@example.test, 555-1000, "
        "one of 2 contacts."
    )
    assert labels(answer) == ["Linus Primary", "Ada First"]
    assert answer.citations[0].id == primary.pk


def test_it_quotes_the_last_note(ask_as, customer, agent_actor, staff):
    notes.note_add(customer=customer, body="First call", actor=agent_actor)
    latest = notes.note_add(customer=customer, body="Promised a callback  on Monday", actor=agent_actor)
    answer = ask_as("agent", "what does the last note say")
    assert answer.intent == "notes"
    assert answer.text.endswith("says \u201cPromised a callback on Monday\u201d.")
    assert [(c.type, c.id) for c in answer.citations] == [("note", latest.pk)]


def test_it_reads_nothing_of_another_customer(ask_as, provider, system, customer):
    neighbour = CustomerFactory(provider=provider, name="Neighbour")
    invoice(neighbour, system, "999.00", dt.date(2025, 1, 2))
    TicketFactory(customer=neighbour, number="T-NEIGHBOUR")
    assert ask_as("agent", "what's the balance").text.startswith("Grace Hopper owes nothing")
    assert ask_as("agent", "tickets this year").citations == []
