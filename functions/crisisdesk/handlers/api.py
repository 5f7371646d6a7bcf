"""The HTTP surface (Chalice on API Gateway): platform webhooks and the commander API.

Each route parses the request, calls domain code and maps domain errors to a status with
a message. Webhook routes verify the signature over the raw body before parsing anything.
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from chalice.app import Chalice, Request, Response

from crisisdesk.api.dashboard import render_dashboard
from crisisdesk.aws.errors import AwsError, QueueUnavailable
from crisisdesk.config import ConfigError
from crisisdesk.handlers.wiring import commander, intake_queue
from crisisdesk.incidents.errors import BadRequest, IncidentError
from crisisdesk.incidents.report import render_markdown
from crisisdesk.webhooks import (
    PLATFORMS,
    WebhookError,
    meta_handshake,
    normalise,
    parse_json_body,
    verify_meta,
    verify_standard,
    verify_x,
    x_crc_response,
)
from crisisdesk.webhooks.errors import HandshakeFailed, UnknownPlatform

# Not "crisisdesk": Chalice attaches its own handler to the logger of that name, which is
# the Powertools service logger.
app = Chalice(app_name="crisisdesk-api")

_SECRET_KEY = {
    "x": "x_consumer_secret",
    "meta": "meta_app_secret",
    "generic": "generic_webhook_secret",
}


def _error(status: int, error: str, message: str) -> Response:
    return Response(
        body={"error": error, "message": message},
        status_code=status,
        headers={"Content-Type": "application/json"},
    )


def _guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain errors into HTTP answers with a clear message."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except WebhookError as e:
            return _error(e.status, type(e).__name__, str(e))
        except IncidentError as e:
            return _error(e.status, type(e).__name__, str(e))
        except QueueUnavailable as e:
            return _error(503, "QueueUnavailable", str(e))
        except (AwsError, ConfigError) as e:
            app.log.error("dependency failure: %s", type(e).__name__)
            return _error(500, type(e).__name__, str(e))

    wrapper.__name__ = fn.__name__
    return wrapper


def _request() -> Request:
    req = app.current_request
    if req is None:  # only outside a request, i.e. a programming error
        raise RuntimeError("no current request")
    return req


def _raw_body() -> bytes:
    raw = _request().raw_body or b""
    return raw if isinstance(raw, bytes) else str(raw).encode()


def _query() -> Mapping[str, str]:
    return _request().query_params or {}


def _headers() -> Mapping[str, str]:
    return {k.lower(): v for k, v in _request().headers.items()}


# -- webhooks ------------------------------------------------------------------------
@app.route("/webhooks/{platform}", methods=["GET"])
@_guard
def webhook_handshake(platform: str) -> Any:
    """X CRC and Meta verification handshakes."""
    _queue, secrets = intake_queue()
    params = _query()
    if platform == "x":
        return x_crc_response(
            secrets.get("x_consumer_secret").encode(), str(params.get("crc_token", ""))
        )
    if platform == "meta":
        challenge = meta_handshake(secrets.get("meta_verify_token"), params)
        return Response(body=challenge, status_code=200, headers={"Content-Type": "text/plain"})
    if platform == "generic":
        raise HandshakeFailed("the generic webhook has no handshake; POST signed events")
    raise UnknownPlatform(f"unknown platform '{platform}' (expected one of {', '.join(PLATFORMS)})")


@app.route("/webhooks/{platform}", methods=["POST"], content_types=["application/json"])
@_guard
def webhook_receive(platform: str) -> Any:
    """Verify, validate, normalise and enqueue; answer before any classification."""
    if platform not in PLATFORMS:
        raise UnknownPlatform(
            f"unknown platform '{platform}' (expected one of {', '.join(PLATFORMS)})"
        )
    queue, secrets = intake_queue()
    raw = _raw_body()
    headers = _headers()
    secret = secrets.get(_SECRET_KEY[platform])
    if not secret:
        return _error(401, "SignatureInvalid", f"no {platform} webhook secret is configured")
    if platform == "x":
        verify_x(secret.encode(), raw, headers.get("x-twitter-webhooks-signature"))
    elif platform == "meta":
        verify_meta(
            secret.encode(), raw, headers.get("x-hub-signature-256"), headers.get("x-hub-signature")
        )
    else:
        verify_standard(secret, headers, raw, time.time())
    payload = parse_json_body(raw)
    events = normalise(platform, payload, received_at=datetime.now(UTC))
    names = _brand_names(secrets.get("brand_accounts"))
    for e in events:
        e["brand"] = names.get(str(e["brand"]), e["brand"])
    if events:
        queue.send_events(events)
    return {"accepted": len(events)}


def _brand_names(raw: str) -> dict[str, str]:
    """Account id -> brand name, from the optional "brand_accounts" JSON setting."""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as e:
        raise ConfigError("brand_accounts must be a JSON object of account id -> name") from e
    return {str(k): str(v) for k, v in value.items()}


# -- commander API -------------------------------------------------------------------
def _authorised() -> str:
    """The commander's name; BadRequest-like 401 when the bearer token is wrong."""
    _, secrets = commander()
    expected = secrets.get("commander_token")
    auth = _headers().get("authorization", "")
    token = auth[7:] if auth.lower().startswith("bearer ") else ""
    if not expected or not token or not hmac.compare_digest(token.encode(), expected.encode()):
        raise _Unauthorised("a valid 'Authorization: Bearer <commander token>' header is required")
    return _headers().get("x-commander", "commander")[:80] or "commander"


class _Unauthorised(IncidentError):
    status = 401


def _body() -> dict[str, Any]:
    raw = _raw_body()
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError as e:
        raise BadRequest(f"body is not valid JSON: {e}") from e
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    return body


def _text(body: Mapping[str, Any], name: str, *, required: bool = True) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise BadRequest(f"'{name}' must be a string")
    if required and not value.strip():
        raise BadRequest(f"'{name}' is required")
    return value


@app.route("/health")
def health() -> dict[str, str]:
    """Liveness."""
    return {"status": "ok"}


@app.route("/incidents")
@_guard
def list_incidents() -> Any:
    """Incidents (or ?kind=care cases), newest first."""
    _authorised()
    kind = _query().get("kind", "incident")
    if kind not in ("incident", "care"):
        raise BadRequest("kind must be 'incident' or 'care'")
    svc, _ = commander()
    return {"items": svc.list_owners(kind)}


@app.route("/approvals")
@_guard
def pending_approvals() -> Any:
    """Every update waiting for a commander."""
    _authorised()
    svc, _ = commander()
    return {"items": svc.pending()}


@app.route("/windows")
@_guard
def closing_windows() -> Any:
    """Private-reply windows closing within ?hours=24 (default) with nothing sent yet."""
    _authorised()
    raw = _query().get("hours", "24")
    try:
        hours = float(raw)
    except ValueError as e:
        raise BadRequest(f"hours must be a number, got {raw!r}") from e
    svc, _ = commander()
    return {"items": svc.closing_windows(datetime.now(UTC), timedelta(hours=hours))}


@app.route("/incidents/{owner_id}")
@_guard
def show_incident(owner_id: str) -> Any:
    """Status, workflow position, drafts, timeline and whether its hash chain verifies."""
    _authorised()
    svc, _ = commander()
    return svc.show(owner_id)


@app.route("/incidents/{owner_id}/report")
@_guard
def incident_report(owner_id: str) -> Any:
    """The post-crisis review (JSON, or ?format=md)."""
    _authorised()
    svc, _ = commander()
    report = svc.report(owner_id)
    if _query().get("format") == "md":
        return Response(
            body=render_markdown(report),
            status_code=200,
            headers={"Content-Type": "text/markdown; charset=utf-8"},
        )
    return report


def _action(owner_id: str, fn: Callable[[str, Mapping[str, Any]], Any]) -> Any:
    by = _authorised()
    return fn(by, _body())


@app.route("/incidents/{owner_id}/approve", methods=["POST"])
@_guard
def approve(owner_id: str) -> Any:
    """Approve the pending update, optionally with edited text or an override reason."""
    svc, _ = commander()
    return _action(
        owner_id,
        lambda by, b: svc.approve(
            owner_id,
            by,
            _text(b, "text", required=False) or None,
            _text(b, "override_reason", required=False) or None,
        ),
    )


@app.route("/incidents/{owner_id}/held/{event_id}/approve", methods=["POST"])
@_guard
def release_held(owner_id: str, event_id: str) -> Any:
    """Approve a message the guardrails held (body: step, text?, override_reason?)."""
    svc, _ = commander()
    return _action(
        owner_id,
        lambda by, b: svc.release(
            owner_id,
            event_id,
            _text(b, "step"),
            by,
            _text(b, "text", required=False) or None,
            _text(b, "override_reason", required=False) or None,
        ),
    )


@app.route("/incidents/{owner_id}/reject", methods=["POST"])
@_guard
def reject(owner_id: str) -> Any:
    """Reject the pending update with a reason."""
    svc, _ = commander()
    return _action(owner_id, lambda by, b: svc.reject(owner_id, by, _text(b, "reason")))


@app.route("/incidents/{owner_id}/resolve", methods=["POST"])
@_guard
def resolve(owner_id: str) -> Any:
    """Resolve with a public summary; a closing update and the post-mortem follow."""
    svc, _ = commander()
    return _action(owner_id, lambda by, b: svc.resolve(owner_id, by, _text(b, "summary")))


@app.route("/incidents/{owner_id}/notes", methods=["POST"])
@_guard
def add_note(owner_id: str) -> Any:
    """Append a note, action, root cause or action item."""
    svc, _ = commander()
    return _action(
        owner_id,
        lambda by, b: svc.note(
            owner_id,
            by,
            _text(b, "text"),
            _text(b, "category", required=False) or "note",
            bool(b.get("public", False)),
        ),
    )


@app.route("/incidents/{owner_id}/commitments", methods=["POST"])
@_guard
def add_commitment(owner_id: str) -> Any:
    """Record an approved commitment that public updates may promise."""
    svc, _ = commander()
    return _action(owner_id, lambda by, b: svc.commit(owner_id, by, _text(b, "text")))


@app.route("/incidents/{owner_id}/escalate", methods=["POST"])
@_guard
def escalate(owner_id: str) -> Any:
    """Change severity."""
    svc, _ = commander()
    return _action(
        owner_id, lambda by, b: svc.escalate(owner_id, by, _text(b, "severity"), _text(b, "reason"))
    )


@app.route("/dashboard")
def dashboard() -> Response:
    """The commander's page; it reads the API with the token the user pastes in."""
    return Response(
        body=render_dashboard(),
        status_code=200,
        headers={
            "Content-Type": "text/html; charset=utf-8",
            "Content-Security-Policy": "default-src 'self'; script-src "
            "'unsafe-inline'; style-src 'unsafe-inline'",
        },
    )
