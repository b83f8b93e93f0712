"""The JSON body of an API request: read once, after authentication, and refused with 400 when it is
not JSON or nests deeper than MAX_DEPTH levels.

Python's json module parses nested arrays and objects by recursion, so a body such as 100,000
opening brackets ends in a RecursionError (or worse, with a raised recursion limit). The depth is
therefore measured first, without recursion and without parsing: the text inside strings is
set aside, then the brackets are counted, stopping at the first one past the limit. Each step
but the last is a bytes method (C speed); a body with few brackets skips the count altogether.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja.parser import Parser

from accountdesk.core.errors import DomainError

MAX_DEPTH = 32

_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENING = (ord("["), ord("{"))
_UNREAD = object()


class BadBody(DomainError):
    status = 400
    code = "bad_request"
    default_message = "The request body is not valid JSON."


class BodyTooLarge(DomainError):
    status = 413
    code = "too_large"
    default_message = "The request body is too large."


def nests_deeper_than(raw: bytes, limit: int) -> bool:
    """Whether the JSON text opens more than `limit` arrays or objects inside one another."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    # Drop escaped backslashes, then escaped quotes: every quote left opens or closes a string, so
    # the text between the 2nd and 3rd, the 4th and 5th... is outside strings.
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(unescaped.split(b'"')[0::2])
    depth = 0
    for bracket in outside.translate(None, _NOT_BRACKETS):
        if bracket in _OPENING:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def json_parse(raw: bytes):
    """The value of a JSON body (bytes in UTF-8, -16 or -32), or BadBody."""
    if nests_deeper_than(raw, MAX_DEPTH):
        raise BadBody(f"The request body nests arrays or objects deeper than {MAX_DEPTH} levels.")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise BadBody() from None


def request_json(request: HttpRequest):
    """The request's parsed body (None when it is empty), parsed once and kept on the request."""
    cached = getattr(request, "_accountdesk_json", _UNREAD)
    if cached is not _UNREAD:
        return cached
    try:
        raw = request.body
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raise BodyTooLarge(
            f"The request body is larger than {limit:,} bytes (ACCOUNTDESK_MAX_REQUEST_BYTES); send less "
            "at a time."
        ) from None
    data = json_parse(raw) if raw else None
    request._accountdesk_json = data
    return data


class JsonBodyParser(Parser):
    """Ninja's body parser, reading the body the authentication step has already checked."""

    def parse_body(self, request: HttpRequest):
        return request_json(request)
