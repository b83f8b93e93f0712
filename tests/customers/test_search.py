"""What a customer can be found by, and how other apps add to it."""

import pytest

from accountdesk.core.actors import Actor
from accountdesk.customers import search_index, selectors, services
from tests.factories import CustomerFactory


@pytest.fixture
def actor(agent):
    return Actor.staff(agent)


def _found(provider, q) -> list:
    return selectors.customer_list(provider=provider, q=q).items


def test_it_indexes_name_number_email_phone_and_its_digits(provider):
    c = CustomerFactory(
        provider=provider,
        name="Ada Lovelace",
        number="C-000042",
        email="Ada@Example.org",
        phone="(020) 7946-0958",
    )
    for q in ["ada", "LOVELACE", "c-000042", "ada@example.org", "(020)", "02079460958"]:
        assert _found(provider, q) == [c], q


def test_every_word_must_match(provider):
    c = CustomerFactory(provider=provider, name="Ada Lovelace")
    assert _found(provider, "ada lovelace") == [c]
    assert _found(provider, "ada babbage") == []


def test_contact_changes_refresh_the_index(provider, customer, actor):
    contact = services.contact_add(customer=customer, data={"name": "Charles Babbage"}, actor=actor)
    assert _found(provider, "babbage") == [customer]
    services.contact_update(contact=contact, data={"name": "Mary Somerville"}, actor=actor)
    assert _found(provider, "babbage") == [] and _found(provider, "somerville") == [customer]
    services.contact_remove(contact=contact, actor=actor)
    assert _found(provider, "somerville") == []


def test_an_edit_refreshes_the_index(provider, customer, actor):
    services.customer_update(customer=customer, data={"email": "new@address.test"}, actor=actor)
    assert _found(provider, "new@address") == [customer]


def test_a_new_customer_is_searchable_at_once(provider, actor):
    c = services.customer_create(
        provider=provider, data={"name": "Freshly Made", "phone": "555 0101"}, actor=actor
    )
    assert _found(provider, "freshly") == [c] and _found(provider, "5550101") == [c]


def test_other_apps_add_terms_through_a_contributor(provider, customer, monkeypatch):
    monkeypatch.setattr(search_index, "_CONTRIBUTORS", [])

    @search_index.register_search_contributor
    def equipment_terms(c):
        return ["AA:BB:CC:DD:EE:FF", "10.1.2.3"] if c.pk == customer.pk else []

    search_index.customer_search_refresh(customer)
    assert _found(provider, "aa:bb:cc") == [customer] and _found(provider, "10.1.2.3") == [customer]


def test_search_stays_within_the_provider(provider, other_provider):
    CustomerFactory(provider=other_provider, name="Shared Name")
    ours = CustomerFactory(provider=provider, name="Shared Name")
    assert _found(provider, "shared") == [ours]


@pytest.mark.parametrize(
    "q",
    [
        "720-361-5429",
        "(720) 361-5429",
        "7203615429",
        "720.361.5429",
        "720 361 5429",
        "+1 720 361 5429",
        "+1 (720) 361-5429",
        "1-720-361-5429",
        "+17203615429",
    ],
)
def test_it_finds_a_phone_however_it_is_punctuated(provider, q):
    c = CustomerFactory(provider=provider, name="Ada Lovelace", phone="(720) 361-5429")
    CustomerFactory(provider=provider, name="Other Phone", phone="(720) 361-9999")
    assert _found(provider, q) == [c]


def test_it_finds_a_phone_stored_with_its_country_code(provider):
    c = CustomerFactory(provider=provider, name="Ada Lovelace", phone="+1-720-361-5429")
    assert _found(provider, "720-361-5429") == [c]
    assert _found(provider, "(720) 361 5429") == [c]


@pytest.mark.parametrize("q", ["C-000108", "c-000108", "C-108", "c-108", "c108", "C000108", "c 108", "108"])
def test_it_finds_a_customer_number_without_its_padding_or_case(provider, q):
    c = CustomerFactory(provider=provider, name="Ada Lovelace", number="C-000108", phone="")
    CustomerFactory(provider=provider, name="Someone Else", number="C-001080", phone="")
    assert c in _found(provider, q), q
    if q not in ("108", "c 108"):  # the words "c" and "108" are also in C-001080
        assert _found(provider, q) == [c], q


def test_search_numbers_and_phones_stay_within_the_provider(provider, other_provider):
    CustomerFactory(provider=other_provider, number="C-000108", phone="720-361-5429")
    assert _found(provider, "c-108") == [] and _found(provider, "7203615429") == []


def test_padded_number_reads_what_people_type():
    assert search_index.padded_number("inv-123", "INV") == "INV-000123"
    assert search_index.padded_number("INV000123", "INV") == "INV-000123"
    assert search_index.padded_number("inv 1234567", "INV") == "INV-1234567"
    assert search_index.padded_number("123", "INV") is None
    assert search_index.padded_number("123", "C", bare=True) == "C-000123"
    assert search_index.padded_number("x-123", "C", bare=True) is None
    assert search_index.padded_number("ada", "C", bare=True) is None
