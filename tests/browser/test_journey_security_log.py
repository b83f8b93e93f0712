"""An admin renames a tag in Settings, then finds the change in Settings > Security log with its
old and new name, filters the log by kind, and downloads it as CSV."""

import re
from pathlib import Path

import pytest

from tests.factories import ProviderFactory, TagFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "accountdesk-demo"


@pytest.fixture
def acme(transactional_db):
    provider = ProviderFactory.with_all_modules(name="Acme Telecom", slug="acme")
    admin = UserFactory(provider=provider, role="admin", email="admin@acme.test", name="Ada Admin",
                        password=PASSWORD)  # fmt: skip
    tag = TagFactory(provider=provider, name="vip")
    return {"provider": provider, "admin": admin, "tag": tag}


def test_an_admin_finds_a_settings_change_in_the_security_log(page, live_server, acme, shot):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill("admin@acme.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/customers/$"))

    page.goto(f"{live_server.url}/settings/tags/{acme['tag'].pk}/")
    page.get_by_label("Name").fill("VIP customers")
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_url(re.compile(r"/settings/tags/$"))

    page.get_by_role("navigation", name="Settings sections").get_by_role("link", name="Security log").click()
    page.wait_for_url(re.compile(r"/settings/security-log/$"))
    row = page.get_by_role("row").filter(has_text="Tag vip renamed to VIP customers")
    assert row.is_visible()
    assert "Settings changed" in row.inner_text() and "Ada Admin" in row.inner_text()
    assert row.locator(".diff-old").inner_text() == "vip"
    shot(page, "security-log-01-list")

    page.get_by_label("Kind").select_option("module.switched")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"kind=module.switched"))
    assert page.get_by_text("No entries match these filters.").is_visible()
    page.get_by_role("link", name="Clear").click()
    page.wait_for_url(re.compile(r"/settings/security-log/\?$"))

    with page.expect_download() as download:
        page.get_by_role("navigation", name="Export the security log").get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Tag vip renamed to VIP customers" in text and "Name: vip → VIP customers" in text
    shot(page, "security-log-02-after-export")
