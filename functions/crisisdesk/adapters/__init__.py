"""Outgoing platform adapters (X, Meta, sandbox) behind one interface, an outbox and a Poster."""

from crisisdesk.adapters.base import (
    PRIVATE_REPLY_WINDOW,
    OutboxRecord,
    OutgoingMessage,
    PlatformAdapter,
    PostResult,
    private_reply_deadline,
    window_state,
)
from crisisdesk.adapters.errors import (
    AdapterError,
    AmbiguousDelivery,
    IdempotencyConflict,
    InvalidMessage,
    NotDelivered,
    OutboxConflict,
    OutboxError,
    PermanentFailure,
    PrivateReplyAlreadyUsed,
    RateLimited,
    WindowClosed,
)
from crisisdesk.adapters.meta import MetaAdapter
from crisisdesk.adapters.outbox import DynamoOutbox, InMemoryOutbox
from crisisdesk.adapters.poster import Poster
from crisisdesk.adapters.sandbox import SandboxAdapter, sandbox_adapters
from crisisdesk.adapters.x import XAdapter

__all__ = [
    "PRIVATE_REPLY_WINDOW",
    "AdapterError",
    "AmbiguousDelivery",
    "DynamoOutbox",
    "IdempotencyConflict",
    "InMemoryOutbox",
    "InvalidMessage",
    "MetaAdapter",
    "NotDelivered",
    "OutboxConflict",
    "OutboxError",
    "OutboxRecord",
    "OutgoingMessage",
    "PermanentFailure",
    "PlatformAdapter",
    "PostResult",
    "Poster",
    "PrivateReplyAlreadyUsed",
    "RateLimited",
    "SandboxAdapter",
    "WindowClosed",
    "XAdapter",
    "private_reply_deadline",
    "sandbox_adapters",
    "window_state",
]
