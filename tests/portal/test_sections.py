"""The portal's module sections: each shows the customer's own records, is not there (404, not in
the navigation) when the provider lacks its module, and another customer's id is a 404."""

import pytest

from tests.factories import UserFactory
from tests.portal.sections_support import section_records

pytestmark = pytest.mark.django_db

SECTION_PAGES = {
    "subscriptions": "/portal/services/",
    "usage": "/portal/usage/",
    "tickets": "/portal/support/",
    "jobs": "/portal/appointments/",
    "contracts": "/portal/contracts/",
}
# Each module and the pages of its section (the Services section has no module: always there).
MODULE_PAGES = {
    "usage": ["/portal/usage/"],
    "service_desk": ["/portal/support/", "/portal/support/new/", "/portal/support/{ticket}/"],
    "field_service": ["/portal/appointments/", "/portal/appointments/{job}/reschedule/"],
    "contracts": ["/portal/contracts/", "/portal/contracts/{contract}/"],
}
# The pages that name one record, and the record they name.
RECORD_PAGES = [
    ("/portal/support/{}/", "ticket"),
    ("/portal/appointments/{}/reschedule/", "job"),
    ("/portal/contracts/{}/", "contract"),
]


@pytest.fixture
def own(customer, contact, provider):
    tech = UserFactory(provider=provider, role="technician", name="Terry Technician", email="t@acme.test")
    return section_records(customer, contact, technician=tech)


@pytest.fixture
def others(other_customer, foreign_customer):
    return {"other": section_records(other_customer), "foreign": section_records(foreign_customer)}


def ids(records: dict) -> dict:
    return {key: row.pk for key, row in records.items()}


@pytest.mark.parametrize("path", [*SECTION_PAGES.values(), "/portal/support/new/"])
def test_every_section_needs_a_portal_session(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/portal/sign-in/")


@pytest.mark.parametrize("key", SECTION_PAGES)
def test_each_section_is_in_the_navigation_and_opens(portal, own, key):
    page = portal.get(SECTION_PAGES[key])
    assert page.status_code == 200
    assert key in [s.key for s in page.context["sections"]]
    assert f'href="{SECTION_PAGES[key]}" aria-current="page"' in page.content.decode()


@pytest.mark.parametrize("path,kind", RECORD_PAGES)
def test_another_customers_record_is_not_found(portal, own, others, path, kind):
    assert portal.get(path.format(own[kind].pk)).status_code == 200
    for who in ("other", "foreign"):
        record = others[who][kind].pk
        assert portal.get(path.format(record)).status_code == 404
        assert portal.post(path.format(record), {}).status_code == 404
    assert portal.get(path.format("99999999999999999999")).status_code == 404


def test_lists_show_only_the_customers_own_records(portal, own, others):
    listed = {
        "subscriptions": portal.get("/portal/services/").context["subscriptions"],
        "ticket": portal.get("/portal/support/").context["page"].items,
        "job": portal.get("/portal/appointments/").context["jobs"],
        "contract": portal.get("/portal/contracts/").context["page"].items,
    }
    assert [s.pk for s in listed["subscriptions"]] == [own["subscription"].pk]
    for kind in ("ticket", "job", "contract"):
        assert [r.pk for r in listed[kind]] == [own[kind].pk], kind
    assert portal.get("/portal/usage/").context["usage"].subscription == own["subscription"]


@pytest.mark.parametrize("module", MODULE_PAGES)
def test_a_section_is_absent_without_its_module(portal, provider, own, module):
    setattr(provider, module, False)
    provider.save()
    home = portal.get("/portal/")
    shown = [s.module for s in home.context["sections"]]
    assert module not in shown
    for path in MODULE_PAGES[module]:
        url = path.format(**ids(own))
        assert url not in home.content.decode()
        assert portal.get(url).status_code == 404, url
        assert portal.post(url, {"subject": "x", "body": "x"}).status_code == 404, url


def test_services_show_package_price_cycle_and_next_bill(portal, own):
    own["subscription"].next_bill_on = own["subscription"].started_on.replace(month=4)
    own["subscription"].save()
    page = portal.get("/portal/services/").content.decode()
    assert own["subscription"].package.name in page
    assert "$31.00" in page and "Monthly" in page and "a month" in page
    assert "next bill 01 Apr 2025" in page


def test_usage_shows_the_period_against_the_allowance_with_its_graph(portal, provider, own):
    from accountdesk.core.actors import Actor
    from accountdesk.usage.services import usage_ingest

    rows = [{"at": "2025-03-10T08:00:00Z", "quantity": 2_500_000_000}]
    usage_ingest(provider=provider, subscription=own["subscription"], rows=rows, actor=Actor.system(provider))
    response = portal.get("/portal/usage/")
    period = response.context["usage"].period
    assert (period.first.isoformat(), period.used, period.allowance, period.percent) == (
        "2025-03-01",
        "2.5 GB",
        "10.0 GB",
        25,
    )
    html = response.content.decode()
    assert 'id="usage-period-data" type="application/json"' in html
    assert "usage/usage_graph.js" in html and "<script>" not in html
    # The previous periods back to the start of the service, in the picker; one of them shows.
    assert [p[0].isoformat() for p in response.context["usage"].periods] == [
        "2025-03-01",
        "2025-02-01",
        "2025-01-01",
    ]
    earlier = portal.get("/portal/usage/?period=2025-02-01").context["usage"].period
    assert (earlier.first.isoformat(), earlier.used) == ("2025-02-01", "0 B")
    for bad in ("1999-01-01", "not-a-date", "2025-02-30"):
        assert portal.get(f"/portal/usage/?period={bad}").context["usage"].period.first.isoformat() == (
            "2025-03-01"
        )


def test_appointments_name_the_technician_by_first_name_only(portal, own):
    page = portal.get("/portal/appointments/").content.decode()
    assert "<dd>Terry</dd>" in page and "Terry Technician" not in page
    assert own["job"].number in page and "Ask for another time" in page


def test_usage_offers_each_metered_service_and_only_the_customers_own(portal, customer, own, others):
    from tests.subscriptions.factories import PackageFactory, SubscriptionFactory

    phone = PackageFactory(
        provider=customer.provider, name="Home phone", usage_allowance=500, usage_unit="minutes"
    )
    second = SubscriptionFactory(customer=customer, package=phone, started_on=own["subscription"].started_on)
    page = portal.get(f"/portal/usage/?service={own['subscription'].pk}")
    assert page.context["usage"].subscription == own["subscription"]
    assert [s.pk for s in page.context["usage"].services] == [own["subscription"].pk, second.pk]
    assert 'name="service"' in page.content.decode()
    assert portal.get(f"/portal/usage/?service={second.pk}").context["usage"].subscription == second
    for who in ("other", "foreign"):
        theirs = others[who]["subscription"].pk
        shown = portal.get(f"/portal/usage/?service={theirs}").context["usage"]
        assert theirs not in [s.pk for s in shown.services]
    assert portal.get("/portal/usage/?service=x").status_code == 200
