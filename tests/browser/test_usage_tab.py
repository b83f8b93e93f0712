"""The Usage tab: one sentence when nothing is metered; otherwise the per-day line on its own scale
beside the cumulative use and the allowance."""

import datetime as dt

import pytest

from accountdesk.core import clock
from accountdesk.core.actors import Actor
from accountdesk.usage.services import usage_ingest
from tests.browser.sign_in import sign_in
from tests.factories import CustomerFactory, ProviderFactory, UserFactory
from tests.subscriptions.factories import PackageFactory, SubscriptionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GB = 1_000_000_000


@pytest.fixture(autouse=True)
def frozen_now():
    clock.freeze(dt.datetime(2025, 3, 20, 12, tzinfo=dt.UTC))
    yield
    clock.freeze(None)


@pytest.fixture
def acme(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    return {"provider": provider, "agent": UserFactory(provider=provider, role="agent", name="Alex Agent")}


def test_a_customer_without_a_metered_package_reads_one_sentence(page, live_server, acme, shot):
    customer = CustomerFactory(provider=acme["provider"], name="Fibre Only")
    SubscriptionFactory(
        customer=customer, package=PackageFactory(provider=acme["provider"], name="Fibre 500")
    )
    sign_in(page, live_server, acme["agent"])
    page.goto(f"{live_server.url}/customers/{customer.pk}/usage/")
    panel = page.locator("#tab-panel")
    panel.get_by_text("has no package with metered usage").wait_for()
    assert page.locator(".usage-graph, .uplot").count() == 0
    assert "Minute by minute" not in panel.inner_text()
    shot(page, "usage-not-metered")


def test_the_per_day_line_has_its_own_axis(page, live_server, acme, shot):
    customer = CustomerFactory(provider=acme["provider"], name="Mobile Customer")
    package = PackageFactory(
        provider=acme["provider"], name="Mobile 10 GB", usage_allowance=10 * GB, usage_unit="bytes"
    )
    subscription = SubscriptionFactory(customer=customer, package=package, started_on=dt.date(2025, 1, 1))
    start = dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)
    rows = [
        {"at": (start + dt.timedelta(days=d)).isoformat(), "quantity": (150 + 40 * (d % 4)) * 1_000_000}
        for d in range(19)
    ]
    usage_ingest(provider=acme["provider"], subscription=subscription, rows=rows,
                 actor=Actor.system(acme["provider"]))  # fmt: skip
    sign_in(page, live_server, acme["agent"])
    page.goto(f"{live_server.url}/customers/{customer.pk}/usage/")
    graph = page.locator("#usage-period-graph")
    graph.locator(".uplot").wait_for()
    # Two y axes (uPlot draws each as an .u-axis beside the x axis): the daily line is not
    # flattened under the allowance's scale.
    assert graph.locator(".u-axis").count() == 3
    labels = graph.locator(".u-legend .u-series").all_inner_texts()
    assert any("Per day" in t for t in labels) and any("Allowance" in t for t in labels)
    graph.scroll_into_view_if_needed()
    shot(page, "usage-two-axes")
