"""Who is on the other end of a request: the client's address behind trusted proxies."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address.

    With `TRUSTED_PROXIES = n` (reverse proxies in front of the application, each appending the
    address it saw to X-Forwarded-For), the client is the n-th address from the right; the ones
    further left were written by the client and prove nothing. With 0, it is REMOTE_ADDR.
    """
    remote: str = request.META.get("REMOTE_ADDR", "")
    hops: int = settings.TRUSTED_PROXIES
    if hops <= 0:
        return remote
    header: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",")]
    forwarded = [part for part in forwarded if part]
    # With fewer entries than proxies, the leftmost is the one the outermost proxy wrote.
    chosen = forwarded[-hops] if len(forwarded) >= hops else (forwarded[0] if forwarded else remote)
    # Whatever stands there must be an address (it keys the sign-in throttle and fills the log's
    # 45 characters); anything else is the nearest proxy's doing or a misconfiguration.
    return chosen if _is_address(chosen) else remote


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
