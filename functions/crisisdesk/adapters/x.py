"""X API v2 adapter: public reply (POST /2/tweets with reply.in_reply_to_tweet_id) and DM."""

from __future__ import annotations

import logging
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from crisisdesk.adapters.base import OutgoingMessage, PostResult, utc_iso
from crisisdesk.adapters.errors import (
    AmbiguousDelivery,
    InvalidMessage,
    PermanentFailure,
    RateLimited,
)
from crisisdesk.adapters.http import (
    HttpResponse,
    HttpTransport,
    UrllibTransport,
    first_error,
    parse_retry_after,
)

X_API_BASE = "https://api.x.com"
logger = logging.getLogger(__name__)


def _numeric_id(value: str | None, what: str) -> str:
    if not value or not value.isdigit():
        raise InvalidMessage(f"X {what} must be a numeric id string")
    return value


class XAdapter:
    """Posts replies, standalone posts and DMs with an OAuth 2.0 user token; one call per send."""

    name = "x"

    def __init__(
        self,
        user_token: str,
        *,
        transport: HttpTransport | None = None,
        base_url: str = X_API_BASE,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not user_token:
            raise ValueError("an X user token is required")
        self._token = user_token
        self._transport = transport or UrllibTransport(base_url, timeout=timeout)
        self._clock = clock

    def __repr__(self) -> str:
        return f"XAdapter(transport={self._transport!r})"

    def send(self, msg: OutgoingMessage) -> PostResult:
        """One POST to X; classify the answer into a PostResult or an AdapterError."""
        if msg.platform != "x":
            raise InvalidMessage(f"XAdapter cannot post to platform {msg.platform!r}")
        path: str
        body: dict[str, Any]
        id_field = "id"
        if msg.kind == "public_reply":
            tweet_id = _numeric_id(msg.in_reply_to, "in_reply_to")
            path, body = (
                "/2/tweets",
                {"text": msg.text, "reply": {"in_reply_to_tweet_id": tweet_id}},
            )
        elif msg.kind == "public_post":
            path, body = "/2/tweets", {"text": msg.text}
        elif msg.kind == "dm":
            user = urllib.parse.quote(_numeric_id(msg.recipient_id, "recipient_id"), safe="")
            path, body = f"/2/dm_conversations/with/{user}/messages", {"text": msg.text}
            id_field = "dm_event_id"
        else:
            raise InvalidMessage(f"X has no {msg.kind!r}; take it offline with a dm")
        resp = self._transport.request("POST", path, token=self._token, json_body=body)
        return self._result(resp, path, id_field)

    def _result(self, resp: HttpResponse, path: str, id_field: str) -> PostResult:
        payload = resp.json()
        if 200 <= resp.status < 300:
            data = payload.get("data") if isinstance(payload, dict) else None
            ident = data.get(id_field) if isinstance(data, dict) else None
            if not isinstance(ident, str) or not ident:
                raise AmbiguousDelivery(f"X {path}: {resp.status} without data.{id_field}")
            return PostResult(ident, "sent", payload, utc_iso(self._clock()))
        code, text = first_error(payload)
        if resp.status == 429:
            reset = resp.header("x-rate-limit-reset")
            reset_at = float(reset) if reset and reset.strip().isdigit() else None
            retry_after = parse_retry_after(resp.header("retry-after"), self._clock())
            logger.warning("X rate limited on %s (reset %s)", path, reset_at)
            raise RateLimited(
                f"X {path}: 429 rate limited (code {code})",
                reset_at=reset_at,
                retry_after=retry_after,
            )
        if resp.status >= 500:
            raise AmbiguousDelivery(f"X {path}: {resp.status} after POST: {text}")
        raise PermanentFailure(f"X {path}: {resp.status}: {text}", status=resp.status, code=code)
