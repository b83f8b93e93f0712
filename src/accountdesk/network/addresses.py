"""MAC and IP address parsing: every common notation in, one canonical form out."""

import ipaddress
import re

_HEX = "0123456789abcdef"
# aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff (EUI-48 pairs); aabb.ccdd.eeff (Cisco); aabb-ccdd-eeff;
# aabbccddeeff (bare).
_PATTERNS = [
    re.compile(r"^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$"),
    re.compile(r"^[0-9a-f]{4}([.-])[0-9a-f]{4}\1[0-9a-f]{4}$"),
    re.compile(r"^[0-9a-f]{12}$"),
]


class InvalidAddress(ValueError):
    pass


def normalise_mac(raw: str) -> str:
    """ "aabb.ccdd.eeff" -> "AA:BB:CC:DD:EE:FF"; raises InvalidAddress for anything else."""
    text = (raw or "").strip().lower()
    if not any(p.match(text) for p in _PATTERNS):
        raise InvalidAddress("Enter a MAC address such as AA:BB:CC:DD:EE:FF.")
    digits = "".join(ch for ch in text if ch in _HEX)
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2)).upper()


def mac_search_forms(mac: str) -> list[str]:
    """The notations people type when they look a device up."""
    if not mac:
        return []
    digits = mac.replace(":", "").lower()
    return [
        mac.lower(),
        mac.lower().replace(":", "-"),
        digits,
        f"{digits[0:4]}.{digits[4:8]}.{digits[8:12]}",
    ]


def normalise_ip(raw: str) -> str:
    """An IPv4 or IPv6 address in its compressed form; raises InvalidAddress otherwise."""
    text = (raw or "").strip()
    if not text or "%" in text or "/" in text:
        raise InvalidAddress("Enter an IPv4 or IPv6 address, such as 192.0.2.10 or 2001:db8::10.")
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise InvalidAddress("Enter an IPv4 or IPv6 address, such as 192.0.2.10 or 2001:db8::10.") from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(address)
