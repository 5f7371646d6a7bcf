"""Poster rules with fake adapters: delays, ambiguity, resolution, validation, windows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from crisisdesk.adapters import (
    AmbiguousDelivery,
    InMemoryOutbox,
    InvalidMessage,
    OutboxError,
    OutgoingMessage,
    Poster,
    PostResult,
    RateLimited,
    XAdapter,
    private_reply_deadline,
    window_state,
)
from crisisdesk.adapters.base import utc_iso

NOW = 1_750_000_000.0


class FakeAdapter:
    """Adapter whose send runs a script of callables / results."""

    name = "fake"

    def __init__(self, *script: Callable[[], PostResult]) -> None:
        self.script = list(script)
        self.calls = 0

    def send(self, msg: OutgoingMessage) -> PostResult:
        self.calls += 1
        return self.script.pop(0)()


def ok() -> PostResult:
    return PostResult("1893000000000000001", "sent", {}, utc_iso(NOW))


def boom() -> PostResult:
    raise RuntimeError("socket exploded mid-call")


def msg(key: str = "k1") -> OutgoingMessage:
    return OutgoingMessage(
        key, "x", "public_reply", "We're on it.", in_reply_to="1893456789012345678"
    )


def poster(adapter: Any, outbox: Any | None = None, **kw: Any) -> Poster:
    kw.setdefault("rng", lambda: 0.0)
    return Poster(
        {"x": adapter},
        outbox or InMemoryOutbox(clock=lambda: NOW),
        sleep=lambda s: None,
        clock=lambda: NOW,
        **kw,
    )


def test_delay_waits_for_reset_capped_with_jitter() -> None:
    p = poster(FakeAdapter(), max_wait=900.0, jitter=2.0, rng=lambda: 0.5)
    assert p.delay(RateLimited("x", reset_at=NOW + 30), 1) == 31.0
    assert p.delay(RateLimited("x", reset_at=NOW + 5000), 1) == 901.0
    assert p.delay(RateLimited("x", reset_at=NOW - 10), 3) == 5.0  # past reset: exponential
    assert p.delay(RateLimited("x", retry_after=12), 1) == 13.0


def test_unknown_adapter_exception_is_ambiguous() -> None:
    adapter = FakeAdapter(boom)
    box = InMemoryOutbox(clock=lambda: NOW)
    p = poster(adapter, box)
    with pytest.raises(AmbiguousDelivery):
        p.post(msg())
    with pytest.raises(AmbiguousDelivery):
        p.post(msg())
    assert adapter.calls == 1
    record = box.get("k1")
    assert record is not None and record.status == "AMBIGUOUS"


def test_commander_resolution_allows_exactly_one_repost() -> None:
    adapter = FakeAdapter(boom, ok)
    box = InMemoryOutbox(clock=lambda: NOW)
    p = poster(adapter, box)
    with pytest.raises(AmbiguousDelivery):
        p.post(msg())
    box.resolve("k1", posted=False, note="checked the timeline: not there")
    assert p.post(msg()).status == "sent"
    assert p.post(msg()).status == "duplicate"
    assert adapter.calls == 2


def test_record_taken_by_another_poster_is_not_sent() -> None:
    adapter = FakeAdapter(ok)
    box = InMemoryOutbox(clock=lambda: NOW)
    box.claim(msg())
    box.begin("k1")  # another worker is mid-call
    with pytest.raises(AmbiguousDelivery):
        poster(adapter, box).post(msg())
    assert adapter.calls == 0


class FailingMarkOutbox(InMemoryOutbox):
    """Outbox whose mark_sent fails (DynamoDB down after the platform call)."""

    def mark_sent(self, key: str, result: PostResult) -> None:
        raise OutboxError("throttled")


def test_outbox_failure_after_send_leaves_record_in_flight() -> None:
    adapter = FakeAdapter(ok, ok)
    box = FailingMarkOutbox(clock=lambda: NOW)
    p = poster(adapter, box)
    with pytest.raises(OutboxError):
        p.post(msg())
    record = box.get("k1")
    assert record is not None and record.status == "IN_FLIGHT"
    with pytest.raises(AmbiguousDelivery):
        p.post(msg())
    assert adapter.calls == 1


def test_unroutable_or_invalid_messages_are_refused_before_posting() -> None:
    adapter = FakeAdapter(ok)
    box = InMemoryOutbox(clock=lambda: NOW)
    with pytest.raises(InvalidMessage):
        poster(adapter, box).post(
            OutgoingMessage("k", "facebook", "public_reply", "Hi", in_reply_to="1_2")
        )
    assert box.get("k") is None
    with pytest.raises(InvalidMessage):
        OutgoingMessage("k", "facebook", "private_reply", "Hi", comment_id="1_2", page_id="9")
    with pytest.raises(InvalidMessage):
        OutgoingMessage("k", "x", "public_reply", "Hi")
    with pytest.raises(InvalidMessage):
        OutgoingMessage("k", "x", "dm", "   ", recipient_id="1")
    with pytest.raises(InvalidMessage):
        OutgoingMessage("k", "x", "dm", "Hi", recipient_id="1", deadline="2025-01-01T00:00:00")


def test_adapter_refusal_is_recorded_as_failed() -> None:
    x = XAdapter("token", base_url="https://api.x.com")
    box = InMemoryOutbox(clock=lambda: NOW)
    bad = OutgoingMessage(
        "k", "x", "private_reply", "Hi", comment_id="1", page_id="2", deadline=utc_iso(NOW + 60)
    )
    with pytest.raises(InvalidMessage):
        Poster({"x": x}, box, sleep=lambda s: None, clock=lambda: NOW).post(bad)
    record = box.get("k")
    assert record is not None and record.status == "FAILED"


def test_private_reply_window_helpers() -> None:
    deadline = private_reply_deadline("2025-05-19T14:01:46+0000")
    assert deadline == "2025-05-26T14:01:46.000+00:00"
    assert private_reply_deadline(1747663306) == deadline
    assert window_state(deadline, 1747663306.0) == "open"
    assert window_state(deadline, 1747663306.0 + 6.5 * 86400) == "closing"
    assert window_state(deadline, 1747663306.0 + 7 * 86400) == "closed"
