"""Errors raised while accepting a webhook; each carries the HTTP status the API answers with."""

from __future__ import annotations


class WebhookError(Exception):
    """Base class: a webhook request that must be refused with ``status``."""

    status: int = 400
    code: str = "webhook_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, str]:
        """Body for the HTTP error response (never contains secrets)."""
        return {"error": self.code, "message": self.message}


class SignatureInvalid(WebhookError):
    """Signature header missing, malformed or not matching the raw body."""

    status = 401
    code = "signature_invalid"


class PayloadInvalid(WebhookError):
    """Body is not JSON or does not match the platform schema; message names the field path."""

    status = 400
    code = "payload_invalid"


class HandshakeFailed(WebhookError):
    """Subscription handshake (Meta hub.verify_token, X CRC) refused."""

    status = 403
    code = "handshake_failed"


class UnknownPlatform(WebhookError):
    """The platform in the route is not one we accept webhooks from."""

    status = 404
    code = "unknown_platform"


class TimestampOutOfWindow(WebhookError):
    """Standard Webhooks timestamp too old or too far in the future (replay protection)."""

    status = 401
    code = "timestamp_out_of_window"
