"""Walking every hash chain: each provider's security log, and the chains other apps register (each
customer's activity log: see accountdesk.customers.activity_chains).

The heads are read first and the entries streamed after, ordered by chain and link, so memory
stays flat however long the logs are. Entries appended while the walk runs are told apart from
entries inserted behind the application's back by taking those chains' heads again at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from accountdesk.audit.chain import GENESIS, ChainWalk
from accountdesk.audit.models import ChainHead, SecurityEvent
from accountdesk.audit.services import security_chain_key
from accountdesk.tenancy.models import Provider

CHUNK = 5000


@dataclass
class Verdict:
    entries: int = 0
    chains: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


Heads = dict[str, tuple[int, str]]
# (chain key, (label, seq, prev_hash, hash, chained content)) pairs, ordered by chain and link.
Entries = Iterator[tuple[str, tuple[Any, ...]]]


@dataclass(frozen=True)
class ChainSource:
    """The chains of one log kept by another app. `heads(provider)`: the heads of that provider's
    chains (None: of every provider), a chain with no head yet included as (0, GENESIS);
    `entries(filters)`: its entries in chain order, the filters naming the chain's owner as
    `owner_id` and the link as `seq` (and `provider` for one provider's)."""

    heads: Callable[[Provider | None], Heads]
    entries: Callable[[dict[str, Any]], Entries]


CHAIN_SOURCES: list[ChainSource] = []


def register_chain_source(source: ChainSource) -> None:
    """Called in the owning app's AppConfig.ready()."""
    CHAIN_SOURCES.append(source)


def audit_verify(*, provider: Provider | None = None) -> Verdict:
    """Check every chain (of one provider, or of all): entries, chains and the problems found."""
    verdict = Verdict()
    providers = [provider] if provider else list(Provider.objects.order_by("id"))
    slugs = {p.pk: p.slug for p in providers}
    for source in CHAIN_SOURCES:
        _walk_all(verdict, source.heads(provider), source.entries, provider)
    security_heads = chain_heads({security_chain_key(p.pk) for p in providers})
    _walk_all(verdict, security_heads, lambda qs: _security_entries(qs, slugs), provider)
    return verdict


def chain_heads(keys: set[str]) -> dict[str, tuple[int, str]]:
    """The heads of `keys` (a chain with no head yet has none)."""
    heads = {key: (0, GENESIS) for key in keys}
    prefixes = {key.rsplit(":", 1)[0] + ":" for key in keys}
    for prefix in prefixes:
        rows = ChainHead.objects.filter(key__startswith=prefix).values_list("key", "seq", "hash")
        for key, seq, digest in rows.iterator(chunk_size=CHUNK):
            if key in heads:
                heads[key] = (seq, digest)
    return heads


def _security_entries(filters: dict, slugs: dict[int, str]) -> Iterator[tuple[str, tuple]]:
    qs = SecurityEvent.objects.filter(**{k.replace("owner", "provider"): v for k, v in filters.items()})
    for event in qs.order_by("provider_id", "seq").iterator(chunk_size=CHUNK):
        label = f"security event {event.pk} (provider {slugs.get(event.provider_id, event.provider_id)})"
        yield (
            security_chain_key(event.provider_id),
            (label, event.seq, event.prev_hash, event.hash, event.chained_content()),
        )


def _walk_all(
    verdict: Verdict, heads: Heads, entries_of: Callable[[dict[str, Any]], Entries], provider: Provider | None
) -> None:
    """`entries_of(filters)` streams (key, entry) pairs ordered by chain and link; filters name
    the chain's owner as `owner_id` and the link as `seq`."""
    walks: dict[str, ChainWalk] = {}
    everything = entries_of({} if provider is None else {"provider": provider})
    for key, chain in groupby(everything, key=lambda pair: pair[0]):
        walk = walks.setdefault(key, ChainWalk(key, heads.get(key, (0, GENESIS))))
        for _, entry in chain:
            walk.feed(*entry)
    for key, head in heads.items():
        walks.setdefault(key, ChainWalk(key, head))
    held = [walk for walk in walks.values() if walk.held]
    if held:
        again = _heads_now([walk.key for walk in held])
        for walk in held:
            walk.recheck(again.get(walk.key, (0, GENESIS)))
            if walk.problem is None and walk.expected_seq <= walk.head_seq:
                # Appended after the walk had passed this chain: read the rest of it.
                tail = {"owner_id": _natural(walk.key)[1], "seq__gte": walk.expected_seq,
                        "seq__lte": walk.head_seq}  # fmt: skip
                for _, entry in entries_of(tail):
                    walk.feed(*entry)
    for key in sorted(walks, key=_natural):
        walk = walks[key]
        problem = walk.finish()
        verdict.entries += walk.count
        verdict.chains += 1
        if problem:
            verdict.problems.append(problem)


def _heads_now(keys: list[str]) -> dict[str, tuple[int, str]]:
    rows = ChainHead.objects.filter(key__in=keys).values_list("key", "seq", "hash")
    return {key: (seq, digest) for key, seq, digest in rows}


def _natural(key: str) -> tuple[str, int]:
    prefix, _, number = key.rpartition(":")
    return prefix, int(number) if number.isdigit() else 0
