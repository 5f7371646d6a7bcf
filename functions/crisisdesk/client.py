"""A small HTTP client for the commander API (used by the CLI and the demo)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


class ApiError(Exception):
    """The API answered with an error, or could not be reached."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class CommanderClient:
    """Calls the commander API with the bearer token."""

    def __init__(
        self, api: str, token: str, commander: str = "commander", timeout: float = 30.0
    ) -> None:
        self._api = api.rstrip("/")
        self._token = token
        self._commander = commander
        self._timeout = timeout

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        query: dict[str, str] | None = None,
    ) -> Any:
        """One call; raise ApiError with the API's message on failure."""
        url = self._api + path + (("?" + urllib.parse.urlencode(query)) if query else "")
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(  # noqa: S310 - the user's own API
            url,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self._token}",
                "X-Commander": self._commander,
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(req, timeout=self._timeout) as resp:  # noqa: S310
                raw = resp.read().decode()
                ctype = resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            text = e.read().decode()
            try:
                message = json.loads(text).get("message", text)
            except ValueError:
                message = text
            raise ApiError(e.code, f"{e.code}: {message}") from e
        except urllib.error.URLError as e:
            raise ApiError(0, f"API at {self._api} is not reachable: {e.reason}") from e
        return json.loads(raw) if "json" in ctype else raw

    def incidents(self, kind: str = "incident") -> list[dict[str, Any]]:
        """Incidents or care cases."""
        items: list[dict[str, Any]] = self.request("GET", "/incidents", query={"kind": kind})[
            "items"
        ]
        return items

    def show(self, owner_id: str) -> dict[str, Any]:
        """Everything about one incident."""
        data: dict[str, Any] = self.request("GET", f"/incidents/{urllib.parse.quote(owner_id)}")
        return data

    def action(self, owner_id: str, verb: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST /incidents/{id}/{verb}."""
        data: dict[str, Any] = self.request(
            "POST", f"/incidents/{urllib.parse.quote(owner_id)}/{verb}", body
        )
        return data

    def report(self, owner_id: str, markdown: bool = False) -> Any:
        """The post-mortem."""
        return self.request(
            "GET",
            f"/incidents/{urllib.parse.quote(owner_id)}/report",
            query={"format": "md"} if markdown else None,
        )
