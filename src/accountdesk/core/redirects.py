"""The one check for every redirect target that a request can influence.

A `next` travels through query strings and hidden fields, so an attacker can write it. Only a
path on this site is followed: `javascript:alert(1)`, `//evil.example`, `/\\evil.example`,
`https://evil.example` and anything with a control character fall back to a fixed page.
"""

from urllib.parse import urlsplit

_FORBIDDEN = frozenset(chr(code) for code in [*range(0x20), 0x7F]) | {"\\"}


def is_safe_next(candidate: str | None) -> bool:
    """True for a same-site relative path: one leading "/", no scheme, host, backslash or control
    character (browsers drop tabs and newlines from URLs, so "/\\t/evil" would become "//evil")."""
    if not candidate or not isinstance(candidate, str) or len(candidate) > 2000:
        return False
    if not candidate.startswith("/") or candidate.startswith("//"):
        return False
    if any(char in _FORBIDDEN for char in candidate):
        return False
    parts = urlsplit(candidate)
    return not parts.scheme and not parts.netloc


def safe_next(candidate: str | None, fallback: str) -> str:
    """`candidate` when it is a same-site path (see is_safe_next), else `fallback`."""
    return candidate if candidate is not None and is_safe_next(candidate) else fallback
