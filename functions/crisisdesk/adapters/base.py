"""The one interface behind every platform adapter: messages, results, outbox records, protocols."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol

from crisisdesk.adapters.errors import InvalidMessage

PLATFORMS = frozenset({"x", "facebook", "instagram", "messenger", "generic", "sandbox"})
KINDS = frozenset({"public_reply", "private_reply", "dm", "public_post"})

# Outbox record states. IN_FLIGHT and AMBIGUOUS both mean "may have been posted".
PENDING = "PENDING"
IN_FLIGHT = "IN_FLIGHT"
SENT = "SENT"
AMBIGUOUS = "AMBIGUOUS"
FAILED = "FAILED"
STATUSES = frozenset({PENDING, IN_FLIGHT, SENT, AMBIGUOUS, FAILED})
MAY_HAVE_POSTED = frozenset({IN_FLIGHT, AMBIGUOUS})

# Meta: one private reply per comment, within 7 days of the comment.
PRIVATE_REPLY_WINDOW = timedelta(days=7)
WindowState = Literal["open", "closing", "closed"]


def utc_iso(ts: float) -> str:
    """Unix time to an ISO 8601 UTC string with millisecond precision."""
    return datetime.fromtimestamp(ts, tz=UTC).isoformat(timespec="milliseconds")


def parse_time(value: str | float | datetime) -> datetime:
    """ISO 8601 (with offset or Z), unix seconds or an aware datetime to an aware UTC datetime."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, int | float):
        parsed = datetime.fromtimestamp(value, tz=UTC)
    else:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as e:
            raise InvalidMessage(f"not an ISO 8601 time: {value!r}") from e
    if parsed.tzinfo is None:
        raise InvalidMessage(f"time without a UTC offset: {value!r}")
    return parsed.astimezone(UTC)


def private_reply_deadline(comment_created: str | float | datetime) -> str:
    """When the Meta private-reply window for a comment closes (created + 7 days), ISO 8601."""
    closes = parse_time(comment_created) + PRIVATE_REPLY_WINDOW
    return closes.isoformat(timespec="milliseconds")


def window_state(
    deadline: str | datetime, now: float | datetime, *, warn_within: timedelta = timedelta(hours=24)
) -> WindowState:
    """Return "closed" past the deadline, "closing" within warn_within of it, else "open"."""
    closes = parse_time(deadline)
    current = parse_time(now)
    if current >= closes:
        return "closed"
    return "closing" if closes - current <= warn_within else "open"


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to post; idempotency_key is deterministic, e.g. f"{incident_id}:{step}:{n}"."""

    idempotency_key: str
    platform: str  # "x" | "facebook" | "instagram" | "messenger" | "generic" | "sandbox"
    kind: str  # "public_reply" | "private_reply" | "dm" | "public_post"
    text: str
    in_reply_to: str | None = None  # tweet id / FB comment id / IG comment id
    recipient_id: str | None = None  # X user id for a DM; page-scoped id for Messenger
    comment_id: str | None = None  # Meta private reply target
    page_id: str | None = None
    deadline: str | None = None  # ISO 8601; Meta private reply window close

    def __post_init__(self) -> None:
        """Reject messages no adapter could post, before anything is stored."""
        if not self.idempotency_key or len(self.idempotency_key) > 512:
            raise InvalidMessage("idempotency_key must be 1..512 characters")
        if self.platform not in PLATFORMS:
            raise InvalidMessage(f"unknown platform {self.platform!r}")
        if self.kind not in KINDS:
            raise InvalidMessage(f"unknown kind {self.kind!r}")
        if not self.text.strip():
            raise InvalidMessage("text must not be empty")
        if self.kind == "public_reply" and not self.in_reply_to:
            raise InvalidMessage("a public_reply needs in_reply_to")
        if self.kind == "private_reply" and not (
            self.comment_id and self.page_id and self.deadline
        ):
            raise InvalidMessage("a private_reply needs comment_id, page_id and deadline")
        if self.kind == "dm" and not self.recipient_id:
            raise InvalidMessage("a dm needs recipient_id")
        if self.deadline is not None:
            parse_time(self.deadline)

    def fingerprint(self) -> str:
        """SHA-256 over everything but the key: the same key must always carry the same message."""
        fields = [
            self.platform,
            self.kind,
            self.text,
            self.in_reply_to,
            self.recipient_id,
            self.comment_id,
            self.page_id,
            self.deadline,
        ]
        raw = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def deadline_passed(self, now: float) -> bool:
        """True when the message has a deadline and it is at or before now."""
        return self.deadline is not None and window_state(self.deadline, now) == "closed"


@dataclass(frozen=True)
class PostResult:
    """What a platform answered for one posted message."""

    platform_message_id: str
    status: str  # "sent" | "duplicate"
    response: Mapping[str, Any]
    sent_at: str


@dataclass(frozen=True)
class OutboxRecord:
    """The stored state of one outgoing message (the record of the post)."""

    key: str
    status: str
    platform: str
    kind: str
    text: str
    fingerprint: str
    created_at: str
    updated_at: str
    in_reply_to: str | None = None
    recipient_id: str | None = None
    comment_id: str | None = None
    page_id: str | None = None
    deadline: str | None = None
    sent_at: str | None = None
    platform_message_id: str | None = None
    error: str | None = None
    attempts: int = 0
    response: Mapping[str, Any] = field(default_factory=dict)

    def as_duplicate(self) -> PostResult:
        """The stored result of a SENT record, reported as a duplicate."""
        return PostResult(
            platform_message_id=self.platform_message_id or "",
            status="duplicate",
            response=self.response,
            sent_at=self.sent_at or self.updated_at,
        )


def new_record(msg: OutgoingMessage, now_iso: str) -> OutboxRecord:
    """A fresh PENDING record for msg."""
    return OutboxRecord(
        key=msg.idempotency_key,
        status=PENDING,
        platform=msg.platform,
        kind=msg.kind,
        text=msg.text,
        fingerprint=msg.fingerprint(),
        created_at=now_iso,
        updated_at=now_iso,
        in_reply_to=msg.in_reply_to,
        recipient_id=msg.recipient_id,
        comment_id=msg.comment_id,
        page_id=msg.page_id,
        deadline=msg.deadline,
    )


def private_reply_guard(msg: OutgoingMessage) -> str | None:
    """The one-per-comment guard name of a Meta private reply, else None."""
    if msg.kind != "private_reply":
        return None
    return f"{msg.page_id}#{msg.comment_id}"


class PlatformAdapter(Protocol):
    """Posts one message with exactly one HTTP call and no retries."""

    name: str

    def send(self, msg: OutgoingMessage) -> PostResult:
        """Post msg; raise RateLimited, NotDelivered, PermanentFailure or AmbiguousDelivery."""
        ...


class Outbox(Protocol):
    """Stores each outgoing message BEFORE any platform call, then its outcome."""

    def claim(self, msg: OutgoingMessage) -> OutboxRecord:
        """Create a PENDING record (conditional put) or return the existing one."""
        ...

    def begin(self, key: str) -> OutboxRecord:
        """PENDING → IN_FLIGHT just before the call; OutboxConflict when not PENDING."""
        ...

    def release(self, key: str, error: str) -> None:
        """IN_FLIGHT → PENDING after a definite not-posted answer (429, connection refused)."""
        ...

    def mark_sent(self, key: str, result: PostResult) -> None:
        """IN_FLIGHT → SENT with the platform's id."""
        ...

    def mark_failed(self, key: str, error: str, *, ambiguous: bool) -> None:
        """→ AMBIGUOUS (may have posted) or FAILED (certainly not posted, do not retry)."""
        ...

    def get(self, key: str) -> OutboxRecord | None:
        """The record for key, or None."""
        ...
