"""Reading a question: the classifier on phrasings it has never seen, slots, misspellings, custom
fields by name, and what it declines to answer."""

from collections import Counter
from pathlib import Path

import pytest

from accountdesk.search import understanding
from accountdesk.search.engine import BY_SHAPE, TOPICS
from accountdesk.search.parsing import normalise
from accountdesk.search.vocabulary import spelled

HELD_BACK = Path(__file__).parent / "data" / "heldback.tsv"
DEMO_FIELDS = [
    "Contract end date", "Router model", "Static IPs", "Paperless billing", "Credit check",
    "Gate or building code", "Site access notes", "Property type", "Pets on site",
    "Service interval (months)", "Last safety inspection",
]  # fmt: skip


def read(question: str, **kwargs) -> understanding.Reading:
    return understanding.read(normalise(question), **kwargs)


def test_the_phrasing_set_is_large_and_covers_every_topic():
    tuning, held = understanding.tuning_set(), understanding.tuning_set(HELD_BACK)
    assert len(tuning) + len(held) >= 600
    counts = Counter(t for t, _ in tuning + held)
    assert set(counts) == {*TOPICS, understanding.UNKNOWN} - set(BY_SHAPE)
    assert min(counts.values()) >= 20
    # The held-back phrasings are never tuned on.
    assert not {q.lower() for _, q in held} & {q.lower() for _, q in tuning}


def test_at_least_95_percent_of_the_held_back_phrasings_are_read_right():
    rows = understanding.tuning_set(HELD_BACK)
    right = 0
    for topic, question in rows:
        expected = None if topic == understanding.UNKNOWN else topic
        right += read(question, names=("grace", "hopper"), field_names=DEMO_FIELDS).topic == expected
    assert right / len(rows) >= 0.95


@pytest.mark.parametrize(
    "question, topic",
    [
        ("what is still owed", "balance"),
        ("the money received since the customer joined", "lifetime"),
        ("which number to ring", "contacts"),
        ("are they behind on payments", "overdue"),
        ("how many invoices this year", "invoice_count"),
    ],
)
def test_the_misses_that_were_reported_are_read_right(question, topic):
    assert read(question).topic == topic


@pytest.mark.parametrize(
    "question", ["delete this customer", "which customers are overdue", "what's the weather", "asdf"]
)
def test_requests_other_customers_and_nonsense_are_declined_with_the_closest_topics(question):
    reading = read(question)
    assert reading.topic is None
    assert len(reading.closest) == understanding.SUGGESTIONS
    assert understanding.UNKNOWN not in reading.closest


def test_slots_stand_in_for_what_varies():
    assert understanding.slotted("invoices over $100 since march") == "invoices zamount zperiod"
    assert understanding.slotted("what did grace pay last month", names=("grace",)) == "what did pay zperiod"
    assert understanding.slotted("invoice inv-0042") == "invoice zinvoice"


def test_misspelt_product_words_are_put_right_and_real_words_left_alone():
    assert spelled("tikets arears contarct paymnet") == "tickets arrears contract payment"
    assert spelled("sing me a song about life") == "sing me a song about life"


@pytest.mark.parametrize(
    "question, field",
    [
        ("gate code", "Gate or building code"),
        ("are there pets on site", "Pets on site"),
        ("what's the router model", "Router model"),
        ("static ips", "Static IPs"),
        ("contract signed date", None),  # "contract" and "date", not in a row
        ("what ip is the router on", None),
    ],
)
def test_a_custom_field_is_found_by_its_name(question, field):
    assert understanding.field_named(normalise(question), DEMO_FIELDS) == field
