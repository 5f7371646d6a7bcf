"""The incident timeline: append-only and tamper-evident.

Each entry carries the hash of the previous entry; entries are only ever created with a
conditional put (no code path updates or deletes one). Appends are idempotent: an entry
written with an idempotency key that was already used returns the existing entry, so a
retried Lambda does not write twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from crisisdesk.store.dynamo import Table
from crisisdesk.store.errors import StoreError, TransactionConflict

GENESIS = "0" * 64
_MAX_APPEND_ATTEMPTS = 20


@dataclass(frozen=True)
class Entry:
    """One timeline entry."""

    seq: int
    at: str
    kind: str
    actor: str
    data: Mapping[str, Any]
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "seq": self.seq,
            "at": self.at,
            "kind": self.kind,
            "actor": self.actor,
            "data": dict(self.data),
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class ChainCheck:
    """Result of verifying a timeline's hash chain."""

    ok: bool
    entries: int
    first_bad_seq: int | None
    reason: str
    last_hash: str = GENESIS


def _canonical(seq: int, at: str, kind: str, actor: str, data_json: str) -> bytes:
    return json.dumps(
        {"seq": seq, "at": at, "kind": kind, "actor": actor, "data": data_json},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


def entry_hash(prev_hash: str, seq: int, at: str, kind: str, actor: str, data_json: str) -> str:
    """SHA-256 over the previous hash and this entry's canonical form."""
    h = hashlib.sha256(prev_hash.encode())
    h.update(_canonical(seq, at, kind, actor, data_json))
    return h.hexdigest()


def _sk(seq: int) -> str:
    return f"E#{seq:08d}"


HEAD = "HEAD"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Timeline:
    """Append-only, hash-chained timeline of one incident (or care case)."""

    def __init__(self, table: Table, owner_pk: str, *, clock: Callable[[], str] = _now) -> None:
        self._table = table
        self._pk = owner_pk
        self._clock = clock

    def _head(self) -> tuple[int, str]:
        head = self._table.get(self._pk, HEAD)
        if head is None:
            return 0, GENESIS
        return int(head["seq"]), str(head["hash"])

    def _by_key(self, key: str) -> Entry | None:
        marker = self._table.get(self._pk, f"K#{key}")
        if marker is None:
            return None
        item = self._table.get(self._pk, _sk(int(marker["seq"])))
        if item is None:
            raise StoreError(f"timeline marker {key} points at a missing entry")
        return _entry(item)

    def append(
        self, kind: str, data: Mapping[str, Any], *, actor: str, idempotency_key: str
    ) -> Entry:
        """Append an entry once per idempotency key; return the stored entry.

        One transaction writes the entry, the key marker and the moved head, each under a
        condition: a used key returns the first entry, a lost race re-reads the head.
        """
        data_json = json.dumps(dict(data), sort_keys=True, separators=(",", ":"), default=str)
        for _ in range(_MAX_APPEND_ATTEMPTS):
            prev_seq, prev = self._head()
            seq = prev_seq + 1
            at = self._clock()
            digest = entry_hash(prev, seq, at, kind, actor, data_json)
            item = {
                "pk": self._pk,
                "sk": _sk(seq),
                "seq": seq,
                "at": at,
                "kind": kind,
                "actor": actor,
                "data_json": data_json,
                "prev_hash": prev,
                "hash": digest,
                "idempotency_key": idempotency_key,
            }
            marker = {"pk": self._pk, "sk": f"K#{idempotency_key}", "seq": seq}
            head = {"pk": self._pk, "sk": HEAD, "seq": seq, "hash": digest}
            new = "attribute_not_exists(pk)"
            head_cond = (new, {}) if prev_seq == 0 else ("seq = :prev", {":prev": prev_seq})
            try:
                self._table.put_all_if(
                    [(item, new, {}), (marker, new, {}), (head, head_cond[0], head_cond[1])]
                )
            except TransactionConflict as e:
                if len(e.reasons) > 1 and e.reasons[1] == "ConditionalCheckFailed":
                    found = self._by_key(idempotency_key)
                    if found is not None:
                        return found
                continue  # another writer moved the head first: re-read it
            return _entry(item)
        raise StoreError(f"could not append to {self._pk} after {_MAX_APPEND_ATTEMPTS} attempts")

    def entries(self) -> list[Entry]:
        """All entries in order."""
        return [_entry(i) for i in self._table.query(self._pk, sk_prefix="E#")]

    def verify(self) -> ChainCheck:
        """Recompute every hash, check each links to the one before and the head to the last."""
        # The head is read first: an append landing between the two reads then only adds an
        # entry past the head (checked by the chain itself) instead of looking like a deletion.
        head_seq, head_hash = self._head()
        items = list(self._table.query(self._pk, sk_prefix="E#"))
        check = verify_chain(items)
        if not check.ok:
            return check
        # No head at the first read but entries stored: the first append may have landed in
        # between; if the head is still missing now, it was removed.
        head_missing = head_seq == 0 and check.entries > 0 and self._head()[0] == 0
        if check.entries < head_seq or head_missing:
            return ChainCheck(False, check.entries, check.entries + 1,
                              "entries missing after the last stored one (head does not match)")
        if head_seq and items[head_seq - 1]["hash"] != head_hash:
            return ChainCheck(False, check.entries, head_seq,
                              "head does not match the entry it points at")
        return check


def _entry(item: Mapping[str, Any]) -> Entry:
    return Entry(
        seq=int(item["seq"]),
        at=str(item["at"]),
        kind=str(item["kind"]),
        actor=str(item["actor"]),
        data=json.loads(item["data_json"]),
        prev_hash=str(item["prev_hash"]),
        hash=str(item["hash"]),
    )


def verify_chain(items: Any) -> ChainCheck:
    """Verify stored timeline items (raw table items, in sequence order)."""
    prev = GENESIS
    count = 0
    for item in items:
        count += 1
        seq = int(item["seq"])
        if seq != count:
            return ChainCheck(False, count, seq, f"sequence gap: expected {count}, found {seq}")
        if item["prev_hash"] != prev:
            return ChainCheck(False, count, seq, "previous-hash link broken")
        digest = entry_hash(
            prev, seq, str(item["at"]), str(item["kind"]), str(item["actor"]), item["data_json"]
        )
        if digest != item["hash"]:
            return ChainCheck(False, count, seq, "entry content does not match its hash")
        prev = digest
    return ChainCheck(True, count, None, "chain verifies", prev)
