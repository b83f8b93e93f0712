"""Card numbers are never stored in free text: any 13-19 digits passing Luhn, however separated, are
refused with one clear message by every service that stores text, so pages and API alike."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accountdesk.activity.models import Activity
from accountdesk.billing.models import Credit, Payment
from accountdesk.core.text import CARD_NUMBER_MESSAGE, contains_card_number, luhn_valid
from accountdesk.customers.models import Contact, CustomFieldDefinition
from accountdesk.fieldservice.models import Job
from accountdesk.messaging.models import Message
from accountdesk.network.models import Equipment
from accountdesk.notes.models import Note
from accountdesk.servicedesk.models import CallLog, Ticket, TicketComment
from tests.factories import ContactFactory

CARD = "4111 1111 1111 1111"
SEPARATORS = [" ", "-", ".", "  ", " - ", "\u00a0", "\u2013", "\t", ""]
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ,;:!?()/'\"#@\n"


def luhn_complete(body: str) -> str:
    """`body` plus the check digit that makes it pass Luhn."""
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


@st.composite
def written_card_numbers(draw) -> str:
    length = draw(st.integers(min_value=13, max_value=19))
    body = draw(st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1))
    digits = luhn_complete(body)
    written = digits[0]
    for digit in digits[1:]:
        written += draw(st.sampled_from(["", "", "", *SEPARATORS])) + digit
    before = draw(st.text(alphabet=LETTERS, max_size=30))
    after = draw(st.text(alphabet=LETTERS, max_size=30))
    return f"{before} {written} {after}"


@given(written_card_numbers())
def test_it_finds_any_luhn_valid_number_however_it_is_separated(text):
    assert contains_card_number(text)


@st.composite
def text_without_long_numbers(draw) -> str:
    """Words and short numbers (at most 12 digits, however grouped), never joined into a longer run."""
    parts = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        parts.append(draw(st.text(alphabet=LETTERS.replace(" ", ""), min_size=1, max_size=12)))
        digits = draw(st.text(alphabet="0123456789", max_size=12))
        if digits:
            cut = draw(st.integers(min_value=0, max_value=len(digits)))
            parts.append(digits[:cut] + draw(st.sampled_from(SEPARATORS)) + digits[cut:])
    return " x ".join(parts)


@given(text_without_long_numbers())
def test_it_accepts_text_without_such_numbers(text):
    assert not contains_card_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "4111111111111111",
        "card 4111-1111-1111-1111 exp 12/27",
        "4111.1111.1111.1111",
        "5500 0000 0000 0004",
        "3782 822463 10005",  # Amex, 15 digits
        "paid with 4111 1111 1111 1111 123",  # the CVV after it
        "6011\u00a00000\u00a00000\u00a00004",
    ],
)
def test_it_refuses_written_card_numbers(text):
    assert contains_card_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112",  # fails Luhn
        "call +44 20 7946 0958",
        "invoice INV-000123 of 2025-03-01",
        "Visa •••• 4242",  # a masked payment method, as the product shows it
        "order 123456789012",  # 12 digits
        "",
    ],
)
def test_it_accepts_ordinary_text(text):
    assert not contains_card_number(text)


# ---------------------------------------------------------------- every free-text field, through the API


@pytest.fixture
def ticket(api_as, customer):
    response = api_as("agent").post(f"/api/v1/customers/{customer.pk}/tickets", {"subject": "No signal"})
    return Ticket.objects.get(pk=response.json()["id"])


FIELDS = [
    ("notes", {"body": CARD}, "body", Note),
    ("tickets", {"subject": f"Card {CARD}"}, "subject", Ticket),
    ("tickets", {"subject": "Help", "description": CARD}, "description", Ticket),
    ("call-logs", {"direction": "inbound", "summary": f"gave {CARD}"}, "summary", CallLog),
    ("jobs", {"kind": "install", "description": CARD}, "description", Job),
    ("contacts", {"name": "Ann", "title": CARD}, "title", Contact),
    ("credits", {"amount": "5.00", "reason": CARD}, "reason", Credit),
    ("payments", {"amount": "5.00", "method": "cash", "reference": CARD}, "reference", Payment),
    ("messages/email", {"subject": "Hello", "body": f"Your card {CARD}"}, "body", Message),
    ("messages/email", {"subject": f"Card {CARD}", "body": "Hello"}, "subject", Message),
    ("messages/sms", {"body": CARD}, "body", Message),
    ("equipment", {"name": f"Router {CARD}"}, "name", Equipment),
]


@pytest.mark.parametrize(("path", "body", "field", "model"), FIELDS, ids=lambda v: str(v)[:20])
def test_the_api_refuses_a_card_number_in_free_text(api_as, customer, path, body, field, model):
    customer.email, customer.phone = "grace@example.com", "+1 555 0100"
    customer.save()
    before = model.objects.count()
    response = api_as("admin").post(f"/api/v1/customers/{customer.pk}/{path}", body)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["fields"][field] == CARD_NUMBER_MESSAGE
    assert model.objects.count() == before


def test_the_api_refuses_a_card_number_in_a_comment_the_customer_and_custom_fields(api_as, customer, ticket):
    client = api_as("admin")
    response = client.post(f"/api/v1/customers/{customer.pk}/tickets/{ticket.pk}/comments", {"body": CARD})
    assert response.status_code == 422 and not TicketComment.objects.exists()
    response = client.client.patch(
        f"/api/v1/customers/{customer.pk}",
        json.dumps({"billing_line1": f"12 Main St {CARD}"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    definition = CustomFieldDefinition.objects.create(provider=customer.provider, name="Notes")
    response = client.client.put(
        f"/api/v1/customers/{customer.pk}/custom-fields/{definition.pk}",
        json.dumps({"value": CARD}),
        content_type="application/json",
    )
    assert response.status_code == 422
    response = client.post(f"/api/v1/customers/{customer.pk}/status", {"status": "blocked", "reason": CARD})
    assert response.status_code == 422
    customer.refresh_from_db()
    assert customer.status == "active" and "Main St" not in customer.billing_line1
    assert not Activity.objects.filter(kind__in=["customer.updated", "customer.status_changed"]).exists()


def test_a_contacts_phone_number_is_not_taken_for_a_card(api_as, customer):
    # 4111111111111111 is a phone-shaped digit run here: phone fields are not free text.
    ContactFactory(customer=customer, name="Bob", phone="4111 1111 1111 1111")
    response = api_as("admin").post(
        f"/api/v1/customers/{customer.pk}/contacts", {"name": "Ann", "phone": "4111111111111111"}
    )
    assert response.status_code == 201


def test_the_note_page_shows_the_message_and_stores_nothing(browser_client, staff, customer):
    response = browser_client(staff["agent"]).post(f"/customers/{customer.pk}/notes/", {"body": CARD})
    assert CARD_NUMBER_MESSAGE.split(";")[0] in response.content.decode()
    assert not Note.objects.exists()


def test_a_payment_method_still_takes_its_last_four_digits(api_as, customer, staff):
    from accountdesk.billing import services
    from accountdesk.core.actors import Actor

    method = services.payment_method_add(
        customer=customer,
        kind="card",
        token="tok_visa",
        last4="1111",
        label="Visa",
        actor=Actor.staff(staff["agent"]),
    )
    assert method.display.endswith("1111")
