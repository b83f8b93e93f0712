"""Who is on the other end of a request: the client's address behind trusted proxies."""

from django.conf import settings


def client_address(request) -> str:
    """The client's IP address.

    With `TRUSTED_PROXIES = n` (reverse proxies in front of the application, each appending the
    address it saw to X-Forwarded-For), the client is the n-th address from the right; the ones
    further left were written by the client and prove nothing. With 0, it is REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXIES
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return forwarded[0] if forwarded else remote
    return forwarded[-hops][:45]
