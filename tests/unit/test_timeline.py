"""The timeline is append-only, idempotent and tamper-evident (DynamoDB via moto, no network)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

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


def test_an_append_between_the_two_reads_of_verify_still_verifies(table: Table) -> None:
    # The commander's view verifies while the workflow appends. Whichever of its two reads
    # (head, entries) comes first, an append landing right after it must not read as a
    # deleted entry: verify reads the head first, so the append is one entry past it.
    writer = Timeline(table, "INC#5")
    for i in range(3):
        writer.append("note", {"i": i}, actor="a", idempotency_key=str(i))

    class AppendAfterFirstRead:
        def __init__(self) -> None:
            self.reads = 0

        def _after_read(self) -> None:
            self.reads += 1
            if self.reads == 1:
                writer.append("postmortem_written", {}, actor="crisisdesk", idempotency_key="pm")

        def get(self, pk: str, sk: str) -> Any:
            item = table.get(pk, sk)
            self._after_read()
            return item

        def query(self, pk: str, **kw: Any) -> Iterator[Any]:
            items = list(table.query(pk, **kw))
            self._after_read()
            return iter(items)

    check = Timeline(AppendAfterFirstRead(), "INC#5").verify()  # type: ignore[arg-type]
    assert check.ok and check.entries == 4, check


def test_a_head_that_points_at_another_hash_is_detected(table: Table) -> None:
    tl = Timeline(table, "INC#6")
    for i in range(2):
        tl.append("note", {"i": i}, actor="a", idempotency_key=str(i))
    table.update("INC#6", "HEAD", set_values={"hash": "0" * 64})
    check = tl.verify()
    assert not check.ok and "head" in check.reason
