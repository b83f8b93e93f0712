"""The optional language-model path: an OpenAI-compatible chat completions endpoint picks which of
the engine's questions is asked (one tool per topic) and its arguments. It never sees a figure and
never writes one: the engine answers the picked topic from the selectors, as on the offline path.

Off unless ACCOUNTDESK_ASK_LLM_URL is set (with _MODEL and, for a hosted service, _KEY). The call
has a timeout (ACCOUNTDESK_ASK_LLM_TIMEOUT seconds); on a timeout, an error, or an answer that is
not one of our tools with valid arguments, `pick` returns None and the offline classifier reads
the question instead. Only the question's text is sent, never customer data.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings

log = logging.getLogger(__name__)

CANNOT_ANSWER = "cannot_answer"
_NUMBER = re.compile(r"^[A-Za-z]{0,4}-? ?\d{1,9}$")
_ARGUMENTS = {
    "type": "object",
    "properties": {
        "period": {
            "type": "string",
            "description": "The period asked about, in words: 'this year', 'last month', "
            "'since March', 'in the last 90 days'. Leave out when none is named.",
        },
        "above": {"type": "number", "description": "Only amounts above this."},
        "below": {"type": "number", "description": "Only amounts below this."},
        "invoice_number": {"type": "string", "description": "An invoice number, such as INV-000042."},
        "field_name": {"type": "string", "description": "The name of the custom field asked about."},
    },
    "additionalProperties": False,
}
_SYSTEM = (
    "You route a staff member's question about one customer account to exactly one tool. Pick the "
    "tool whose question it is; if no tool answers it, or it asks to change something, pick "
    f"{CANNOT_ANSWER}. Never answer the question yourself."
)


@dataclass(frozen=True)
class Pick:
    """The topic the model picked (CANNOT_ANSWER when it says none fits), and its arguments."""

    topic: str
    period: str | None = None
    above: Decimal | None = None
    below: Decimal | None = None
    invoice_number: str | None = None
    field_name: str | None = None
    extra: dict = field(default_factory=dict)


def enabled() -> bool:
    """On when an http(s) URL is set."""
    return settings.ASK_LLM_URL.startswith(("http://", "https://"))


def tools(topics: dict[str, str]) -> list[dict]:
    """One function per topic ({name: an example question}), and one for none of them."""
    listed = [
        {
            "type": "function",
            "function": {
                "name": name,
                "description": f"Answers questions such as \u201c{example}\u201d.",
                "parameters": _ARGUMENTS,
            },
        }
        for name, example in topics.items()
    ]
    none = {"type": "object", "properties": {}, "additionalProperties": False}
    listed.append(
        {
            "type": "function",
            "function": {
                "name": CANNOT_ANSWER,
                "description": "None of the other tools answers the question.",
                "parameters": none,
            },
        }
    )
    return listed


def _endpoint() -> str:
    url = settings.ASK_LLM_URL.rstrip("/")
    return url if url.endswith("/chat/completions") else url + "/chat/completions"


def pick(question: str, topics: dict[str, str]) -> Pick | None:
    """Ask the endpoint which topic `question` is; None when it is off, slow, failing or answers
    with anything but one of `topics` (or CANNOT_ANSWER) and valid arguments."""
    if not enabled():
        return None
    body = {
        "model": settings.ASK_LLM_MODEL,
        "messages": [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": question}],
        "tools": tools(topics),
        "tool_choice": "required",
        "temperature": 0,
    }
    headers = {"Content-Type": "application/json"}
    if settings.ASK_LLM_KEY:
        headers["Authorization"] = f"Bearer {settings.ASK_LLM_KEY}"
    request = urllib.request.Request(_endpoint(), data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=settings.ASK_LLM_TIMEOUT) as response:
            reply = json.loads(response.read(1_000_000))
        return _read(reply, topics)
    except (OSError, ValueError, urllib.error.URLError) as error:  # timeouts are OSErrors
        log.warning("The ask language model did not answer (%s); the offline path answers.", error)
        return None


def _read(reply: dict, topics: dict[str, str]) -> Pick | None:
    try:
        call = reply["choices"][0]["message"]["tool_calls"][0]["function"]
        name = call["name"]
        arguments = call.get("arguments") or "{}"
        arguments = json.loads(arguments) if isinstance(arguments, str) else arguments
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if name != CANNOT_ANSWER and name not in topics:
        return None
    if not isinstance(arguments, dict):
        return None
    return Pick(
        topic=name,
        period=_text(arguments.get("period"), 40),
        above=_amount(arguments.get("above")),
        below=_amount(arguments.get("below")),
        invoice_number=n if (n := _text(arguments.get("invoice_number"), 24)) and _NUMBER.match(n) else None,
        field_name=_text(arguments.get("field_name"), 80),
    )


def _text(value: object, longest: int) -> str | None:
    return value.strip()[:longest] or None if isinstance(value, str) else None


def _amount(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and 0 <= amount < Decimal("1e9") else None
