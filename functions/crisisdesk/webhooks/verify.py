"""Webhook signature checks for X, Meta and Standard Webhooks, all over the raw body bytes.

Every comparison is constant-time (``hmac.compare_digest``) and no secret ever appears in
an exception message or a log line. An empty secret is a configuration error and raises
``ValueError`` rather than quietly verifying nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping

from .errors import HandshakeFailed, SignatureInvalid, TimestampOutOfWindow

STANDARD_TOLERANCE_SECONDS = 5 * 60
"""Standard Webhooks replay window, applied both to old and to future timestamps."""

_STANDARD_PREFIX = "whsec_"


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Return the value of header ``name`` looked up case-insensitively, or None."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    for key, candidate in headers.items():
        if key.lower() == wanted:
            return candidate
    return None


def _require_secret(secret: bytes | str) -> None:
    # An empty key still yields a valid-looking HMAC; refusing it stops a missing
    # configuration value from turning signature checks into a formality.
    if not secret:
        raise ValueError("webhook secret is empty: refusing to sign or verify")


def _same(expected: str, received: str) -> bool:
    # Compare bytes: compare_digest rejects non-ASCII str, and a hostile header may hold any.
    return hmac.compare_digest(expected.encode("ascii"), received.encode("utf-8", "replace"))


def _hmac_sha256(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


# --- X (Account Activity API) -------------------------------------------------------------


def sign_x(secret: bytes, body: bytes) -> str:
    """X webhook signature: ``"sha256=" + base64(HMAC-SHA256(consumer_secret, body))``."""
    _require_secret(secret)
    return "sha256=" + base64.b64encode(_hmac_sha256(secret, body)).decode("ascii")


def verify_x(secret: bytes, body: bytes, header: str | None) -> None:
    """Check an ``x-twitter-webhooks-signature`` (or ``-OAuth2``) value against the raw body."""
    expected = sign_x(secret, body)
    if not header:
        raise SignatureInvalid("missing x-twitter-webhooks-signature header")
    if not _same(expected, header.strip()):
        raise SignatureInvalid("x-twitter-webhooks-signature does not match the body")


def x_crc_response(secret: bytes, crc_token: str) -> dict[str, str]:
    """Answer X's CRC challenge: ``{"response_token": "sha256=<base64 HMAC of crc_token>"}``."""
    if not crc_token:
        raise HandshakeFailed("crc_token is missing or empty")
    return {"response_token": sign_x(secret, crc_token.encode("utf-8"))}


# --- Meta (Facebook Pages, Instagram, Messenger) -----------------------------------------


def sign_meta(secret: bytes, body: bytes) -> str:
    """Meta ``X-Hub-Signature-256`` value: ``"sha256=" + lowercase hex HMAC-SHA256``."""
    _require_secret(secret)
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def _sign_meta_sha1(secret: bytes, body: bytes) -> str:
    _require_secret(secret)
    # Legacy X-Hub-Signature; SHA-1 is still sound inside HMAC, but only used as a fallback.
    return "sha1=" + hmac.new(secret, body, hashlib.sha1).hexdigest()


def _normalise_hex_header(value: str) -> str:
    # Hex is case-insensitive; Meta sends lowercase but a proxy may not preserve that.
    algo, sep, digest = value.strip().partition("=")
    return f"{algo.lower()}{sep}{digest.lower()}"


def verify_meta(
    secret: bytes,
    body: bytes,
    header_sha256: str | None,
    header_sha1: str | None = None,
) -> None:
    """Check ``X-Hub-Signature-256``; legacy ``X-Hub-Signature`` counts only when it is absent."""
    _require_secret(secret)
    if header_sha256 is not None:
        # A present sha256 header is authoritative: never fall back to sha1 when it fails,
        # or an attacker could downgrade the check.
        if not _same(sign_meta(secret, body), _normalise_hex_header(header_sha256)):
            raise SignatureInvalid("X-Hub-Signature-256 does not match the body")
        return
    if header_sha1 is not None:
        if not _same(_sign_meta_sha1(secret, body), _normalise_hex_header(header_sha1)):
            raise SignatureInvalid("X-Hub-Signature does not match the body")
        return
    raise SignatureInvalid("missing X-Hub-Signature-256 header")


def meta_handshake(verify_token: str, params: Mapping[str, str]) -> str:
    """Verify Meta's subscription GET; return ``hub.challenge`` exactly as received."""
    if not verify_token:
        # A blank configured token would otherwise match a blank hub.verify_token.
        raise HandshakeFailed("verify token is not configured")
    if params.get("hub.mode") != "subscribe":
        raise HandshakeFailed("hub.mode is not 'subscribe'")
    received = params.get("hub.verify_token") or ""
    if not received or not _same_token(verify_token, received):
        raise HandshakeFailed("hub.verify_token does not match")
    challenge = params.get("hub.challenge")
    if challenge is None or challenge == "":
        raise HandshakeFailed("hub.challenge is missing")
    # Returned untouched: Meta compares the string, casting to int would alter e.g. "0123".
    return challenge


def _same_token(configured: str, received: str) -> bool:
    return hmac.compare_digest(configured.encode("utf-8"), received.encode("utf-8", "replace"))


# --- Standard Webhooks (generic sources) ---------------------------------------------------


def _standard_key(secret: str) -> bytes:
    _require_secret(secret)
    encoded = secret.removeprefix(_STANDARD_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("Standard Webhooks secret is not valid base64 after 'whsec_'") from None
    _require_secret(key)
    return key


def sign_standard(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """Standard Webhooks signature ``"v1,<base64 HMAC-SHA256(key, id.timestamp.body)>"``."""
    key = _standard_key(secret)
    message = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(_hmac_sha256(key, message)).decode("ascii")


def verify_standard(secret: str, headers: Mapping[str, str], body: bytes, now: float) -> None:
    """Check webhook-id/-timestamp/-signature headers; any matching ``v1`` entry passes."""
    _standard_key(secret)  # a bad configuration fails loudly before any input is looked at
    msg_id = header(headers, "webhook-id")
    raw_timestamp = header(headers, "webhook-timestamp")
    signatures = header(headers, "webhook-signature")
    if not msg_id or not raw_timestamp or not signatures:
        raise SignatureInvalid("missing webhook-id, webhook-timestamp or webhook-signature header")
    try:
        timestamp = int(raw_timestamp.strip())
    except ValueError:
        raise SignatureInvalid("webhook-timestamp is not an integer") from None
    # Checked before the HMAC, like the reference libraries: a replayed message is refused
    # even when its signature is genuine.
    if abs(now - timestamp) > STANDARD_TOLERANCE_SECONDS:
        raise TimestampOutOfWindow("webhook-timestamp is outside the 5-minute window")
    expected = sign_standard(secret, msg_id, timestamp, body)
    matched = False
    for entry in signatures.split():
        version, sep, _ = entry.partition(",")
        if version != "v1" or not sep:
            continue  # other schemes (e.g. v1a asymmetric) are not ours to check
        # No early exit: the loop's timing should not reveal which entry matched.
        matched |= _same(expected, entry)
    if not matched:
        raise SignatureInvalid("no webhook-signature entry matches the body")
