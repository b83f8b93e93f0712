"""The journey: an admin registers a local receiver that verifies every request with the
standardwebhooks library; a customer's status changes; the receiver answers 500, the retry gets
200, and the endpoint's delivery log shows both attempts."""

import json

import pytest
from django.core.management import call_command

from accountdesk.core import clock
from accountdesk.customers.services import customer_status_change
from accountdesk.webhooks.models import Delivery, Endpoint
from accountdesk.webhooks.services import RETRY_DELAYS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def unfreeze():
    yield
    clock.freeze(None)


def test_a_failed_delivery_is_retried_and_the_log_shows_both_attempts(
    client, admin, customer, allow_private, receiver, unfreeze
):
    local = receiver([500, 200])
    client.force_login(admin)
    added = client.post(
        "/settings/webhooks/",
        {"url": local.url, "events": ["customer.status_changed"], "description": "Network gear"},
    )
    assert added.status_code == 201
    endpoint = Endpoint.objects.get()
    assert f'value="{endpoint.secret}"' in added.content.decode()
    local.secret = endpoint.secret  # copied from the page into the receiver

    # The change commits; the task worker (the immediate backend in tests) sends it: 500.
    customer_status_change(customer=customer, status="blocked", reason="Unpaid", actor=_actor(admin))
    delivery = Delivery.objects.get()
    assert delivery.is_pending and delivery.attempt_count == 1 and len(local.got) == 1

    # The retry is due five seconds later: the command sends what is due.
    clock.freeze(delivery.next_attempt_at)
    call_command("webhooks", "deliver")
    delivery.refresh_from_db()
    assert delivery.is_delivered and delivery.attempt_count == 2

    payload = json.loads(delivery.body)
    assert [got.verified for got in local.got] == [payload, payload]  # both verified by the library
    assert payload["type"] == "customer.status_changed" and payload["data"]["status"] == "blocked"
    assert local.got[1].headers["webhook-timestamp"] == str(int(clock.now().timestamp()))
    first = delivery.attempts.order_by("at").first()
    assert clock.now() - first.at == RETRY_DELAYS[0]

    page = client.get(f"/settings/webhooks/{endpoint.pk}/").content.decode()
    row = page[page.index(f'data-delivery="{delivery.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Delivered" in row and row.count('data-attempt="') == 2
    assert row.index(">200<") < row.index(">500<")  # the latest first
    assert "receiver says no" in row and delivery.event_id in row


def _actor(user):
    from accountdesk.core.actors import Actor

    return Actor.staff(user)
