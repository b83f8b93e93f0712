"""The SMS adapter. `ACCOUNTDESK_SMS_BACKEND` picks the backend:

- `outbox` (default): nothing leaves the system; the stored Message is the SMS, visible in the
  product. For demos, development and providers without an SMS gateway.
- `rest`: a Twilio-style REST gateway. POSTs form-encoded `To`, `From`, `Body` to
  `<ACCOUNTDESK_SMS_REST_URL>/Accounts/<ACCOUNTDESK_SMS_ACCOUNT_SID>/Messages.json` with HTTP basic
  auth (the account SID and `ACCOUNTDESK_SMS_AUTH_TOKEN`), from `ACCOUNTDESK_SMS_FROM`.
- a dotted path to a class with the same `send(*, to, body) -> str` method.
"""

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsBackend(Protocol):
    name: str

    def send(self, *, to: str, body: str, key: str = "") -> str:
        """Send; `key` is the same on every attempt at one message (for the gateway to dedupe)."""
        ...


class SmsError(Exception):
    """The gateway refused the message or could not be reached; the text says why, and
    `temporary` whether trying again later may help."""

    def __init__(self, message: str, *, temporary: bool = False) -> None:
        super().__init__(message)
        self.temporary = temporary


class OutboxBackend:
    name = "outbox"

    def send(self, *, to: str, body: str, key: str = "") -> str:
        return ""


class RestBackend:
    """A Twilio-style Messages resource. Returns the gateway's message id."""

    name = "rest"

    def __init__(self, *, base_url: str, account_sid: str, auth_token: str, from_number: str,
                 timeout: float = 10.0) -> None:  # fmt: skip
        if not (base_url and account_sid and auth_token and from_number):
            raise SmsError("The SMS gateway is not configured (URL, account SID, token and sender).")
        self.url = f"{base_url.rstrip('/')}/Accounts/{urllib.parse.quote(account_sid)}/Messages.json"
        credentials = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self.authorization = f"Basic {credentials}"
        self.from_number = from_number
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> "RestBackend":
        return cls(
            base_url=settings.ACCOUNTDESK_SMS_REST_URL,
            account_sid=settings.ACCOUNTDESK_SMS_ACCOUNT_SID,
            auth_token=settings.ACCOUNTDESK_SMS_AUTH_TOKEN,
            from_number=settings.ACCOUNTDESK_SMS_FROM,
            timeout=settings.ACCOUNTDESK_SMS_TIMEOUT,
        )

    def send(self, *, to: str, body: str, key: str = "") -> str:
        data = urllib.parse.urlencode({"To": to, "From": self.from_number, "Body": body}).encode()
        request = urllib.request.Request(
            self.url,
            data=data,
            method="POST",
            headers={
                "Authorization": self.authorization,
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                **({"Idempotency-Key": key} if key else {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = _json(response.read())
        except urllib.error.HTTPError as exc:
            answer = _json(exc.read())
            detail = answer.get("message") or exc.reason
            busy = exc.code >= 500 or exc.code == 429
            raise SmsError(f"The SMS gateway answered {exc.code}: {detail}", temporary=busy) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"The SMS gateway could not be reached: {exc}", temporary=True) from None
        return str(answer.get("sid", ""))[:100]


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def sms_backend() -> SmsBackend:
    name = getattr(settings, "ACCOUNTDESK_SMS_BACKEND", "outbox") or "outbox"
    if name == "outbox":
        return OutboxBackend()
    if name == "rest":
        return RestBackend.from_settings()
    backend: SmsBackend = import_string(name)()
    return backend
