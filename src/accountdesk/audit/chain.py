"""Hash chains that make the audit trails tamper-evident.

Every entry of a chain carries `seq` (1, 2, ...), the hash of the entry before it and its own hash:
SHA-256 over the previous hash and the entry's canonical content. Editing, removing or inserting a
row behind the application's back breaks the chain from that row on, which `accountdesk audit
verify` reports. Each chain has one head row, locked while an entry is appended, so writes queue
only behind writes to the same chain (one customer's activity, one provider's security log).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.db import transaction

from accountdesk.audit.models import ChainHead

GENESIS = "0" * 64


def _canonical(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def entry_hash(prev_hash: str, content: dict) -> str:
    """The hash of one entry: its content as sorted, compact JSON, chained to the previous hash."""
    body = json.dumps(_canonical(content), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def chain_append(key: str, content: dict) -> tuple[int, str, str]:
    """Reserve the next link of chain `key` for `content`: (seq, prev_hash, hash).

    Runs inside the caller's transaction: the head row stays locked until it commits, and a
    rollback leaves the chain as it was.
    """
    assert transaction.get_connection().in_atomic_block, "chain_append belongs inside the write"
    head = ChainHead.objects.select_for_update().filter(key=key).first()
    if head is None:
        head, _ = ChainHead.objects.get_or_create(key=key, defaults={"seq": 0, "hash": GENESIS})
        head = ChainHead.objects.select_for_update().get(pk=head.pk)
    seq = head.seq + 1
    prev_hash = head.hash
    digest = entry_hash(prev_hash, content)
    ChainHead.objects.filter(pk=head.pk).update(seq=seq, hash=digest)
    return seq, prev_hash, digest


def chain_verify(key: str, entries) -> tuple[int, str | None]:
    """Walk one chain's entries in `seq` order: (entries checked, first problem or None).

    Each entry is `(label, seq, prev_hash, hash, content)`. The head row must agree with the last
    entry, so removing the newest entries is caught too.
    """
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    for label, seq, prev_hash, digest, content in entries:
        if seq != expected_seq:
            return count, f"{label}: expected link {expected_seq} of chain {key}, found {seq}"
        if prev_hash != expected_prev:
            return count, f"{label}: does not follow the entry before it in chain {key}"
        if entry_hash(prev_hash, content) != digest:
            return count, f"{label}: content does not match its hash in chain {key}"
        expected_prev = digest
        expected_seq += 1
        count += 1
    head = ChainHead.objects.filter(key=key).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (expected_seq - 1, expected_prev):
        return count, f"chain {key}: its head names link {head_seq}, the entries end at {expected_seq - 1}"
    return count, None
