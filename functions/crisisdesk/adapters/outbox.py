"""Outbox: every outgoing message is stored BEFORE the platform call, then its outcome.

DynamoOutbox uses the single table: pk/sk string keys and GSI `gsi1` on gsi1pk/gsi1sk.
Items: pk "OUT#<key>", sk "OUT", gsi1pk "OUTBOX", gsi1sk "<created_at>#<key>"; a Meta private
reply also writes a guard pk "OUTGUARD#<page_id>#<comment_id>", sk "PRIVATE_REPLY" (one per
comment).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from crisisdesk.adapters.base import (
    AMBIGUOUS,
    FAILED,
    IN_FLIGHT,
    PENDING,
    SENT,
    OutboxRecord,
    OutgoingMessage,
    PostResult,
    WindowState,
    new_record,
    private_reply_guard,
    utc_iso,
    window_state,
)
from crisisdesk.adapters.errors import (
    IdempotencyConflict,
    OutboxConflict,
    OutboxError,
    PrivateReplyAlreadyUsed,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

GSI_NAME = "gsi1"
GSI_PK = "OUTBOX"
RECORD_SK = "OUT"
GUARD_SK = "PRIVATE_REPLY"
_MAX_RESPONSE_CHARS = 4000
_OPTIONAL = (
    "in_reply_to",
    "recipient_id",
    "comment_id",
    "page_id",
    "deadline",
    "sent_at",
    "platform_message_id",
    "error",
)


def _check_same(record: OutboxRecord, msg: OutgoingMessage) -> OutboxRecord:
    if record.fingerprint != msg.fingerprint():
        raise IdempotencyConflict(
            f"idempotency key {msg.idempotency_key!r} was already used for a different message"
        )
    return record


def _response_json(response: Mapping[str, Any]) -> str:
    raw = json.dumps(dict(response), ensure_ascii=False, default=str)
    return raw if len(raw) <= _MAX_RESPONSE_CHARS else json.dumps({"truncated": True})


def closing_windows(
    records: Iterable[OutboxRecord], now: float, *, within: timedelta = timedelta(hours=24)
) -> list[tuple[OutboxRecord, WindowState]]:
    """Unsent records with a deadline that is within `within` or already past, earliest first."""
    found: list[tuple[OutboxRecord, WindowState]] = []
    for record in records:
        if record.deadline is None or record.status == SENT:
            continue
        state = window_state(record.deadline, now, warn_within=within)
        if state != "open":
            found.append((record, state))
    return sorted(found, key=lambda pair: pair[0].deadline or "")


class InMemoryOutbox:
    """Outbox in a dict, with the same conditional transitions as DynamoOutbox (unit tests)."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._records: dict[str, OutboxRecord] = {}
        self._guards: dict[str, str] = {}
        self._lock = threading.Lock()

    def claim(self, msg: OutgoingMessage) -> OutboxRecord:
        """Create a PENDING record or return the existing one."""
        with self._lock:
            existing = self._records.get(msg.idempotency_key)
            if existing is not None:
                return _check_same(existing, msg)
            guard = private_reply_guard(msg)
            if guard is not None and guard in self._guards:
                raise PrivateReplyAlreadyUsed(
                    f"comment {msg.comment_id} already has a private reply",
                    existing_key=self._guards[guard],
                )
            record = new_record(msg, utc_iso(self._clock()))
            self._records[msg.idempotency_key] = record
            if guard is not None:
                self._guards[guard] = msg.idempotency_key
            return record

    def _transition(
        self, key: str, allowed: frozenset[str], *, bump: bool = False, **changes: Any
    ) -> OutboxRecord:
        with self._lock:
            record = self._records.get(key)
            if record is None or record.status not in allowed:
                state = None if record is None else record.status
                raise OutboxConflict(
                    f"outbox {key!r} is {state}, expected one of {sorted(allowed)}"
                )
            if bump:
                changes["attempts"] = record.attempts + 1
            updated = replace(record, updated_at=utc_iso(self._clock()), **changes)
            self._records[key] = updated
            return updated

    def begin(self, key: str) -> OutboxRecord:
        """PENDING → IN_FLIGHT."""
        return self._transition(key, frozenset({PENDING}), bump=True, status=IN_FLIGHT)

    def release(self, key: str, error: str) -> None:
        """IN_FLIGHT → PENDING (definitely not posted)."""
        self._transition(key, frozenset({IN_FLIGHT}), status=PENDING, error=error)

    def mark_sent(self, key: str, result: PostResult) -> None:
        """IN_FLIGHT → SENT."""
        self._transition(
            key,
            frozenset({IN_FLIGHT}),
            status=SENT,
            sent_at=result.sent_at,
            platform_message_id=result.platform_message_id,
            response=dict(result.response),
            error=None,
        )

    def mark_failed(self, key: str, error: str, *, ambiguous: bool) -> None:
        """→ AMBIGUOUS or FAILED."""
        status = AMBIGUOUS if ambiguous else FAILED
        self._transition(key, frozenset({PENDING, IN_FLIGHT}), status=status, error=error)

    def resolve(
        self, key: str, *, posted: bool, platform_message_id: str | None = None, note: str = ""
    ) -> None:
        """Commander's verdict on an AMBIGUOUS/IN_FLIGHT/FAILED record: SENT or PENDING (retry)."""
        allowed = frozenset({AMBIGUOUS, IN_FLIGHT, FAILED})
        if posted:
            now = utc_iso(self._clock())
            self._transition(
                key,
                allowed,
                status=SENT,
                sent_at=now,
                platform_message_id=platform_message_id or "",
                error=note or None,
            )
        else:
            self._transition(key, allowed, status=PENDING, error=note or None)

    def get(self, key: str) -> OutboxRecord | None:
        """The record for key, or None."""
        with self._lock:
            return self._records.get(key)

    def list_posts(
        self, *, status: str | None = None, platform: str | None = None, limit: int = 500
    ) -> list[OutboxRecord]:
        """Records in creation order, optionally filtered by status and platform."""
        with self._lock:
            records = sorted(self._records.values(), key=lambda r: (r.created_at, r.key))
        wanted = [
            r
            for r in records
            if (status is None or r.status == status)
            and (platform is None or r.platform == platform)
        ]
        return wanted[:limit]

    def closing_windows(
        self, *, within: timedelta = timedelta(hours=24), now: float | None = None
    ) -> list[tuple[OutboxRecord, WindowState]]:
        """Unsent private replies whose window closes within `within` (or has closed)."""
        current = self._clock() if now is None else now
        return closing_windows(self.list_posts(limit=1_000_000), current, within=within)


def _s(value: str) -> AttributeValueTypeDef:
    return {"S": value}


def _record_item(record: OutboxRecord) -> dict[str, AttributeValueTypeDef]:
    item: dict[str, AttributeValueTypeDef] = {
        "pk": _s(f"OUT#{record.key}"),
        "sk": _s(RECORD_SK),
        "entity": _s("outbox"),
        "key": _s(record.key),
        "status": _s(record.status),
        "platform": _s(record.platform),
        "kind": _s(record.kind),
        "text": _s(record.text),
        "fingerprint": _s(record.fingerprint),
        "created_at": _s(record.created_at),
        "updated_at": _s(record.updated_at),
        "attempts": {"N": str(record.attempts)},
        "gsi1pk": _s(GSI_PK),
        "gsi1sk": _s(f"{record.created_at}#{record.key}"),
    }
    for name in _OPTIONAL:
        value = getattr(record, name)
        if value is not None:
            item[name] = _s(value)
    return item


def _from_item(item: Mapping[str, Any]) -> OutboxRecord:
    def text(name: str) -> str | None:
        value = item.get(name)
        return value.get("S") if isinstance(value, dict) else None

    raw_response = text("response")
    try:
        response = json.loads(raw_response) if raw_response else {}
    except ValueError:
        response = {}
    return OutboxRecord(
        key=text("key") or "",
        status=text("status") or "",
        platform=text("platform") or "",
        kind=text("kind") or "",
        text=text("text") or "",
        fingerprint=text("fingerprint") or "",
        created_at=text("created_at") or "",
        updated_at=text("updated_at") or "",
        attempts=int(item.get("attempts", {}).get("N", "0")),
        response=response if isinstance(response, dict) else {},
        **{name: text(name) for name in _OPTIONAL},
    )


def _is_condition_failure(e: ClientError) -> bool:
    return e.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


class DynamoOutbox:
    """Outbox in the single DynamoDB table; conditional writes only, boto errors → OutboxError."""

    def __init__(
        self, table_name: str, client: DynamoDBClient, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._table = table_name
        self._client = client
        self._clock = clock

    @staticmethod
    def _key(key: str) -> dict[str, AttributeValueTypeDef]:
        return {"pk": _s(f"OUT#{key}"), "sk": _s(RECORD_SK)}

    def claim(self, msg: OutgoingMessage) -> OutboxRecord:
        """Conditional put of a PENDING record (and the private-reply guard) or the existing one."""
        record = new_record(msg, utc_iso(self._clock()))
        guard = private_reply_guard(msg)
        try:
            if guard is None:
                self._client.put_item(
                    TableName=self._table,
                    Item=_record_item(record),
                    ConditionExpression="attribute_not_exists(pk)",
                )
            else:
                self._client.transact_write_items(
                    TransactItems=[
                        {
                            "Put": {
                                "TableName": self._table,
                                "Item": _record_item(record),
                                "ConditionExpression": "attribute_not_exists(pk)",
                            }
                        },
                        {
                            "Put": {
                                "TableName": self._table,
                                "Item": {
                                    "pk": _s(f"OUTGUARD#{guard}"),
                                    "sk": _s(GUARD_SK),
                                    "entity": _s("outbox-guard"),
                                    "key": _s(msg.idempotency_key),
                                    "created_at": _s(record.created_at),
                                },
                                "ConditionExpression": "attribute_not_exists(pk)",
                            }
                        },
                    ]
                )
            return record
        except ClientError as e:
            code = e.response.get("Error", {}).get("Code")
            if code not in ("ConditionalCheckFailedException", "TransactionCanceledException"):
                raise OutboxError(f"outbox claim {msg.idempotency_key!r} failed: {code}") from e
        except BotoCoreError as e:
            raise OutboxError(f"outbox claim {msg.idempotency_key!r} failed: {e}") from e
        existing = self.get(msg.idempotency_key)
        if existing is not None:
            return _check_same(existing, msg)
        if guard is not None:
            raise PrivateReplyAlreadyUsed(
                f"comment {msg.comment_id} already has a private reply",
                existing_key=self._guard_owner(guard),
            )
        raise OutboxError(f"outbox claim {msg.idempotency_key!r}: condition failed, no record")

    def _guard_owner(self, guard: str) -> str:
        try:
            resp = self._client.get_item(
                TableName=self._table,
                Key={"pk": _s(f"OUTGUARD#{guard}"), "sk": _s(GUARD_SK)},
                ConsistentRead=True,
            )
        except (ClientError, BotoCoreError) as e:
            raise OutboxError(f"outbox guard read failed: {e}") from e
        return str(resp.get("Item", {}).get("key", {}).get("S", ""))

    def _update(
        self,
        key: str,
        allowed: Iterable[str],
        sets: Mapping[str, AttributeValueTypeDef],
        *,
        removes: Iterable[str] = (),
        add_attempt: bool = False,
    ) -> OutboxRecord:
        names: dict[str, str] = {"#status": "status"}
        values: dict[str, AttributeValueTypeDef] = {}
        clauses: list[str] = []
        for i, (name, value) in enumerate(
            {**sets, "updated_at": _s(utc_iso(self._clock()))}.items()
        ):
            names[f"#a{i}"] = name
            values[f":a{i}"] = value
            clauses.append(f"#a{i} = :a{i}")
        if add_attempt:
            names["#attempts"] = "attempts"
            values[":one"] = {"N": "1"}
            values[":zero"] = {"N": "0"}
            clauses.append("#attempts = if_not_exists(#attempts, :zero) + :one")
        allowed_names = []
        for i, status in enumerate(allowed):
            values[f":ok{i}"] = _s(status)
            allowed_names.append(f":ok{i}")
        expression = "SET " + ", ".join(clauses)
        removed = [n for n in removes if n not in sets]
        if removed:
            for i, name in enumerate(removed):
                names[f"#r{i}"] = name
            expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(removed)))
        try:
            resp = self._client.update_item(
                TableName=self._table,
                Key=self._key(key),
                UpdateExpression=expression,
                ConditionExpression=f"#status IN ({', '.join(allowed_names)})",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except ClientError as e:
            if _is_condition_failure(e):
                current = self.get(key)
                state = None if current is None else current.status
                raise OutboxConflict(f"outbox {key!r} is {state}, expected {list(allowed)}") from e
            code = e.response.get("Error", {}).get("Code")
            raise OutboxError(f"outbox update {key!r} failed: {code}") from e
        except BotoCoreError as e:
            raise OutboxError(f"outbox update {key!r} failed: {e}") from e
        return _from_item(resp.get("Attributes", {}))

    def begin(self, key: str) -> OutboxRecord:
        """PENDING → IN_FLIGHT, counting the attempt."""
        return self._update(key, (PENDING,), {"status": _s(IN_FLIGHT)}, add_attempt=True)

    def release(self, key: str, error: str) -> None:
        """IN_FLIGHT → PENDING (definitely not posted)."""
        self._update(key, (IN_FLIGHT,), {"status": _s(PENDING), "error": _s(error[:1000])})

    def mark_sent(self, key: str, result: PostResult) -> None:
        """IN_FLIGHT → SENT with the platform's id and answer."""
        self._update(
            key,
            (IN_FLIGHT,),
            {
                "status": _s(SENT),
                "sent_at": _s(result.sent_at),
                "platform_message_id": _s(result.platform_message_id),
                "response": _s(_response_json(result.response)),
            },
            removes=("error",),
        )

    def mark_failed(self, key: str, error: str, *, ambiguous: bool) -> None:
        """PENDING/IN_FLIGHT → AMBIGUOUS (may have posted) or FAILED (not posted)."""
        status = AMBIGUOUS if ambiguous else FAILED
        self._update(key, (PENDING, IN_FLIGHT), {"status": _s(status), "error": _s(error[:1000])})

    def resolve(
        self, key: str, *, posted: bool, platform_message_id: str | None = None, note: str = ""
    ) -> None:
        """Commander's verdict on an AMBIGUOUS/IN_FLIGHT/FAILED record: SENT or PENDING (retry)."""
        sets: dict[str, AttributeValueTypeDef] = {"status": _s(SENT if posted else PENDING)}
        if posted:
            sets["sent_at"] = _s(utc_iso(self._clock()))
            sets["platform_message_id"] = _s(platform_message_id or "")
        if note:
            sets["error"] = _s(note[:1000])
        self._update(key, (AMBIGUOUS, IN_FLIGHT, FAILED), sets)

    def get(self, key: str) -> OutboxRecord | None:
        """The record for key (strongly consistent read), or None."""
        try:
            resp = self._client.get_item(
                TableName=self._table, Key=self._key(key), ConsistentRead=True
            )
        except (ClientError, BotoCoreError) as e:
            raise OutboxError(f"outbox read {key!r} failed: {e}") from e
        item = resp.get("Item")
        return _from_item(item) if item else None

    def list_posts(
        self,
        *,
        status: str | None = None,
        platform: str | None = None,
        since: str | None = None,
        limit: int = 500,
    ) -> list[OutboxRecord]:
        """Records in creation order via gsi1 (since: ISO created_at lower bound)."""
        condition = "gsi1pk = :pk" + (" AND gsi1sk >= :since" if since else "")
        values: dict[str, AttributeValueTypeDef] = {":pk": _s(GSI_PK)}
        if since:
            values[":since"] = _s(since)
        found: list[OutboxRecord] = []
        start: dict[str, Any] | None = None
        try:
            while len(found) < limit:
                kwargs: dict[str, Any] = {
                    "TableName": self._table,
                    "IndexName": GSI_NAME,
                    "KeyConditionExpression": condition,
                    "ExpressionAttributeValues": values,
                }
                if start:
                    kwargs["ExclusiveStartKey"] = start
                resp = self._client.query(**kwargs)
                for item in resp.get("Items", []):
                    record = _from_item(item)
                    if (status is None or record.status == status) and (
                        platform is None or record.platform == platform
                    ):
                        found.append(record)
                start = dict(resp["LastEvaluatedKey"]) if "LastEvaluatedKey" in resp else None
                if not start:
                    break
        except (ClientError, BotoCoreError) as e:
            raise OutboxError(f"outbox list failed: {e}") from e
        return found[:limit]

    def closing_windows(
        self, *, within: timedelta = timedelta(hours=24), now: float | None = None
    ) -> list[tuple[OutboxRecord, WindowState]]:
        """Unsent private replies whose window closes within `within` (or has closed)."""
        current = self._clock() if now is None else now
        return closing_windows(self.list_posts(limit=1_000_000), current, within=within)
