"""Sandbox adapter: posts nowhere; the outbox row the Poster writes is the record of the post."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from crisisdesk.adapters.base import PLATFORMS, OutgoingMessage, PostResult, utc_iso


def sandbox_id(idempotency_key: str) -> str:
    """Deterministic fake platform id: sha256 of the idempotency key."""
    return "sandbox-" + hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:24]


class SandboxAdapter:
    """Accepts every platform and kind, makes no network call and returns a deterministic id."""

    name = "sandbox"

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock

    def send(self, msg: OutgoingMessage) -> PostResult:
        """Pretend to post msg (platform, in-reply-to, text, time are stored by the outbox)."""
        ident = sandbox_id(msg.idempotency_key)
        response = {"sandbox": True, "id": ident, "platform": msg.platform, "kind": msg.kind}
        return PostResult(ident, "sent", response, utc_iso(self._clock()))


def sandbox_adapters(adapter: SandboxAdapter | None = None) -> dict[str, SandboxAdapter]:
    """Route every platform to one sandbox adapter (POSTING_MODE=sandbox)."""
    sandbox = adapter or SandboxAdapter()
    return dict.fromkeys(sorted(PLATFORMS), sandbox)
