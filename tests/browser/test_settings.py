"""An admin finds contract templates in the Settings menu and is asked before a tag is deleted."""

import re

import pytest

from accountdesk.customers.models import Tag
from tests.browser.sign_in import sign_in
from tests.factories import ProviderFactory, TagFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def acme(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    return {
        "provider": provider,
        "admin": UserFactory(provider=provider, role="admin", name="Ada Admin"),
        "tag": TagFactory(provider=provider, name="Legacy promo"),
    }


def test_contract_templates_are_in_the_settings_menu(page, live_server, acme, shot):
    sign_in(page, live_server, acme["admin"])
    page.goto(f"{live_server.url}/settings/")
    menu = page.get_by_role("navigation", name="Settings sections")
    menu.get_by_role("link", name="Contract templates").click()
    page.wait_for_url(re.compile(r"/settings/contracts/$"))
    assert menu.get_by_role("link", name="Contract templates").get_attribute("aria-current") == "page"
    shot(page, "settings-contract-templates")


def test_deleting_a_tag_asks_first(page, live_server, acme, shot):
    sign_in(page, live_server, acme["admin"])
    page.goto(f"{live_server.url}/settings/tags/")
    page.get_by_role("link", name="Delete Legacy promo").click()
    page.get_by_role("heading", name="Delete the tag “Legacy promo”?").wait_for()
    shot(page, "settings-confirm-delete")
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url(re.compile(r"/settings/tags/$"))
    assert Tag.objects.filter(pk=acme["tag"].pk).exists()

    page.get_by_role("link", name="Delete Legacy promo").click()
    page.get_by_role("button", name="Delete tag").click()
    page.wait_for_url(re.compile(r"/settings/tags/$"))
    page.get_by_text("Legacy promo deleted.").wait_for()
    assert not Tag.objects.filter(pk=acme["tag"].pk).exists()
