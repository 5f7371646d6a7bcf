"""Signature checks against the PLATFORMS.md test vectors and the ways they must fail."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crisisdesk.webhooks import (
    HandshakeFailed,
    SignatureInvalid,
    TimestampOutOfWindow,
    WebhookError,
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
from tests.events import load_event_bytes

META_SECRET = b"my_little_secret"
META_BODY = b'{ "id": "realtime_update" }'
META_SIG = "sha256=2bee603b1bd2b873912ee43469a3b4a377ad70e7f64cbd58ccdbc67eb9a1b37f"
META_SHA1_BODY = b"random-signature-body"
META_SHA1_SIG = "sha1=3dca279e731c97c38e3019a075dee9ebbd0a99f0"

# Standard Webhooks reference vector (the spec's reference libraries use it).
STD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
STD_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
STD_TS = 1614265330
STD_BODY = b'{"test": 2432232314}'
STD_SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def std_headers(signature: str = STD_SIG, ts: int = STD_TS) -> dict[str, str]:
    return {"webhook-id": STD_ID, "webhook-timestamp": str(ts), "webhook-signature": signature}


# --- vectors ------------------------------------------------------------------------------


def test_meta_sha256_vector() -> None:
    assert sign_meta(META_SECRET, META_BODY) == META_SIG
    verify_meta(META_SECRET, META_BODY, META_SIG)


def test_meta_sha1_legacy_vector() -> None:
    verify_meta(META_SECRET, META_SHA1_BODY, None, META_SHA1_SIG)


def test_github_style_hex_vector() -> None:
    expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert sign_meta(b"It's a Secret to Everybody", b"Hello, World!") == expected
    verify_meta(b"It's a Secret to Everybody", b"Hello, World!", expected)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"test=1&other_test=2", "sha256=25Cu3iwbbiqBTwQRzcKJZwisjf736V2Q8UaTlkfLSoc="),
        (
            b'{"test_number":1,"test_string":"two"}',
            "sha256=YWHphPn/JFq43jkF0y4/w8R/SelmLjvpunhVFY8JhlI=",
        ),
    ],
)
def test_x_post_vectors(body: bytes, expected: str) -> None:
    assert sign_x(b"test", body) == expected
    verify_x(b"test", body, expected)


def test_x_crc_vector() -> None:
    response = x_crc_response(
        b"z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu",
        "9b4507b3-9040-4669-9ca3-6b94edb50553",
    )
    assert response == {"response_token": "sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8="}


def test_standard_vector() -> None:
    assert sign_standard(STD_SECRET, STD_ID, STD_TS, STD_BODY) == STD_SIG
    verify_standard(STD_SECRET, std_headers(), STD_BODY, now=STD_TS)


# --- X failures ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", "sha256=", "sha256=AAAA", "sha1=abc", "ünïcode"])
def test_x_rejects_missing_or_wrong_header(value: str | None) -> None:
    with pytest.raises(SignatureInvalid) as err:
        verify_x(b"test", b"test=1&other_test=2", value)
    assert err.value.status == 401


def test_x_rejects_tampered_body() -> None:
    body = load_event_bytes("x_tweet_create")
    signature = sign_x(b"consumer-secret", body)
    verify_x(b"consumer-secret", body, signature)
    with pytest.raises(SignatureInvalid):
        verify_x(b"consumer-secret", body.replace(b"tarmac", b"runway"), signature)
    with pytest.raises(SignatureInvalid):
        verify_x(b"other-secret", body, signature)


def test_x_refuses_empty_secret() -> None:
    with pytest.raises(ValueError, match="empty"):
        sign_x(b"", b"body")
    with pytest.raises(ValueError, match="empty"):
        # An empty key would sign anything: it must fail before the header is compared.
        verify_x(b"", b"body", sign_x(b"x", b"body"))
    with pytest.raises(ValueError, match="empty"):
        x_crc_response(b"", "token")


def test_x_crc_needs_a_token() -> None:
    with pytest.raises(HandshakeFailed) as err:
        x_crc_response(b"secret", "")
    assert err.value.status == 403


# --- Meta failures ------------------------------------------------------------------------


def test_meta_accepts_uppercase_hex_and_whitespace() -> None:
    verify_meta(META_SECRET, META_BODY, " " + META_SIG.upper().replace("SHA256", "sha256") + " ")


@pytest.mark.parametrize("value", ["", "sha256=", "sha256=00", META_SIG.replace("2bee", "2bef")])
def test_meta_rejects_wrong_sha256(value: str) -> None:
    with pytest.raises(SignatureInvalid):
        verify_meta(META_SECRET, META_BODY, value)


def test_meta_rejects_missing_headers() -> None:
    with pytest.raises(SignatureInvalid, match="missing"):
        verify_meta(META_SECRET, META_BODY, None, None)


def test_meta_sha1_ignored_when_sha256_present() -> None:
    # A wrong sha256 is never rescued by a valid legacy sha1 (no downgrade).
    with pytest.raises(SignatureInvalid):
        verify_meta(META_SECRET, META_SHA1_BODY, "sha256=" + "0" * 64, META_SHA1_SIG)


def test_meta_rejects_wrong_sha1() -> None:
    with pytest.raises(SignatureInvalid):
        verify_meta(META_SECRET, META_SHA1_BODY + b"!", None, META_SHA1_SIG)


def test_meta_refuses_empty_secret() -> None:
    with pytest.raises(ValueError, match="empty"):
        sign_meta(b"", META_BODY)
    with pytest.raises(ValueError, match="empty"):
        verify_meta(b"", META_BODY, META_SIG)


def test_meta_signature_is_over_raw_escaped_bytes() -> None:
    import json

    raw = load_event_bytes("meta_page_comment")
    assert b"\\u00fc" in raw and b"\\/" in raw  # stored the way Meta sends it
    signature = sign_meta(b"app-secret", raw)
    verify_meta(b"app-secret", raw, signature)
    reserialised = json.dumps(json.loads(raw), ensure_ascii=False).encode()
    with pytest.raises(SignatureInvalid):
        verify_meta(b"app-secret", reserialised, signature)


def test_meta_tampered_body() -> None:
    raw = load_event_bytes("meta_batch")
    signature = sign_meta(b"app-secret", raw)
    with pytest.raises(SignatureInvalid):
        verify_meta(b"app-secret", raw.replace(b"scam", b"scan"), signature)


# --- Meta handshake -----------------------------------------------------------------------


def test_meta_handshake_returns_challenge_verbatim() -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "tok-123", "hub.challenge": "0123456"}
    assert meta_handshake("tok-123", params) == "0123456"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": "tok-123", "hub.challenge": "1"},
        {"hub.verify_token": "tok-123", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.verify_token": "tok-123"},
        {"hub.mode": "subscribe", "hub.verify_token": "tök", "hub.challenge": "1"},
    ],
)
def test_meta_handshake_refusals(params: dict[str, str]) -> None:
    with pytest.raises(HandshakeFailed) as err:
        meta_handshake("tok-123", params)
    assert err.value.status == 403


def test_meta_handshake_empty_configured_token_never_verifies() -> None:
    with pytest.raises(HandshakeFailed):
        meta_handshake("", {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"})


# --- Standard Webhooks --------------------------------------------------------------------


def test_standard_headers_are_case_insensitive() -> None:
    headers = {
        "Webhook-Id": STD_ID,
        "WEBHOOK-TIMESTAMP": str(STD_TS),
        "Webhook-Signature": STD_SIG,
    }
    verify_standard(STD_SECRET, headers, STD_BODY, now=STD_TS + 10)


def test_standard_any_v1_signature_passes() -> None:
    rotated = f"v1,Zm9vYmFy v1a,abc {STD_SIG}"
    verify_standard(STD_SECRET, std_headers(rotated), STD_BODY, now=STD_TS)


def test_standard_secret_without_prefix() -> None:
    assert sign_standard(STD_SECRET.removeprefix("whsec_"), STD_ID, STD_TS, STD_BODY) == STD_SIG


@pytest.mark.parametrize("skew", [-301, 301, -10_000])
def test_standard_rejects_out_of_window(skew: int) -> None:
    with pytest.raises(TimestampOutOfWindow) as err:
        verify_standard(STD_SECRET, std_headers(), STD_BODY, now=STD_TS - skew)
    assert err.value.status == 401


@pytest.mark.parametrize("skew", [-300, 0, 300])
def test_standard_window_edges_accepted(skew: int) -> None:
    verify_standard(STD_SECRET, std_headers(), STD_BODY, now=STD_TS + skew)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"webhook-id": STD_ID, "webhook-timestamp": str(STD_TS)},
        {"webhook-id": STD_ID, "webhook-signature": STD_SIG},
        {"webhook-timestamp": str(STD_TS), "webhook-signature": STD_SIG},
        {"webhook-id": STD_ID, "webhook-timestamp": "soon", "webhook-signature": STD_SIG},
        std_headers("v1,AAAA"),
        std_headers("v2," + STD_SIG[3:]),
        std_headers(STD_SIG[3:]),
        {**std_headers(), "webhook-id": "msg_other"},
    ],
)
def test_standard_rejections(headers: dict[str, str]) -> None:
    with pytest.raises(SignatureInvalid):
        verify_standard(STD_SECRET, headers, STD_BODY, now=STD_TS)


def test_standard_tampered_body() -> None:
    with pytest.raises(SignatureInvalid):
        verify_standard(STD_SECRET, std_headers(), STD_BODY + b" ", now=STD_TS)


@pytest.mark.parametrize("secret", ["", "whsec_", "whsec_not base64!"])
def test_standard_refuses_bad_secret(secret: str) -> None:
    with pytest.raises(ValueError):
        sign_standard(secret, STD_ID, STD_TS, STD_BODY)
    with pytest.raises(ValueError):
        verify_standard(secret, std_headers(), STD_BODY, now=STD_TS)


def test_secrets_never_appear_in_errors() -> None:
    secret = "whsec_" + "c2VjcmV0LXZhbHVlLXh5eg=="
    messages: list[str] = []
    calls: list[Callable[[], object]] = [
        lambda: verify_x(b"secret-value-xyz", b"b", "sha256=nope"),
        lambda: verify_meta(b"secret-value-xyz", b"b", "sha256=nope"),
        lambda: verify_standard(secret, std_headers("v1,nope"), STD_BODY, now=STD_TS),
        lambda: meta_handshake("secret-value-xyz", {"hub.mode": "subscribe"}),
    ]
    for call in calls:
        with pytest.raises(WebhookError) as err:
            call()
        messages.append(str(err.value) + repr(err.value.to_dict()))
    assert not any("secret-value" in m or "c2VjcmV0" in m for m in messages)


# --- header lookup ------------------------------------------------------------------------


def test_header_lookup() -> None:
    headers = {"X-Hub-Signature-256": "sha256=ab", "content-type": "application/json"}
    assert header(headers, "x-hub-signature-256") == "sha256=ab"
    assert header(headers, "Content-Type") == "application/json"
    assert header(headers, "content-type") == "application/json"
    assert header(headers, "x-hub-signature") is None
