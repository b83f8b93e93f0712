"""Where a webhook may go: http(s) only, never this network's own addresses (unless allowed), checked
at registration and again on the address each attempt connects to; timeouts; no redirects."""

import pytest

from accountdesk.core.errors import ValidationFailed
from accountdesk.webhooks import guards, transport
from accountdesk.webhooks.guards import url_check

pytestmark = pytest.mark.django_db

REFUSED = {
    "127.0.0.1": "a loopback address",
    "::1": "a loopback address",
    "10.1.2.3": "a private address",
    "172.16.0.9": "a private address",
    "192.168.1.20": "a private address",
    "fd00::1": "a private address",
    "169.254.169.254": "a link-local address",
    "fe80::1": "a link-local address",
    "224.0.0.251": "a multicast address",
    "ff02::1": "a multicast address",
    "240.0.0.1": "a reserved address",
    "0.0.0.0": "an unspecified address",
    "100.64.0.1": "not a public address",
    "::ffff:127.0.0.1": "a loopback address",
}


@pytest.mark.parametrize("address", REFUSED)
def test_it_refuses_a_host_resolving_to_each_class_of_address(resolve_to, address):
    resolve_to(address)
    with pytest.raises(ValidationFailed) as refused:
        url_check("https://hooks.example.com/in")
    assert refused.value.fields["url"].endswith(f"{REFUSED[address]}.")


def test_it_refuses_a_host_when_any_of_its_addresses_is_private(resolve_to):
    resolve_to("93.184.215.14", "10.0.0.5")
    with pytest.raises(ValidationFailed, match=r"10\.0\.0\.5, a private address"):
        url_check("https://hooks.example.com/in")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/in", "http://[::1]/in", "http://169.254.169.254/latest"]
)
def test_it_refuses_an_address_written_in_the_url(url):
    with pytest.raises(ValidationFailed) as refused:
        url_check(url)
    assert "url" in refused.value.fields


def test_it_takes_a_public_https_or_http_url(resolve_to):
    assert url_check("  https://hooks.example.com/in?x=1 ") == "https://hooks.example.com/in?x=1"
    assert url_check("http://hooks.example.com:8443/in") == "http://hooks.example.com:8443/in"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://hooks.example.com/in", "Use an http:// or https:// URL."),
        ("javascript:alert(1)", "Use an http:// or https:// URL."),
        ("file:///etc/passwd", "Use an http:// or https:// URL."),
        ("hooks.example.com/in", "Use an http:// or https:// URL."),
        ("https:///in", "The URL has no host."),
        ("https://user:pw@hooks.example.com/in", "Put no user name or password in the URL"),
        ("https://hooks.example.com:99999/in", "This is not a valid URL."),
        ("https://hooks.example.com/a b", "This is not a valid URL."),
        ("", "Give the URL to send events to."),
    ],
)
def test_it_refuses_what_is_not_an_http_url(resolve_to, url, message):
    with pytest.raises(ValidationFailed) as refused:
        url_check(url)
    assert refused.value.fields["url"].startswith(message)


def test_a_host_that_does_not_resolve_is_refused(monkeypatch):
    def fail(host, port):
        raise OSError("Name or service not known")

    monkeypatch.setattr(guards, "resolve", fail)
    with pytest.raises(ValidationFailed, match=r"hooks\.invalid does not resolve"):
        url_check("https://hooks.invalid/in")


def test_the_setting_allows_private_addresses(allow_private, resolve_to):
    resolve_to("10.0.0.5")
    assert url_check("http://hooks.lan/in") == "http://hooks.lan/in"
    assert url_check("http://127.0.0.1:9000/in") == "http://127.0.0.1:9000/in"


def test_the_address_is_checked_again_when_connecting(receiver, resolve_to):
    """A name that resolved to a public address at registration and to the loopback now (DNS
    rebinding) is refused at connect time: nothing reaches the local server."""
    local = receiver([200])
    url = local.url.replace("127.0.0.1", "hooks.example.com")
    assert url_check(url) == url
    resolve_to("127.0.0.1")
    outcome = transport.post(url, b"{}", {})
    assert outcome.status_code is None and "127.0.0.1, a loopback address" in outcome.error
    assert local.got == []


def test_a_redirect_is_a_failure_and_is_not_followed(allow_private, receiver):
    local = receiver([302], headers={"Location": "http://127.0.0.1:1/elsewhere"})
    outcome = transport.post(local.url, b"{}", {"Content-Type": "application/json"})
    assert outcome.status_code == 302 and not outcome.succeeded
    assert outcome.error == "Redirect to http://127.0.0.1:1/elsewhere not followed."
    assert len(local.got) == 1


def test_a_slow_endpoint_times_out(allow_private, receiver, settings):
    settings.ACCOUNTDESK_WEBHOOK_READ_TIMEOUT = 0.2
    local = receiver([200], delay=1.0)
    outcome = transport.post(local.url, b"{}", {})
    assert outcome.status_code is None and not outcome.succeeded
    assert "timed out" in outcome.error


def test_a_closed_port_is_a_failed_attempt(allow_private):
    outcome = transport.post("http://127.0.0.1:1/in", b"{}", {})
    assert outcome.status_code is None and outcome.error and not outcome.succeeded


def test_a_success_reads_only_the_start_of_the_answer(allow_private, receiver):
    local = receiver([204])
    outcome = transport.post(local.url, b'{"a":1}', {"Content-Type": "application/json"})
    assert outcome.succeeded and outcome.status_code == 204 and outcome.duration_ms >= 0
    assert local.got[0].body == '{"a":1}'
