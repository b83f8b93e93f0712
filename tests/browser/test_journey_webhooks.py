"""An admin adds a webhook endpoint in Settings > Webhooks (a local receiver that verifies each
request with the standardwebhooks library), copies the secret shown once, and after a customer's
status changes finds both attempts in the delivery log: the receiver's 500, then the retry's 200.
Then replays the delivery from the page."""

import json
import re

import pytest
from django.core.management import call_command

from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.customers.services import customer_status_change
from accountdesk.webhooks.models import Delivery
from tests.browser.axe import axe_violations, describe
from tests.browser.sign_in import sign_in
from tests.factories import CustomerFactory, ProviderFactory, UserFactory
from tests.webhooks import receiver as receivers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def acme(transactional_db, settings):
    settings.ACCOUNTDESK_WEBHOOK_ALLOW_PRIVATE = True
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    admin = UserFactory(provider=provider, role="admin", email="admin@acme.test", name="Ada Admin")
    customer = CustomerFactory(provider=provider, name="Grace Hopper", status="active")
    local = receivers.start(receivers.Receiver([500, 200]))
    yield {"admin": admin, "customer": customer, "receiver": local}
    receivers.stop(local)
    clock.freeze(None)


def test_an_admin_sees_a_failed_delivery_retried_in_the_log(page, live_server, acme, shot):
    local = acme["receiver"]
    sign_in(page, live_server, acme["admin"])
    page.goto(f"{live_server.url}/settings/webhooks/")
    page.get_by_label("URL").fill(local.url)
    page.get_by_label("Description").fill("Network gear")
    page.get_by_role("checkbox", name=re.compile("Customer status changed")).check()
    shot(page, "webhooks-01-add", full_page=True)
    page.get_by_role("button", name="Add endpoint").click()
    secret = page.get_by_label(re.compile("Signing secret of")).input_value()
    assert secret.startswith("whsec_") and page.get_by_text("it will not be shown again").is_visible()
    assert not axe_violations(page), describe({"secret": axe_violations(page)})
    shot(page, "webhooks-02-secret-once")
    local.secret = secret

    customer_status_change(
        customer=acme["customer"], status="blocked", reason="Unpaid", actor=Actor.staff(acme["admin"])
    )
    delivery = Delivery.objects.get()
    clock.freeze(delivery.next_attempt_at)  # the retry's time has come
    call_command("webhooks", "deliver")
    clock.freeze(None)
    payload = json.loads(Delivery.objects.get().body)
    assert [got.verified for got in local.got] == [payload, payload]

    page.get_by_role("link", name="Done").click()
    page.wait_for_url(re.compile(r"/settings/webhooks/\d+/$"))
    row = page.locator(f'tr[data-delivery="{delivery.pk}"]')
    assert "Delivered" in row.inner_text()
    attempts = row.locator("li[data-attempt]")
    assert attempts.count() == 2
    assert "200" in attempts.nth(0).inner_text() and "500" in attempts.nth(1).inner_text()
    assert "receiver says no" in attempts.nth(1).inner_text()
    assert not axe_violations(page), describe({"log": axe_violations(page)})
    shot(page, "webhooks-03-delivery-log", full_page=True)

    local.statuses.append(200)
    row.get_by_role("button", name=re.compile("Replay")).click()
    page.wait_for_url(re.compile(r"/settings/webhooks/\d+/$"))
    assert page.get_by_text(f"{delivery.event_id} queued to be sent again").is_visible()
    assert page.locator(f'tr[data-delivery="{delivery.pk}"] li[data-attempt]').count() == 3
    assert len(local.got) == 3 and local.got[2].verified == payload
    shot(page, "webhooks-04-replayed", full_page=True)
