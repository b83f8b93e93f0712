from decimal import Decimal

import pytest

from accountdesk.core.money import InvalidAmount, money_text, parse_amount, quantize, to_str


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12.30", "12.30"),
        ("12.3", "12.30"),
        (" 7 ", "7.00"),
        (5, "5.00"),
        ("0.01", "0.01"),
        (Decimal("999999999.99"), "999999999.99"),
    ],
)
def test_it_parses_amounts(raw, value):
    assert parse_amount(raw) == Decimal(value)


@pytest.mark.parametrize(
    "raw",
    [
        "-1",
        "0",
        "0.00",
        "1.234",
        "1e3",
        "1E-2",
        "NaN",
        "inf",
        "-Infinity",
        "",
        "  ",
        "abc",
        "1,000",
        None,
        True,
        "1000000000",
        "12.30.1",
    ],
)
def test_it_refuses_bad_amounts(raw):
    with pytest.raises(InvalidAmount):
        parse_amount(raw)


def test_zero_and_negative_only_when_allowed():
    assert parse_amount("0", allow_zero=True) == Decimal("0.00")
    assert parse_amount("-2.5", allow_negative=True) == Decimal("-2.50")


def test_it_rounds_half_up_and_formats_two_places():
    assert quantize(Decimal("2.345")) == Decimal("2.35") and quantize(Decimal("-2.345")) == Decimal("-2.35")
    assert to_str(Decimal("3")) == "3.00" and to_str(None) is None


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "text"),
    [
        (Decimal("75"), "USD", None, "$75.00"),
        (Decimal("1234.5"), "USD", "en_US", "$1,234.50"),
        (Decimal("-5"), "USD", None, "\u2212$5.00"),
        ("12.30", "EUR", "de_DE", "12,30\u00a0€"),
        (Decimal("3"), "GBP", "xx_NOPE", "£3.00"),
    ],
)
def test_money_text_reads_as_the_pages_show_money(amount, currency, locale, text):
    assert money_text(amount, currency, locale) == text


def test_money_text_agrees_with_the_money_tag():
    from django.template import Context, Template

    shown = Template("{% load accountdesk %}{% money value 'USD' %}").render(
        Context({"value": Decimal("-75")})
    )
    assert money_text(Decimal("-75"), "USD") in shown
