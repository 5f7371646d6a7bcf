"""Minimal HTTP client over urllib.request: POST only, bearer token, no redirects, no secret logged.

Errors are classified for the Poster: certainly-not-sent → NotDelivered, maybe-sent (timeout or
dropped connection after the request went out) → AmbiguousDelivery; any HTTP status is returned.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from crisisdesk.adapters.errors import AmbiguousDelivery, InvalidMessage, NotDelivered

# Adapters only ever create messages: no DELETE, no PUT/PATCH edits, no GET needed.
ALLOWED_METHODS = frozenset({"POST"})
# Hiding a comment is as forbidden as deleting it (Graph API `is_hidden`).
FORBIDDEN_PARAMS = frozenset({"is_hidden", "hide", "hidden"})
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class HttpResponse:
    """A platform's answer: status, lower-cased headers and raw body."""

    status: int
    headers: Mapping[str, str]
    body: bytes = field(repr=False)

    def header(self, name: str) -> str | None:
        """Header value by case-insensitive name."""
        return self.headers.get(name.lower())

    def json(self) -> Any:
        """The body parsed as JSON, or an empty dict when it is not JSON."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return {}


class HttpTransport(Protocol):
    """Sends one request; returns any HTTP status, raises NotDelivered / AmbiguousDelivery."""

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str,
        query: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> HttpResponse:
        """Send method path with a bearer token and an optional query and JSON body."""
        ...


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Never follow redirects: a redirected POST would be re-sent or silently turned into GET."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> None:
        return None


def _check_params(query: Mapping[str, str] | None, body: Mapping[str, Any] | None) -> None:
    for params in (query or {}, body or {}):
        bad = FORBIDDEN_PARAMS.intersection(k.lower() for k in params)
        if bad:
            raise InvalidMessage(f"refusing a request that would hide content: {sorted(bad)}")


def _definitely_not_sent(reason: object) -> bool:
    return isinstance(reason, ConnectionRefusedError | socket.gaierror)


class UrllibTransport:
    """HttpTransport over urllib.request with an injectable base URL and timeout."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 10.0,
        use_env_proxies: bool = True,
        user_agent: str = "crisisdesk/0.1",
    ) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        loopback = parsed.hostname in _LOOPBACK_HOSTS
        if parsed.scheme != "https" and not (parsed.scheme == "http" and loopback):
            raise ValueError("base_url must be https (plain http only for a loopback stub)")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.user_agent = user_agent
        handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
        if not use_env_proxies:
            handlers.append(urllib.request.ProxyHandler({}))
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:
        return f"UrllibTransport({self.base_url!r}, timeout={self.timeout})"

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str,
        query: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> HttpResponse:
        """Send one request; never retries, never logs the token."""
        if method not in ALLOWED_METHODS:
            raise InvalidMessage(f"HTTP method {method} is not allowed for platform calls")
        if not path.startswith("/"):
            raise InvalidMessage("path must start with /")
        _check_params(query, json_body)
        url = self.base_url + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "User-Agent": self.user_agent,
        }
        data = b""
        if json_body is not None:
            data = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        req = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 (scheme checked in __init__)
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                return HttpResponse(
                    status=resp.status,
                    headers={k.lower(): v for k, v in resp.headers.items()},
                    body=resp.read(),
                )
        except urllib.error.HTTPError as e:
            try:
                body = e.read()
            except (OSError, ValueError):
                body = b""
            finally:
                e.close()
            return HttpResponse(
                status=e.code, headers={k.lower(): v for k, v in e.headers.items()}, body=body
            )
        except urllib.error.URLError as e:
            # Raised while connecting or sending: refused / DNS failure means nothing was sent.
            if _definitely_not_sent(e.reason):
                raise NotDelivered(f"{method} {path}: not delivered ({e.reason})") from e
            raise AmbiguousDelivery(f"{method} {path}: failed while sending ({e.reason})") from e
        except (TimeoutError, OSError, http.client.HTTPException, ValueError) as e:
            # The request went out; the answer never came (timeout, reset, dropped connection).
            raise AmbiguousDelivery(f"{method} {path}: no answer ({type(e).__name__})") from e


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Retry-After as seconds to wait (delta-seconds or HTTP date), None when absent or invalid."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


def first_error(body: Any) -> tuple[int | None, str]:
    """(code, message) of a platform error body (Graph `error`, X `errors` / problem JSON)."""
    if not isinstance(body, dict):
        return None, ""
    graph = body.get("error")
    if isinstance(graph, dict):
        code = graph.get("code")
        return (code if isinstance(code, int) else None), str(graph.get("message", ""))[:300]
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        code = errors[0].get("code")
        text = errors[0].get("message") or errors[0].get("detail") or ""
        return (code if isinstance(code, int) else None), str(text)[:300]
    detail = body.get("detail") or body.get("title") or ""
    return None, str(detail)[:300]
