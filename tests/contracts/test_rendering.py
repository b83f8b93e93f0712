import datetime as dt

from accountdesk.contracts.rendering import render_contract, unknown_placeholders
from accountdesk.core import clock
from tests.factories import ContactFactory


def test_it_fills_whitelisted_placeholders(customer):
    contact = ContactFactory(customer=customer, name="Ada Lovelace", title="Director")
    clock.freeze(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC))
    try:
        text = render_contract(
            "{provider.name} / {customer.name} ({customer.number}) / "
            "{contact.name}, {contact.title} / {today}",
            customer=customer,
            contact=contact,
        )
    finally:
        clock.freeze(None)
    assert text == f"Acme Telecom / Grace Hopper ({customer.number}) / Ada Lovelace, Director / 2025-03-01"


def test_it_never_reaches_beyond_the_whitelist(customer):
    contact = ContactFactory(customer=customer)
    body = "{customer.provider.staff} {customer.__class__} {0} {contact.customer.provider.name}"
    assert render_contract(body, customer=customer, contact=contact) == body


def test_it_writes_literal_braces_when_doubled(customer):
    contact = ContactFactory(customer=customer)
    assert render_contract("{{customer.name}}", customer=customer, contact=contact) == "{customer.name}"


def test_it_lists_unknown_placeholders():
    assert unknown_placeholders("Hi {contact.name}, {customer.password} {Customer Name} {{ok}}") == [
        "customer.password",
        "Customer Name",
    ]
