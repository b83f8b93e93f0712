"""The Statement tab: its range fields sit inside the card, in line with its content."""

import datetime as dt

import pytest

from accountdesk.core import clock
from tests.browser.sign_in import sign_in
from tests.factories import CustomerFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def frozen_now():
    clock.freeze(dt.datetime(2025, 3, 20, 12, tzinfo=dt.UTC))
    yield
    clock.freeze(None)


def test_the_range_fields_align_with_the_card(page, live_server, transactional_db, shot):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    billing_user = UserFactory(provider=provider, role="billing", name="Bea Billing")
    customer = CustomerFactory(provider=provider, name="Statement Customer")
    sign_in(page, live_server, billing_user)
    page.goto(f"{live_server.url}/customers/{customer.pk}/statement/")
    card = page.locator("section.card", has=page.get_by_role("heading", name="Statement of account"))
    start, end = card.get_by_label("From"), card.get_by_label("To")
    show = card.get_by_role("button", name="Show")
    shot(page, "statement-tab")
    card_box, head_box = card.bounding_box(), card.locator(".card-head h2").bounding_box()
    boxes = [start.bounding_box(), end.bounding_box(), show.bounding_box()]
    # The first field starts where the card's heading does, inside the card's padding.
    assert abs(boxes[0]["x"] - head_box["x"]) <= 1
    assert boxes[0]["x"] - card_box["x"] >= 8
    # The fields and the button stand on one line, their bottoms level.
    bottoms = {round(b["y"] + b["height"]) for b in boxes}
    assert max(bottoms) - min(bottoms) <= 1
