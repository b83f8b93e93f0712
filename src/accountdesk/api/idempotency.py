"""Safe retries of API writes: the `Idempotency-Key` header.

A client that sends a write with `Idempotency-Key: <any string up to 255 characters>` may
send it again (a timeout, a dropped connection) without recording it twice:

- the same key with the same method, path and JSON body answers the first response again
  (same status, same body, plus the header `Idempotent-Replayed: true`) and writes nothing;
- the same key with another body (or on another endpoint) answers `409 conflict`;
- without the header the endpoint behaves as usual.

Only successful answers (2xx) are remembered: a failed write changed nothing, so the client
may correct it and send it again under the same key.

Usage, directly under the route decorator (the order matters):

    from accountdesk.api.idempotency import idempotent

    @router.post("/customers/{customer_id}/payments", response={201: PaymentOut})
    @idempotent
    def payment_record(request, customer_id: int, payload: PaymentIn):
        customer = customer_for(request, customer_id)
        payment = services.payment_record(customer=customer, ..., actor=request.actor)
        return Status(201, payment_out(payment))

Nothing here runs before authentication: an unauthenticated write is refused (401) before its
key is read, its body hashed or a key row looked up. The body is hashed from the JSON the
authentication step has already parsed and checked (see api/body.py).

How it holds under concurrency: the handler and the key row are written in one transaction,
and the key row has a unique constraint. Two simultaneous requests with one key both run
the handler, but only one can insert the key; the other rolls back everything it did and
answers the winner's response (or 409 if its body differs). The same holds when the other's
handler failed because the winner's write came first (an invoice it found already approved):
a failed request whose key a twin has stored answers the twin's response.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass
from functools import wraps

from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.decorators import decorate_view

from accountdesk.api.body import BadBody, json_parse, request_json
from accountdesk.api.models import IdempotencyKey
from accountdesk.core import clock
from accountdesk.core.errors import Conflict, ValidationFailed

HEADER = "Idempotency-Key"
KEY_MAX_LENGTH = 255
REPLAY_HEADER = "Idempotent-Replayed"


@dataclass
class _Attempt:
    key: str
    method: str = ""
    path: str = ""
    body_hash: str = ""
    user: object = None
    provider: object = None
    replayed: bool = False


def _canonical_hash(value) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def body_hash(raw: bytes) -> str:
    """A hash of the body that ignores JSON formatting (spacing, key order); other bytes as sent."""
    try:
        return _canonical_hash(json_parse(raw) if raw else None)
    except BadBody:
        return hashlib.sha256(raw).hexdigest()


def _stored(attempt: _Attempt) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(
        provider=attempt.provider, user=attempt.user, key=attempt.key
    ).first()


def _same_request(row: IdempotencyKey, attempt: _Attempt) -> bool:
    return (row.method, row.path, row.body_hash) == (attempt.method, attempt.path, attempt.body_hash)


def _replay(row: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(row.response_json, status=row.status, content_type="application/json")
    response[REPLAY_HEADER] = "true"
    return response


_REUSED = "This Idempotency-Key was already used for a different request."


def _check_key(handler):
    """Inside the operation, after authentication: answer a retry from the stored response."""

    @wraps(handler)
    def checked(request: HttpRequest, *args, **kwargs):
        attempt: _Attempt | None = getattr(request, "_idempotency", None)
        if attempt is not None:
            attempt.method, attempt.path = request.method or "", request.path[:500]
            attempt.body_hash = _canonical_hash(request_json(request))
            if not attempt.key or len(attempt.key) > KEY_MAX_LENGTH or not attempt.key.isprintable():
                raise ValidationFailed(
                    "The Idempotency-Key header is not valid.",
                    fields={HEADER: f"Send 1 to {KEY_MAX_LENGTH} printable characters."},
                )
            attempt.user, attempt.provider = request.actor.user, request.actor.provider
            row = _stored(attempt)
            if row is not None:
                if not _same_request(row, attempt):
                    raise Conflict(_REUSED)
                attempt.replayed = True
                return _replay(row)
        return handler(request, *args, **kwargs)

    # wraps() copied the handler's attribute dict; ninja's per-function lists must not be shared.
    for name in ("_ninja_contribute_to_operation", "_ninja_contribute_args"):
        if name in checked.__dict__:
            checked.__dict__[name] = list(checked.__dict__[name])
    return checked


def _conflict_response() -> HttpResponse:
    body = {"error": {"code": "conflict", "message": _REUSED, "fields": {}}}
    return JsonResponse(body, status=409)


# A write that lost a deadlock or a serialisation conflict (PostgreSQL SQLSTATE 40P01, 40001)
# changed nothing: the whole operation runs in one transaction, so it is run again, up to
# WRITE_ATTEMPTS times in all, after a short random pause. The client never sees the conflict.
WRITE_ATTEMPTS = 4
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})


def _transient(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in _TRANSIENT_SQLSTATES


def _record_key(run):
    """Around the whole operation: one transaction for the handler's writes and the key row,
    run again when the database chose it as a deadlock's or a serialisation conflict's loser."""

    @wraps(run)
    def retried(request: HttpRequest, **kw):
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                return recorded(request, **kw)
            except OperationalError as error:
                nested = transaction.get_connection().in_atomic_block
                if attempt == WRITE_ATTEMPTS or nested or not _transient(error):
                    raise
                time.sleep(random.uniform(0.005, 0.02) * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def recorded(request: HttpRequest, **kw):
        if HEADER not in request.headers:
            with transaction.atomic():
                return run(request, **kw)
        # Only the key is noted here: the operation authenticates the caller first, and the
        # handler's wrapper (_check_key) hashes the body and looks the key up after that.
        attempt = _Attempt(key=request.headers[HEADER].strip())
        request._idempotency = attempt
        twin_may_have_won = False
        with transaction.atomic():
            response = run(request, **kw)
            if response.status_code >= 400:
                transaction.set_rollback(True)  # an error answer leaves nothing behind
                twin_may_have_won = True  # unless a twin with this key won first (its write made ours fail)
            elif attempt.replayed or attempt.user is None or response.status_code >= 300:
                return response
            else:
                twin_may_have_won = _stored_by_twin(attempt, response)
        if twin_may_have_won and attempt.user is not None:
            row = _stored(attempt)
            if row is not None and _same_request(row, attempt):
                return _replay(row)
            if response.status_code < 400:
                return _conflict_response()
        return response

    return retried


def _stored_by_twin(attempt: _Attempt, response: HttpResponse) -> bool:
    """Store the key with our answer; False if a concurrent request with the key stored first."""
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(
                provider=attempt.provider,
                user=attempt.user,
                key=attempt.key,
                method=attempt.method,
                path=attempt.path,
                body_hash=attempt.body_hash,
                status=response.status_code,
                response_json=response.content.decode(),
                created_at=clock.now(),
            )
    except IntegrityError:
        # A concurrent request with this key committed first: undo our write, answer theirs.
        transaction.set_rollback(True)
        return True
    return False


def idempotent(handler):
    """Make a write endpoint honour the Idempotency-Key header (see the module docstring)."""
    return decorate_view(_record_key)(_check_key(handler))


def idempotency_purge(*, older_than) -> int:
    """Forget keys created before `older_than` (a datetime); retries are expected within a day."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=older_than).delete()
    return deleted
