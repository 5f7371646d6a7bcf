"""Outbox behaviour (in memory and DynamoDB under moto) and the sandbox record of posts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from crisisdesk.adapters import (
    DynamoOutbox,
    IdempotencyConflict,
    InMemoryOutbox,
    OutboxConflict,
    OutboxError,
    OutgoingMessage,
    Poster,
    PostResult,
    PrivateReplyAlreadyUsed,
    SandboxAdapter,
    sandbox_adapters,
)
from crisisdesk.adapters.base import utc_iso
from crisisdesk.adapters.sandbox import sandbox_id

TABLE = "crisisdesk-test"
NOW = 1_750_000_000.0


class Clock:
    """Settable clock."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def dynamo(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "gsi1pk", "gsi1sk")
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "gsi1",
                    "KeySchema": [
                        {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                        {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        yield client


@pytest.fixture(params=["memory", "dynamo"])
def outbox(request: pytest.FixtureRequest) -> tuple[Any, Clock]:
    clock = Clock()
    if request.param == "memory":
        return InMemoryOutbox(clock=clock), clock
    client = request.getfixturevalue("dynamo")
    return DynamoOutbox(TABLE, client, clock=clock), clock


def reply(
    key: str = "inc-1:ack:1", text: str = "We're sorry - looking into it now."
) -> OutgoingMessage:
    return OutgoingMessage(key, "x", "public_reply", text, in_reply_to="1893456789012345678")


def private(key: str, comment: str = "10_20", deadline_in: float = 86400.0) -> OutgoingMessage:
    return OutgoingMessage(
        key,
        "facebook",
        "private_reply",
        "Let's take this to a private chat.",
        comment_id=comment,
        page_id="99",
        deadline=utc_iso(NOW + deadline_in),
    )


def sent(pid: str = "1893000000000000001") -> PostResult:
    return PostResult(pid, "sent", {"data": {"id": pid}}, utc_iso(NOW))


def test_claim_is_stored_once(outbox: tuple[Any, Clock]) -> None:
    box, _ = outbox
    first = box.claim(reply())
    again = box.claim(reply())
    assert first.status == again.status == "PENDING"
    assert again.created_at == first.created_at
    assert (again.platform, again.kind, again.in_reply_to) == (
        "x",
        "public_reply",
        "1893456789012345678",
    )


def test_same_key_different_message_conflicts(outbox: tuple[Any, Clock]) -> None:
    box, _ = outbox
    box.claim(reply())
    with pytest.raises(IdempotencyConflict):
        box.claim(reply(text="another text"))


def test_transitions_are_conditional(outbox: tuple[Any, Clock]) -> None:
    box, clock = outbox
    box.claim(reply())
    assert box.begin("inc-1:ack:1").status == "IN_FLIGHT"
    with pytest.raises(OutboxConflict):
        box.begin("inc-1:ack:1")
    box.release("inc-1:ack:1", "429")
    assert box.begin("inc-1:ack:1").attempts == 2
    clock.now += 5
    box.mark_sent("inc-1:ack:1", sent())
    record = box.get("inc-1:ack:1")
    assert record.status == "SENT" and record.platform_message_id == "1893000000000000001"
    assert record.response == {"data": {"id": "1893000000000000001"}} and record.error is None
    with pytest.raises(OutboxConflict):
        box.mark_sent("inc-1:ack:1", sent())
    with pytest.raises(OutboxConflict):
        box.mark_failed("inc-1:ack:1", "late", ambiguous=True)
    assert box.claim(reply()).as_duplicate().platform_message_id == "1893000000000000001"


def test_ambiguous_is_resolved_by_commander(outbox: tuple[Any, Clock]) -> None:
    box, _ = outbox
    for key in ("a", "b"):
        box.claim(reply(key))
        box.begin(key)
        box.mark_failed(key, "timeout", ambiguous=True)
        assert box.get(key).status == "AMBIGUOUS"
    box.resolve("a", posted=True, platform_message_id="1893000000000000009", note="seen on X")
    box.resolve("b", posted=False, note="not on the timeline")
    assert (
        box.get("a").status == "SENT" and box.get("a").platform_message_id == "1893000000000000009"
    )
    assert box.get("b").status == "PENDING"
    with pytest.raises(OutboxConflict):
        box.resolve("a", posted=False)


def test_one_private_reply_per_comment(outbox: tuple[Any, Clock]) -> None:
    box, _ = outbox
    box.claim(private("inc-1:handoff:1"))
    assert box.claim(private("inc-1:handoff:1")).status == "PENDING"
    with pytest.raises(PrivateReplyAlreadyUsed) as info:
        box.claim(private("inc-2:handoff:1"))
    assert info.value.existing_key == "inc-1:handoff:1"
    assert box.get("inc-2:handoff:1") is None
    box.claim(private("inc-2:handoff:1", comment="10_21"))


def test_list_posts_and_closing_windows(outbox: tuple[Any, Clock]) -> None:
    box, clock = outbox
    box.claim(private("p-open", comment="1_1", deadline_in=5 * 86400))
    clock.now += 1
    box.claim(private("p-closing", comment="1_2", deadline_in=3 * 3600))
    clock.now += 1
    box.claim(private("p-closed", comment="1_3", deadline_in=-60))
    clock.now += 1
    box.claim(private("p-sent", comment="1_4", deadline_in=3600))
    box.begin("p-sent")
    box.mark_sent("p-sent", sent("m_1"))
    clock.now += 1
    box.claim(reply("r-1"))
    keys = [r.key for r in box.list_posts()]
    assert keys == ["p-open", "p-closing", "p-closed", "p-sent", "r-1"]
    assert [r.key for r in box.list_posts(status="SENT")] == ["p-sent"]
    assert [r.key for r in box.list_posts(platform="x")] == ["r-1"]
    windows = box.closing_windows(within=timedelta(hours=24), now=NOW)
    assert [(r.key, state) for r, state in windows] == [
        ("p-closed", "closed"),
        ("p-closing", "closing"),
    ]


def test_dynamo_item_layout(dynamo: Any) -> None:
    box = DynamoOutbox(TABLE, dynamo, clock=lambda: NOW)
    record = box.claim(reply())
    item = dynamo.get_item(
        TableName=TABLE, Key={"pk": {"S": "OUT#inc-1:ack:1"}, "sk": {"S": "OUT"}}
    )["Item"]
    assert item["gsi1pk"] == {"S": "OUTBOX"}
    assert item["gsi1sk"] == {"S": f"{record.created_at}#inc-1:ack:1"}
    assert item["status"] == {"S": "PENDING"} and item["text"]["S"] == reply().text
    box.claim(private("p"))
    guard = dynamo.get_item(
        TableName=TABLE, Key={"pk": {"S": "OUTGUARD#99#10_20"}, "sk": {"S": "PRIVATE_REPLY"}}
    )
    assert guard["Item"]["key"] == {"S": "p"}


def test_dynamo_client_errors_become_outbox_errors(dynamo: Any) -> None:
    box = DynamoOutbox("no-such-table", dynamo)
    with pytest.raises(OutboxError) as info:
        box.claim(reply())
    assert isinstance(info.value.__cause__, ClientError)
    with pytest.raises(OutboxError):
        box.get("x")
    with pytest.raises(OutboxError):
        box.list_posts()


def test_sandbox_posts_are_recorded_in_dynamodb(dynamo: Any) -> None:
    clock = Clock()
    box = DynamoOutbox(TABLE, dynamo, clock=clock)
    poster = Poster(
        sandbox_adapters(SandboxAdapter(clock=clock)), box, sleep=lambda s: None, clock=clock
    )
    first = poster.post(reply())
    assert first.platform_message_id == sandbox_id("inc-1:ack:1")
    clock.now += 60
    poster.post(private("inc-1:handoff:1"))
    assert poster.post(reply()).status == "duplicate"
    posts = box.list_posts()
    assert [(p.platform, p.kind, p.in_reply_to or p.comment_id, p.status) for p in posts] == [
        ("x", "public_reply", "1893456789012345678", "SENT"),
        ("facebook", "private_reply", "10_20", "SENT"),
    ]
    assert posts[0].text == reply().text and posts[0].sent_at == utc_iso(NOW)
    assert posts[1].sent_at == utc_iso(NOW + 60)
