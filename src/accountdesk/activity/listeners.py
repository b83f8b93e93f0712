"""Reactions to activity entries, registered by apps above the activity log.

Every write records its activity entry with `event_record`, inside the write's transaction. An app
that must react to writes it does not own (webhooks telling other systems, dunning lifting its
block when a payment clears the arrears) registers a listener here in its `AppConfig.ready()`
rather than being called by the services below it.

A listener runs inside the same transaction, right after the entry is saved: what it writes
commits or rolls back with the change itself (an outbox row, a follow-up service call). Work that
must wait for the commit (a network call, a task) is scheduled by the listener with
`transaction.on_commit`. Entries written in bulk (`event_bulk_record`: the demo, benchmarks) are
history, not news, and reach no listener.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accountdesk.activity.models import Activity

Listener = Callable[["Activity"], None]


@dataclass(frozen=True)
class _Registration:
    listener: Listener
    kinds: frozenset[str] | None


_REGISTRATIONS: list[_Registration] = []


def listen(listener: Listener, *, kinds: Iterable[str] | None = None) -> None:
    """Call `listener(entry)` for each entry recorded from now on, or only for the kinds named."""
    registration = _Registration(listener, frozenset(kinds) if kinds is not None else None)
    if registration not in _REGISTRATIONS:
        _REGISTRATIONS.append(registration)


def notify(entry: Activity) -> None:
    for registration in list(_REGISTRATIONS):
        if registration.kinds is None or entry.kind in registration.kinds:
            registration.listener(entry)
