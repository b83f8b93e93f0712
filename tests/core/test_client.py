"""The client's address behind trusted proxies: only what the proxies wrote is believed."""

import pytest
from django.test import RequestFactory

from accountdesk.core.client import client_address


def _request(remote="10.0.0.9", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_it_takes_remote_addr_without_proxies_and_ignores_x_forwarded_for(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_one_proxy_it_takes_the_address_the_proxy_appended(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_address(_request(forwarded="198.51.100.1")) == "198.51.100.1"


def test_a_client_cannot_choose_its_address_by_sending_x_forwarded_for(settings):
    settings.TRUSTED_PROXIES = 1
    # The client wrote "1.2.3.4"; the proxy appended the address it really saw.
    assert client_address(_request(forwarded="1.2.3.4, 198.51.100.1")) == "198.51.100.1"


def test_behind_two_proxies_it_takes_the_second_from_the_right(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_address(_request(forwarded="1.2.3.4, 198.51.100.1, 10.0.0.2")) == "198.51.100.1"


def test_with_fewer_entries_than_proxies_it_takes_the_leftmost(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_address(_request(forwarded="198.51.100.1")) == "198.51.100.1"
    assert client_address(_request("10.0.0.9", "")) == "10.0.0.9"


@pytest.mark.parametrize("junk", ["not-an-address", "x" * 300, "1.2.3.4.5", "<script>"])
def test_anything_but_an_address_falls_back_to_remote_addr(settings, junk):
    settings.TRUSTED_PROXIES = 1
    assert client_address(_request("10.0.0.9", f"1.2.3.4, {junk}")) == "10.0.0.9"


def test_it_understands_ipv6(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_address(_request(forwarded="2001:db8::1")) == "2001:db8::1"
