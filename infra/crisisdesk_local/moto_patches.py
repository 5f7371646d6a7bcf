"""Make moto's DynamoDB behave like DynamoDB under concurrency, and cheaply.

moto's Query sorts the whole table to find one partition: O(table) per query. A table
query (no index) here looks at its own partition only, as DynamoDB does.

moto's SQS recomputes every queue attribute (approximate counts walk all messages) on each
SendMessage and on each message a ReceiveMessage returns: O(backlog) per message. Here
SendMessage skips the counts it never reads and the retention check reads the one number.
Where a walk is needed (the visible messages, the approximate counts) it reads the clock once
instead of converting the time twice per message.

moto's TransactWriteItems deep-copies every touched table before it starts and, when any
condition fails, puts the copy back: that costs O(table size) per transaction and silently
discards writes other threads made meanwhile. DynamoDB itself checks every condition, then
applies all writes atomically, and a single conditional write is atomic per item. Here every
write takes one lock; a transaction checks all its conditions first and only then writes.

moto serialises every DynamoDB response by walking botocore's shape model value by value:
for an item with nested maps that is most of a GetItem's cost. Data-plane results are already
in DynamoDB's JSON wire format, so they are written with json.dumps; anything else (errors,
control-plane calls with timestamps, binary values) keeps moto's serializer.
"""

from __future__ import annotations

import copy
import functools
import json
import threading
from collections.abc import Callable
from typing import Any

_LOCK = threading.RLock()
_installed = False


def _locked(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return fn(*args, **kwargs)

    return wrapper


def _transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    with _LOCK:
        planned: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
        seen: set[tuple[str, str]] = set()
        errors: list[Any] = []
        for item in transact_items:
            if len(item) > 1:
                raise TransactWriteSingleOpException
            op_type, op = next(iter(item.items()))
            table_name = op["TableName"]
            table = self.get_table(table_name)
            if op_type == "Put":
                attrs = op["Item"]
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]
            marker = (str(table_name), str(dict(sorted(key.items()))))
            if marker in seen:
                raise MultipleTransactionsException()
            seen.add(marker)
            current = self.get_item(table_name, key)
            condition = op.get("ConditionExpression")
            failed = None
            if condition is not None:
                check = get_filter_expression(condition, op.get("ExpressionAttributeNames"),
                             op.get("ExpressionAttributeValues"))
                if not check.expr(current):
                    old = None
                    if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                        old = current.to_json()["Attributes"]
                    failed = ("ConditionalCheckFailed",
                              str(ConditionalCheckFailed(item=old).message), old)
            errors.append(failed or (None, None, None))
            planned.append((op_type, table_name, key, op))
        if any(code is not None for code, _, _ in errors):
            raise TransactionCanceledException(errors)
        # Every condition held: apply. Keep copies of the touched items only, in case a
        # write is rejected as invalid part-way (then nothing of the transaction stays).
        before = [(t, k, copy.deepcopy(self.get_item(t, k))) for _, t, k, _ in planned]
        try:
            for op_type, table_name, key, op in planned:
                names = op.get("ExpressionAttributeNames")
                values = op.get("ExpressionAttributeValues")
                if op_type == "Put":
                    self.put_item(table_name, op["Item"])
                elif op_type == "Delete":
                    self.delete_item(table_name, key)
                elif op_type == "Update":
                    self.update_item(table_name, key, update_expression=op["UpdateExpression"],
                                     expression_attribute_names=names,
                                     expression_attribute_values=values)
        except Exception:
            for table_name, key, old_item in before:
                table = self.get_table(table_name)
                if old_item is None:
                    if self.get_item(table_name, key) is not None:
                        self.delete_item(table_name, key)
                else:
                    table.put_item(old_item.to_json()["Attributes"])
            raise


_partition = threading.local()


def _partition_query(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        _partition.key = hash_key if index_name is None and self.range_key_attr else None
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            _partition.key = None

    return query


def _partition_items(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def all_items(self: Any) -> Any:
        key = getattr(_partition, "key", None)
        if key is None:
            return original(self)
        return sorted((self.items.get(key) or {}).values(), key=lambda item: item.range_key)

    return all_items


# Results of these operations hold only strings, numbers-as-strings, bools, lists and maps.
_DATA_PLANE = frozenset({
    "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem",
    "BatchWriteItem", "TransactWriteItems", "TransactGetItems",
})


def _fast_serialized(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def serialized(self: Any, action_result: Any) -> Any:
        result = action_result.result
        if isinstance(result, dict) and self._get_action() in _DATA_PLANE:
            try:
                body = json.dumps(result, separators=(",", ":"))
            except TypeError:  # bytes (binary attributes): moto's serializer encodes them
                return original(self, action_result)
            headers = {"Content-Type": "application/x-amz-json-1.0"}
            headers.update(self.response_headers)
            return 200, headers, body
        return original(self, action_result)

    return serialized


_sending = threading.local()


def _now_ms() -> float:
    from moto.core.utils import unix_time_millis

    return float(unix_time_millis())


def _receivable(m: Any, now: float) -> bool:
    """moto's Message.visible and not Message.delayed, at one clock reading."""
    return bool(now > m.visible_at and not now < m.delayed_until)


def _visible(self: Any) -> list[Any]:
    now = _now_ms()
    return [m for m in self._messages if _receivable(m, now)]


# Each count as moto defines it (Message.visible / Message.delayed), with one clock read.
_COUNTS: dict[str, Callable[[Any, float], bool]] = {
    "approximate_number_of_messages": _receivable,
    "approximate_number_of_messages_delayed": lambda m, now: now < m.delayed_until,
    "approximate_number_of_messages_not_visible": lambda m, now: not now > m.visible_at,
}


def _count(name: str) -> property:
    test = _COUNTS[name]

    def getter(self: Any) -> int:
        if getattr(_sending, "on", False):
            return 0  # SendMessage reads other attributes only
        now = _now_ms()
        return sum(1 for m in self._messages if test(m, now))

    return property(getter)


def _sending_flag(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def send_message(self: Any, *args: Any, **kwargs: Any) -> Any:
        _sending.on = True
        try:
            return original(self, *args, **kwargs)
        finally:
            _sending.on = False

    return send_message


def _retention_check(self: Any, queue_name: str, message: Any) -> bool:
    from moto.core.utils import unix_time

    queue = self.get_queue(queue_name)
    retain_until = int(queue.message_retention_period) + message.sent_timestamp / 1000
    return bool(retain_until > unix_time())


def install() -> None:
    """Patch moto's DynamoDB backend once per process."""
    global _installed
    if _installed:
        return
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    Table.query = _partition_query(Table.query)  # type: ignore[method-assign]
    Table.all_items = _partition_items(Table.all_items)  # type: ignore[method-assign]

    for name in ("put_item", "update_item", "delete_item"):
        setattr(DynamoDBBackend, name, _locked(getattr(DynamoDBBackend, name)))
    DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
    from moto.dynamodb.responses import DynamoHandler

    DynamoHandler.serialized = _fast_serialized(DynamoHandler.serialized)  # type: ignore[method-assign]

    from moto.sqs.models import Queue, SQSBackend

    for name in _COUNTS:
        setattr(Queue, name, _count(name))
    Queue.messages = property(_visible)  # type: ignore[method-assign,assignment]
    SQSBackend.send_message = _sending_flag(SQSBackend.send_message)  # type: ignore[method-assign]
    SQSBackend.is_message_valid_based_on_retention_period = (  # type: ignore[method-assign]
        _retention_check
    )
    _installed = True
