"""Local HTTP stub of the X API v2 and Meta Graph API reply endpoints (127.0.0.1, ephemeral port).

Every request is checked against the documented contract (method, path, bearer token, JSON or
query body; see ../shared/PLATFORMS.md); mismatches are collected in `violations`. Scripted
actions make the next requests answer 429 with reset headers, 5xx, hang (timeout) or drop.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FORBIDDEN_PARAMS = ("is_hidden", "hide", "hidden")
_X_DM = re.compile(r"^/2/dm_conversations/with/(\d+)/messages$")
X_TOKEN = "x-user-token"
META_TOKEN = "meta-page-token"
GRAPH_VERSION = "v23.0"
_GRAPH = re.compile(r"^/(v\d+\.\d+)/([A-Za-z0-9_]+)/(comments|replies|messages|feed)$")


@dataclass(frozen=True)
class Recorded:
    """One request as the stub received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    json: Any
    violations: list[str]


@dataclass(frozen=True)
class Action:
    """What to do with the next request: respond, hang (client timeout) or drop the connection."""

    kind: str  # "respond" | "hang" | "drop"
    status: int = 200
    body: Any = None  # None → the documented success body
    headers: Mapping[str, str] = field(default_factory=dict)


def respond(status: int, body: Any = None, headers: Mapping[str, str] | None = None) -> Action:
    """Answer with status, JSON body and headers."""
    return Action("respond", status, body, dict(headers or {}))


HANG = Action("hang")
DROP = Action("drop")


def x_rate_limited(reset_at: int) -> Action:
    """X 429 with x-rate-limit-* headers and the v2 error body (code 88)."""
    return respond(
        429,
        {"title": "Too Many Requests", "errors": [{"code": 88, "message": "Rate limit exceeded"}]},
        {
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(reset_at),
        },
    )


def meta_throttled(code: int = 32, retry_after: int | None = None) -> Action:
    """Graph throttling error (code 4/17/32/613) with X-App-Usage and optional Retry-After."""
    headers = {
        "X-App-Usage": json.dumps({"call_count": 100, "total_time": 20, "total_cputime": 10})
    }
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    body = {"error": {"message": "rate limited", "type": "OAuthException", "code": code}}
    return respond(400, body, headers)


class PlatformStub:
    """Threaded stub server; use as a context manager and point adapters at `base_url`."""

    def __init__(
        self,
        *,
        x_token: str = X_TOKEN,
        meta_token: str = META_TOKEN,
        graph_version: str = GRAPH_VERSION,
        hang_seconds: float = 5.0,
    ) -> None:
        self.x_token = x_token
        self.meta_token = meta_token
        self.graph_version = graph_version
        self.hang_seconds = hang_seconds
        self.requests: list[Recorded] = []
        self._actions: list[Action] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ids = itertools.count(1_890_000_000_000_000_001)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port>."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def violations(self) -> list[str]:
        """Every contract violation seen so far."""
        with self._lock:
            return [v for r in self.requests for v in r.violations]

    def enqueue(self, *actions: Action) -> None:
        """Script the next requests' answers, in order (then the documented success)."""
        with self._lock:
            self._actions.extend(actions)

    def __enter__(self) -> PlatformStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # -- contract -----------------------------------------------------------------------

    def _next_id(self) -> str:
        with self._lock:
            return str(next(self._ids))

    def check(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> tuple[list[str], Any, Any]:
        """(violations, parsed JSON body, documented success body) for one request."""
        problems: list[str] = []
        parsed: Any = None
        if body:
            ctype = headers.get("content-type", "")
            if not ctype.startswith("application/json"):
                problems.append(f"content-type {ctype!r} is not application/json")
            try:
                parsed = json.loads(body)
            except ValueError:
                problems.append("body is not JSON")
        if method != "POST":
            problems.append(f"{method} {path}: only POST endpoints are in the contract")
        for name in FORBIDDEN_PARAMS:
            if name in query or (isinstance(parsed, dict) and name in parsed):
                problems.append(f"forbidden parameter {name!r} (hiding content)")
        if "access_token" in query:
            problems.append("token in the query string (we use the Authorization header)")

        def need_auth(token: str) -> None:
            if headers.get("authorization") != f"Bearer {token}":
                problems.append("missing or wrong Authorization: Bearer token")

        def need_keys(obj: Any, keys: set[str], where: str) -> None:
            if not isinstance(obj, dict) or set(obj) != keys:
                got = sorted(obj) if isinstance(obj, dict) else type(obj).__name__
                problems.append(f"{where}: expected keys {sorted(keys)}, got {got}")

        def need_text(value: Any, where: str) -> None:
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{where} must be a non-empty string")

        if path == "/2/tweets":
            need_auth(self.x_token)
            if query:
                problems.append("X POST /2/tweets takes no query")
            if not isinstance(parsed, dict) or "text" not in parsed:
                problems.append("X tweet body needs text")
            else:
                if not set(parsed) <= {"text", "reply"}:
                    problems.append(f"X tweet body has unexpected keys {sorted(parsed)}")
                need_text(parsed.get("text"), "text")
                if "reply" in parsed:
                    reply = parsed["reply"]
                    need_keys(reply, {"in_reply_to_tweet_id"}, "reply")
                    tid = reply.get("in_reply_to_tweet_id") if isinstance(reply, dict) else None
                    if not (isinstance(tid, str) and tid.isdigit()):
                        problems.append("in_reply_to_tweet_id must be a numeric string")
            text = parsed.get("text") if isinstance(parsed, dict) else None
            return problems, parsed, {"data": {"id": self._next_id(), "text": text}}
        dm = _X_DM.match(path)
        if dm:
            need_auth(self.x_token)
            need_keys(parsed, {"text"}, "X DM body")
            if isinstance(parsed, dict):
                need_text(parsed.get("text"), "text")
            event = self._next_id()
            return (
                problems,
                parsed,
                {"data": {"dm_conversation_id": f"1-{dm[1]}", "dm_event_id": event}},
            )
        graph = _GRAPH.match(path)
        if graph:
            version, node, edge = graph.groups()
            need_auth(self.meta_token)
            if version != self.graph_version:
                problems.append(f"Graph version {version} != {self.graph_version}")
            if edge == "replies":
                if body:
                    problems.append("IG /replies takes the message as a query parameter, no body")
                if set(query) != {"message"} or len(query["message"]) != 1:
                    problems.append(
                        f"IG /replies query must be exactly message, got {sorted(query)}"
                    )
                else:
                    need_text(query["message"][0], "message")
                return problems, parsed, {"id": self._next_id()}
            if query:
                problems.append(f"Graph /{edge} takes a JSON body, not a query")
            if edge in ("comments", "feed"):
                need_keys(parsed, {"message"}, f"/{edge} body")
                if isinstance(parsed, dict):
                    need_text(parsed.get("message"), "message")
                return problems, parsed, {"id": f"{node}_{self._next_id()}"}
            # messages: private reply to a comment, or a Messenger reply in the 24 h window
            recipient = parsed.get("recipient") if isinstance(parsed, dict) else None
            if isinstance(recipient, dict) and "comment_id" in recipient:
                need_keys(parsed, {"recipient", "message"}, "private reply body")
                need_keys(recipient, {"comment_id"}, "recipient")
            else:
                need_keys(parsed, {"recipient", "messaging_type", "message"}, "Messenger body")
                need_keys(recipient, {"id"}, "recipient")
                if isinstance(parsed, dict) and parsed.get("messaging_type") != "RESPONSE":
                    problems.append("messaging_type must be RESPONSE")
            message = parsed.get("message") if isinstance(parsed, dict) else None
            need_keys(message, {"text"}, "message")
            if isinstance(message, dict):
                need_text(message.get("text"), "message.text")
            rid = next(iter(recipient.values()), "") if isinstance(recipient, dict) else ""
            return (
                problems,
                parsed,
                {"recipient_id": str(rid), "message_id": f"m_{self._next_id()}"},
            )
        problems.append(f"{method} {path}: not a documented endpoint")
        return problems, parsed, {"error": {"message": "unknown path", "code": 803}}

    # -- server -------------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                split = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
                headers = {k.lower(): v for k, v in self.headers.items()}
                problems, parsed, success = stub.check(
                    self.command, split.path, query, headers, body
                )
                with stub._lock:
                    stub.requests.append(
                        Recorded(self.command, split.path, query, headers, body, parsed, problems)
                    )
                    action = (
                        stub._actions.pop(0)
                        if stub._actions
                        else respond(201 if split.path.startswith("/2/") else 200)
                    )
                self.close_connection = True
                if action.kind == "hang":
                    stub._stop.wait(stub.hang_seconds)
                    return
                if action.kind == "drop":
                    return
                status, payload = action.status, action.body
                if problems:
                    status = 404 if "not a documented" in problems[-1] else 400
                    payload = {"error": {"message": "; ".join(problems), "code": 100}}
                elif payload is None:
                    payload = success
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.send_header("Connection", "close")
                for name, value in action.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(raw)

            do_POST = do_GET = do_DELETE = do_PUT = do_PATCH = _handle

        return Handler
