"""The customer list on a 1024 px tablet: the columns that matter fit without a sideways scroll,
and the headers sort for real."""

import datetime as dt
import re

import pytest

from tests.browser.sign_in import sign_in
from tests.factories import CustomerFactory, GroupFactory, ProviderFactory, TagFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = [
    "Marguerite Ortiz-Villanueva", "Samuel Okafor", "Priya Raman", "Tomas Lindqvist", "Hana Sato",
    "Northwind Traders International", "Bartholomew Featherstonehaugh", "Li Wei", "Ana Souza", "Omar Haddad",
]  # fmt: skip


@pytest.fixture
def acme(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    gold = GroupFactory(provider=provider, name="Business Gold")
    vip = TagFactory(provider=provider, name="vip")
    for i, name in enumerate(NAMES):
        c = CustomerFactory(
            provider=provider,
            name=name,
            email=f"{name.lower().replace(' ', '.')}@long-company-domain-name.example.com",
            phone=f"(720) 361-54{i:02d}",
            joined_on=dt.date(2019, 1, 1) + dt.timedelta(days=97 * ((i * 7) % 10)),
            group=gold if i % 2 else None,
            type="business" if i % 3 == 0 else "residential",
        )
        if i % 3 == 0:
            c.tags.add(vip)
    return {"agent": UserFactory(provider=provider, role="agent", name="Alex Agent")}


def test_the_list_fits_a_tablet_and_sorts_by_its_headers(browser, live_server, acme, shot):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, acme["agent"])
    page.goto(f"{live_server.url}/customers/")
    table = page.locator(".table-wrap")
    assert table.evaluate("el => el.scrollWidth <= el.clientWidth"), "the table scrolls sideways"
    for header in ("Name", "Number", "Phone", "Joined", "Balance"):
        box = page.get_by_role("columnheader", name=re.compile(f"^{header}")).bounding_box()
        assert box and box["x"] + box["width"] <= 1024, header
    name = page.get_by_role("columnheader", name=re.compile("^Name"))
    assert name.get_attribute("aria-sort") == "ascending"
    shot(page, "customer-list-1024")

    page.get_by_role("link", name=re.compile("^Joined")).click()
    page.wait_for_url(re.compile(r"sort=joined"))
    joined = page.get_by_role("columnheader", name=re.compile("^Joined"))
    assert joined.get_attribute("aria-sort") == "ascending"
    assert page.get_by_role("columnheader", name=re.compile("^Name")).get_attribute("aria-sort") is None
    dates = page.locator("tbody tr td:nth-child(9)").all_inner_texts()
    parsed = [dt.datetime.strptime(d, "%d %b %Y") for d in dates]
    assert parsed == sorted(parsed) and len(parsed) == len(NAMES)

    page.get_by_role("link", name=re.compile("^Joined")).click()
    page.wait_for_url(re.compile(r"sort=-joined"))
    assert (
        page.get_by_role("columnheader", name=re.compile("^Joined")).get_attribute("aria-sort")
        == "descending"
    )
    parsed = [
        dt.datetime.strptime(d, "%d %b %Y")
        for d in page.locator("tbody tr td:nth-child(9)").all_inner_texts()
    ]
    assert parsed == sorted(parsed, reverse=True)
    shot(page, "customer-list-1024-joined-desc")

    # A search keeps the sort.
    page.get_by_label("Search", exact=True).fill("li")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"q=li"))
    assert "sort=-joined" in page.url
    context.close()


def test_the_list_shows_every_column_on_a_laptop(page, live_server, acme, shot):
    sign_in(page, live_server, acme["agent"])
    page.goto(f"{live_server.url}/customers/")
    for header in ("Type", "Group", "Tags", "Email", "Phone", "Joined", "Balance"):
        assert page.get_by_role("columnheader", name=re.compile(f"^{header}")).is_visible(), header
    assert page.locator(".table-wrap").evaluate("el => el.scrollWidth <= el.clientWidth")
    shot(page, "customer-list-1440")
