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
from collections.abc import Iterable
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
    if isinstance(value, float) and value.is_integer():
        # JSON columns may give 2.0 back as 2 (PostgreSQL's jsonb): one hash for both.
        return int(value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def entry_hash(prev_hash: str, content: dict) -> str:
    """The hash of one entry: its content as sorted, compact JSON, chained to the previous hash."""
    body = json.dumps(_canonical(content), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def _locked_heads(keys: list[str]) -> dict[str, ChainHead]:
    """The head rows of `keys`, locked until the transaction ends; missing ones are created."""
    heads = {h.key: h for h in ChainHead.objects.select_for_update().filter(key__in=keys)}
    missing = [key for key in keys if key not in heads]
    if missing:
        # A chain's first entry; another writer may create the same head at once: no conflict.
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":  # one statement, not bulk_create's per-row preparation
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {connection.ops.quote_name(ChainHead._meta.db_table)} (key, seq, hash) "
                    "SELECT k, 0, %s FROM unnest(%s::text[]) AS k ON CONFLICT DO NOTHING",
                    [GENESIS, missing],
                )
        else:
            ChainHead.objects.bulk_create(
                [ChainHead(key=key, seq=0, hash=GENESIS) for key in missing], ignore_conflicts=True
            )
        heads.update((h.key, h) for h in ChainHead.objects.select_for_update().filter(key__in=missing))
    return heads


def chain_append(key: str, content: dict) -> tuple[int, str, str]:
    """Reserve the next link of chain `key` for `content`: (seq, prev_hash, hash).

    Runs inside the caller's transaction: the head row stays locked until it commits, and a
    rollback leaves the chain as it was. Two queries when the chain exists (lock, move the head),
    written in SQL because every audited write pays for them.
    """
    connection = transaction.get_connection()
    assert connection.in_atomic_block, "chain_append belongs inside the write"
    table, key_column = (connection.ops.quote_name(n) for n in (ChainHead._meta.db_table, "key"))
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, seq, hash FROM {table} WHERE {key_column} = %s{lock}", [key])
        row = cursor.fetchone()
        if row is None:
            head = _locked_heads([key])[key]
            row = (head.pk, head.seq, head.hash)
        pk, seq, prev_hash = row
        digest = entry_hash(prev_hash, content)
        cursor.execute(f"UPDATE {table} SET seq = %s, hash = %s WHERE id = %s", [seq + 1, digest, pk])
    return seq + 1, prev_hash, digest


def chain_extend(batches: dict[str, list[dict]]) -> dict[str, list[tuple[int, str, str]]]:
    """Many entries at once (bulk writes): for each chain key, the links of its contents in order.

    Locks every head concerned, then moves each once; inside the caller's transaction.
    """
    assert transaction.get_connection().in_atomic_block, "chain_extend belongs inside the write"
    heads = _locked_heads(sorted(batches))
    links: dict[str, list[tuple[int, str, str]]] = {}
    for key, contents in batches.items():
        head = heads[key]
        seq, prev_hash, chain = head.seq, head.hash, []
        for content in contents:
            seq += 1
            digest = entry_hash(prev_hash, content)
            chain.append((seq, prev_hash, digest))
            prev_hash = digest
        head.seq, head.hash = seq, prev_hash
        links[key] = chain
    _heads_move(list(heads.values()))
    return links


def _heads_move(heads: list[ChainHead], batch: int = 5000) -> None:
    """Save the heads' new (seq, hash): one UPDATE per batch on PostgreSQL (bulk_update's CASE per
    row costs milliseconds a head, minutes for an import of 100,000 customers), else executemany."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(ChainHead._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(heads), batch):
            chunk = heads[start : start + batch]
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"UPDATE {table} AS h SET seq = v.seq, hash = v.hash FROM "
                    "unnest(%s::bigint[], %s::bigint[], %s::text[]) AS v(id, seq, hash) WHERE h.id = v.id",
                    [[h.pk for h in chunk], [h.seq for h in chunk], [h.hash for h in chunk]],
                )
            else:
                cursor.executemany(
                    f"UPDATE {table} SET seq = %s, hash = %s WHERE id = %s",
                    [(h.seq, h.hash, h.pk) for h in chunk],
                )


class ChainWalk:
    """Checks one chain entry by entry, in `seq` order, against its head `(seq, hash)`.

    An entry past the head is held back rather than refused at once: a walk that reads the head
    first and the entries after may meet entries appended in between. `recheck()` then takes the
    head again; whatever is still past it is an entry nobody appended.
    """

    def __init__(self, key: str, head: tuple[int, str]) -> None:
        self.key = key
        self.head_seq, self.head_hash = head
        self.expected_seq = 1
        self.expected_prev = GENESIS
        self.count = 0
        self.problem: str | None = None
        self.held: list[tuple] = []

    def feed(self, label: str, seq: int, prev_hash: str, digest: str, content: dict) -> None:
        if self.problem is not None:
            return
        if seq > self.head_seq:
            self.held.append((label, seq, prev_hash, digest, content))
            return
        if seq != self.expected_seq:
            self.problem = (
                f"{label}: follows a missing link {self.expected_seq} of chain {self.key} (link {seq})"
            )
        elif prev_hash != self.expected_prev:
            self.problem = f"{label}: does not follow the entry before it in chain {self.key} (link {seq})"
        elif entry_hash(prev_hash, content) != digest:
            self.problem = f"{label}: content does not match its hash in chain {self.key} (link {seq})"
        else:
            self.expected_prev = digest
            self.expected_seq += 1
            self.count += 1

    def recheck(self, head: tuple[int, str]) -> None:
        """Take the head as it is now and feed the entries held back."""
        self.head_seq, self.head_hash = head
        held, self.held = self.held, []
        for entry in held:
            self.feed(*entry)

    def finish(self) -> str | None:
        """The first problem of the chain, or None when every link and the head agree."""
        if self.problem is None and self.held:
            label, seq = self.held[0][:2]
            self.problem = (
                f"{label}: comes after the newest link {self.head_seq} of chain {self.key} (link {seq})"
            )
        if self.problem is None and self.expected_seq - 1 < self.head_seq:
            self.problem = (
                f"chain {self.key}: link {self.expected_seq} is missing (the newest is link {self.head_seq})"
            )
        if self.problem is None and self.head_hash != self.expected_prev:
            self.problem = (
                f"chain {self.key}: the newest link {self.head_seq} does not match the chain's head"
            )
        return self.problem


def chain_head(key: str) -> tuple[int, str]:
    row = ChainHead.objects.filter(key=key).values_list("seq", "hash").first()
    return (row[0], row[1]) if row else (0, GENESIS)


def chain_verify(key: str, entries: Iterable[tuple]) -> tuple[int, str | None]:
    """Walk one chain's entries in `seq` order: (entries checked, first problem or None).

    Each entry is `(label, seq, prev_hash, hash, content)`. The head row must agree with the last
    entry, so removing the newest entries is caught too.
    """
    walk = ChainWalk(key, chain_head(key))
    for entry in entries:
        walk.feed(*entry)
    if walk.held:
        walk.recheck(chain_head(key))
    problem = walk.finish()
    return walk.count, problem
