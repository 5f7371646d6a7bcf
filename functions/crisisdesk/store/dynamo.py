"""One small typed wrapper over the DynamoDB client for the single table.

Key schema (documented in template.yaml): pk/sk strings, GSI `gsi1` on gsi1pk/gsi1sk and
sparse GSI `gsi2` on gsi2pk/gsi2sk. Every boto error becomes a StoreError here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from crisisdesk.store.errors import (
    ConditionFailed,
    ItemExists,
    StoreError,
    TransactionConflict,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

Item = dict[str, Any]

_SER = TypeSerializer()
_DESER = TypeDeserializer()


def _to_plain(value: Any) -> Any:
    """Decimals back to int/float, recursively, so callers see plain JSON types."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _to_plain(v) for k, v in value.items()}
    if isinstance(value, list | set | tuple):
        return [_to_plain(v) for v in value]
    return value


def _to_dynamo_value(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _to_dynamo_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_to_dynamo_value(v) for v in value]
    return value


def serialize(item: Mapping[str, Any]) -> dict[str, Any]:
    """Plain dict to DynamoDB wire format; None attributes are left out."""
    return {k: _SER.serialize(_to_dynamo_value(v)) for k, v in item.items() if v is not None}


def deserialize(raw: Mapping[str, Any]) -> Item:
    """DynamoDB wire format to a plain dict."""
    return {k: _to_plain(_DESER.deserialize(v)) for k, v in raw.items()}


def _code(e: ClientError) -> str:
    return str(e.response.get("Error", {}).get("Code", ""))


class Table:
    """The crisisdesk table: conditional puts, reads, queries, updates and transactions."""

    def __init__(self, name: str, client: DynamoDBClient) -> None:
        self.name = name
        self._client = client

    def put_new(self, item: Mapping[str, Any]) -> None:
        """Put an item only if its key is new; raise ItemExists otherwise."""
        self.put_if(item, "attribute_not_exists(pk)")

    def get(self, pk: str, sk: str, *, consistent: bool = True) -> Item | None:
        """Read one item, or None."""
        try:
            resp = self._client.get_item(
                TableName=self.name,
                Key=serialize({"pk": pk, "sk": sk}),
                ConsistentRead=consistent,
            )
        except (ClientError, BotoCoreError) as e:
            raise StoreError(f"get {pk}/{sk} failed: {e}") from e
        raw = resp.get("Item")
        return deserialize(raw) if raw else None

    def query(
        self,
        pk: str,
        *,
        sk_prefix: str | None = None,
        sk_from: str | None = None,
        index: str | None = None,
        forward: bool = True,
        limit: int | None = None,
    ) -> Iterator[Item]:
        """Yield the items of one partition (of the table or a GSI), paginating."""
        key_attr, sort_attr = ("pk", "sk") if index is None else (f"{index}pk", f"{index}sk")
        expr = "#k = :k"
        names = {"#k": key_attr}
        values: dict[str, Any] = {":k": pk}
        if sk_prefix is not None:
            expr += " AND begins_with(#s, :s)"
            names["#s"] = sort_attr
            values[":s"] = sk_prefix
        elif sk_from is not None:
            expr += " AND #s >= :s"
            names["#s"] = sort_attr
            values[":s"] = sk_from
        kwargs: dict[str, Any] = {
            "TableName": self.name,
            "KeyConditionExpression": expr,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": serialize(values),
            "ScanIndexForward": forward,
        }
        if index is not None:
            kwargs["IndexName"] = index
        else:
            kwargs["ConsistentRead"] = True
        returned = 0
        while True:
            if limit is not None:
                kwargs["Limit"] = limit - returned
            try:
                resp = self._client.query(**kwargs)
            except (ClientError, BotoCoreError) as e:
                raise StoreError(f"query {pk} failed: {e}") from e
            for raw in resp.get("Items", []):
                returned += 1
                yield deserialize(raw)
            last = resp.get("LastEvaluatedKey")
            if not last or (limit is not None and returned >= limit):
                return
            kwargs["ExclusiveStartKey"] = last

    def update(
        self,
        pk: str,
        sk: str,
        *,
        set_values: Mapping[str, Any] | None = None,
        remove: Sequence[str] = (),
        add: Mapping[str, int] | None = None,
        condition: str | None = None,
        condition_values: Mapping[str, Any] | None = None,
    ) -> Item:
        """Update attributes of an existing item; raise ConditionFailed when the condition fails."""
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        clauses: list[str] = []
        sets = []
        # Setting None means "no value": remove the attribute instead of storing a null.
        remove = [*remove, *(k for k, v in (set_values or {}).items() if v is None)]
        set_values = {k: v for k, v in (set_values or {}).items() if v is not None}
        for i, (k, v) in enumerate(set_values.items()):
            names[f"#s{i}"] = k
            values[f":s{i}"] = v
            sets.append(f"#s{i} = :s{i}")
        if sets:
            clauses.append("SET " + ", ".join(sets))
        adds = []
        for i, (k, n) in enumerate((add or {}).items()):
            names[f"#a{i}"] = k
            values[f":a{i}"] = n
            adds.append(f"#a{i} :a{i}")
        if adds:
            clauses.append("ADD " + ", ".join(adds))
        if remove:
            for i, k in enumerate(remove):
                names[f"#r{i}"] = k
            clauses.append("REMOVE " + ", ".join(f"#r{i}" for i in range(len(remove))))
        cond = "attribute_exists(pk)" + (f" AND ({condition})" if condition else "")
        values.update(condition_values or {})
        kwargs: dict[str, Any] = {
            "TableName": self.name,
            "Key": serialize({"pk": pk, "sk": sk}),
            "UpdateExpression": " ".join(clauses),
            "ConditionExpression": cond,
            "ExpressionAttributeNames": names,
            "ReturnValues": "ALL_NEW",
        }
        if values:
            kwargs["ExpressionAttributeValues"] = serialize(values)
        try:
            resp = self._client.update_item(**kwargs)
        except ClientError as e:
            if _code(e) == "ConditionalCheckFailedException":
                raise ConditionFailed(f"update {pk}/{sk}: condition failed") from e
            raise StoreError(f"update {pk}/{sk} failed: {_code(e)}") from e
        except BotoCoreError as e:
            raise StoreError(f"update {pk}/{sk} failed: {e}") from e
        return deserialize(resp.get("Attributes", {}))

    def put_if(
        self,
        item: Mapping[str, Any],
        condition: str,
        values: Mapping[str, Any] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        """Put an item when `condition` holds (e.g. a lapsed lock); raise ItemExists otherwise."""
        try:
            self._client.put_item(**self._put_request(item, condition, values, names))
        except ClientError as e:
            if _code(e) == "ConditionalCheckFailedException":
                raise ItemExists(f"{item['pk']}/{item['sk']}: {condition} does not hold") from e
            raise StoreError(f"put {item['pk']}/{item['sk']} failed: {_code(e)}") from e
        except BotoCoreError as e:
            raise StoreError(f"put {item['pk']}/{item['sk']} failed: {e}") from e

    def _put_request(
        self,
        item: Mapping[str, Any],
        condition: str,
        values: Mapping[str, Any] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """A conditional Put, as PutItem takes it and as a transaction item."""
        request: dict[str, Any] = {
            "TableName": self.name,
            "Item": serialize(item),
            "ConditionExpression": condition,
        }
        if names:
            request["ExpressionAttributeNames"] = dict(names)
        if values:
            request["ExpressionAttributeValues"] = serialize(values)
        return request

    def put_new_with_counters(
        self, item: Mapping[str, Any], counters: Sequence[tuple[str, str, str]]
    ) -> None:
        """Put a new item and add 1 to each (pk, sk, attribute) counter, atomically.

        The counters move exactly once per new item, so a redelivered event never counts twice.
        """
        actions: list[Any] = [{"Put": self._put_request(item, "attribute_not_exists(pk)")}]
        for pk, sk, attr in counters:
            actions.append(
                {
                    "Update": {
                        "TableName": self.name,
                        "Key": serialize({"pk": pk, "sk": sk}),
                        "UpdateExpression": "ADD #c :one",
                        "ExpressionAttributeNames": {"#c": attr},
                        "ExpressionAttributeValues": serialize({":one": 1}),
                    }
                }
            )
        try:
            self._transact(actions)
        except TransactionConflict as e:
            if e.reasons and e.reasons[0] == "ConditionalCheckFailed":
                raise ItemExists(f"{item['pk']}/{item['sk']} already exists") from e
            raise

    def put_all_if(self, puts: Sequence[tuple[Mapping[str, Any], str, Mapping[str, Any]]]) -> None:
        """Atomically put items, each under its own condition; TransactionConflict says which."""
        self._transact([{"Put": self._put_request(*put)} for put in puts])

    def _transact(self, actions: list[Any]) -> None:
        """TransactWriteItems; a cancelled one raises TransactionConflict with a code per item."""
        try:
            self._client.transact_write_items(TransactItems=actions)
        except ClientError as e:
            if _code(e) == "TransactionCanceledException":
                reasons = [
                    str(r.get("Code", "None")) for r in e.response.get("CancellationReasons", [])
                ]
                raise TransactionConflict("transaction cancelled", reasons) from e
            raise StoreError(f"transaction failed: {_code(e)}") from e
        except BotoCoreError as e:
            raise StoreError(f"transaction failed: {e}") from e
