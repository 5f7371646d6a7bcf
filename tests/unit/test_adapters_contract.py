"""X and Meta adapters against the local contract stub, through the Poster and an outbox."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from crisisdesk.adapters import (
    AmbiguousDelivery,
    InMemoryOutbox,
    MetaAdapter,
    NotDelivered,
    OutgoingMessage,
    PermanentFailure,
    PlatformAdapter,
    Poster,
    PrivateReplyAlreadyUsed,
    RateLimited,
    WindowClosed,
    XAdapter,
)
from crisisdesk.adapters.base import utc_iso
from crisisdesk.adapters.http import UrllibTransport
from tests.unit.platform_stub import (
    DROP,
    HANG,
    META_TOKEN,
    X_TOKEN,
    PlatformStub,
    meta_throttled,
    respond,
    x_rate_limited,
)

START = 1_750_000_000.0


@dataclass
class FakeTime:
    """Injected clock and sleep: sleeping advances the clock and is recorded."""

    now: float = START
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class Rig:
    stub: PlatformStub
    time: FakeTime
    outbox: InMemoryOutbox
    poster: Poster


@pytest.fixture
def stub() -> Iterator[PlatformStub]:
    with PlatformStub(hang_seconds=3.0) as s:
        yield s


def make_rig(stub: PlatformStub, *, timeout: float = 2.0, base_url: str | None = None) -> Rig:
    t = FakeTime()
    url = base_url or stub.base_url
    x = XAdapter(
        X_TOKEN,
        transport=UrllibTransport(url, timeout=timeout, use_env_proxies=False),
        clock=t.clock,
    )
    meta = MetaAdapter(
        META_TOKEN,
        transport=UrllibTransport(url, timeout=timeout, use_env_proxies=False),
        clock=t.clock,
    )
    outbox = InMemoryOutbox(clock=t.clock)
    adapters: dict[str, PlatformAdapter] = {
        "x": x,
        "facebook": meta,
        "instagram": meta,
        "messenger": meta,
    }
    poster = Poster(adapters, outbox, sleep=t.sleep, clock=t.clock, rng=lambda: 0.0)
    return Rig(stub, t, outbox, poster)


@pytest.fixture
def rig(stub: PlatformStub) -> Rig:
    return make_rig(stub)


def x_reply(
    key: str = "inc-1:ack:1", text: str = "Sorry about the delay, we're on it."
) -> OutgoingMessage:
    return OutgoingMessage(key, "x", "public_reply", text, in_reply_to="1893456789012345678")


def private_reply(key: str = "inc-1:handoff:1", deadline_in: float = 3 * 86400) -> OutgoingMessage:
    return OutgoingMessage(
        key,
        "facebook",
        "private_reply",
        "Hi, we'd like to help privately - could you share your booking reference here?",
        comment_id="1234567890_987654321",
        page_id="1122334455",
        deadline=utc_iso(START + deadline_in),
    )


# -- each documented call --------------------------------------------------------------


def test_x_public_reply_matches_contract(rig: Rig) -> None:
    result = rig.poster.post(x_reply())
    assert result.status == "sent" and result.platform_message_id.isdigit()
    [req] = rig.stub.requests
    assert (req.method, req.path, req.query) == ("POST", "/2/tweets", {})
    assert req.headers["authorization"] == f"Bearer {X_TOKEN}"
    assert req.json == {
        "text": "Sorry about the delay, we're on it.",
        "reply": {"in_reply_to_tweet_id": "1893456789012345678"},
    }
    assert rig.stub.violations == []
    record = rig.outbox.get("inc-1:ack:1")
    assert record is not None and record.status == "SENT"
    assert record.platform_message_id == result.platform_message_id


def test_x_dm_matches_contract(rig: Rig) -> None:
    msg = OutgoingMessage(
        "inc-1:dm:1", "x", "dm", "Could you DM us your booking code?", recipient_id="783214"
    )
    result = rig.poster.post(msg)
    [req] = rig.stub.requests
    assert (req.method, req.path) == ("POST", "/2/dm_conversations/with/783214/messages")
    assert req.json == {"text": "Could you DM us your booking code?"}
    assert req.headers["authorization"] == f"Bearer {X_TOKEN}"
    assert result.response["data"]["dm_event_id"] == result.platform_message_id
    assert rig.stub.violations == []


def test_facebook_comment_reply_matches_contract(rig: Rig) -> None:
    msg = OutgoingMessage("k-fb", "facebook", "public_reply", "We hear you.", in_reply_to="111_222")
    result = rig.poster.post(msg)
    [req] = rig.stub.requests
    assert (req.method, req.path, req.query) == ("POST", "/v23.0/111_222/comments", {})
    assert req.json == {"message": "We hear you."}
    assert req.headers["authorization"] == f"Bearer {META_TOKEN}"
    assert result.platform_message_id.startswith("111_222_")
    assert rig.stub.violations == []


def test_instagram_reply_matches_contract(rig: Rig) -> None:
    msg = OutgoingMessage(
        "k-ig", "instagram", "public_reply", "Sorry & thanks!", in_reply_to="17858893269000001"
    )
    rig.poster.post(msg)
    [req] = rig.stub.requests
    assert (req.method, req.path) == ("POST", "/v23.0/17858893269000001/replies")
    assert req.query == {"message": ["Sorry & thanks!"]}
    assert req.body == b""
    assert req.headers["authorization"] == f"Bearer {META_TOKEN}"
    assert rig.stub.violations == []


def test_meta_private_reply_matches_contract(rig: Rig) -> None:
    msg = private_reply()
    result = rig.poster.post(msg)
    [req] = rig.stub.requests
    assert (req.method, req.path) == ("POST", "/v23.0/1122334455/messages")
    assert req.json == {
        "recipient": {"comment_id": "1234567890_987654321"},
        "message": {"text": msg.text},
    }
    assert result.platform_message_id.startswith("m_")
    assert rig.stub.violations == []


def test_messenger_message_matches_contract(rig: Rig) -> None:
    msg = OutgoingMessage(
        "k-ms",
        "messenger",
        "dm",
        "Thanks, we've rebooked you.",
        recipient_id="6543210987",
        page_id="1122334455",
    )
    rig.poster.post(msg)
    [req] = rig.stub.requests
    assert (req.method, req.path) == ("POST", "/v23.0/1122334455/messages")
    assert req.json == {
        "recipient": {"id": "6543210987"},
        "messaging_type": "RESPONSE",
        "message": {"text": "Thanks, we've rebooked you."},
    }
    assert rig.stub.violations == []


def test_stub_flags_contract_violations(stub: PlatformStub) -> None:
    wrong = XAdapter(
        "not-the-token", transport=UrllibTransport(stub.base_url, use_env_proxies=False)
    )
    with pytest.raises(PermanentFailure):
        wrong.send(x_reply())
    conn = http.client.HTTPConnection("127.0.0.1", int(stub.base_url.rsplit(":", 1)[1]), timeout=2)
    conn.request(
        "DELETE", "/2/tweets/1893456789012345678", headers={"Authorization": f"Bearer {X_TOKEN}"}
    )
    assert conn.getresponse().status == 404
    conn.close()
    assert any("Authorization" in v for v in stub.violations)
    assert any(v.startswith("DELETE") for v in stub.violations)


# -- rate limits -----------------------------------------------------------------------


def test_x_429_waits_until_reset_then_posts_once(rig: Rig) -> None:
    rig.stub.enqueue(x_rate_limited(int(START) + 30))
    result = rig.poster.post(x_reply())
    assert rig.time.sleeps == [30.0]
    assert len(rig.stub.requests) == 2
    assert rig.stub.requests[0].json == rig.stub.requests[1].json
    record = rig.outbox.get("inc-1:ack:1")
    assert record is not None and record.status == "SENT" and record.attempts == 2
    assert result.status == "sent"
    assert rig.stub.violations == []


def test_meta_throttle_honours_retry_after(rig: Rig) -> None:
    rig.stub.enqueue(meta_throttled(code=32, retry_after=12))
    rig.poster.post(private_reply())
    assert rig.time.sleeps == [12.0]
    assert len(rig.stub.requests) == 2


def test_meta_throttle_without_reset_backs_off_exponentially(rig: Rig) -> None:
    rig.stub.enqueue(meta_throttled(code=4), meta_throttled(code=17), meta_throttled(code=613))
    rig.poster.post(OutgoingMessage("k", "facebook", "public_reply", "Sorry.", in_reply_to="1_2"))
    assert rig.time.sleeps == [1.0, 2.0, 4.0]
    assert len(rig.stub.requests) == 4


def test_rate_limit_exhausted_leaves_record_retryable(rig: Rig) -> None:
    rig.stub.enqueue(*[x_rate_limited(int(START) + 5)] * 4)
    with pytest.raises(RateLimited):
        rig.poster.post(x_reply())
    assert len(rig.stub.requests) == 4
    record = rig.outbox.get("inc-1:ack:1")
    assert record is not None and record.status == "PENDING"
    assert rig.poster.post(x_reply()).status == "sent"
    assert len(rig.stub.requests) == 5


def test_window_closing_during_rate_limit_wait_stops(rig: Rig) -> None:
    rig.stub.enqueue(meta_throttled(code=32, retry_after=120))
    with pytest.raises(WindowClosed):
        rig.poster.post(private_reply(deadline_in=60))
    assert len(rig.stub.requests) == 1


# -- never double-post -----------------------------------------------------------------


def test_timeout_after_body_received_is_ambiguous_and_never_retried(stub: PlatformStub) -> None:
    rig = make_rig(stub, timeout=0.3)
    stub.enqueue(HANG)
    msg = private_reply()
    with pytest.raises(AmbiguousDelivery):
        rig.poster.post(msg)
    [req] = stub.requests
    assert req.json["recipient"] == {"comment_id": "1234567890_987654321"}
    record = rig.outbox.get(msg.idempotency_key)
    assert record is not None and record.status == "AMBIGUOUS"
    with pytest.raises(AmbiguousDelivery):
        rig.poster.post(msg)
    assert len(stub.requests) == 1
    assert rig.time.sleeps == []


def test_connection_dropped_after_send_is_ambiguous(rig: Rig) -> None:
    rig.stub.enqueue(DROP)
    with pytest.raises(AmbiguousDelivery):
        rig.poster.post(x_reply())
    with pytest.raises(AmbiguousDelivery):
        rig.poster.post(x_reply())
    assert len(rig.stub.requests) == 1


def test_5xx_after_post_is_ambiguous(rig: Rig) -> None:
    rig.stub.enqueue(respond(503, {"title": "Service Unavailable"}))
    with pytest.raises(AmbiguousDelivery):
        rig.poster.post(x_reply())
    assert len(rig.stub.requests) == 1


def test_duplicate_post_after_success_makes_no_request(rig: Rig) -> None:
    first = rig.poster.post(x_reply())
    second = rig.poster.post(x_reply())
    assert second.status == "duplicate"
    assert second.platform_message_id == first.platform_message_id
    assert len(rig.stub.requests) == 1


def test_connection_refused_is_retried_with_backoff(stub: PlatformStub) -> None:
    rig = make_rig(stub, base_url="http://127.0.0.1:9")
    rig.poster = Poster(
        rig.poster.adapters,
        rig.outbox,
        sleep=rig.time.sleep,
        clock=rig.time.clock,
        max_attempts=2,
        rng=lambda: 0.0,
    )
    with pytest.raises(NotDelivered):
        rig.poster.post(x_reply())
    assert rig.time.sleeps == [1.0]
    record = rig.outbox.get("inc-1:ack:1")
    assert record is not None and record.status == "PENDING" and record.attempts == 2


# -- refusals and deadlines ------------------------------------------------------------


def test_private_reply_past_deadline_makes_no_request(rig: Rig) -> None:
    msg = private_reply(deadline_in=-1)
    with pytest.raises(WindowClosed):
        rig.poster.post(msg)
    with pytest.raises(WindowClosed):
        rig.poster.post(msg)
    assert rig.stub.requests == []
    record = rig.outbox.get(msg.idempotency_key)
    assert record is not None and record.status == "FAILED"


def test_second_private_reply_to_same_comment_is_refused(rig: Rig) -> None:
    rig.poster.post(private_reply("inc-1:handoff:1"))
    with pytest.raises(PrivateReplyAlreadyUsed) as info:
        rig.poster.post(private_reply("inc-1:handoff:2"))
    assert info.value.existing_key == "inc-1:handoff:1"
    assert len(rig.stub.requests) == 1


def test_platform_4xx_is_permanent_and_not_retried(rig: Rig) -> None:
    rig.stub.enqueue(respond(403, {"title": "Forbidden", "detail": "not allowed to reply"}))
    with pytest.raises(PermanentFailure):
        rig.poster.post(x_reply())
    with pytest.raises(PermanentFailure):
        rig.poster.post(x_reply())
    assert len(rig.stub.requests) == 1
    record = rig.outbox.get("inc-1:ack:1")
    assert (
        record is not None and record.status == "FAILED" and "not allowed" in (record.error or "")
    )
    rig.outbox.resolve("inc-1:ack:1", posted=False, note="permission fixed")  # commander retries
    assert rig.poster.post(x_reply()).status == "sent"
    assert len(rig.stub.requests) == 2
