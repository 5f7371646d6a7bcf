"""Domain errors of the outgoing platform adapters; every one derives from AdapterError."""

from __future__ import annotations


class AdapterError(Exception):
    """Base class of every error raised by the adapters, the outbox and the Poster."""


class InvalidMessage(AdapterError, ValueError):
    """The outgoing message is malformed or its kind is not supported by the adapter."""


class NotDelivered(AdapterError):
    """The request certainly did not reach the platform (e.g. connection refused): safe to retry."""


class RateLimited(NotDelivered):
    """The platform throttled the call (429 / Meta codes 4, 17, 32, 613): nothing was posted."""

    def __init__(
        self, message: str, *, reset_at: float | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.reset_at = reset_at
        self.retry_after = retry_after


class PermanentFailure(AdapterError):
    """The platform refused the message (4xx other than throttling): retrying will not help."""

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class AmbiguousDelivery(AdapterError):
    """The message may have been posted (timeout, dropped connection, 5xx): never re-post."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class WindowClosed(PermanentFailure):
    """The platform's reply window (Meta private reply: 7 days) has closed; nothing was sent."""


class PrivateReplyAlreadyUsed(PermanentFailure):
    """A private reply to this comment was already claimed under another key (one per comment)."""

    def __init__(self, message: str, *, existing_key: str) -> None:
        super().__init__(message)
        self.existing_key = existing_key


class IdempotencyConflict(AdapterError):
    """The idempotency key was already used for a different message."""


class OutboxError(AdapterError):
    """The outbox store failed (DynamoDB error); the delivery state is whatever was last stored."""


class OutboxConflict(OutboxError):
    """A conditional outbox transition failed: the record is not in the expected state."""
