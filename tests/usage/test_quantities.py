"""A usage quantity is plain digits (or a JSON integer) from 0 to MAX_QUANTITY, and no hour or day
roll-up can grow past MAX_BUCKET_TOTAL: a bad value is a 422 naming the row, never a 500 from a
64-bit column overflowing (on SQLite or PostgreSQL), and nothing is stored."""

import json

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accountdesk.core.numbers import InvalidNumber, parse_count
from accountdesk.usage.models import UsageRecord, UsageRollup
from accountdesk.usage.services import MAX_BUCKET_TOTAL, MAX_QUANTITY

AT = "2025-03-02T10:00:00Z"
BAD = ["1e9", "+5", "5.0", "1_000", " ", "", "٣", "²", "0x10", "-0", "5 5", "99999999999999999999999999"]


@pytest.mark.parametrize("raw", [*BAD, 5.0, 1e9, 1.5, True, None, [], -1, MAX_QUANTITY + 1])
def test_the_count_parser_refuses_anything_but_plain_digits_in_range(raw):
    with pytest.raises(InvalidNumber):
        parse_count(raw, maximum=MAX_QUANTITY)


@given(st.integers(min_value=0, max_value=MAX_QUANTITY))
def test_the_count_parser_reads_digits_and_integers_alike(value):
    assert parse_count(str(value), maximum=MAX_QUANTITY) == value
    assert parse_count(f" {value} ", maximum=MAX_QUANTITY) == value
    assert parse_count(value, maximum=MAX_QUANTITY) == value


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_the_count_parser_never_crashes(text):
    try:
        value = parse_count(text, maximum=MAX_QUANTITY)
    except InvalidNumber:
        return
    assert 0 <= value <= MAX_QUANTITY and text.strip().isascii()


def url(customer) -> str:
    return f"/api/v1/customers/{customer.pk}/usage"


@pytest.mark.parametrize("quantity", ["1e9", "+5", 5.0, 1e9, "7.5", -3, "-3", 2**62, str(MAX_QUANTITY + 1)])
def test_the_api_refuses_a_quantity_that_is_not_plain_digits_in_range(
    api_as, customer, subscription, quantity
):
    rows = [{"at": AT, "quantity": 1}, {"at": AT, "quantity": quantity}]
    response = api_as("billing").post(url(customer), {"subscription_id": subscription.pk, "rows": rows})
    assert response.status_code == 422
    assert "rows[2].quantity" in response.json()["error"]["fields"]
    assert not UsageRecord.objects.exists() and not UsageRollup.objects.exists()


def test_the_api_accepts_the_largest_quantity(api_as, customer, subscription):
    rows = [{"at": AT, "quantity": MAX_QUANTITY}, {"at": AT, "quantity": str(MAX_QUANTITY)}]
    response = api_as("billing").post(url(customer), {"subscription_id": subscription.pk, "rows": rows})
    assert response.status_code == 201
    assert UsageRollup.objects.get(resolution="day").total == 2 * MAX_QUANTITY


def test_a_batch_that_would_overflow_a_rollup_is_refused(api_as, customer, subscription):
    # Each row is allowed, their sum in one day is not: buckets stay far inside 64 bits.
    rows = [{"at": AT, "quantity": MAX_QUANTITY}] * (MAX_BUCKET_TOTAL // MAX_QUANTITY + 1)
    response = api_as("billing").post(url(customer), {"subscription_id": subscription.pk, "rows": rows})
    assert response.status_code == 422
    assert "would total more than" in response.json()["error"]["message"]
    assert not UsageRecord.objects.exists() and not UsageRollup.objects.exists()


def test_a_rollup_already_near_its_bound_refuses_more(api_as, customer, subscription):
    client = api_as("billing")
    assert client.post(
        url(customer), {"subscription_id": subscription.pk, "rows": [{"at": AT, "quantity": 1}]}
    )
    UsageRollup.objects.filter(resolution="day").update(total=MAX_BUCKET_TOTAL)
    response = client.post(
        url(customer), {"subscription_id": subscription.pk, "rows": [{"at": AT, "quantity": 1}]}
    )
    assert response.status_code == 422
    assert UsageRecord.objects.count() == 1


@pytest.mark.parametrize("quantity", ["1e9", "+5", "5.0", "-5", "1000000000001"])
def test_the_csv_import_refuses_a_bad_quantity(tmp_path, provider, subscription, quantity):
    path = tmp_path / "usage.csv"
    path.write_text(
        f"subscription_id,at,quantity\n{subscription.pk},{AT},1\n{subscription.pk},{AT},{quantity}\n"
    )
    with pytest.raises(CommandError, match="Row 2: quantity"):
        call_command("usage", "import", str(path), "--provider", provider.slug)
    assert not UsageRecord.objects.exists()


@pytest.mark.parametrize("quantity", [1e9, 5.0, "1e9", "+5", -5])
def test_the_json_import_refuses_a_bad_quantity(tmp_path, provider, subscription, quantity):
    path = tmp_path / "usage.json"
    path.write_text(json.dumps([{"subscription_id": subscription.pk, "at": AT, "quantity": quantity}]))
    with pytest.raises(CommandError, match="Row 1: quantity"):
        call_command("usage", "import", str(path), "--provider", provider.slug)
    assert not UsageRecord.objects.exists()
