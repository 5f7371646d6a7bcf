"""Webhook intake: signature checks, payload schemas and normalisation to FeedbackEvents."""

from .errors import (
    HandshakeFailed,
    PayloadInvalid,
    SignatureInvalid,
    TimestampOutOfWindow,
    UnknownPlatform,
    WebhookError,
)
from .normalise import (
    PLATFORMS,
    FeedbackEvent,
    load_schema,
    normalise,
    parse_json_body,
    validate,
    validate_feedback_event,
)
from .verify import (
    header,
    meta_handshake,
    sign_meta,
    sign_standard,
    sign_x,
    verify_meta,
    verify_standard,
    verify_x,
    x_crc_response,
)

__all__ = [
    "PLATFORMS",
    "FeedbackEvent",
    "HandshakeFailed",
    "PayloadInvalid",
    "SignatureInvalid",
    "TimestampOutOfWindow",
    "UnknownPlatform",
    "WebhookError",
    "header",
    "load_schema",
    "meta_handshake",
    "normalise",
    "parse_json_body",
    "sign_meta",
    "sign_standard",
    "sign_x",
    "validate",
    "validate_feedback_event",
    "verify_meta",
    "verify_standard",
    "verify_x",
    "x_crc_response",
]
