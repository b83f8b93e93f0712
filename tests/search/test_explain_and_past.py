"""Ask uses the explained figures and the account as of a day: "why is the balance so high?"
answers from the total due's explanation, "what was the balance on 1 March?" from the books
rebuilt at the end of that day. Both cite their records; a role that may not see money gets no
figure."""

import datetime as dt

import pytest

from accountdesk.billing.explain import total_due_explain
from accountdesk.core import clock
from accountdesk.core.dates import date_text
from accountdesk.search.engine import DENIED, MONEY
from tests.search.builders import invoice, pay


def at(day: dt.date) -> None:
    clock.freeze(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))


@pytest.fixture
def history(customer, system):
    """An invoice of 120.00 on 1 Nov 2024, 20.00 paid on 10 Dec, 80.50 invoiced on 20 Jan 2025,
    each written on its own day; today is 31 Jan 2025."""
    customer.joined_on = dt.date(2024, 1, 1)
    customer.save(update_fields=["joined_on"])
    at(dt.date(2024, 11, 1))
    first = invoice(customer, system, "120.00", dt.date(2024, 11, 1))
    at(dt.date(2024, 12, 10))
    pay(customer, system, "20.00", on=dt.date(2024, 12, 10), invoice=first)
    at(dt.date(2025, 1, 20))
    second = invoice(customer, system, "80.50", dt.date(2025, 1, 20))
    at(dt.date(2025, 1, 31))
    return {"first": first, "second": second}


@pytest.mark.parametrize(
    "question",
    [
        "why is the balance so high?",
        "why do they owe so much",
        "how come the bill is so big",
        "whys the outstanding amount 200 bucks",
        "balance looks wrong, why?",
    ],
)
def test_why_answers_from_the_total_due_explanation(ask_as, customer, history, question):
    answer = ask_as("agent", question)
    explanation = total_due_explain(customer=customer)
    assert answer.intent == "balance_why"
    assert answer.text == explanation.sentence
    shown = [(line.type, line.id) for line in explanation.lines if line.id is not None and line.url]
    assert [(c.type, c.id) for c in answer.citations] == shown
    assert ("invoice", history["first"].pk) in shown and ("invoice", history["second"].pk) in shown


@pytest.mark.parametrize(
    ("question", "day", "owed", "invoices"),
    [
        ("what was the balance on 5 December 2024", dt.date(2024, 12, 5), "$120.00", ["first"]),
        ("how much did they owe on December 31st 2024", dt.date(2024, 12, 31), "$100.00", ["first"]),
        ("balance on 2025-01-25", dt.date(2025, 1, 25), "$180.50", ["first", "second"]),
    ],
)
def test_the_balance_on_a_day_is_the_books_at_its_end(
    ask_as, customer, history, question, day, owed, invoices
):
    answer = ask_as("billing", question)
    assert answer.intent == "balance_on"
    count = f"{len(invoices)} open invoice{'s' if len(invoices) > 1 else ''}"
    assert answer.text == f"At the end of {date_text(day)}, Grace Hopper owed {owed} on {count}."
    view, *cited = answer.citations
    assert view.url == f"/customers/{customer.pk}/?as_of={day.isoformat()}"
    assert [c.id for c in cited] == [history[name].pk for name in invoices]


def test_a_day_before_any_invoice_owed_nothing(ask_as, history):
    answer = ask_as("billing", "what did they owe on 1 October 2024")
    assert answer.text == "At the end of 01 Oct 2024, Grace Hopper owed nothing."


def test_a_day_outside_the_account_is_refused_plainly(ask_as, history):
    future = ask_as("billing", "what was the balance on 2025-02-10")
    before = ask_as("billing", "what was the balance on 2023-06-01")
    for answer in (future, before):
        assert answer.intent == "balance_on"
        assert answer.text.startswith("I can only tell the balance from the day they joined up to today")
        assert answer.citations == []


def test_a_role_that_may_not_see_money_gets_no_figure(ask_as, history):
    for question in ("why is the balance so high", "what was the balance on 5 December 2024"):
        answer = ask_as("technician", question)
        assert answer.text == DENIED[MONEY] and answer.citations == []
