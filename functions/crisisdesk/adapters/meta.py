"""Meta Graph API adapter: Facebook and Instagram comment replies, private reply, Messenger.

Auth is the Page access token as `Authorization: Bearer` (Graph accepts it as well as the
`access_token` parameter; the header keeps the token out of URLs and logs).
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from collections.abc import Callable, Mapping
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

GRAPH_API_BASE = "https://graph.facebook.com"
DEFAULT_GRAPH_VERSION = "v23.0"
# Throttling: 4 app, 17 user, 32 page, 613 custom (PLATFORMS.md). Nothing was posted.
THROTTLE_CODES = frozenset({4, 17, 32, 613})
# 1 "unknown error" / 2 "service temporarily unavailable": the POST may have gone through.
TRANSIENT_CODES = frozenset({1, 2})
META_PLATFORMS = frozenset({"facebook", "instagram", "messenger"})
logger = logging.getLogger(__name__)


def _segment(value: str | None, what: str) -> str:
    if not value:
        raise InvalidMessage(f"Meta {what} is required")
    return urllib.parse.quote(value, safe="_")


def usage_percent(headers: Mapping[str, str]) -> float | None:
    """Highest percentage in X-App-Usage ({"call_count", "total_time", "total_cputime"})."""
    raw = headers.get("x-app-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(usage, dict):
        return None
    values = [float(v) for v in usage.values() if isinstance(v, int | float)]
    return max(values) if values else None


def regain_access_seconds(headers: Mapping[str, str]) -> float | None:
    """`estimated_time_to_regain_access` (minutes) from X-Business-Use-Case-Usage, as seconds."""
    raw = headers.get("x-business-use-case-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
    except ValueError:
        return None
    minutes: list[float] = []
    if isinstance(usage, dict):
        for entries in usage.values():
            for entry in entries if isinstance(entries, list) else []:
                value = (
                    entry.get("estimated_time_to_regain_access")
                    if isinstance(entry, dict)
                    else None
                )
                if isinstance(value, int | float) and value > 0:
                    minutes.append(float(value))
    return max(minutes) * 60.0 if minutes else None


class MetaAdapter:
    """Posts to Facebook, Instagram and Messenger with a Page token; one Graph call per send."""

    name = "meta"

    def __init__(
        self,
        page_token: str,
        *,
        transport: HttpTransport | None = None,
        base_url: str = GRAPH_API_BASE,
        api_version: str = DEFAULT_GRAPH_VERSION,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not page_token:
            raise ValueError("a Meta page token is required")
        self._token = page_token
        self._transport = transport or UrllibTransport(base_url, timeout=timeout)
        self._version = api_version.strip("/")
        self._clock = clock

    def __repr__(self) -> str:
        return f"MetaAdapter(transport={self._transport!r}, api_version={self._version!r})"

    def request_for(
        self, msg: OutgoingMessage
    ) -> tuple[str, dict[str, str] | None, dict[str, Any] | None, str]:
        """(path, query, json body, id field) of the documented Graph call for msg."""
        v = self._version
        if msg.platform not in META_PLATFORMS:
            raise InvalidMessage(f"MetaAdapter cannot post to platform {msg.platform!r}")
        if msg.kind == "private_reply":
            page = _segment(msg.page_id, "page_id")
            body = {"recipient": {"comment_id": msg.comment_id}, "message": {"text": msg.text}}
            return f"/{v}/{page}/messages", None, body, "message_id"
        if msg.kind == "dm":
            page = _segment(msg.page_id, "page_id")
            body = {
                "recipient": {"id": msg.recipient_id},
                "messaging_type": "RESPONSE",
                "message": {"text": msg.text},
            }
            return f"/{v}/{page}/messages", None, body, "message_id"
        if msg.kind == "public_reply" and msg.platform == "facebook":
            comment = _segment(msg.in_reply_to, "in_reply_to")
            return f"/{v}/{comment}/comments", None, {"message": msg.text}, "id"
        if msg.kind == "public_reply" and msg.platform == "instagram":
            comment = _segment(msg.in_reply_to, "in_reply_to")
            return f"/{v}/{comment}/replies", {"message": msg.text}, None, "id"
        if msg.kind == "public_post" and msg.platform == "facebook":
            page = _segment(msg.page_id, "page_id")
            return f"/{v}/{page}/feed", None, {"message": msg.text}, "id"
        raise InvalidMessage(f"Meta has no {msg.kind!r} on {msg.platform!r}")

    def send(self, msg: OutgoingMessage) -> PostResult:
        """One POST to the Graph API; classify the answer into a PostResult or an AdapterError."""
        path, query, body, id_field = self.request_for(msg)
        resp = self._transport.request("POST", path, token=self._token, query=query, json_body=body)
        return self._result(resp, path, id_field)

    def _result(self, resp: HttpResponse, path: str, id_field: str) -> PostResult:
        payload = resp.json()
        code, text = first_error(payload)
        if 200 <= resp.status < 300 and code is None:
            ident = payload.get(id_field) if isinstance(payload, dict) else None
            if not isinstance(ident, str) or not ident:
                raise AmbiguousDelivery(f"Meta {path}: {resp.status} without {id_field}")
            return PostResult(ident, "sent", payload, utc_iso(self._clock()))
        if resp.status == 429 or code in THROTTLE_CODES:
            retry_after = parse_retry_after(resp.header("retry-after"), self._clock())
            if retry_after is None:
                retry_after = regain_access_seconds(resp.headers)
            logger.warning(
                "Meta throttled on %s (code %s, app usage %s%%)",
                path,
                code,
                usage_percent(resp.headers),
            )
            raise RateLimited(f"Meta {path}: throttled (code {code})", retry_after=retry_after)
        if resp.status >= 500 or code in TRANSIENT_CODES or 200 <= resp.status < 300:
            raise AmbiguousDelivery(f"Meta {path}: {resp.status} (code {code}) after POST: {text}")
        raise PermanentFailure(
            f"Meta {path}: {resp.status} (code {code}): {text}", status=resp.status, code=code
        )
