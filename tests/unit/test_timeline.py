"""The timeline is append-only, idempotent and tamper-evident (DynamoDB via moto, no network)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from crisisdesk.store.dynamo import Table
from crisisdesk.store.timeline import Timeline
from crisisdesk_local import moto_patches


@pytest.fixture
def table() -> Iterator[Table]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName="t",
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
        )
        yield Table("t", client)


def test_entries_chain_and_verify(table: Table) -> None:
    tl = Timeline(table, "INC#1")
    a = tl.append("opened", {"why": "surge"}, actor="crisisdesk", idempotency_key="a")
    b = tl.append("note", {"text": "hello"}, actor="alice", idempotency_key="b")
    assert (a.seq, b.seq) == (1, 2)
    assert b.prev_hash == a.hash
    check = tl.verify()
    assert check.ok and check.entries == 2


def test_same_idempotency_key_appends_once(table: Table) -> None:
    tl = Timeline(table, "INC#1")
    first = tl.append("acknowledged", {"n": 1}, actor="x", idempotency_key="ack:1")
    again = tl.append("acknowledged", {"n": 1}, actor="x", idempotency_key="ack:1")
    assert again == first
    assert len(tl.entries()) == 1


def test_concurrent_appends_get_distinct_sequence_numbers(table: Table) -> None:
    # Plain moto rolls a failed transaction back by restoring a copy of the whole table,
    # dropping other threads' writes; the local runtime's patch gives DynamoDB's semantics.
    moto_patches.install()
    tl = Timeline(table, "INC#2")

    def worker(i: int) -> None:
        tl.append("note", {"i": i}, actor="t", idempotency_key=f"k{i}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    entries = tl.entries()
    assert [e.seq for e in entries] == list(range(1, 9))
    assert tl.verify().ok


def test_edited_entry_is_detected(table: Table) -> None:
    tl = Timeline(table, "INC#3")
    tl.append("note", {"text": "we will call you"}, actor="a", idempotency_key="1")
    tl.append("note", {"text": "second"}, actor="a", idempotency_key="2")
    # Someone edits the stored text directly in the table, behind the code's back.
    table.update("INC#3", "E#00000001", set_values={"data_json": '{"text":"we never said"}'})
    check = tl.verify()
    assert not check.ok and check.first_bad_seq == 1


def test_timeline_has_no_update_or_delete_api() -> None:
    public = {n for n in dir(Timeline) if not n.startswith("_")}
    assert public == {"append", "entries", "verify"}


def test_removed_last_entry_is_detected(table: Table) -> None:
    tl = Timeline(table, "INC#4")
    for i in range(3):
        tl.append("note", {"i": i}, actor="a", idempotency_key=str(i))
    table._client.delete_item(TableName="t", Key={"pk": {"S": "INC#4"}, "sk": {"S": "E#00000003"}})
    check = tl.verify()
    assert not check.ok and "head" in check.reason
