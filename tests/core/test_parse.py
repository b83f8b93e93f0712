import datetime as dt
from decimal import Decimal

import pytest

from accountdesk.billing.models import Cycle
from accountdesk.core.errors import ValidationFailed
from accountdesk.core.parse import parse_amount, parse_choice, parse_date, parse_decimal, parse_text

CARD = "4111 1111 1111 1111"


def refusal(parse, raw, **kwargs) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as error:
        parse(raw, **kwargs)
    return error.value


# ------------------------------------------------------------------ amounts


def test_it_reads_an_amount_to_the_cent():
    assert parse_amount(" 12.3 ") == Decimal("12.30")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (12.3, 'Send money as a string such as "12.30".'),
        ("1e3", "Enter an amount such as 12.30."),
        ("NaN", "Enter an amount such as 12.30."),
        (None, "Enter an amount such as 12.30."),
        (True, "Enter an amount such as 12.30."),
        ("1.005", "Use at most two decimal places."),
        ("1000000000", "The amount is too large."),
        ("-1.00", "The amount must be positive."),
        ("0", "The amount must be more than zero."),
    ],
)
def test_it_refuses_a_bad_amount_naming_the_field(raw, message):
    error = refusal(parse_amount, raw, field="total")
    assert error.message == message and error.fields == {"total": message}


def test_it_names_the_amount_field_by_default():
    assert refusal(parse_amount, "x").fields.keys() == {"amount"}


def test_it_takes_zero_and_negative_amounts_only_when_allowed():
    assert parse_amount("0", allow_zero=True) == Decimal("0.00")
    assert parse_amount("-5", allow_negative=True) == Decimal("-5.00")
    assert parse_amount("999999999.99") == Decimal("999999999.99")


# ------------------------------------------------------------------ decimals


def test_it_reads_a_decimal_within_its_bounds():
    bounds = {"places": 3, "low": Decimal("0.001"), "high": Decimal("10")}
    assert parse_decimal("0.001", field="quantity", **bounds) == Decimal("0.001")
    assert parse_decimal("10", field="quantity", **bounds) == Decimal("10")


@pytest.mark.parametrize("raw", ["0", "10.001", "0.0001", "1e1", "", None, False, "Infinity", "abc"])
def test_it_refuses_a_decimal_out_of_bounds_or_malformed(raw):
    error = refusal(parse_decimal, raw, field="quantity", places=3, low=Decimal("0.001"), high=Decimal("10"))
    expected = "Enter a number between 0.001 and 10 with at most 3 decimals."
    assert error.fields == {"quantity": expected}


# ------------------------------------------------------------------ text


def test_it_trims_text_and_keeps_its_lines():
    assert parse_text("  two\nlines  ", field="body", max_length=20) == "two\nlines"


def test_it_makes_single_line_text_one_line():
    assert parse_text(" a \n  b\tc ", field="memo", max_length=20, single_line=True) == "a b c"


def test_it_lets_optional_text_be_empty():
    assert parse_text(None, field="memo", max_length=20) == ""


def test_it_refuses_missing_required_text_with_the_callers_hint():
    hint = "Give a subject."
    error = refusal(parse_text, "  ", field="subject", max_length=20, required=True, missing=hint)
    assert error.message == "Subject is required." and error.fields == {"subject": hint}


def test_it_names_a_field_by_its_label():
    error = refusal(parse_text, "", field="due_note", max_length=20, required=True)
    assert error.message == "Due note is required." and error.fields == {"due_note": "Required."}
    error = refusal(parse_text, "", field="reason", max_length=20, required=True, label="The reason")
    assert error.message == "The reason is required."


def test_it_takes_text_of_exactly_the_limit_and_refuses_one_more():
    assert parse_text("x" * 1000, field="body", max_length=1000) == "x" * 1000
    error = refusal(parse_text, "x" * 1001, field="body", max_length=1000)
    assert error.message == "Body is too long." and error.fields == {"body": "At most 1,000 characters."}


def test_it_refuses_a_card_number_in_text():
    assert refusal(parse_text, f"card {CARD}", field="memo", max_length=100).fields.keys() == {"memo"}


# ------------------------------------------------------------------ choices


def test_it_takes_one_of_the_choices():
    assert parse_choice("annual", field="cycle", choices=Cycle) == "annual"


@pytest.mark.parametrize("raw", ["yearly", "", None, "ANNUAL"])
def test_it_refuses_another_choice_listing_the_allowed_ones(raw):
    error = refusal(parse_choice, raw, field="cycle", choices=Cycle)
    assert error.fields == {"cycle": f"Choose one of: {', '.join(Cycle.values)}."}


# ------------------------------------------------------------------ dates


def test_it_reads_a_date_from_text_a_date_or_a_datetime():
    day = dt.date(2025, 3, 1)
    assert parse_date("2025-03-01", field="issued_on") == day
    assert parse_date(day, field="issued_on") == day
    assert parse_date(dt.datetime(2025, 3, 1, 23, 0), field="issued_on") == day


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Enter a date as YYYY-MM-DD."),
        (None, "Enter a date as YYYY-MM-DD."),
        ("01/03/2025", "Enter a date as YYYY-MM-DD."),
        ("2025-02-30", "Enter a date as YYYY-MM-DD."),
        ("1899-12-31", "Enter a date between 1900-01-01 and 2100-12-31."),
        (dt.date(2101, 1, 1), "Enter a date between 1900-01-01 and 2100-12-31."),
    ],
)
def test_it_refuses_a_bad_date_naming_the_field(raw, message):
    error = refusal(parse_date, raw, field="starts_on")
    assert error.fields == {"starts_on": message}
