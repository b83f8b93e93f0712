"""Where a webhook may go: http(s) only, and never to this network's own addresses.

A URL is checked when it is registered (its host resolved now) and again at every attempt, on the
address the socket really connects to: a name that resolved to a public address at registration
and to 127.0.0.1 later (DNS rebinding) is refused at connect time. Private, loopback, link-local,
multicast, reserved and unspecified addresses (and the carrier-grade NAT range) are refused unless
ACCOUNTDESK_WEBHOOK_ALLOW_PRIVATE=1, for tests and setups whose receivers are on the same network.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from accountdesk.core.errors import ValidationFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class DestinationRefused(Exception):
    """The URL or the address it resolves to is not one a webhook may reach."""


def address_refused(ip: IPAddress) -> str:
    """Why `ip` is not a public destination ("" when it is)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return address_refused(ip.ipv4_mapped)
    for reason, test in (
        ("a loopback address", ip.is_loopback),
        ("a link-local address", ip.is_link_local),
        ("a multicast address", ip.is_multicast),
        ("an unspecified address", ip.is_unspecified),
        ("a reserved address", ip.is_reserved),
        ("a private address", ip.is_private),
        ("not a public address", not ip.is_global),
    ):
        if test:
            return reason
    return ""


def private_allowed() -> bool:
    return bool(settings.ACCOUNTDESK_WEBHOOK_ALLOW_PRIVATE)


def resolve(host: str, port: int) -> list[IPAddress]:
    """The addresses `host` resolves to (a seam for tests: they patch it)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def checked_addresses(host: str, port: int) -> list[IPAddress]:
    """The host's addresses, each allowed; DestinationRefused names the first that is not."""
    try:
        addresses = [ipaddress.ip_address(host)]  # an address written in the URL
    except ValueError:
        addresses = []
    try:
        addresses = addresses or resolve(host, port)
    except (OSError, UnicodeError, ValueError) as exc:
        raise DestinationRefused(f"{host} does not resolve.") from exc
    if not addresses:
        raise DestinationRefused(f"{host} does not resolve.")
    if not private_allowed():
        for ip in addresses:
            if reason := address_refused(ip):
                raise DestinationRefused(f"{host} resolves to {ip}, {reason}.")
    return addresses


def split_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL, else DestinationRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise DestinationRefused("This is not a valid URL.") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise DestinationRefused("Use an http:// or https:// URL.")
    if not parts.hostname:
        raise DestinationRefused("The URL has no host.")
    if parts.username is not None or parts.password is not None:
        raise DestinationRefused("Put no user name or password in the URL: verify the signature instead.")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def url_check(raw: object, *, field: str = "url") -> str:
    """A webhook URL as registered: trimmed, http(s), its host resolving to allowed addresses now.
    ValidationFailed names `field`."""
    from accountdesk.webhooks.models import URL_MAX

    url = str(raw or "").strip()
    if not url:
        raise ValidationFailed("The URL is required.", fields={field: "Give the URL to send events to."})
    if len(url) > URL_MAX or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise ValidationFailed("This is not a valid URL.", fields={field: "This is not a valid URL."})
    try:
        _scheme, host, port = split_url(url)
        checked_addresses(host, port)
    except DestinationRefused as exc:
        raise ValidationFailed(str(exc), fields={field: str(exc)}) from None
    return url
